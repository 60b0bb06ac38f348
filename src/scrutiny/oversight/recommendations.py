"""Recommendations from HMICFRS's own text, into the catalogue: `scrutiny reports import` and
the report page's form. Each page is read in a worker process (it is untrusted text), which
gives its recommendations, causes of concern, and, from the register, each recommendation's
status for a force; here they complete the report they belong to.

The report is the one named (`--report`), else the one whose title the page gives (a report's
page, or the register's record line), found in the catalogue by its title, else added as a
user's report. A recommendation the report has already (the same words, near enough) is kept
as it is; a new one is added after the others; one the catalogue lists without its wording
gets it. Every change to a report is logged with its author, and the register's statuses are
kept per force. Importing the same page again changes nothing.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from .. import catalogue
from ..catalogue import Recommendation, Report, ReportScope
from ..errors import InputError, InvalidValue, NotFound
from ..isolate import Job, Pool, shared_pool
from ..read import expand
from ..record import wording
from ..record.fields import text_problem
from ..store import Store
from ..store.register import Status

TASK = "recommendations"
MAX_PASTED_CHARS = 200_000


@dataclass(frozen=True)
class Imported:
    """One page's outcome: `status` is read (a dry run), added, completed, statuses kept,
    unchanged or failed."""

    path: str
    status: str
    message: str
    page: dict | None = None
    report_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def read_pages(paths: Iterable[str | os.PathLike], pool: Pool | None = None) -> Iterator[tuple[str, dict | InputError]]:
    """Each file (and each file in the folders named), read in a worker: its page, or why not."""
    for job, result in (pool or shared_pool()).map(Job(str(path), task=TASK) for path in expand(paths)):
        yield job.name, result


def parse_text(text: str, pool: Pool | None = None) -> dict:
    """Pasted text (a report's recommendations section), read like a page."""
    if not text.strip():
        raise InvalidValue("text: paste the report's recommendations")
    if len(text) > MAX_PASTED_CHARS:
        raise InvalidValue(f"text: at most {MAX_PASTED_CHARS:,} characters")
    result = (pool or shared_pool()).read("pasted.txt", text.encode("utf-8"), task=TASK)
    if isinstance(result, InputError):
        raise InvalidValue(f"text: {result.problem}")
    return result


def _norm(title: str) -> str:
    return " ".join(wording.words(title))


def find_report(reports: Iterable[Report], title: str, forces: Iterable[str] = ()) -> Report | None:
    """The catalogue's report of this title: the same words, else one whose title starts with it
    ('PEEL: police legitimacy 2017' for '... 2017 - A national overview'), on the forces named
    (a national one where none is)."""
    wanted, forces = _norm(title), set(forces)
    if not wanted:
        return None
    found = []  # (on other forces, not exactly the title, length, report)
    for report in reports:
        names = [_norm(t) for t in (report.title, *report.title_variants)]
        if wanted in names or (len(wanted.split()) >= 3 and any(n.startswith(wanted + " ") for n in names)):
            found.append((set(report.forces) != forces, wanted not in names, len(report.title), report.id, report))
    return min(found)[-1] if found else None


def _new_id(title: str, published: dt.date | None, taken: set[str]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:70].strip("-") or "report"
    if published and str(published.year) not in slug:
        slug += f"-{published.year}"
    out, n = slug, 1
    while out in taken:
        n += 1
        out = f"{slug}-{n}"
    return out


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _as_catalogue(rec: dict, number: int | None, tracked: tuple[str, ...]) -> Recommendation:
    """A page's recommendation as the catalogue keeps it. One the register tracks per force
    but whose words name no one is addressed to those it tracks it for (`tracked`)."""
    due = _day(rec.get("due_date"))
    return Recommendation(number=number, wording=" ".join(rec["wording"].split()),
                          addressees=tuple(rec.get("addressees") or ()) or tracked, due=due,
                          due_note=None if due else rec.get("due") or None)


def complete(report: Report, recs: list[dict], register: bool) -> tuple[Report, list[str], int]:
    """`report` with the page's recommendations it lacks; the catalogue's wording of each of
    `recs` (for the statuses kept against it), and how many were added or given wording."""
    kept = list(report.recommendations)
    numbered = bool(kept) and all(r.number is not None for r in kept)
    fresh = not kept and all(r.get("number") for r in recs) and len({r["number"] for r in recs}) == len(recs)
    tracked = (("the force",) if report.forces else ("forces",)) if register else ()
    wordings, changed = [], 0
    for rec in recs:
        same = next((i for i, k in enumerate(kept) if wording.similar(k.wording, rec["wording"])), None)
        if same is None:  # the catalogue may list it by number, without its words
            same = next((i for i, k in enumerate(kept) if k.wording is None and rec.get("number")
                         and k.number == rec["number"]), None)
            if same is not None:
                kept[same] = replace(_as_catalogue(rec, kept[same].number, tracked),
                                     addressees=kept[same].addressees or tuple(rec.get("addressees") or ()) or tracked)
                changed += 1
        if same is not None:
            wordings.append(kept[same].wording or rec["wording"])
            continue
        if fresh:
            number = rec["number"]
        elif numbered:
            taken = {k.number or 0 for k in kept}
            number = rec["number"] if rec.get("number") and rec["number"] not in taken else max(taken) + 1
        else:
            number = None
        kept.append(_as_catalogue(rec, number, tracked))
        wordings.append(kept[-1].wording or "")
        changed += 1
    return replace(report, recommendations=tuple(sorted(kept, key=lambda r: r.number or 0))), wordings, changed


def new_report(page: dict, source: str, taken: Iterable[str], scope: ReportScope) -> Report:
    """A report for the catalogue from its own HMICFRS page (`page` as the reader gives it, its
    title given): its title, day and recommendations; whose response it expects is `scope`'s
    (an analyst's), its forces those the page's `forces` names (for named-forces only)."""
    published = _day(page.get("published"))
    forces = tuple(page.get("forces") or ()) if scope.applies == "named-forces" else ()
    report = Report(id=_new_id(page["title"], published, set(taken)), title=page["title"], publisher="HMICFRS",
                    published=published, kind="force" if len(forces) == 1 else "other", forces=forces,
                    sources=(source,), scope=scope)
    return complete(report, list(page.get("recommendations") or ()), register=False)[0]


def _statuses(report_id: str, recs: list[dict], wordings: list[str], source: str) -> list[Status]:
    out = []
    for rec, text in zip(recs, wordings):
        if rec.get("force") and (rec.get("status") or rec.get("status_history")):
            dated = [e for e in rec.get("status_history") or () if e.get("status")]
            out.append(Status(report_id, rec["force"], text, rec.get("status"), _day(dated[-1]["on"]) if dated else None,
                              list(rec.get("status_history") or ()), rec.get("record"), source))
    return out


def _groups(page: dict, report_id: str | None) -> dict[str | None, list[dict]]:
    """The page's recommendations by the title of the report they belong to."""
    if report_id is not None:
        return {None: page["recommendations"]}
    groups: dict[str | None, list[dict]] = {}
    for rec in page["recommendations"]:
        groups.setdefault(rec.get("report") or page.get("title"), []).append(rec)
    return groups or {page.get("title"): []}


def import_page(store: Store | None, name: str, page: dict, report_id: str | None, author: str,
                dry_run: bool = False) -> Imported:
    """One page into the catalogue of `store` (none: a dry run on the packaged catalogue)."""
    dry_run = dry_run or store is None
    reports = store.reports() if store is not None else catalogue.reports()
    by_id = {r.id: r for r in reports}
    register = page.get("kind") == "recommendation"
    source = page.get("url") or name
    said, status, target = [], "unchanged", report_id
    for title, recs in _groups(page, report_id).items():
        if report_id is None and page.get("kind") == "other" and not recs:
            return Imported(name, "unchanged", f"{name}: no recommendations, and not a report's page", page)
        existing = by_id.get(report_id) if report_id else find_report(reports, title or "", page.get("forces", ()))
        if existing is None and dry_run and (report_id is None or not title):
            continue  # a dry run says which report it would complete, where the catalogue has it
        if existing is None and report_id is None and not recs:
            return Imported(name, "unchanged", f"{name}: {title!r} is not in the catalogue, and the page has no "
                                               "recommendations to add; give --report ID to add it", page)
        if existing is None:
            if report_id is None and not title:
                raise InputError(name, "the page does not name its report; give --report ID")
            if report_id is None and not register and page.get("kind") not in ("report", "letter"):
                raise InputError(name, f"no report titled {title!r} in the catalogue; give --report ID")
            own = title == page.get("title")  # the page is the report's own: its date and forces are the report's
            existing = Report(id=report_id or _new_id(title or "", _day(page.get("published")) if own else None,
                                                       set(by_id)),
                              title=title or (page.get("title") or report_id or ""), publisher="HMICFRS",
                              published=_day(page.get("published")) if own else None,
                              kind="force" if own and len(page.get("forces", ())) == 1 else "other",
                              forces=tuple(page.get("forces", ())) if own else (), sources=(source,))
            if not existing.title:
                raise InputError(name, f"no report {report_id} in the catalogue, and the page gives no title")
            added = True
        else:
            added = False
        target = existing.id
        merged, wordings, changed = complete(existing, recs, register)
        statuses = _statuses(existing.id, recs, wordings, source)
        if dry_run or store is None:
            continue
        what = "added" if added else f"{changed} recommendation(s) added from {source}"
        report_changed, kept = store.keep_imported(merged if added or changed else None, author, what, statuses)
        if report_changed:
            status = "added" if added else "completed"
            said.append(f"{'added' if added else 'completed'} {existing.id} "
                        f"({changed} recommendation(s) new, {len(merged.recommendations)} in all)")
        if kept:
            status = status if report_changed else "statuses kept"
            said.append(f"{kept} register status(es) kept for {existing.id}")
        unplaced = sum(1 for r in recs if r.get("status") and not r.get("force"))
        if unplaced:
            said.append(f"{unplaced} status(es) not kept: the page names no force")
    if dry_run:
        return Imported(name, "read", f"{name}: {len(page['recommendations'])} recommendation(s)", page, target)
    return Imported(name, status, f"{name}: {'; '.join(said) or 'nothing new'}", page, target)


def import_files(store: Store | None, paths: Iterable[str | os.PathLike], report_id: str | None = None,
                 dry_run: bool = False, author: str = "", pool: Pool | None = None) -> Iterator[Imported]:
    """One outcome per file, in order; a file that cannot be read or placed fails alone."""
    for name, result in read_pages(paths, pool):
        if isinstance(result, InputError):
            yield Imported(name, "failed", str(result))
            continue
        try:
            yield import_page(store, name, result, report_id, author, dry_run)
        except InputError as exc:
            yield Imported(name, "failed", str(exc), result)


MAX_WORDING_CHARS = 20_000
MAX_SHORT_CHARS = 200  # an addressee, a due date as written


def _checked_text(value: object, where: str, limit: int) -> str:
    if not isinstance(value, str):
        raise InvalidValue(f"{where}: must be text")
    value = " ".join(value.split())
    problem = text_problem(value)
    if problem or len(value) > limit:
        raise InvalidValue(f"{where}: {problem or f'at most {limit:,} characters'}")
    return value


def checked(recs: list[dict]) -> list[dict]:
    """An analyst's list, each value checked (a bad one is an InvalidValue naming it); a
    recommendation whose wording was cleared is left out."""
    out = []
    for i, rec in enumerate(recs, 1):
        where = f"recommendations[{i}]"
        text = _checked_text(rec.get("wording") or "", f"{where}.wording", MAX_WORDING_CHARS)
        if not text:
            continue
        number = rec.get("number")
        if number is not None and (isinstance(number, bool) or not isinstance(number, int) or not 0 < number < 1000):
            raise InvalidValue(f"{where}.number: a whole number from 1 to 999, or none")
        addressees = [_checked_text(a, f"{where}.addressees", MAX_SHORT_CHARS) for a in rec.get("addressees") or ()]
        due = _checked_text(rec.get("due") or "", f"{where}.due", MAX_SHORT_CHARS) or None
        day = re.fullmatch(r"\d{4}-\d{2}-\d{2}", due or "")
        try:
            due_date = dt.date.fromisoformat(due).isoformat() if day and due else None
        except ValueError:
            raise InvalidValue(f"{where}.due: not a day: {due}") from None
        out.append({"number": number, "addressees": [a for a in addressees if a], "due": None if due_date else due,
                    "due_date": due_date, "wording": text})
    return out


def confirm(store: Store, report_id: str, recs: list[dict], author: str) -> Imported:
    """An analyst's list (read from pasted text, then corrected) into report `report_id`."""
    if report_id not in {r.id for r in store.reports()}:
        raise NotFound(f"no report {report_id}")
    page = {"kind": "other", "recommendations": checked(recs)}
    if not page["recommendations"]:
        raise InvalidValue("recommendations: none with wording")
    return import_page(store, "the form", page, report_id, author)
