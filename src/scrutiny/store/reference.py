"""Reference data as tables: the 43 forces, their policing bodies and who held their offices, the catalogue's
reports and their recommendations, and the forces each report expects a response from.

The packaged catalogue changes with releases and users add reports, so the tables are
brought in step when the store opens (only when the packaged data changed: a fingerprint
is kept in `meta`) and when a user adds a report.
"""
from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from .. import catalogue
from ..catalogue import Report, policing
from ..record.compliance import deadline
from ..record.vocabulary import Scope
from .schema import Answer, Force, OfficeHolder, PolicingBody, Recommendation, ReportForce, ScopeChange, Source
from .schema import Report as ReportRow


def fingerprint() -> str:
    """Changes whenever the packaged forces or reports do."""
    packaged = (catalogue.forces(), catalogue.bundled_reports(), catalogue.office_holders(), policing.bodies(),
                policing.body_sites())
    return hashlib.sha256(repr(packaged).encode()).hexdigest()


def sync_forces(s: Session) -> dict[str, int]:
    """Insert or update the forces (ids are kept); returns name -> id."""
    rows = {f.name: f for f in s.scalars(select(Force))}
    for force in catalogue.forces():
        row = rows.get(force.name) or Force(name=force.name)
        row.nation, row.body, row.region, row.aliases = force.nation, force.body, force.region, "|".join(force.aliases)
        s.add(row)
    s.flush()
    return {name: id_ for id_, name in s.execute(select(Force.id, Force.name))}


def sync_office_holders(s: Session, force_ids: dict[str, int]) -> None:
    s.execute(delete(OfficeHolder))
    s.execute(insert(OfficeHolder), [
        {"force_id": force_ids[h.force], "office": h.role, "name": h.name, "started": h.start, "ended": h.end,
         "source": h.source} for h in catalogue.office_holders() if h.force in force_ids])
    s.execute(delete(PolicingBody))
    s.execute(insert(PolicingBody), [
        {"force_id": force_ids[b.force], "name": b.name, "role": b.role, "started": b.start, "ended": b.end,
         "source": b.source} for b in policing.bodies() if b.force in force_ids])


def force_ids(s: Session) -> dict[str, int]:
    return {name: id_ for id_, name in s.execute(select(Force.id, Force.name))}


def sync_bundled(s: Session, force_ids: dict[str, int]) -> None:
    """The bundled sources as the packaged reference has them: rows kept (their check log with
    them), notes brought up to date, those no longer bundled removed; users' sources left alone."""
    held = {(r.force_id, r.url): r for r in s.scalars(select(Source))}
    wanted = {(force_ids[site.force], site.url): site for site in policing.body_sites() if site.force in force_ids}
    for key, row in held.items():
        if row.origin == "bundled" and key not in wanted:
            s.delete(row)
    for key, site in wanted.items():
        kept = held.get(key)
        if kept is None:
            s.add(Source(force_id=key[0], url=site.url, origin="bundled", note=site.note, added_by="reference"))
        elif kept.origin == "bundled":
            kept.note = site.note


def sync_report(s: Session, report: Report, origin: str, source: str | None = None) -> None:
    """Write one report, its recommendations and the forces it expects to answer.

    Recommendation rows keep their ids ("<report>#<number>"); one the report no longer
    has is removed, and answers that pointed at it keep their number but lose the link.
    """
    row = s.get(ReportRow, report.id)
    if row is None:
        row = ReportRow(id=report.id, origin=origin, source=source or "")
        s.add(row)
    elif source is not None:
        row.origin, row.source = origin, source
    row.title, row.publisher, row.published = report.title, report.publisher, report.published
    row.kind, row.sources = report.kind, "\n".join(report.sources)
    row.year = report.published.year if report.published else None
    row.deadline = deadline(report.published)
    scope = catalogue.scope_of(report)
    row.scope_confidence, row.scope_note = scope.confidence, scope.note
    row.scope_sources = "\n".join(scope.sources)
    kept = set()
    position = 0  # among the recommendations to forces: the contract's numbering
    for i, rec in enumerate(report.recommendations, 1):
        rec_id = f"{report.id}#{rec.number or i}"  # a report numbers all its recommendations, or none
        kept.add(rec_id)
        rec_row = s.get(Recommendation, rec_id) or Recommendation(id=rec_id, report_id=report.id)
        position += rec.applies_to_forces
        rec_row.number, rec_row.wording = rec.number, rec.wording
        rec_row.position = position if rec.applies_to_forces else None
        rec_row.addressees, rec_row.due = "; ".join(rec.addressees), rec.due
        s.add(rec_row)
    stale = [r for r in s.scalars(select(Recommendation.id).where(Recommendation.report_id == report.id))
             if r not in kept]
    if stale:
        s.execute(update(Answer).where(Answer.recommendation_id.in_(stale)).values(recommendation_id=None))
        s.execute(delete(Recommendation).where(Recommendation.id.in_(stale)))
    changed = s.scalar(select(ScopeChange.after).where(ScopeChange.report_id == report.id)
                       .order_by(ScopeChange.id.desc()).limit(1))
    set_scope(s, row, changed or {"scope": scope.applies, "forces": list(report.forces),
                                  "duplicate_of": scope.duplicate_of})


def scope_value(row: ReportRow, forces: list[str]) -> dict[str, Any]:
    """A report's scope as a scope change keeps it (before and after)."""
    return {"scope": row.scope, "forces": sorted(forces), "duplicate_of": row.duplicate_of}


def set_scope(s: Session, row: ReportRow, value: dict[str, Any]) -> None:
    """Set a report's scope (a `scope_value`) and the forces expected to answer it: all 43, the
    named ones, or none (a duplicate expects none: the original's response answers it)."""
    row.scope, row.duplicate_of = value["scope"], value.get("duplicate_of")
    s.execute(delete(ReportForce).where(ReportForce.report_id == row.id))
    s.flush()
    ids = force_ids(s)
    covered = {Scope.ALL_FORCES: list(ids.values()), Scope.NONE: [],
               Scope.NAMED_FORCES: [ids[name] for name in value["forces"] if name in ids]}[Scope(row.scope)]
    if covered:
        s.execute(insert(ReportForce), [{"report_id": row.id, "force_id": f} for f in covered])


def sync_catalogue(s: Session, users_reports: tuple[Report, ...]) -> None:
    """Bring the forces, their bundled sources and every report (packaged, and users' over
    them) into the tables."""
    ids = sync_forces(s)
    sync_office_holders(s, ids)
    sync_bundled(s, ids)
    users = {r.id for r in users_reports}
    for report in catalogue.bundled_reports():
        if report.id not in users:
            sync_report(s, report, "catalogue")
    for report in users_reports:
        sync_report(s, report, "user")
