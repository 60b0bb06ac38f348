"""The collector: polite fetches from policing bodies' sites, what they list ingested as
`scrutiny ingest` would, and a check log of every look (`fetch` fetches, `discover` finds the
links worth following, `run` crawls and ingests). Beside the oversight side: it feeds its ingest.

`collect_sources` runs one collection from the store's sources (or those given),
`collect_reports` reads HMICFRS's publication lists for new reports (`hmicfrs`); `every` runs
both on a schedule in a thread of `scrutiny serve`.
"""
from __future__ import annotations

import csv
import io
import logging
import threading
import traceback
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import httpx

from ..errors import InvalidValue
from ..isolate import Pool
from ..settings import Settings
from ..store import Store
from ..store import sources as known
from .fetch import Fetcher
from .hmicfrs import Found, find_new_reports, list_pages
from .run import Bounds, Progress, Report, Say, Source, Tally, collect

__all__ = ["Found", "Report", "Source", "Tally", "collect_reports", "collect_sources", "every", "list_pages",
           "read_sources", "stored_sources", "user_agent"]

log = logging.getLogger(__name__)


def user_agent(settings: Settings) -> str:
    """'Scrutiny/0.1.0 (+someone@example.org)': who is asking, and how to reach them."""
    if not settings.collect_contact.strip():
        raise InvalidValue("SCRUTINY_COLLECT_CONTACT: set it to an e-mail or web address where a site's owner can "
                           "reach you; the collector names it in every request")
    try:
        ours = version("scrutiny")
    except PackageNotFoundError:
        ours = "unknown"
    return f"Scrutiny/{ours} (+{settings.collect_contact.strip()})"


def read_sources(store: Store, path: Path, force: str | None = None) -> list[Source]:
    """The sources in a CSV file with the header `force,url` (one or more rows per force)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidValue(f"{path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidValue(f"{path}: not UTF-8 text") from None
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or not {"force", "url"} <= set(rows[0]):
        raise InvalidValue(f"{path}: a CSV file with the header force,url")
    ids = known.force_ids(store, [r["force"] or "" for r in rows])
    wanted = ids[force][0] if force else None
    out = []
    for line, row in enumerate(rows, 2):
        try:
            url = known.check_url(row["url"] or "")
        except InvalidValue as exc:
            raise InvalidValue(f"{path}, line {line}: {exc}") from None
        force_id, name = ids[row["force"] or ""]
        if wanted is None or force_id == wanted:
            out.append(Source(force_id, name, url))
    return out


def stored_sources(store: Store, force: str | None = None) -> list[Source]:
    """The store's sources (bundled and users'), or one force's."""
    return [Source(s.force_id, s.force, s.url, s.id) for s in known.sources(store, force)]


def _fetcher(settings: Settings, delay: float | None, transport: httpx.BaseTransport | None) -> Fetcher:
    return Fetcher(user_agent(settings), delay if delay is not None else settings.collect_delay,
                   settings.collect_timeout, int(settings.collect_max_mb * 2**20), transport)


def collect_reports(store: Store, lists: list[str], settings: Settings, *, delay: float | None = None,
                    transport: httpx.BaseTransport | None = None, say: Say = lambda line: None) -> Found:
    """Read HMICFRS's publication `lists` for new reports, within the settings' bounds; each one
    the catalogue lacks waits in the review queue for an analyst."""
    fetcher = _fetcher(settings, delay, transport)
    pool = Pool(limits=settings.limits)
    try:
        return find_new_reports(store, lists, fetcher, pool, settings.collect_max_pages, say)
    finally:
        fetcher.close()
        pool.close()


def collect_sources(store: Store, sources: list[Source], settings: Settings, *, delay: float | None = None,
                    transport: httpx.BaseTransport | None = None,
                    say: Say = lambda line: None, progress: Progress = lambda site, done, left: None) -> Report:
    """One collection from `sources`, within the settings' bounds (`delay` overrides theirs)."""
    fetcher = _fetcher(settings, delay, transport)
    pools = [Pool(limits=settings.limits) for _ in range(min(settings.collect_workers, len(sources)) or 1)]
    try:
        return collect(store, sources, fetcher, pools, Bounds(settings.collect_max_pages, settings.collect_max_depth),
                       settings.collect_sites, say, progress)
    finally:
        fetcher.close()
        for pool in pools:
            pool.close()


def every(store: Store, settings: Settings, stop: threading.Event) -> threading.Thread | None:
    """A thread collecting from every source each `collect_every_hours` (None if that is 0), its
    first run one period after it starts; it ends when `stop` is set."""
    hours = settings.collect_every_hours
    if not hours:
        return None

    def loop() -> None:
        while not stop.wait(hours * 3600):
            try:
                report = collect_sources(store, stored_sources(store), settings,
                                         say=lambda line: log.warning("collect: %s", line))
                log.warning("collect: %s", report.total)
                if lists := list_pages(settings.collect_hmicfrs):
                    found = collect_reports(store, lists, settings, say=lambda line: log.warning("collect: %s", line))
                    log.warning("collect: HMICFRS: %s", found)
            except Exception:  # noqa: BLE001 - a schedule outlives one bad run; the next one tries again
                log.error("collect: the scheduled run failed\n%s", traceback.format_exc())

    thread = threading.Thread(target=loop, name="scrutiny-collect-schedule", daemon=True)
    thread.start()
    return thread
