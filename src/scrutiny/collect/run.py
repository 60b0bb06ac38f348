"""One collection: each source's site crawled within its bounds, sites in parallel with each
other, every candidate ingested through the same path as `scrutiny ingest`, and each source's
look written to the check log.

A source's crawl is breadth first from its page: listings and paging within
`collect_max_depth` links of it, at most `collect_max_pages` requests to the site. Every HTML
page reached is read for links; one that links to fewer than two candidates and has text of
its own (`discover.PROSE`) is itself a candidate (a response on its own page, or a year's page
with the letter inline), and a candidate is ingested. What the extractor says is not a response is skipped, with its reason,
and never stored.

Each address's fetch is remembered (`store.sources.remember`) as soon as it is done, so a run
killed part way leaves a store that the next run completes: it asks again only for what may
have changed (conditional requests), and stores nothing twice (ingest is idempotent by
content). A source's look is logged only once its crawl is finished: an unfinished look is no
evidence that a body published nothing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
import traceback
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from ..errors import InputError, NotAResponse, summarise, unexpected
from ..isolate import Pool, Result
from ..oversight.ingest import ingest_bytes
from ..record import plain
from ..record.compliance import assess
from ..store import Store
from ..store import sources as known
from ..store.checks import record_check
from ..store.schema import Fetched, now
from . import discover
from .fetch import Fetcher, FetchError, Page, canonical, refusal, site_of


@dataclass(frozen=True)
class Source:
    force_id: int
    force: str
    url: str
    source_id: int | None = None  # None: given for this run only (`--sources FILE`)


@dataclass(frozen=True)
class Bounds:
    max_pages: int
    max_depth: int


@dataclass
class Tally:
    """What a run (or one source's look) came to."""

    fetched: int = 0  # downloaded
    unchanged: int = 0  # not modified, or the same bytes as before
    new: int = 0  # stored: a new document or a new version
    skipped: int = 0  # read, and not a response (or not a page or document Scrutiny reads)
    failed: int = 0
    found: int = 0  # responses among what was stored or found stored already

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def __str__(self) -> str:
        return (f"{self.fetched} fetched, {self.unchanged} unchanged, {self.new} new, {self.skipped} skipped, "
                f"{self.failed} failed")


@dataclass
class Report:
    """The run's totals, and one line per failure naming the address and the problem."""

    total: Tally = field(default_factory=Tally)
    failures: list[str] = field(default_factory=list)
    by_site: dict[str, Tally] = field(default_factory=dict)


Say = Callable[[str], None]  # one line: a failure, as it happens
Progress = Callable[[str, int, int], None]  # site, requests made, requests it may yet make


def _sniff(page: Page) -> str | None:
    """What the bytes are, whatever the server declared: pdf, docx, html, or None."""
    head = page.content[:1024].lstrip()
    if page.content.startswith(b"%PDF"):
        return "pdf"
    if page.content.startswith(b"PK\x03\x04") and b"word/" in page.content:
        return "docx"
    if head[:1] == b"<" or (page.media_type in ("text/html", "application/xhtml+xml") and head):
        return "html"
    return None


def _filename(url: str, kind: str) -> str:
    """A name for what was fetched at `url`: its last path segment, with the extension its bytes call for."""
    segment = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]) or "index"
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", segment).strip("-.")[:80] or "page"
    stem = re.sub(r"\.(?:pdf|docx|html?|aspx?|php|jsp)$", "", stem, flags=re.IGNORECASE)
    return f"{stem}.{kind}"


def provenance(record: dict, url: str, first_seen: dt.datetime, last_modified: str | None) -> None:
    """Where a record's text came from. Where the text gives no date of its own, the day it was
    first seen online is the evidence of when it was published: it was published by then. So
    it is on time if first seen by the deadline; first seen after it, whether it was late is
    not known (it may have been there before anyone looked), and the record says so."""
    record["source"].update(url=url, first_seen=first_seen.isoformat(), last_modified=last_modified)
    compliance = record["compliance"]
    if compliance.get("responded") is not None:
        return
    report = record.get("report") or {}
    published = dt.date.fromisoformat(report["published"]) if report.get("published") else None
    addressed = [a["number"] for a in record["recommendations"] if a["addressed"]]
    judged = assess(published, first_seen.date(), addressed, compliance["recommendations_expected"],
                    "first seen online")
    if judged.on_time is False:
        judged.on_time = judged.days_taken = None
        record["warnings"].append(f"first seen online on {first_seen.date()}, after the deadline: when it was "
                                  "published is not known")
    record["compliance"] = plain(judged)


