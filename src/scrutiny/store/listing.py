"""The documents list: every stored document, filtered, sorted, paged and faceted in SQL.

Facets: force, report, kind, year, on time, has warnings, verified. A facet's counts apply
every other filter, so each value says how many documents choosing it would show.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Select, String, and_, cast, func, select
from sqlalchemy.orm import Session

from ..errors import InvalidValue
from . import EXPORT_BATCH, Store
from .query import Facet, Page, facets_at_once, paged, yes_no
from .schema import Document, Force, Initiative, Report, Response, Version

YES_NO: dict[bool | None, str] = {True: "yes", False: "no"}
DOCUMENT_SORTS = ("date", "-date", "force", "report", "id")


@dataclass(frozen=True)
class DocumentRow:
    id: int
    filename: str
    kind: str
    force: str | None
    report_id: str | None
    report_title: str | None  # the catalogue's title, or as the document names an uncatalogued report
    date: dt.date | None
    date_basis: str | None
    days_taken: int | None
    on_time: bool | None
    complete: bool | None
    warnings: int
    verified: bool
    response_id: int | None
    statutory: bool  # the document its response is judged on
    unattached_reason: str | None


@dataclass(frozen=True)
class DocumentFilters:
    force: str | None = None
    report: str | None = None
    kind: str | None = None
    year: int | None = None
    on_time: bool | None = None
    has_warnings: bool | None = None
    verified: bool | None = None
    attached: bool | None = None


@dataclass(frozen=True)
class DocumentList:
    documents: Page[DocumentRow]
    facets: list[Facet]


def _conditions(f: DocumentFilters) -> dict[str, list]:
    return {
        "force": [Force.name == f.force] if f.force else [],
        "report": [Document.report_id == f.report] if f.report else [],
        "kind": [Document.kind == f.kind] if f.kind else [],
        "year": [Document.year == f.year] if f.year is not None else [],
        "on_time": [Document.on_time.is_(f.on_time)] if f.on_time is not None else [],
        "has_warnings": [(Document.warnings > 0) if f.has_warnings else (Document.warnings == 0)]
        if f.has_warnings is not None else [],
        "verified": [Document.verified.is_(f.verified)] if f.verified is not None else [],
        "attached": [Document.response_id.is_not(None) if f.attached else Document.response_id.is_(None)]
        if f.attached is not None else [],
    }


def documents_query() -> Select:
    return (select().select_from(Document).outerjoin(Force, Force.id == Document.force_id)
            .outerjoin(Report, Report.id == Document.report_id)
            .outerjoin(Response, Response.id == Document.response_id))


ROW_COLUMNS = (Document.id, Document.filename, Document.kind, Force.name, Document.report_id,
               Report.title, Document.report_title, Document.date, Document.date_basis, Document.days_taken,
               Document.on_time, Document.complete, Document.warnings, Document.verified, Document.response_id,
               func.coalesce(Response.statutory_document_id == Document.id, False), Document.unattached_reason)


def document_row(r) -> DocumentRow:
    return DocumentRow(id=r[0], filename=r[1], kind=r[2], force=r[3], report_id=r[4], report_title=r[5] or r[6],
                       date=r[7], date_basis=r[8], days_taken=r[9], on_time=r[10], complete=r[11], warnings=r[12],
                       verified=r[13], response_id=r[14], statutory=bool(r[15]), unattached_reason=r[16])


FACET_COLUMNS = {"force": Force.name, "report": Document.report_id, "kind": Document.kind,
                 "year": cast(Document.year, String), "on_time": yes_no(Document.on_time),
                 "has_warnings": yes_no(Document.warnings > 0), "verified": yes_no(Document.verified)}


def documents_list(store: Store, filters: DocumentFilters = DocumentFilters(), *, sort: str = "-date",
                   page: int = 1, per_page: int = 50) -> DocumentList:
    if sort not in DOCUMENT_SORTS:
        raise InvalidValue(f"sort: one of {', '.join(DOCUMENT_SORTS)}")
    conditions = _conditions(filters)

    def where(query: Select, *skip: str) -> Select:
        return query.where(*(c for name, conds in conditions.items() if name not in skip for c in conds))

    order = {
        "date": (Document.date.is_(None), Document.date, Document.id),
        "-date": (Document.date.is_(None), Document.date.desc(), Document.id.desc()),
        "force": (Force.name.is_(None), Force.name, Document.id),
        "report": (Document.report_id.is_(None), Document.report_id, Document.id),
        "id": (Document.id,),
    }[sort]
    base = documents_query()
    chosen = {"force": filters.force, "report": filters.report, "kind": filters.kind,
              "year": str(filters.year) if filters.year is not None else None, "on_time": YES_NO.get(filters.on_time),
              "has_warnings": YES_NO.get(filters.has_warnings), "verified": YES_NO.get(filters.verified)}
    with store.session() as s:
        # The page's ids first, sorting the narrow rows only; then those rows in full (sorting
        # every full row to keep one page of them made a page deep in the list slow).
        total, found = paged(s, where(base.with_only_columns(Document.id)).order_by(*order), page, per_page)
        rows = _rows(s, [r[0] for r in found])
        facets = facets_at_once(s, where(base, *chosen), FACET_COLUMNS, chosen)
    return DocumentList(Page(rows, total, page, per_page), facets)


def _rows(s: Session, ids: list[int]) -> list[DocumentRow]:
    rows = {r[0]: r for r in s.execute(documents_query().with_only_columns(*ROW_COLUMNS).where(Document.id.in_(ids)))}
    return [document_row(rows[i]) for i in ids if i in rows]


@dataclass(frozen=True)
class DocumentInFull:
    """A document's row, with the rest of its values an export gives."""

    row: DocumentRow
    role: str | None
    signatory: str | None
    letter_date: dt.date | None
    deadline: dt.date | None
    expected: int | None
    addressed: int | None
    report_published: str | None
    missing: list[int]
    warnings: list[str]
    initiatives: list[str]
    verified: set[str]  # the values a human set
    source_url: str | None = None  # the address it was collected from (`source.url`), if it was


