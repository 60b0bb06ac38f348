"""New reports from HMICFRS's publication lists: the list's pages read (its paging followed,
within `collect_max_pages` requests a list), each report page it links read once with the
HMICFRS reader in a worker (title, "Published on", "Police Forces", recommendations), and a
report the catalogue lacks offered to analysts in the review queue (`store.pending`), where it
counts in no figure until one confirms it (`confirm`: into the catalogue, with the scope the
analyst gives, and a case for each in-scope force whose office works here) or rejects it.

The list pages are asked for conditionally on later runs, like any source; a report page read
once (offered, found in the catalogue, or not a report's page) is not fetched again, so a
rejected report does not come back and nothing is offered twice.
"""
from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from .. import catalogue
from ..catalogue import ReportScope
from ..errors import Conflict, InputError, InvalidValue
from ..isolate import Pool
from ..office.opening import open_for_report
from ..oversight.recommendations import TASK, find_report, new_report
from ..record.vocabulary import Scope
from ..store import Store
from ..store import pending as waiting
from ..store import sources as known
from ..store.schema import now
from . import discover
from .fetch import Fetcher, FetchError, canonical, site_of
from .run import Say

READ_ONCE = ("offered", "known", "skipped")  # a report page's outcomes that are final (not "failed")


@dataclass
class Found:
    """What reading HMICFRS's lists came to."""

    pages: int = 0  # list pages read (or unchanged)
    read: int = 0  # report pages read
    new: int = 0  # offered to analysts
    known: int = 0  # in the catalogue already, or offered before
    skipped: int = 0  # not a report's page, or not to be fetched
    failed: int = 0
    failures: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"{self.pages} list pages, {self.read} report pages read, {self.new} new reports for review, "
                f"{self.known} known, {self.skipped} skipped, {self.failed} failed")


def list_pages(value: str, where: str = "SCRUTINY_COLLECT_HMICFRS") -> list[str]:
    """The addresses of `value` (separated by spaces), each checked; a bad one is named with `where`."""
    out = []
    for url in value.split():
        try:
            out.append(known.check_url(url))
        except InvalidValue as exc:
            raise InvalidValue(f"{where}: {exc}") from None
    return out


class Lists:
    def __init__(self, store: Store, fetcher: Fetcher, pool: Pool, max_pages: int, say: Say):
        self.store, self.fetcher, self.pool, self.max_pages, self.say = store, fetcher, pool, max_pages, say
        self.found = Found()

    def _fail(self, url: str, problem: str) -> None:
        self.found.failed += 1
        self.found.failures.append(f"{url}: {problem}")
        self.say(f"{url}: {problem}")

    def _remember(self, url: str, **values: object) -> None:
        with self.store.transaction() as s:
            known.remember(s, url, last_seen=now(), **values)

    def read(self, start: str) -> None:
        """One list: its pages, then the report pages they link."""
        site, requests = site_of(start), 0
        queue, seen = deque([canonical(start)]), set()
        reports: dict[str, None] = {}
        while queue and requests < self.max_pages:
            url = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            requests += 1
            before = known.fetched(self.store, [url]).get(url)
            try:
                page = self.fetcher.get(url, site, before.etag if before else None,
                                        before.last_modified if before else None)
            except FetchError as exc:
                self._fail(exc.url, exc.problem)
                continue
            self.found.pages += 1
            if page.status == 304 and before is not None:
                links = before.links or []
            else:
                found, paging = discover.report_pages(page.content, page.url)
                links = [[u, "report"] for u in found] + [[u, discover.PAGING] for u in paging]
                self._remember(url, outcome="page", note="HMICFRS's publication list", links=links,
                               etag=page.etag, last_modified=page.last_modified)
            for target, role in links:
                if role == discover.PAGING:
                    queue.append(target)
                else:
                    reports.setdefault(target, None)
        done = {u for u, f in known.fetched(self.store, reports).items() if f.outcome in READ_ONCE}
        for url in reports:
            if url in done:
                self.found.known += 1
            elif requests >= self.max_pages:
                self._fail(url, f"not read: {self.max_pages} requests made (SCRUTINY_COLLECT_MAX_PAGES)")
            else:
                requests += 1
                self._report(url, site)

    def _report(self, url: str, site: str) -> None:
        try:
            page = self.fetcher.get(url, site)
        except FetchError as exc:
            if exc.refused:
                self.found.skipped += 1
                self._remember(url, outcome="skipped", note=exc.problem)
            else:
                self._fail(exc.url, exc.problem)
            return
        result = self.pool.read(f"{hashlib.sha256(url.encode()).hexdigest()[:12]}.html", page.content, task=TASK)
        if isinstance(result, InputError):
            self._fail(url, result.problem)
            return
        self.found.read += 1
        result["url"] = page.url
        values: dict[str, object] = {"sha256": hashlib.sha256(page.content).hexdigest(), "etag": page.etag,
                                     "last_modified": page.last_modified, "links": []}
        if result.get("kind") != "report" or not result.get("title") or not result.get("published"):
            self.found.skipped += 1
            self._remember(url, outcome="skipped", note="not a report's page (no title or no 'Published on')",
                           **values)
            return
        same = find_report(self.store.reports(), result["title"], result.get("forces") or ())
        offered = None if same is not None else waiting.offer(self.store, page.url, result)
        if offered is None:
            self.found.known += 1
            self._remember(url, outcome="known", note=f"in the catalogue: {same.id}" if same else "offered before",
                           **values)
        else:
            self.found.new += 1
            self._remember(url, outcome="offered", note=f"waiting for review (new report {offered.id})", **values)


