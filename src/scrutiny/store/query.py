"""What every list query shares: a page of results, facet counts, and a response's status.

A response's status depends on the day it is asked (`today`) and on what is known: a report
not yet answered is "not yet due" until its deadline has passed, then "overdue" only where the
body's publications were checked after it (the check log), else "not collected".
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    String,
    and_,
    case,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from ..errors import InvalidValue
from ..record.compliance import legal_day
from ..record.vocabulary import Coverage, ResponseStatus
from .checks import checked_after
from .schema import Force, Report, ReportForce, Response

T = TypeVar("T")

MAX_PER_PAGE = 500


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Facet:
    name: str
    values: list[FacetValue] = field(default_factory=list)
    sample: int | None = None  # the counts are of a sample of the rows: one in every this many


def check_page(page: int, per_page: int) -> None:
    if page < 1:
        raise InvalidValue("page: 1 or more")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidValue(f"per_page: between 1 and {MAX_PER_PAGE}")


def paged(s: Session, query: Select, page: int, per_page: int, counted: Select | None = None) -> tuple[int, list]:
    """(total rows, the rows of one page) of an ordered query; `counted`, where given, has the
    same rows and is cheaper to count."""
    check_page(page, per_page)
    rows = (query if counted is None else counted).order_by(None).with_only_columns(literal(1)).subquery()
    total = s.scalar(select(func.count()).select_from(rows)) or 0
    return total, list(s.execute(query.limit(per_page).offset((page - 1) * per_page)).all())


def facet(s: Session, name: str, column: Any, query: Select, selected: object = None,
          labels: dict | None = None, limit: int = 50) -> Facet:
    """Counts of `column`'s values among the rows of `query` (a select whose FROM has the column)."""
    rows = s.execute(query.with_only_columns(column, func.count()).group_by(column)
                     .order_by(func.count().desc(), column).limit(limit)).all()
    values = []
    for value, count in rows:
        if value is None:
            continue
        shown = labels.get(value, str(value)) if labels else str(value)
        values.append(FacetValue(shown, count, selected is not None and str(selected) == shown))
    return Facet(name, values)


def facets_at_once(s: Session, query: Select, columns: dict[str, Any], chosen: dict[str, str | None],
                   limit: int = 50) -> list[Facet]:
    """Counts of each facet's values among the rows of `query`, in one statement.

    `query` applies every filter but the facets' own; `columns` are the facets as text (a
    name, an id, a year cast to text, "yes"/"no"); `chosen`, the values the facets are filtered
    to. Each facet's counts apply the other facets' choices, so a value's count is how many
    rows choosing it would show. The rows are found once and counted each way: a query per
    facet would filter, join and scan the documents once for each.
    """
    matched = query.with_only_columns(*(column.label(name) for name, column in columns.items())).cte("matched")
    return _facets(s.execute(union_all(*_counts(matched, list(columns), chosen))), list(columns), chosen, limit)


def counted_facets(query: Select, names: list[str], chosen: dict[str, Any],
                   only: dict[str, str] | None = None) -> CompoundSelect:
    """`facets_at_once`'s statement, counting too the rows with every choice: read by
    `read_counted_facets`.

    For a query whose rows are costly to find (a search: found once, then counted each way).
    `query` already has the facets' columns among its columns, labelled with their `names`;
    `chosen`, the values the facets are filtered to (or bound parameters for them), None for a
    facet not filtered; `only`, for a facet (or ROWS, the rows with every choice), the name of a
    true-or-false column of `query` that the rows it counts must have true (a sample)."""
    only = only or {}
    kept = [*names, *sorted(set(only.values()))]
    matched = query.with_only_columns(*(query.selected_columns[name] for name in kept)).cte("matched")
    if KEEPS_ROWS_WHEN_TOLD:
        matched = matched.prefix_with("MATERIALIZED", dialect="sqlite")
    every = [matched.c[name] == value for name, value in chosen.items() if value is not None]
    rows = (select(literal(None, String), literal(ROWS, String), func.count()).select_from(matched)
            .where(*every, *([matched.c[only[ROWS]]] if ROWS in only else [])))
    return union_all(*_counts(matched, names, chosen, {name: matched.c[column] for name, column in only.items()}),
                     rows)


ROWS = "rows with every choice"
# Unhinted, SQLite may find a CTE's rows again for each use of it (PostgreSQL keeps them once
# used twice); SQLite 3.35 and later take the hint to find them once and keep them.
KEEPS_ROWS_WHEN_TOLD = sqlite3.sqlite_version_info >= (3, 35)


def read_counted_facets(rows: Iterable, names: list[str], chosen: dict[str, str | None],
                        limit: int = 50) -> tuple[list[Facet], int]:
    """(the facets, how many rows with every choice they counted) from the rows of
    `counted_facets`'s statement."""
    counted, total = [], 0
    for facet_name, value, count in rows:
        if facet_name is None:
            total = count
        else:
            counted.append((facet_name, value, count))
    return _facets(counted, names, chosen, limit), total


