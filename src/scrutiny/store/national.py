"""The national picture: every force and report at once, for the overview. Its figures come
from the same status and coverage SQL as a report's (`store.reports`), aggregated in one
statement over every expected pair, not a statement per report or force."""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, literal, select, union

from ..errors import InvalidValue
from ..record.vocabulary import ResponseStatus
from . import Store
from .query import Page, Standing, expected_forces, paged, response_status, standing, standing_columns, today_or
from .reports import (
    NO_FIGURES,
    Cell,
    Figures,
    RecommendationInfo,
    ResponseRow,
    answered_numbers,
    cells_of,
    recommendations_of,
    report_summary,
    response_columns,
    response_fields,
    tallies,
)
from .schema import Force, Report, ReportForce, Response


def national_figures(store: Store, *, today: dt.date | None = None) -> Figures:
    """Every pair of report and force expected to answer it, counted by status and by coverage."""
    with store.session() as s:
        return tallies(s, today_or(today), by_report=False).get(None) or NO_FIGURES


def by_report(store: Store, *, today: dt.date | None = None) -> tuple[Figures, dict[str | None, Figures]]:
    """Every pair counted by status and coverage, in all and by report, from one aggregate
    statement (the overview's: its totals, and which reports have responses overdue)."""
    with store.session() as s:
        each = tallies(s, today_or(today))
    total: dict[str, Any] = {}
    for figures in each.values():
        for name, value in vars(figures).items():
            if isinstance(value, dict):
                total[name] = {k: total.get(name, {}).get(k, 0) + v for k, v in value.items()}
            elif value is not None:
                total[name] = total.get(name, 0) + value
    return (dataclasses.replace(NO_FIGURES, **total) if total else NO_FIGURES), each


def pairs(store: Store, *, today: dt.date | None = None, report_id: str | None = None, force: str | None = None,
          status_is: str | None = None) -> list[ResponseRow]:
    """Every force each report expects to answer, with its response or none, and the stored
    responses outside a report's scope (`in_scope` False); by report then force. What `scrutiny
    check` and the report's CSV list: responders or not."""
    today = today_or(today)
    if status_is is not None and status_is not in ResponseStatus:
        raise InvalidValue(f"status: one of {', '.join(ResponseStatus)}")
    scoped = select(ReportForce.report_id.label("report_id"), ReportForce.force_id.label("force_id"))
    stored = select(Response.report_id.label("report_id"), Response.force_id.label("force_id"))
    if report_id:
        scoped, stored = scoped.where(ReportForce.report_id == report_id), stored.where(Response.report_id == report_id)
    both = union(scoped, stored).subquery("pairs")
    query = (select(*response_columns(today)).select_from(both)
             .join(Report, Report.id == both.c.report_id).join(Force, Force.id == both.c.force_id)
             .outerjoin(Response, and_(Response.report_id == both.c.report_id, Response.force_id == both.c.force_id))
             .order_by(Report.title, Force.name))
    if force:
        query = query.where(Force.name == force)
    if status_is:
        query = query.where(response_status(today) == status_is)
    with store.session() as s:
        rows = s.execute(query).all()
        numbers = answered_numbers(s, [r[0] for r in rows if r[0] is not None])
    return [ResponseRow(**response_fields(r, numbers.get(r[0], set()))) for r in rows]


@dataclass(frozen=True)
class PairTable:
    """A report's every pair (`pairs`), with each response's answers: its CSV and spreadsheet."""

    recommendations: list[RecommendationInfo]
    rows: list[ResponseRow]
    cells: dict[int, dict[int, Cell]]  # response id -> recommendation number -> its answer


def pair_table(store: Store, report_id: str, today: dt.date | None = None) -> PairTable:
    report_summary(store, report_id, today)  # NotFound for an unknown id
    rows = pairs(store, today=today, report_id=report_id)
    with store.session() as s:
        return PairTable(recommendations_of(s, report_id), rows,
                         cells_of(s, [r.response_id for r in rows if r.response_id is not None]))