_IN_FULL = (*ROW_COLUMNS, Document.role, Document.signatory, Document.letter_date, Document.deadline,
            Document.expected, Document.addressed, Version.record[("report", "published")].as_string(),
            Version.record[("compliance", "missing")], Version.record["warnings"],
            Version.record[("source", "url")].as_string())


def each_document_in_full(store: Store, batch: int = EXPORT_BATCH) -> Iterator[list[DocumentInFull]]:
    """Every document, by id, `batch` at a time, so that an export holds one batch whatever the
    store's size. Its values come from its columns and from the few parts of its record that
    have none; the record of a document with corrections is read whole, corrections applied."""
    after = 0
    while True:
        with store.session() as s:
            # The batch's ids first: asked for the rows in one query, SQLite read every
            # current version for each batch, then sorted them.
            ids = s.scalars(select(Document.id).where(Document.id > after).order_by(Document.id).limit(batch)).all()
            if not ids:
                return
            rows = s.execute(documents_query().join(Version, and_(Version.document_id == Document.id, Version.is_current))
                             .with_only_columns(*_IN_FULL).where(Document.id.in_(ids)).order_by(Document.id)).all()
            initiatives: dict[int, list[str]] = {}
            for document_id, name in s.execute(select(Initiative.document_id, Initiative.name).where(
                    Initiative.document_id.in_(ids)).order_by(Initiative.id)):
                initiatives.setdefault(document_id, []).append(name)
        corrected = {d.id: d for d in store.documents([r[0] for r in rows if r[13]])}
        found = []
        for r in rows:
            published, missing, warnings, verified = r[23], r[24], r[25], set()
            if r[0] in corrected:
                record = corrected[r[0]].record
                published = record["report"]["published"] if record["report"] else None
                missing, warnings = record["compliance"]["missing"], record["warnings"]
                verified = corrected[r[0]].verified
            found.append(DocumentInFull(
                document_row(r), role=r[17], signatory=r[18], letter_date=r[19], deadline=r[20], expected=r[21],
                addressed=r[22], report_published=published, missing=missing or [], warnings=warnings or [],
                initiatives=initiatives.get(r[0], []), verified=verified, source_url=r[26]))
        yield found
        after = ids[-1]