def _counts(matched: Any, names: list[str], chosen: dict[str, str | None],
            only: dict[str, Any] | None = None) -> list[Select]:
    """For each facet, a select of (its name, a value, how many found rows have it, applying
    the other facets' choices, and its condition in `only`, if any)."""
    only = only or {}
    return [select(literal(name, String).label("facet"), matched.c[name].label("value"), func.count())
            .where(matched.c[name].is_not(None), *([only[name]] if name in only else []),
                   *(matched.c[other] == value for other, value in chosen.items() if other != name and value is not None))
            .group_by(matched.c[name])
            for name in names]


def _facets(rows: Iterable, names: list[str], chosen: dict[str, str | None], limit: int) -> list[Facet]:
    found: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
    for name, value, count in rows:
        found[name].append((value, count))
    return [Facet(name, [FacetValue(value, count, chosen.get(name) == value)
                         for value, count in sorted(found[name], key=lambda vc: (-vc[1], vc[0]))[:limit]])
            for name in names]


def yes_no(condition: Any) -> ColumnElement:
    """A true/false column as the text a facet shows."""
    return case((condition.is_(True), "yes"), (condition.is_(False), "no"))


def response_status(today: dt.date) -> ColumnElement:
    """The status of a force's response to a report (record.vocabulary.ResponseStatus), as SQL
    over a query with the report, the force and its response (outer-joined) among its tables:
    `expected_forces()`, or responses joined to their reports and forces.

    A found response whose date is unknown cannot be judged: "not yet due" while the period
    runs (it cannot be late yet), then "not collected", since what is missing is its date."""
    found = responded()
    return case(
        (and_(Report.published.is_not(None), Report.deadline.is_(None)), ResponseStatus.NO_DEADLINE.value),
        (and_(found, Response.on_time.is_(True)), ResponseStatus.ON_TIME.value),
        (and_(found, Response.on_time.is_(False)), ResponseStatus.LATE.value),
        (Report.deadline >= today, ResponseStatus.NOT_YET_DUE.value),
        (found, ResponseStatus.NOT_COLLECTED.value),
        (and_(Report.deadline.is_not(None), checked_after(Report.deadline)), ResponseStatus.OVERDUE.value),
        (Response.documents > 0, ResponseStatus.STATEMENT_ONLY.value),
        else_=ResponseStatus.NOT_COLLECTED.value,
    )


EARLIEST = dt.date(1990, 1, 1)  # before any report: a check of a report of unknown date counts from here


def coverage() -> ColumnElement:
    """What is known of a force and report (record.vocabulary.Coverage), as SQL over the same
    tables as `response_status`: checked means the body's sources were read on or after publication."""
    return case(
        (responded(), Coverage.FOUND.value),
        (Response.documents > 0, Coverage.STATEMENT_ONLY.value),
        (checked_after(func.coalesce(Report.published, EARLIEST), strictly=False), Coverage.CHECKED.value),
        else_=Coverage.NOT_COLLECTED.value,
    )


def days_left(deadline: dt.date | None, today: dt.date) -> int | None:
    """Days until the deadline (0 on the last day; negative once overdue)."""
    return (deadline - today).days if deadline else None


@dataclass(frozen=True)
class Standing:
    """Where one force stands with one report, as of `today`."""

    force: str
    region: str
    report_id: str
    report_title: str
    deadline: dt.date | None
    status: str
    days_left: int | None  # until the deadline; negative once it has passed
    response_id: int | None  # None: no document of the force's about the report is stored
    responded: dt.date | None
    days_taken: int | None

    @property
    def day(self) -> int | None:
        """The day of the 56-day period the response came on (`record.compliance.legal_day`)."""
        return legal_day(self.days_taken, self.deadline)


def today_or(today: dt.date | None) -> dt.date:
    """The day statuses are judged on: today, unless a test or a report names another."""
    return today or dt.date.today()


def responded() -> ColumnElement[bool]:
    return Response.statutory_document_id.is_not(None)


def expected_forces() -> Select:
    """One row per (report, force expected to respond), with the force's response if any."""
    return (select().select_from(ReportForce)
            .join(Report, Report.id == ReportForce.report_id)
            .join(Force, Force.id == ReportForce.force_id)
            .outerjoin(Response, and_(Response.report_id == ReportForce.report_id,
                                      Response.force_id == ReportForce.force_id)))


def standing_columns(today: dt.date) -> tuple:
    return (Force.name, Force.region, Report.id, Report.title, Report.deadline,
            response_status(today), Response.id, Response.responded,
            Response.days_taken)


def standing(row, today: dt.date) -> Standing:
    return Standing(force=row[0], region=row[1], report_id=row[2], report_title=row[3], deadline=row[4],
                    status=row[5], days_left=days_left(row[4], today), response_id=row[6], responded=row[7],
                    days_taken=row[8])
