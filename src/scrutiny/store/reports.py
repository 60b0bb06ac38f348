"""Reports: the index with each report's figures, compliance now, and a report's matrix.

Every figure comes from one query shape (report_forces left-joined to responses), so the
overview, the matrix and `scrutiny check` give the same answer to "who was late?".
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import Session

from ..errors import InvalidValue, NotFound
from ..record.compliance import legal_day
from ..record.vocabulary import Coverage, ResponseStatus, Scope
from . import Store
from .query import (
    Facet,
    Page,
    Standing,
    coverage,
    days_left,
    expected_forces,
    facet,
    paged,
    responded,
    response_status,
    standing,
    standing_columns,
    today_or,
)
from .schema import (
    Answer,
    Document,
    Force,
    Recommendation,
    Report,
    ReportForce,
    Response,
)


@dataclass(frozen=True)
class Figures:
    """One report's responses as of `today`. `expected` forces = the sum of the statuses' counts
    (on_time ... not_collected), and of `coverage`'s; `responded` = those with a statutory
    document; the rates are over the responses that can be judged."""

    expected: int
    responded: int
    on_time: int
    late: int
    overdue: int
    not_yet_due: int
    statement_only: int
    no_deadline: int
    not_collected: int
    complete: int
    incomplete: int
    median_days: float | None
    coverage: dict[str, int] = field(default_factory=dict)  # record.vocabulary.Coverage -> forces

    @property
    def on_time_rate(self) -> float | None:
        judged = self.on_time + self.late
        return self.on_time / judged if judged else None

    @property
    def complete_rate(self) -> float | None:
        judged = self.complete + self.incomplete
        return self.complete / judged if judged else None


@dataclass(frozen=True)
class RecommendationInfo:
    number: int  # the contract's number among those to forces
    report_number: int
    wording: str | None
    due: dt.date | None


@dataclass(frozen=True)
class ScopeInfo:
    """Whose body must answer the report, and on what authority (the catalogue's, or an analyst's change)."""

    applies: str  # record.vocabulary.Scope
    confidence: str | None
    sources: tuple[str, ...]
    note: str | None
    duplicate_of: str | None


@dataclass(frozen=True)
class ReportSummary:
    id: str
    title: str
    publisher: str
    published: dt.date | None
    deadline: dt.date | None
    days_left: int | None  # until the deadline, as of `today`; negative once passed
    origin: str
    recommendations: int  # to forces
    figures: Figures
    scope: ScopeInfo


@dataclass(frozen=True)
class DocumentRef:
    id: int
    kind: str
    filename: str
    date: dt.date | None
    statutory: bool


@dataclass(frozen=True)
class Cell:
    number: int
    state: str  # the stance, or "not addressed"
    status: str | None
    document_id: int | None  # the document whose words answer it
    origin: str


@dataclass(frozen=True)
class ResponseRow:
    """One response, as `scrutiny check` and the exports list it: a stored response, or a force
    expected to answer whose response is not stored (`response_id` None)."""

    response_id: int | None
    report_id: str
    report_title: str
    force: str
    region: str
    status: str
    statutory_document_id: int | None
    responded: dt.date | None
    date_basis: str | None
    deadline: dt.date | None
    days_taken: int | None
    on_time: bool | None
    addressed: int | None
    expected: int | None
    complete: bool | None
    documents: int
    chosen_by: str | None  # the analyst who chose its statutory document (None: the earliest letter or page)
    in_scope: bool  # the report expects this force's response (a response outside its scope is still listed)
    missing: tuple[int, ...]  # recommendations to forces that none of its documents answers

    @property
    def day(self) -> int | None:
        """The day of the 56-day period it came on (`record.compliance.legal_day`)."""
        return legal_day(self.days_taken, self.deadline)


@dataclass(frozen=True)
class MatrixRow(ResponseRow):
    cells: list[Cell]
    attached: list[DocumentRef]  # every document of the response, the one it is judged on marked


@dataclass(frozen=True)
class Matrix:
    report: ReportSummary
    recommendations: list[RecommendationInfo]
    rows: Page[MatrixRow]
    not_responded: list[Standing]  # forces with no statutory document, whatever the filters
    facets: list[Facet] = field(default_factory=list)


def column_name(word: str) -> str:
    """A status or coverage word as a column's name: "not yet due" -> not_yet_due."""
    return word.replace(" ", "_").replace(",", "")


