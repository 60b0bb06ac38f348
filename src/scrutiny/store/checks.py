"""The check log: each time a policing body's publications were looked at (issue 18's collector
writes it; the statuses read it). A response is "overdue" only where its body's sources were
checked, successfully, after its deadline and no statutory response was found; until then what
Scrutiny has not seen is "not collected" (store.query.status). The force page shows the log in
short (`of_force`)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session

from .schema import Force, SourceCheck

if TYPE_CHECKING:
    from . import Store


def record_check(s: Session, force_id: int, url: str, started_at: dt.datetime, finished_at: dt.datetime | None,
                 ok: bool, found: int = 0, skipped: int = 0, failed: int = 0, note: str = "",
                 source_id: int | None = None) -> int:
    """Keep one look at one source, in the caller's transaction (`Store.transaction()`); its id.
    `ok`: the source page itself was read; `finished_at` None: the check did not finish."""
    check = SourceCheck(source_id=source_id, force_id=force_id, url=url, started_at=started_at,
                        finished_at=finished_at, ok=ok, found=found, skipped=skipped, failed=failed, note=note)
    s.add(check)
    s.flush()
    return check.id


def checked_after(day: Any, force_id: Any = Force.id, strictly: bool = True) -> ColumnElement[bool]:
    """SQL: the force's sources were read (a finished, ok check) after `day` (a date column), or
    on it where not `strictly`. Compared as days: a check's day is that of its finishing time."""
    finished = func.date(SourceCheck.finished_at)
    return exists().where(SourceCheck.force_id == force_id, SourceCheck.ok.is_(True),
                          SourceCheck.finished_at.is_not(None),
                          and_(finished > day) if strictly else and_(finished >= day))


@dataclass(frozen=True)
class CheckEntry:
    url: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    ok: bool
    found: int
    skipped: int
    failed: int
    note: str


@dataclass(frozen=True)
class CheckLog:
    """A force's check log in short: how often its sources were read, between which days, what
    was found, and the latest entries."""

    checks: int  # looks that read their source page (ok)
    failed_checks: int  # looks whose source page could not be read
    first: dt.datetime | None
    last: dt.datetime | None
    found: int  # responses found, over every look (the same one found twice counts twice)
    recent: list[CheckEntry]

    @property
    def summary(self) -> str:
        """'checked 3 times between 1 March 2026 and 7 December 2026, nothing found'."""
        if not self.checks:
            return "never checked" + (f" ({self.failed_checks} attempts failed)" if self.failed_checks else "")
        assert self.first is not None and self.last is not None
        times = "once" if self.checks == 1 else "twice" if self.checks == 2 else f"{self.checks} times"
        when = (f"on {_day(self.last)}" if self.first.date() == self.last.date()
                else f"between {_day(self.first)} and {_day(self.last)}")
        found = "nothing found" if not self.found else f"{self.found} response{'s' * (self.found != 1)} found"
        return f"checked {times} {when}, {found}"


def _day(moment: dt.datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


def of_force(store: Store, force_id: int, recent: int = 10) -> CheckLog:
    """The force's check log, its `recent` latest looks listed."""
    with store.session() as s:
        return check_log(s, force_id, recent)


def check_log(session: Session, force_id: int, recent: int = 10) -> CheckLog:
    """The force's check log (finished looks only: one under way, or killed, is no evidence)."""
    mine = (SourceCheck.force_id == force_id, SourceCheck.finished_at.is_not(None))
    totals = {ok: (n, first, last, found) for ok, n, first, last, found in session.execute(
        select(SourceCheck.ok, func.count(), func.min(SourceCheck.finished_at), func.max(SourceCheck.finished_at),
               func.sum(SourceCheck.found)).where(*mine).group_by(SourceCheck.ok))}
    n, first, last, found = totals.get(True, (0, None, None, 0))
    rows = session.scalars(select(SourceCheck).where(*mine)
                           .order_by(SourceCheck.finished_at.desc(), SourceCheck.id.desc()).limit(recent))
    return CheckLog(n, totals.get(False, (0,))[0], _aware(first), _aware(last), int(found or 0),
                    [CheckEntry(r.url, r.started_at.replace(tzinfo=dt.UTC), _aware(r.finished_at), r.ok, r.found,
                                r.skipped, r.failed, r.note) for r in rows])


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back a time without its zone; every time stored is UTC."""
    return moment.astimezone(dt.UTC) if moment is not None and moment.tzinfo else (
        moment.replace(tzinfo=dt.UTC) if moment is not None else None)
