"""The check log: each time a policing body's publications were looked at (issue 18's collector
writes it; the statuses read it). A response is "overdue" only where its body's sources were
checked, successfully, after its deadline and no statutory response was found; until then what
Scrutiny has not seen is "not collected" (store.query.status)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func
from sqlalchemy.orm import Session

from .schema import Force, SourceCheck


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
