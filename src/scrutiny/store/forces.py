"""Forces: the index with each force's record, and one force's page: its responses across
every report, days taken, completeness, and who held its offices over time."""
from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from ..errors import InvalidValue, NotFound
from ..record.vocabulary import ResponseStatus
from . import Store
from .query import (
    Facet,
    Page,
    Standing,
    expected_forces,
    facet,
    paged,
    responded,
    response_status,
    standing,
    standing_columns,
    today_or,
)
from .schema import Force, OfficeHolder, Report, Response


@dataclass(frozen=True)
class ForceSummary:
    id: int
    name: str
    region: str
    nation: str
    body: str
    counts: dict[str, int]  # status -> reports, as of `today`


@dataclass(frozen=True)
class Holder:
    office: str
    name: str
    started: str | None  # YYYY-MM-DD, or YYYY where only the year is known
    ended: str | None
    source: str


@dataclass(frozen=True)
class ForcePage:
    force: ForceSummary
    office_holders: list[Holder]
    standings: Page[Standing]  # one per report the force is expected to answer, most recent deadline first
    median_days: float | None
    complete: int  # responses answering every recommendation to forces
    incomplete: int


def forces_index(store: Store, *, today: dt.date | None = None, region: str | None = None) -> list[ForceSummary]:
    """The 43 forces, each with how many reports it answered on time, late, or not at all."""
    today = today_or(today)
    st = response_status(today)
    query = expected_forces().with_only_columns(
        Force.id, Force.name, Force.region, Force.nation, Force.body,
        *(func.sum(case((st == name, 1), else_=0)) for name in ResponseStatus),
    ).group_by(Force.id, Force.name, Force.region, Force.nation, Force.body).order_by(Force.name)
    if region:
        query = query.where(Force.region == region)
    with store.session() as s:
        rows = s.execute(query).all()
    return [ForceSummary(r[0], r[1], r[2], r[3], r[4], {n: c or 0 for n, c in zip(ResponseStatus, r[5:])}) for r in rows]


def force_page(store: Store, name: str, *, today: dt.date | None = None, status_is: str | None = None,
               page: int = 1, per_page: int = 50) -> ForcePage:
    """One force (by name or id): its standing with every report, and its office holders."""
    today = today_or(today)
    if status_is is not None and status_is not in ResponseStatus:
        raise InvalidValue(f"status: one of {', '.join(ResponseStatus)}")
    st = response_status(today)
    with store.session() as s:
        force = s.scalar(select(Force).where(Force.id == int(name) if name.isdigit() else Force.name == name))
        if force is None:
            raise NotFound(f"no force named {name!r}")
        mine = Force.id == force.id
        counts: dict[str, int] = dict(s.execute(expected_forces().where(mine).with_only_columns(st, func.count()).group_by(st)).all())
        query = (expected_forces().where(mine, *([st == status_is] if status_is else []))
                 .with_only_columns(*standing_columns(today)).order_by(Report.deadline.is_(None), Report.deadline.desc(), Report.id))
        total, rows = paged(s, query, page, per_page)
        days = [d for d in s.scalars(select(Response.days_taken).where(
            Response.force_id == force.id, responded(), Response.days_taken.is_not(None))) if d is not None]
        complete = dict(s.execute(select(Response.complete, func.count()).where(
            and_(Response.force_id == force.id, responded())).group_by(Response.complete)).all())
        holders = [Holder(h.office, h.name, h.started, h.ended, h.source) for h in s.scalars(
            select(OfficeHolder).where(OfficeHolder.force_id == force.id)
            .order_by(OfficeHolder.started, OfficeHolder.office))]
        summary = ForceSummary(force.id, force.name, force.region, force.nation, force.body,
                               {n: counts.get(n, 0) for n in ResponseStatus})
    return ForcePage(summary, holders, Page([standing(r, today) for r in rows], total, page, per_page),
                     statistics.median(days) if days else None,
                     complete.get(True, 0), complete.get(False, 0))


def regions(store: Store, selected: str | None = None) -> Facet:
    """How many forces each region has: the forces index's one facet."""
    with store.session() as s:
        return facet(s, "region", Force.region, select().select_from(Force), selected)