def _count(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def tallies(s: Session, today: dt.date, report_ids: list[str] | None = None,
            by_report: bool = True) -> dict[str | None, Figures]:
    """The counts behind `Figures` for each report (all, or those in `report_ids`), or for every
    pair at once (`by_report` False: under the key None), in one statement: the pairs are
    grouped by status and coverage, each computed once a pair, and the groups added up here
    (counting each status in its own column would compute it once a column)."""
    st, cov, found = response_status(today), coverage(), responded()
    key = ReportForce.report_id if by_report else literal(None, String)
    query = expected_forces().with_only_columns(
        key, st, cov, func.count(), _count(found), _count(and_(found, Response.complete.is_(True))),
        _count(and_(found, Response.complete.is_(False)))).group_by(*([key] if by_report else []), st, cov)
    if report_ids is not None:
        query = query.where(ReportForce.report_id.in_(report_ids))
    sums: dict[str | None, dict[str, Any]] = {}
    for report_id, status, covered, n, found_n, complete, incomplete in s.execute(query):
        into = sums.setdefault(report_id, {"expected": 0, "responded": 0, "complete": 0, "incomplete": 0,
                                           **{column_name(w): 0 for w in ResponseStatus},
                                           "coverage": {w.value: 0 for w in Coverage}})
        into["expected"] += n
        into["responded"] += found_n or 0
        into["complete"] += complete or 0
        into["incomplete"] += incomplete or 0
        into[column_name(status)] += n
        into["coverage"][covered] += n
    return {report_id: Figures(**values, median_days=None) for report_id, values in sums.items()}


def _aggregate(today: dt.date, overdue: bool):
    """Per report: how many pairs have responded and (where `overdue`) how many are overdue, as a
    subquery: what the index filters and sorts by (a status costs more to find than a response)."""
    counted = _count(response_status(today) == ResponseStatus.OVERDUE.value) if overdue else literal(0)
    return expected_forces().with_only_columns(
        ReportForce.report_id.label("report_id"), _count(responded()).label("responded"), counted.label("overdue"),
    ).group_by(ReportForce.report_id).subquery()


def catalogued() -> ColumnElement[bool]:
    """SQL: the report is in the catalogue. One no force is expected to answer is not (a user's
    report stored when the checks were looser, and failing them now), unless its scope says so."""
    return or_(exists().where(ReportForce.report_id == Report.id), Report.scope == Scope.NONE.value)


def _medians(s: Session, report_ids: list[str]) -> dict[str, float]:
    days: dict[str, list[int]] = {}
    for report_id, taken in s.execute(select(Response.report_id, Response.days_taken).where(
            Response.report_id.in_(report_ids), responded(), Response.days_taken.is_not(None))):
        days.setdefault(report_id, []).append(taken)  # type: ignore[arg-type]  # not null, as selected
    return {report_id: statistics.median(values) for report_id, values in days.items()}


NO_FIGURES = Figures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, None, {word.value: 0 for word in Coverage})


def _summaries(s: Session, report_ids: list[str], today: dt.date) -> list[ReportSummary]:
    """ReportSummary for each of these reports that the catalogue has (a report that expects no
    one has figures of nothing)."""
    found = tallies(s, today, report_ids)
    rows = s.execute(select(Report).where(Report.id.in_(report_ids), catalogued())).all()
    ids = [r[0].id for r in rows]
    medians = _medians(s, ids)
    to_forces = dict(s.execute(select(Recommendation.report_id, func.count()).where(
        Recommendation.report_id.in_(ids), Recommendation.position.is_not(None)).group_by(Recommendation.report_id)).all())
    return [ReportSummary(
        id=report.id, title=report.title, publisher=report.publisher, published=report.published,
        deadline=report.deadline, days_left=days_left(report.deadline, today), origin=report.origin,
        recommendations=to_forces.get(report.id, 0),
        figures=dataclasses.replace(found.get(report.id, NO_FIGURES), median_days=medians.get(report.id)),
        scope=ScopeInfo(report.scope, report.scope_confidence,
                        tuple(u for u in report.scope_sources.splitlines() if u), report.scope_note,
                        report.duplicate_of),
    ) for r in rows for report in [r[0]]]


@dataclass(frozen=True)
class ReportsIndex:
    reports: Page[ReportSummary]
    facets: list[Facet]


REPORT_SORTS = ("published", "title", "deadline", "overdue", "responses")


