"""Reports: the index with each report's figures, compliance now, and a report's matrix.

Every figure comes from one query shape (report_forces left-joined to responses), so the
overview, the matrix and `scrutiny check` give the same answer to "who was late?".
"""
from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, select
from sqlalchemy.orm import Session

from ..errors import InvalidValue, NotFound
from ..record.vocabulary import ResponseStatus
from . import Store
from .query import (
    Facet,
    Page,
    Standing,
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
    """One report's responses as of `today`. `expected` forces = on_time + late + overdue +
    not_yet_due + unknown; `responded` = those with a statutory document; the rates are over
    the responses that can be judged."""

    expected: int
    responded: int
    on_time: int
    late: int
    overdue: int
    not_yet_due: int
    unknown: int
    complete: int
    incomplete: int
    median_days: float | None

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
    """One response, as `scrutiny check` and the exports list it."""

    response_id: int
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
    missing: tuple[int, ...]  # recommendations to forces that none of its documents answers


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


def _aggregate(today: dt.date, report_ids: list[str] | None = None):
    """Per report (all, or those in `report_ids`): the counts behind `Figures`, as a subquery."""
    rows = expected_forces().with_only_columns(
        ReportForce.report_id.label("report_id"),
        response_status(today).label("status"),
        responded().label("responded"), Response.complete.label("complete"),
    )
    if report_ids is not None:
        rows = rows.where(ReportForce.report_id.in_(report_ids))
    each = rows.subquery()

    def count(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    return select(
        each.c.report_id, func.count().label("expected"), count(each.c.responded).label("responded"),
        *(count(each.c.status == name).label(name.replace(" ", "_")) for name in ResponseStatus),
        count(and_(each.c.responded, each.c.complete.is_(True))).label("complete"),
        count(and_(each.c.responded, each.c.complete.is_(False))).label("incomplete"),
    ).group_by(each.c.report_id).subquery()


def _medians(s: Session, report_ids: list[str]) -> dict[str, float]:
    days: dict[str, list[int]] = {}
    for report_id, taken in s.execute(select(Response.report_id, Response.days_taken).where(
            Response.report_id.in_(report_ids), responded(), Response.days_taken.is_not(None))):
        days.setdefault(report_id, []).append(taken)  # type: ignore[arg-type]  # not null, as selected
    return {report_id: statistics.median(values) for report_id, values in days.items()}


def _summaries(s: Session, report_ids: list[str], today: dt.date) -> list[ReportSummary]:
    """ReportSummary for each of these reports that the catalogue has."""
    agg = _aggregate(today, report_ids)
    query = select().select_from(Report).join(agg, agg.c.report_id == Report.id)
    rows = s.execute(query.with_only_columns(
        Report.id, Report.title, Report.publisher, Report.published, Report.deadline, Report.origin,
        agg.c.expected, agg.c.responded, agg.c.on_time, agg.c.late, agg.c.overdue, agg.c.not_yet_due,
        agg.c.unknown, agg.c.complete, agg.c.incomplete)).all()
    ids = [r[0] for r in rows]
    medians = _medians(s, ids)
    to_forces = dict(s.execute(select(Recommendation.report_id, func.count()).where(
        Recommendation.report_id.in_(ids), Recommendation.position.is_not(None)).group_by(Recommendation.report_id)).all())
    return [ReportSummary(
        id=r[0], title=r[1], publisher=r[2], published=r[3], deadline=r[4], days_left=days_left(r[4], today),
        origin=r[5], recommendations=to_forces.get(r[0], 0),
        figures=Figures(expected=r[6] or 0, responded=r[7] or 0, on_time=r[8] or 0, late=r[9] or 0,
                        overdue=r[10] or 0, not_yet_due=r[11] or 0, unknown=r[12] or 0, complete=r[13] or 0,
                        incomplete=r[14] or 0, median_days=medians.get(r[0])),
    ) for r in rows]


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
    # The counts are computed for every report only where they filter or sort the index.
    needs_counts = responded is not None or sort in ("overdue", "responses")
    agg = _aggregate(today)
    filters = {
        "q": [func.lower(Report.title).contains(w) for w in (q or "").lower().split()],
        "year": [Report.year == year] if year is not None else [],
        "origin": [Report.origin == origin] if origin else [],
        "responded": [] if responded is None else [func.coalesce(agg.c.responded, 0) > 0 if responded
                                                    else func.coalesce(agg.c.responded, 0) == 0],
    }
    # A report no force is expected to answer is not in the catalogue (a user's report stored
    # when the checks were looser, and failing them now).
    base = select().select_from(Report).where(exists().where(ReportForce.report_id == Report.id))
    if needs_counts:
        base = base.join(agg, agg.c.report_id == Report.id)

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


@dataclass(frozen=True)
class ComplianceNow:
    """Where every expected force stands with every report, as of `today`."""

    today: dt.date
    counts: dict[str, int]  # status -> forces x reports, under the filters other than status
    standings: Page[Standing]


def compliance_now(store: Store, *, today: dt.date | None = None, report_id: str | None = None,
                   force: str | None = None, status_is: str | None = None, page: int = 1,
                   per_page: int = 50) -> ComplianceNow:
    """For each report, each expected force: on time, late, overdue (no response, deadline
    passed), not yet due (with the days left), or unknown. Most recent deadlines first."""
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
        recommendations = [RecommendationInfo(r.position or 0, r.number or r.position or 0, r.wording, r.due) for r in s.scalars(
            select(Recommendation).where(Recommendation.report_id == report_id, Recommendation.position.is_not(None))
            .order_by(Recommendation.position))]
        total, rows = paged(s, where(base.with_only_columns(*_response_columns(today))).order_by(*order), page, per_page)
        ids = [r[0] for r in rows]
        answers: dict[int, dict[int, Cell]] = {}
        for a in s.scalars(select(Answer).where(Answer.response_id.in_(ids))):
            answers.setdefault(a.response_id, {})[a.number] = Cell(
                a.number, a.stance if a.addressed else "not addressed", a.status if a.addressed else None,
                a.document_id, a.origin)
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
        **_response_fields(r, {n for n, c in answers.get(r[0], {}).items() if c.state != "not addressed"}),
        cells=[answers.get(r[0], {}).get(rec.number) or Cell(rec.number, "not addressed", None, None, "extracted")
               for rec in recommendations],
        attached=documents.get(r[0], []),
    ) for r in rows]
    return Matrix(summary, recommendations, Page(matrix_rows, total, page, per_page),
                  [standing(r, today) for r in missing], facets)