@dataclass(frozen=True)
class ComplianceNow:
    """Where every expected force stands with every report, as of `today`."""

    today: dt.date
    counts: dict[str, int]  # status -> forces x reports, under the filters other than status
    standings: Page[Standing]


def compliance_now(store: Store, *, today: dt.date | None = None, report_id: str | None = None,
                   force: str | None = None, status_is: str | None = None, page: int = 1,
                   per_page: int = 50) -> ComplianceNow:
    """For each report, each expected force, its status (record.vocabulary.ResponseStatus), with
    the days left to its deadline. Most recent deadlines first."""
    today = today_or(today)
    if status_is is not None and status_is not in ResponseStatus:
        raise InvalidValue(f"status: one of {', '.join(ResponseStatus)}")
    st = response_status(today)
    conditions = ([Report.id == report_id] if report_id else []) + ([Force.name == force] if force else [])
    with store.session() as s:
        counts: dict[str, int] = dict(s.execute(expected_forces().where(*conditions).with_only_columns(st, func.count()).group_by(st)).all())
        query = (expected_forces().where(*conditions, *([st == status_is] if status_is else []))
                 .with_only_columns(*standing_columns(today))
                 .order_by(Report.deadline.is_(None), Report.deadline.desc(), Report.id, Force.name))
        total, rows = paged(s, query, page, per_page)
    return ComplianceNow(today, {name: counts.get(name, 0) for name in ResponseStatus},
                         Page([standing(r, today) for r in rows], total, page, per_page))


def forces_without_response(store: Store, report_ids: list[str]) -> dict[str, list[str]]:
    """For each report, the expected forces with no statutory document stored."""
    out: dict[str, list[str]] = {report_id: [] for report_id in report_ids}
    with store.session() as s:
        for report_id, name in s.execute(expected_forces().where(
                ReportForce.report_id.in_(report_ids), Response.statutory_document_id.is_(None))
                .with_only_columns(ReportForce.report_id, Force.name).order_by(Force.name)):
            out[report_id].append(name)
    return out


@dataclass(frozen=True)
class Overdue:
    """One report's responses overdue as of `today`: expected, not stored, deadline passed."""

    report_id: str
    report_title: str
    deadline: dt.date
    days_overdue: int
    forces: int
    some_forces: list[str]  # the first few, by name


def overdue_by_report(store: Store, *, today: dt.date | None = None, page: int = 1, per_page: int = 10,
                      names: int = 5, counted: dict[str | None, Figures] | None = None) -> Page[Overdue]:
    """Reports with responses overdue now, most recently due first, each with how many forces
    and the first `names` of them. `counted`, where given, is every report's figures (`by_report`):
    then which reports have any overdue is read from it, not counted again."""
    today = today_or(today)
    overdue = response_status(today) == "overdue"
    forces = func.count().label("forces")
    query = (expected_forces().where(overdue).with_only_columns(Report.id, Report.title, Report.deadline, forces)
             .group_by(Report.id, Report.title, Report.deadline).order_by(Report.deadline.desc(), Report.id))
    if counted is not None:
        late = {report_id: f.overdue for report_id, f in counted.items() if f.overdue}
        query = (select(Report.id, Report.title, Report.deadline, literal(0)).where(Report.id.in_(late))
                 .order_by(Report.deadline.desc(), Report.id))
    with store.session() as s:
        total, rows = paged(s, query, page, per_page)
        if counted is not None:
            rows = [(r[0], r[1], r[2], late[r[0]]) for r in rows]
        listed: dict[str, list[str]] = {}
        for report_id, name in s.execute(expected_forces().where(overdue, Report.id.in_([r[0] for r in rows]))
                                         .with_only_columns(Report.id, Force.name).order_by(Force.name)):
            if len(listed.setdefault(report_id, [])) < names:
                listed[report_id].append(name)
    return Page([Overdue(r[0], r[1], r[2], (today - r[2]).days, r[3], listed.get(r[0], [])) for r in rows],
                total, page, per_page)
