"""New reports waiting for an analyst: found on HMICFRS's publication pages, not in the
catalogue, and in no figure until an analyst confirms one (it then becomes a user's report of
the catalogue) or rejects it. Each is kept by its page's address, decided or not, so a later
collection offers nothing twice and never brings back a rejected report; one published under
a second address (the same title and day) is the same report."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import Conflict, InvalidValue, NotFound
from ..record.fields import check_author, text_problem
from . import MAX_ID, Store
from .query import Page, paged
from .schema import now
from .schema_pending import PendingReport

PENDING, CONFIRMED, REJECTED = "pending", "confirmed", "rejected"
MAX_NOTE_CHARS = 2000


@dataclass(frozen=True)
class PendingRow:
    id: int
    url: str
    title: str
    published: dt.date | None
    forces: list[str]
    recommendations: int  # found on its page
    state: str
    found_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    report_id: str | None
    note: str


def _row(p: PendingReport) -> PendingRow:
    return PendingRow(p.id, p.url, p.title, p.published, list(p.forces), len(p.page.get("recommendations") or ()),
                      p.state, p.found_at, p.decided_by, p.decided_at, p.report_id, p.note)


def seen(store: Store, urls: Iterable[str]) -> set[str]:
    """Those of `urls` already offered (whatever became of them)."""
    wanted = set(urls)
    if not wanted:
        return set()
    with store.session() as s:
        return set(s.scalars(select(PendingReport.url).where(PendingReport.url.in_(wanted))))


def offer(store: Store, url: str, page: dict) -> PendingRow | None:
    """Add the report `page` describes (HMICFRS's reader's dict, its `title` given) as waiting
    for an analyst; None if this address, or a report of the same title and day, was offered before."""
    published = dt.date.fromisoformat(page["published"]) if page.get("published") else None
    with store.transaction() as s:
        if s.scalar(select(PendingReport.id).where(
                (PendingReport.url == url) | ((func.lower(PendingReport.title) == page["title"].lower())
                                              & (PendingReport.published == published)))) is not None:
            return None
        row = PendingReport(url=url, title=page["title"], published=published, forces=list(page.get("forces") or ()),
                            page=page, state=PENDING, found_at=now(), note="")
        s.add(row)
        s.flush()
        return _row(row)


def waiting(store: Store, *, page: int = 1, per_page: int = 50) -> Page[PendingRow]:
    """The reports waiting for an analyst, newest first."""
    with store.session() as s:
        total, rows = paged(s, select(PendingReport).where(PendingReport.state == PENDING)
                            .order_by(PendingReport.id.desc()), page, per_page)
        return Page([_row(r[0]) for r in rows], total, page, per_page)


def get(store: Store, pending_id: int) -> PendingRow:
    with store.session() as s:
        return _row(_found(s, pending_id))


def page_of(store: Store, pending_id: int) -> dict:
    """What the report's page said (HMICFRS's reader's dict), recommendations and all."""
    with store.session() as s:
        return dict(_found(s, pending_id).page)


def _found(s: Session, pending_id: int) -> PendingReport:
    row = s.get(PendingReport, pending_id) if 0 < pending_id <= MAX_ID else None
    if row is None:
        raise NotFound(f"no new report with id {pending_id}")
    return row


def checked_author(author: str) -> str:
    try:
        return check_author(author)
    except ValueError as exc:
        raise InvalidValue(str(exc)) from None


def checked_note(note: str) -> str:
    problem = text_problem(note)
    if problem or len(note) > MAX_NOTE_CHARS:
        raise InvalidValue(f"reason: {problem or f'at most {MAX_NOTE_CHARS} characters'}")
    return note.strip()


def decide(s: Session, pending_id: int, state: str, author: str, note: str = "",
           report_id: str | None = None) -> PendingRow:
    """Mark a waiting report confirmed (into `report_id`) or rejected, within the caller's
    transaction; one decided already is a Conflict saying by whom."""
    row = _found(s, pending_id)
    if row.state != PENDING:
        raise Conflict(f"new report {pending_id} was {row.state} by {row.decided_by} already")
    row.state, row.decided_by, row.decided_at, row.note, row.report_id = state, author, now(), note, report_id
    s.flush()
    return _row(row)


def reject(store: Store, pending_id: int, author: str, reason: str = "") -> PendingRow:
    """Reject a waiting report (kept, with who and why, so that it does not come back)."""
    author, reason = checked_author(author), checked_note(reason)
    with store.transaction() as s:
        return decide(s, pending_id, REJECTED, author, reason)