def _response_columns(today: dt.date) -> tuple:
    return (Response.id, Report.id, Report.title, Force.name, Force.region, response_status(today),
            Response.statutory_document_id, Response.responded, Response.date_basis, Response.deadline,
            Response.days_taken, Response.on_time, Response.addressed, Response.expected, Response.complete,
            Response.documents, Response.chosen_by)


def _response_fields(r: Any, answered: set[int]) -> dict[str, Any]:
    """A ResponseRow's fields from a row of `_response_columns` and the numbers it answers."""
    names = ("response_id", "report_id", "report_title", "force", "region", "status", "statutory_document_id",
             "responded", "date_basis", "deadline", "days_taken", "on_time", "addressed", "expected", "complete",
             "documents", "chosen_by")
    return {**dict(zip(names, r, strict=True)),
            "missing": tuple(n for n in range(1, (r[13] or 0) + 1) if n not in answered)}


def responses(store: Store, *, today: dt.date | None = None, report_id: str | None = None,
              force: str | None = None, status_is: str | None = None,
              response_id: int | None = None) -> list[ResponseRow]:
    """Every stored response (or a report's, a force's, those of one status, one by its id), by
    report then force."""
    today = today_or(today)
    if status_is is not None and status_is not in ResponseStatus:
        raise InvalidValue(f"status: one of {', '.join(ResponseStatus)}")
    st = response_status(today)
    query = (select(*_response_columns(today))
             .join(Force, Force.id == Response.force_id).join(Report, Report.id == Response.report_id)
             .order_by(Report.title, Force.name))
    if report_id:
        query = query.where(Report.id == report_id)
    if force:
        query = query.where(Force.name == force)
    if response_id is not None:
        query = query.where(Response.id == response_id)
    if status_is:
        query = query.where(st == status_is)
    with store.session() as s:
        rows = s.execute(query).all()
        answered: dict[int, set[int]] = {}
        for response_id, number in s.execute(select(Answer.response_id, Answer.number).where(
                Answer.addressed.is_(True), Answer.response_id.in_([r[0] for r in rows]))):
            answered.setdefault(response_id, set()).add(number)
    return [ResponseRow(**_response_fields(r, answered.get(r[0], set()))) for r in rows]


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
                      names: int = 5) -> Page[Overdue]:
    """Reports with responses overdue now, most recently due first, each with how many forces
    and the first `names` of them."""
    today = today_or(today)
    overdue = response_status(today) == "overdue"
    forces = func.count().label("forces")
    query = (expected_forces().where(overdue).with_only_columns(Report.id, Report.title, Report.deadline, forces)
             .group_by(Report.id, Report.title, Report.deadline).order_by(Report.deadline.desc(), Report.id))
    with store.session() as s:
        total, rows = paged(s, query, page, per_page)
        listed: dict[str, list[str]] = {}
        for report_id, name in s.execute(expected_forces().where(overdue, Report.id.in_([r[0] for r in rows]))
                                         .with_only_columns(Report.id, Force.name).order_by(Force.name)):
            if len(listed.setdefault(report_id, [])) < names:
                listed[report_id].append(name)
    return Page([Overdue(r[0], r[1], r[2], (today - r[2]).days, r[3], listed.get(r[0], [])) for r in rows],
                total, page, per_page)
