"""HMICFRS's recommendation register as kept here: per report, force and recommendation, the
register's latest status and its dated history; and the log of users' changes to reports.

A status is kept against the recommendation's wording (its words' fingerprint), not its
number: numbers move when a report gains a recommendation, wordings do not. Reading a
report's statuses back finds each one's recommendation by that fingerprint, else by a wording
near enough (the catalogue's copy of a recommendation may differ from the register's by a word).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import catalogue
from ..record import wording
from . import reference
from .schema import Force, Recommendation, RegisterStatus, ReportChange
from .schema import Report as ReportRow


@dataclass(frozen=True)
class Status:
    """One recommendation's status in the register for one force."""

    report_id: str
    force: str
    wording: str
    status: str | None
    status_on: dt.date | None
    history: list[dict] = field(default_factory=list)
    record: str | None = None
    source: str = ""
    number: int | None = None  # the recommendation's number among those to forces (the contract's), if found
    recommendation_id: str | None = None


def keep_statuses(s: Session, statuses: Sequence[Status], author: str) -> int:
    """Keep each status (and its history); how many changed."""
    ids = reference.force_ids(s)
    return sum(_keep(s, ids[status.force], status, author) for status in statuses if status.force in ids)


def _keep(s: Session, force_id: int, status: Status, author: str) -> bool:
    report_id = status.report_id
    fingerprint = wording.key(status.wording)
    row = s.scalar(select(RegisterStatus).where(RegisterStatus.report_id == report_id,
                                                RegisterStatus.force_id == force_id,
                                                RegisterStatus.wording_key == fingerprint))
    values = {"wording": status.wording, "record": status.record, "status": status.status,
              "status_on": status.status_on, "history": status.history}
    if row is not None and all(getattr(row, k) == v for k, v in values.items()):
        return False
    if row is None:
        row = RegisterStatus(report_id=report_id, force_id=force_id, wording_key=fingerprint)
        s.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    row.source, row.kept_by = status.source, author
    return True


def register_status(s: Session, report_id: str, force_id: int | None = None) -> list[Status]:
    """The register's statuses for a report's recommendations (for one force, or every force),
    each with the number of the recommendation it is for, where the catalogue has it."""
    query = (select(RegisterStatus, Force.name).join(Force, Force.id == RegisterStatus.force_id)
             .where(RegisterStatus.report_id == report_id).order_by(Force.name, RegisterStatus.id))
    if force_id is not None:
        query = query.where(RegisterStatus.force_id == force_id)
    recommendations = s.execute(select(Recommendation.id, Recommendation.position, Recommendation.wording)
                                .where(Recommendation.report_id == report_id)).all()
    by_key = {wording.key(w): (id_, position) for id_, position, w in recommendations if w}
    out = []
    for row, force in s.execute(query):
        found = by_key.get(row.wording_key) or next(
            ((id_, position) for id_, position, w in recommendations if wording.similar(w, row.wording)), None)
        out.append(Status(report_id, force, row.wording, row.status, row.status_on, list(row.history), row.record, row.source,
                          found[1] if found else None, found[0] if found else None))
    return out


def log_change(s: Session, report_id: str, author: str, change: str, after: str) -> None:
    """Log a user's change to a report: as it was (a user's own, or the packaged one), and as it is."""
    before = s.scalar(select(ReportRow.source).where(ReportRow.id == report_id))
    if not before:
        before = next((catalogue.dump_report(r) for r in catalogue.bundled_reports() if r.id == report_id), None)
    s.add(ReportChange(report_id=report_id, author=author, change=change, before=before, after=after))


def changes(s: Session, report_id: str) -> list[ReportChange]:
    return list(s.scalars(select(ReportChange).where(ReportChange.report_id == report_id).order_by(ReportChange.id)))