def reports_index(store: Store, *, today: dt.date | None = None, q: str | None = None, year: int | None = None,
                  origin: str | None = None, responded: bool | None = None, sort: str = "published",
                  page: int = 1, per_page: int = 50) -> ReportsIndex:
    """Every report with its figures as of `today`, filtered, sorted and paged in SQL.

    `q`: words in the title; `responded`: True for reports with a response stored, False
    for those with none. Facets: year, origin.
    """
    today = today_or(today)
    if sort not in REPORT_SORTS:
        raise InvalidValue(f"sort: one of {', '.join(REPORT_SORTS)}")
    # The counts are computed for every report only where they sort the index; whether any force
    # in scope responded is looked up by index.
    needs_counts = sort in ("overdue", "responses")
    agg = _aggregate(today, overdue=sort == "overdue")
    answered = exists().where(Response.report_id == Report.id, Response.statutory_document_id.is_not(None),
                              exists().where(ReportForce.report_id == Response.report_id,
                                             ReportForce.force_id == Response.force_id))
    filters = {
        "q": [func.lower(Report.title).contains(w) for w in (q or "").lower().split()],
        "year": [Report.year == year] if year is not None else [],
        "origin": [Report.origin == origin] if origin else [],
        "responded": [] if responded is None else [answered if responded else ~answered],
    }
    base = select().select_from(Report).where(catalogued())
    if needs_counts:
        base = base.outerjoin(agg, agg.c.report_id == Report.id)

    def where(query: Select, *skip: str) -> Select:
        return query.where(*(c for name, conds in filters.items() if name not in skip for c in conds))

    order = {
        "published": (Report.published.is_(None), Report.published.desc(), Report.id),
        "title": (Report.title, Report.id),
        "deadline": (Report.deadline.is_(None), Report.deadline.desc(), Report.id),
        "overdue": (func.coalesce(agg.c.overdue, 0).desc(), Report.published.is_(None), Report.published.desc(), Report.id),
        "responses": (func.coalesce(agg.c.responded, 0).desc(), Report.published.is_(None), Report.published.desc(), Report.id),
    }[sort]
    with store.session() as s:
        total, rows = paged(s, where(base.add_columns(Report.id)).order_by(*order), page, per_page)
        ids = [r[0] for r in rows]
        by_id = {r.id: r for r in _summaries(s, ids, today)}
        facets = [facet(s, "year", Report.year, where(base, "year"), year),
                  facet(s, "origin", Report.origin, where(base, "origin"), origin)]
    return ReportsIndex(Page([by_id[i] for i in ids], total, page, per_page), facets)


def report_summary(store: Store, report_id: str, today: dt.date | None = None) -> ReportSummary:
    today = today_or(today)
    with store.session() as s:
        found = _summaries(s, [report_id], today)
    if not found:
        raise NotFound(f"no report with id {report_id!r}")
    return found[0]


MATRIX_SORTS = ("force", "region", "days", "date", "status")


def report_matrix(store: Store, report_id: str, *, today: dt.date | None = None, force: str | None = None,
                  region: str | None = None, status_is: str | None = None, on_time: bool | None = None,
                  complete: bool | None = None, sort: str = "force", page: int = 1,
                  per_page: int = 100) -> Matrix:
    """One report: a row per response (force), its cells per recommendation and every one of
    its documents; the forces that have not responded; facets: status, region."""
    today = today_or(today)
    if sort not in MATRIX_SORTS:
        raise InvalidValue(f"sort: one of {', '.join(MATRIX_SORTS)}")
    if status_is is not None and status_is not in ResponseStatus:
        raise InvalidValue(f"status: one of {', '.join(ResponseStatus)}")
    summary = report_summary(store, report_id, today)
    st = response_status(today)
    filters: dict[str, list[Any]] = {
        "force": [func.lower(Force.name).contains(force.lower())] if force else [],
        "region": [Force.region == region] if region else [],
        "status": [st == status_is] if status_is else [],
        "on_time": [Response.on_time.is_(on_time)] if on_time is not None else [],
        "complete": [Response.complete.is_(complete)] if complete is not None else [],
    }
    base = (select().select_from(Response).join(Force, Force.id == Response.force_id)
            .join(Report, Report.id == Response.report_id).where(Response.report_id == report_id))

    def where(query: Select, *skip: str) -> Select:
        return query.where(*(c for name, conds in filters.items() if name not in skip for c in conds))

    order: tuple[Any, ...] = {
        "force": (Force.name,),
        "region": (Force.region, Force.name),
        "days": (Response.days_taken.is_(None), Response.days_taken, Force.name),
        "date": (Response.responded.is_(None), Response.responded, Force.name),
        "status": (st, Force.name),
    }[sort]
    with store.session() as s:
        recommendations = recommendations_of(s, report_id)
        total, rows = paged(s, where(base.with_only_columns(*response_columns(today))).order_by(*order), page, per_page)
        ids = [r[0] for r in rows]
        answers = cells_of(s, ids)
        documents: dict[int | None, list[DocumentRef]] = {}
        statutory = {r[0]: r[6] for r in rows}
        for d in s.execute(select(Document.response_id, Document.id, Document.kind, Document.filename, Document.date)
                           .where(Document.response_id.in_(ids))
                           .order_by(Document.date.is_(None), Document.date, Document.id)):
            documents.setdefault(d[0], []).append(DocumentRef(d[1], d[2], d[3], d[4], d[1] == statutory[d[0]]))
        facets = [facet(s, "status", st, where(base, "status"), status_is),
                  facet(s, "region", Force.region, where(base, "region"), region)]
        missing = s.execute(expected_forces().where(Report.id == report_id, Response.statutory_document_id.is_(None))
                            .with_only_columns(*standing_columns(today)).order_by(Force.name)).all()
    matrix_rows = [MatrixRow(
        **response_fields(r, {n for n, c in answers.get(r[0], {}).items() if c.state != "not addressed"}),
        cells=[answers.get(r[0], {}).get(rec.number) or Cell(rec.number, "not addressed", None, None, "extracted")
               for rec in recommendations],
        attached=documents.get(r[0], []),
    ) for r in rows]
    return Matrix(summary, recommendations, Page(matrix_rows, total, page, per_page),
                  [standing(r, today) for r in missing], facets)