class Site:
    """One site's crawl in one run: its sources, one after another, in one thread."""

    def __init__(self, site: str, sources: list[Source], fetcher: Fetcher, store: Store, pool: Pool, bounds: Bounds,
                 report: Report, lock: threading.Lock, say: Say, progress: Progress):
        self.site, self.sources, self.fetcher, self.store, self.pool = site, sources, fetcher, store, pool
        self.bounds, self.report, self.lock, self.say, self.progress = bounds, report, lock, say, progress
        self.visited: set[str] = set()
        self.requests = 0

    def run(self) -> None:
        for source in self.sources:
            started = now()
            tally = Tally()
            try:
                ok, note = self._crawl(source, tally)
            except Exception as exc:  # noqa: BLE001 - the store failing, say: this source's failure, not the run's
                error = unexpected(source.url, summarise(exc), traceback.format_exc())
                self._fail(tally, source.url, error.problem)
                with self.lock:
                    self.report.total.add(tally)
                continue
            with self.lock:
                self.report.total.add(tally)
                self.report.by_site.setdefault(self.site, Tally()).add(tally)
            with self.store.transaction() as s:
                record_check(s, source.force_id, source.url, started, now(), ok, tally.found, tally.skipped,
                             tally.failed, note, source.source_id)

    def _fail(self, tally: Tally, url: str, problem: str) -> None:
        tally.failed += 1
        line = f"{url}: {problem}"
        with self.lock:
            self.report.failures.append(line)
        self.say(line)

    def _crawl(self, source: Source, tally: Tally) -> tuple[bool, str]:
        """Crawl from one source; (whether its own page was read, a note for the check log)."""
        start = canonical(source.url)
        if problem := refusal(start, self.site):
            self._fail(tally, start, problem)
            return False, problem
        queue: deque[tuple[str, int, str]] = deque([(start, 0, discover.LISTING)])
        ok, note = False, ""
        while queue:
            url, depth, role = queue.popleft()
            if url in self.visited:
                continue
            if self.requests >= self.bounds.max_pages:
                note = f"stopped at {self.bounds.max_pages} requests (SCRUTINY_COLLECT_MAX_PAGES)"
                break
            self.visited.add(url)
            self.requests += 1
            self.progress(self.site, self.requests, len(queue))
            try:
                found = self._visit(source, url, role, url == start, tally)
            except FetchError as exc:
                if exc.refused:
                    tally.skipped += 1
                else:
                    self._fail(tally, exc.url, exc.problem)
                self._remember(url, source, outcome="skipped" if exc.refused else "failed", note=exc.problem)
                if url == start:
                    note = exc.problem
                continue
            except Exception as exc:  # noqa: BLE001 - a bug: this address's failure, and the crawl goes on
                error = unexpected(url, summarise(exc), traceback.format_exc())
                self._fail(tally, url, error.problem)
                continue
            ok = ok or url == start
            for link in found:
                deeper = depth + (link.role != discover.PAGING)
                if deeper <= self.bounds.max_depth and link.url not in self.visited and not refusal(link.url, self.site):
                    queue.append((link.url, deeper, link.role))
        return ok, note

    def _remember(self, url: str, source: Source, **values: object) -> None:
        with self.store.transaction() as s:
            known.remember(s, url, force_id=source.force_id, last_seen=now(), **values)

    def _visit(self, source: Source, url: str, role: str, is_source: bool, tally: Tally) -> list[discover.Found]:
        """Fetch one address, ingest it if it is a candidate; the links to follow from it."""
        before = known.fetched(self.store, [url]).get(url)
        page = self.fetcher.get(url, self.site, before.etag if before else None,
                                before.last_modified if before else None)
        if page.status == 304 and before is not None:
            tally.unchanged += 1
            tally.found += before.outcome in ("stored", "unchanged")
            tally.skipped += before.outcome == "skipped"
            self._remember(url, source)
            return [discover.Found(u, r) for u, r in before.links or []]
        tally.fetched += 1
        kind = _sniff(page)
        validators = {"etag": page.etag, "last_modified": page.last_modified}
        if kind is None:
            tally.skipped += 1
            self._remember(url, source, outcome="skipped", note=f"not a page or document Scrutiny reads "
                           f"({page.media_type or 'no type given'})", links=[], **validators)
            return []
        found, prose = discover.links(page.content, page.url) if kind == "html" else ([], True)
        candidates = sum(f.role == discover.CANDIDATE for f in found)
        links = [[f.url, f.role] for f in found]
        if kind == "html" and (candidates >= 2 or not prose or role == discover.PAGING and not is_source):
            self._remember(url, source, outcome="page", note="", links=links, **validators)
            return found
        self._ingest(source, url, page, kind, before, tally, links, validators)
        return found

    def _ingest(self, source: Source, url: str, page: Page, kind: str, before: Fetched | None, tally: Tally,
                links: list, validators: dict) -> None:
        sha = hashlib.sha256(page.content).hexdigest()
        if before is not None and before.sha256 == sha and before.outcome in ("stored", "unchanged", "skipped"):
            tally.unchanged += 1  # downloaded again (the server gave no validators), and the same
            tally.found += before.outcome != "skipped"
            tally.skipped += before.outcome == "skipped"
            self._remember(url, source, links=links, **validators)
            return
        first_seen = before.first_seen if before is not None else now()
        if first_seen.tzinfo is None:
            first_seen = first_seen.replace(tzinfo=dt.UTC)

        def judge(result: Result) -> str | None:
            if isinstance(result, NotAResponse):
                return f"not a response: {result.problem}"
            if isinstance(result, InputError):
                return None  # a failure: ingest keeps it with its reason
            verdict = result.get("response")
            if verdict is not None and verdict["value"] is False:
                return f"not a response: {verdict['reason']}"
            provenance(result, page.url, first_seen, page.last_modified)
            return None

        outcome = ingest_bytes(self.store, page.content, _filename(page.url, kind), page.url, self.pool, judge)
        values: dict[str, object] = {"sha256": sha, "links": links, "document_id": outcome.document_id,
                                     "note": outcome.message, **validators}
        if outcome.status == "failed":
            problem = outcome.message.removeprefix(f"{_filename(page.url, kind)}: ")
            self._fail(tally, url, problem)
            self._remember(url, source, outcome="failed", **{**values, "note": problem, "sha256": None})
        elif outcome.status == "skipped":
            tally.skipped += 1
            self._remember(url, source, outcome="skipped", **values)
        else:
            tally.found += 1
            if outcome.status == "unchanged":
                tally.unchanged += 1
            else:
                tally.new += 1
            self._remember(url, source, outcome="stored" if outcome.status != "unchanged" else "unchanged", **values)


def collect(store: Store, sources: list[Source], fetcher: Fetcher, pools: list[Pool], bounds: Bounds,
            sites_at_once: int, say: Say = lambda line: None, progress: Progress = lambda site, done, left: None,
            ) -> Report:
    """Collect from `sources`: a site's sources one after another, sites `sites_at_once` at a time,
    their candidates read by `pools` (a pool reads one file at a time: sites share them in turn)."""
    by_site: dict[str, list[Source]] = {}
    for source in sources:
        by_site.setdefault(site_of(source.url), []).append(source)
    report, lock = Report(), threading.Lock()
    crawls = [Site(site, group, fetcher, store, pools[i % len(pools)], bounds, report, lock, say, progress)
              for i, (site, group) in enumerate(by_site.items())]
    with ThreadPoolExecutor(max_workers=max(1, min(sites_at_once, len(crawls) or 1)),
                            thread_name_prefix="scrutiny-collect") as threads:
        for done in [threads.submit(crawl.run) for crawl in crawls]:
            done.result()
    return report
