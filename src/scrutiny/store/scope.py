"""A report's scope, changed by an analyst: whose body must answer it (all forces, the named
ones, none; a duplicate of another report expects none of its own). Each change is kept with
who made it, when, why, and the scope before and after, like a correction; the latest holds
over the catalogue's, also when the catalogue is brought in step again (`reference.sync_report`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from .. import catalogue
from ..errors import InvalidValue, NotFound
from ..record.fields import check_author, text_problem
from ..record.vocabulary import Scope
from . import Store
from .reference import scope_value, set_scope
from .schema import Force, ReportForce, ScopeChange
from .schema import Report as ReportRow

MAX_REASON_CHARS = 2000


@dataclass(frozen=True)
class ScopeChangeRow:
    id: int
    report_id: str
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str
    author: str
    at: Any  # datetime


def _row(c: ScopeChange) -> ScopeChangeRow:
    return ScopeChangeRow(c.id, c.report_id, c.before, c.after, c.reason, c.author, c.at)


def _checked(applies: str, forces: list[str], duplicate_of: str | None, report_id: str,
             reports: set[str]) -> dict[str, Any]:
    if applies not in Scope:
        raise InvalidValue(f"scope: one of {', '.join(Scope)}")
    names = catalogue.force_names()
    unknown = [f for f in forces if f not in names]
    if unknown:
        raise InvalidValue(f"forces: {unknown[0]!r} is not one of the 43 forces of England and Wales")
    named = sorted({names[f] for f in forces})
    if (applies == Scope.NAMED_FORCES) != bool(named):
        raise InvalidValue("forces: name the forces for named-forces, and only then")
    if duplicate_of is not None:
        if applies != Scope.NONE:
            raise InvalidValue("duplicate_of: a duplicate's scope is none (the original's response answers it)")
        if duplicate_of == report_id or duplicate_of not in reports:
            raise InvalidValue(f"duplicate_of: {duplicate_of!r} is not another report in the catalogue")
    return {"scope": applies, "forces": named, "duplicate_of": duplicate_of}


def change_scope(store: Store, report_id: str, applies: str, forces: list[str], author: str, reason: str = "",
                 duplicate_of: str | None = None) -> ScopeChangeRow:
    """Change a report's scope (in one transaction, kept with its author); the statuses and
    figures follow at once. Raises NotFound for an unknown report, InvalidValue for a scope,
    force, original or author that cannot be accepted."""
    try:
        author = check_author(author)
    except ValueError as exc:
        raise InvalidValue(str(exc)) from None
    problem = text_problem(reason)
    if problem or len(reason) > MAX_REASON_CHARS:
        raise InvalidValue(f"reason: {problem or f'at most {MAX_REASON_CHARS} characters'}")
    with store.transaction() as s:
        row = s.get(ReportRow, report_id)
        if row is None:
            raise NotFound(f"no report with id {report_id!r}")
        after = _checked(applies, forces, duplicate_of or None, report_id, set(s.scalars(select(ReportRow.id))))
        named: list[str] = list(s.scalars(select(Force.name).join(ReportForce, ReportForce.force_id == Force.id)
                                          .where(ReportForce.report_id == report_id))) if row.scope == Scope.NAMED_FORCES else []
        before = scope_value(row, named)  # (all 43 are not listed)
        if before == after:
            raise InvalidValue("the report already has this scope")
        change = ScopeChange(report_id=report_id, before=before, after=after, reason=reason.strip(), author=author)
        s.add(change)
        set_scope(s, row, after)
        s.flush()
        return _row(change)


def scope_changes(store: Store, report_id: str) -> list[ScopeChangeRow]:
    """A report's scope changes, oldest first."""
    with store.session() as s:
        return [_row(c) for c in s.scalars(select(ScopeChange).where(ScopeChange.report_id == report_id)
                                           .order_by(ScopeChange.id))]


def expected_forces_of(store: Store, report_id: str) -> list[str]:
    """The forces a report expects to answer it, by name."""
    with store.session() as s:
        return list(s.scalars(select(Force.name).join(ReportForce, ReportForce.force_id == Force.id)
                              .where(ReportForce.report_id == report_id).order_by(Force.name)))