def recommendations_of(s: Session, report_id: str) -> list[RecommendationInfo]:
    """A report's recommendations to forces, in the contract's order."""
    return [RecommendationInfo(r.position or 0, r.number or r.position or 0, r.wording, r.due) for r in s.scalars(
        select(Recommendation).where(Recommendation.report_id == report_id, Recommendation.position.is_not(None))
        .order_by(Recommendation.position))]


def cells_of(s: Session, response_ids: list[int]) -> dict[int, dict[int, Cell]]:
    """Each response's answers, by recommendation number."""
    answers: dict[int, dict[int, Cell]] = {}
    for a in s.scalars(select(Answer).where(Answer.response_id.in_(response_ids))):
        answers.setdefault(a.response_id, {})[a.number] = Cell(
            a.number, a.stance if a.addressed else "not addressed", a.status if a.addressed else None,
            a.document_id, a.origin)
    return answers


def in_scope() -> ColumnElement[bool]:
    """SQL: the report (joined) expects the force's (joined) response."""
    return exists().where(ReportForce.report_id == Report.id, ReportForce.force_id == Force.id)


def response_columns(today: dt.date) -> tuple:
    return (Response.id, Report.id, Report.title, Force.name, Force.region, response_status(today),
            Response.statutory_document_id, Response.responded, Response.date_basis, Report.deadline,
            Response.days_taken, Response.on_time, Response.addressed, Response.expected, Response.complete,
            func.coalesce(Response.documents, 0), Response.chosen_by, in_scope())


def response_fields(r: Any, answered: set[int]) -> dict[str, Any]:
    """A ResponseRow's fields from a row of `_response_columns` and the numbers it answers."""
    names = ("response_id", "report_id", "report_title", "force", "region", "status", "statutory_document_id",
             "responded", "date_basis", "deadline", "days_taken", "on_time", "addressed", "expected", "complete",
             "documents", "chosen_by", "in_scope")
    return {**dict(zip(names, r, strict=True)), "in_scope": bool(r[17]),
            "missing": tuple(n for n in range(1, (r[13] or 0) + 1) if n not in answered)}


def answered_numbers(s: Session, response_ids: list[int]) -> dict[int, set[int]]:
    """The recommendations (numbers) each of these responses answers."""
    answered: dict[int, set[int]] = {}
    for response_id, number in s.execute(select(Answer.response_id, Answer.number).where(
            Answer.addressed.is_(True), Answer.response_id.in_(response_ids))):
        answered.setdefault(response_id, set()).add(number)
    return answered


def responses(store: Store, *, today: dt.date | None = None, report_id: str | None = None,
              force: str | None = None, status_is: str | None = None,
              response_id: int | None = None, report_ids: list[str] | None = None) -> list[ResponseRow]:
    """Every stored response (or a report's, some reports', a force's, those of one status, one
    by its id), by report then force."""
    today = today_or(today)
    if status_is is not None and status_is not in ResponseStatus:
        raise InvalidValue(f"status: one of {', '.join(ResponseStatus)}")
    st = response_status(today)
    query = (select(*response_columns(today))
             .join(Force, Force.id == Response.force_id).join(Report, Report.id == Response.report_id)
             .order_by(Report.title, Force.name))
    if report_id:
        query = query.where(Report.id == report_id)
    if report_ids is not None:
        query = query.where(Report.id.in_(report_ids))
    if force:
        query = query.where(Force.name == force)
    if response_id is not None:
        query = query.where(Response.id == response_id)
    if status_is:
        query = query.where(st == status_is)
    with store.session() as s:
        rows = s.execute(query).all()
        numbers = answered_numbers(s, [r[0] for r in rows])
    return [ResponseRow(**response_fields(r, numbers.get(r[0], set()))) for r in rows]