def find_new_reports(store: Store, lists: list[str], fetcher: Fetcher, pool: Pool, max_pages: int,
                     say: Say = lambda line: None) -> Found:
    """Read each of HMICFRS's publication lists; a report the catalogue lacks waits for review."""
    reader = Lists(store, fetcher, pool, max_pages, say)
    for url in lists:
        reader.read(url)
    return reader.found


@dataclass(frozen=True)
class Confirmed:
    report_id: str
    cases: list[int]  # opened for the in-scope forces whose offices work here


def confirm(store: Store, pending_id: int, applies: str, forces: list[str], author: str) -> Confirmed:
    """An analyst confirms a new report: it joins the catalogue (a user's report, logged with its
    author) expecting a response from all forces, the named ones (default: those its page names)
    or none; and the office gets a case for each in-scope force with staff here, in the same
    transaction."""
    author = waiting.checked_author(author)
    row = waiting.get(store, pending_id)
    if row.state != waiting.PENDING:
        raise Conflict(f"new report {pending_id} was {row.state} by {row.decided_by} already")
    if applies not in Scope:
        raise InvalidValue(f"scope: one of {', '.join(Scope)}")
    names = catalogue.force_names()
    if unknown := [f for f in forces if f not in names]:
        raise InvalidValue(f"forces: {unknown[0]!r} is not one of the 43 forces of England and Wales")
    named = sorted({names[f] for f in forces or (row.forces if applies == Scope.NAMED_FORCES else ())})
    if (applies == Scope.NAMED_FORCES) != bool(named):
        raise InvalidValue("forces: name the forces for named-forces (its page names none), and only then")
    reports = store.reports()
    if (same := find_report(reports, row.title, row.forces)) is not None:
        raise Conflict(f"{row.title!r} is in the catalogue already ({same.id}): reject this one")
    scope = ReportScope(applies, sources=(row.url,), note=f"confirmed by {author} from the review queue")
    page = waiting.page_of(store, pending_id)
    report = new_report({**page, "forces": named}, row.url, (r.id for r in reports), scope)
    opened: list[int] = []

    def decided(s: Session) -> None:
        note = applies + (f": {', '.join(named)}" if named else "")
        waiting.decide(s, pending_id, waiting.CONFIRMED, author, note, report.id)
        opened.extend(open_for_report(s, report.id, author))

    store.keep_imported(report, author, f"added from {row.url}, a new report confirmed from the review queue",
                        then=decided)
    return Confirmed(report.id, opened)
