"""Full-text search over stored documents: SQLite FTS5, or PostgreSQL's own text search.

This is how a force finds practice elsewhere: "deferred prosecution" or "outcome 22" returns
the passages, each naming its force, report and document, with the matched words marked.
Filters (report, force, recommendation, stance, year, kind) are SQL over the documents and
their responses' answers, so they page and count correctly, and work without any words:
then every document that matches them is listed, newest first.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, String, and_, cast, column, exists, func, literal, select, table
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from .errors import InvalidValue
from .store import SNIPPET_MARKS, Store
from .store.query import Facet, Page, check_page, facets_at_once
from .store.schema import Answer, Document, Force, Report, Version

MARK_OPEN, MARK_CLOSE = SNIPPET_MARKS[0], SNIPPET_MARKS[1]  # blanked in the text searched, so only a match is marked
LEAD_CHARS = 300  # the opening of a document, shown where no words were searched for
# SQLite's full-text index (rowid = versions.id); its hidden column of its own name takes MATCH.
SEARCH_INDEX = table("search_index", column("rowid"), column("search_index"))


@dataclass(frozen=True)
class Filters:
    report: str | None = None
    force: str | None = None
    recommendation: int | None = None
    stance: str | None = None
    year: int | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Hit:
    document_id: int
    force: str | None
    report_id: str | None
    report_title: str | None
    kind: str
    date: dt.date | None
    snippet: str  # HTML: escaped text with <mark> around matched words
    rank: float


def _fts5_query(query: str) -> str:
    """The user's words as an FTS5 query: each word or "quoted phrase" must occur."""
    phrases = re.findall(r'"([^"]+)"|(\S+)', query)
    terms = []
    for phrase, word in phrases:
        words = re.findall(r"\w+", phrase or word)
        if words:
            terms.append('"' + " ".join(words) + '"')
    return " ".join(terms)


def _snippet_html(raw: str) -> str:
    escaped = html.escape(" ".join(raw.split()))
    return escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")


def _conditions(f: Filters) -> dict[str, list[ColumnElement]]:
    """Each filter's conditions, by name (a facet leaves its own out)."""
    answered = [Answer.response_id == Document.response_id, Answer.addressed.is_(True)]
    if f.recommendation:
        answered.append(Answer.number == f.recommendation)
    if f.stance:
        answered.append(Answer.stance == f.stance)
    return {
        "report": [Document.report_id == f.report] if f.report else [],
        "force": [Force.name == f.force] if f.force else [],
        "year": [Document.year == f.year] if f.year else [],
        "kind": [Document.kind == f.kind] if f.kind else [],
        "answer": [exists().where(and_(*answered))] if f.recommendation or f.stance else [],
    }


def _words(query: str) -> str:
    return query.replace("\x00", " ").strip()  # PostgreSQL takes no NUL in text; it means nothing here


def _matching(store: Store, words: str, filters: Filters, *skip: str) -> Select:
    """The current versions that match the words and the filters (but those named in `skip`)."""
    conditions = [c for name, conds in _conditions(filters).items() if name not in skip for c in conds]
    base = (select().select_from(Version).join(Document, Document.id == Version.document_id)
            .outerjoin(Force, Force.id == Document.force_id).outerjoin(Report, Report.id == Document.report_id)
            .where(Version.is_current, *conditions))
    if not words:
        return base
    if store.dialect == "sqlite":
        fts = _fts5_query(words)
        if not fts:
            raise InvalidValue("q: give at least one word")
        return (base.join(SEARCH_INDEX, SEARCH_INDEX.c.rowid == Version.id)
                .where(SEARCH_INDEX.c.search_index.op("MATCH")(fts)))
    return base.where(_vector().op("@@")(_tsquery(words)))


def _vector() -> Any:
    return func.to_tsvector("english", Version.text)


def _tsquery(words: str) -> Any:
    return func.websearch_to_tsquery("english", words)


def search(store: Store, query: str, filters: Filters = Filters(), *, page: int = 1, per_page: int = 50) -> Page[Hit]:
    """Documents matching `query` and `filters`, best first, each with a highlighted snippet."""
    check_page(page, per_page)
    words = _words(query)
    with store.session() as s:
        matches = _matching(store, words, filters).with_only_columns(literal(1)).subquery()
        total = s.scalar(select(func.count()).select_from(matches)) or 0
        return Page(_hits(s, store, words, filters, page, per_page), total, page, per_page)


@dataclass(frozen=True)
class Found:
    hits: Page[Hit]
    facets: list[Facet]


FACETS = {"force": Force.name, "report": Document.report_id, "kind": Document.kind,
          "year": cast(Document.year, String)}


def search_with_facets(store: Store, query: str, filters: Filters = Filters(), *, page: int = 1,
                       per_page: int = 50) -> Found:
    """`search`, and how many matching documents each force, report, kind and year has (each
    count applies the words and every other filter). The matches are found once for all the
    counts, the total among them: every document has a kind, so the total is the kind
    facet's sum (or, with a kind chosen, that kind's count)."""
    check_page(page, per_page)
    words = _words(query)
    chosen = {"force": filters.force, "report": filters.report, "kind": filters.kind,
              "year": str(filters.year) if filters.year else None}
    with store.session() as s:
        facets = facets_at_once(s, _matching(store, words, filters, *chosen), FACETS, chosen)
        kinds = next(f for f in facets if f.name == "kind").values
        total = sum(v.count for v in kinds if filters.kind is None or v.selected)
        return Found(Page(_hits(s, store, words, filters, page, per_page), total, page, per_page), facets)


def _hits(s: Session, store: Store, words: str, filters: Filters, page: int, per_page: int) -> list[Hit]:
    """One page of hits, best first (newest first without words). Two queries: the page's
    versions in order, then what is shown of those alone: their force, report and snippet
    (in the first, SQLite would make them for every match before sorting, thousands for a
    common word)."""
    matching = _matching(store, words, filters)
    rank: Any
    if not words:
        rank = literal(0.0)
        ordered = matching.order_by(Document.date.is_(None), Document.date.desc(), Document.id.desc())
    elif store.dialect == "sqlite":
        rank = func.bm25(SEARCH_INDEX.c.search_index)
        ordered = matching.order_by(rank)
    else:
        rank = -func.ts_rank(_vector(), _tsquery(words))
        ordered = matching.order_by(rank)
    ranked = s.execute(ordered.add_columns(Version.id, rank).limit(per_page).offset((page - 1) * per_page)).all()
    if not ranked:
        return []
    shown = {r[0]: r for r in s.execute(_shown(store, words, [r[0] for r in ranked]))}
    return [Hit(shown[v][1], shown[v][2], shown[v][3], shown[v][4], shown[v][5], shown[v][6],
                _snippet_html(shown[v][7] or ""), float(r)) for v, r in ranked]


def _shown(store: Store, words: str, version_ids: list[int]) -> Select:
    """What a hit shows of each of these versions: (version id, document id, force, report id,
    report title, kind, date, snippet); the snippet marks the matched words, or is the opening
    where no words were searched for."""
    snippet: Any
    query = (select().select_from(Version).join(Document, Document.id == Version.document_id)
             .outerjoin(Force, Force.id == Document.force_id).outerjoin(Report, Report.id == Document.report_id)
             .where(Version.id.in_(version_ids)))
    if not words:
        lead = func.substr(Version.text, 1, LEAD_CHARS)
        snippet = func.replace(func.replace(lead, MARK_OPEN, " "), MARK_CLOSE, " ")
    elif store.dialect == "sqlite":
        index = SEARCH_INDEX.c.search_index
        snippet = func.snippet(index, 0, MARK_OPEN, MARK_CLOSE, "…", 24)
        query = query.join(SEARCH_INDEX, SEARCH_INDEX.c.rowid == Version.id).where(index.op("MATCH")(_fts5_query(words)))
    else:
        options = (f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=40, MinWords=15, MaxFragments=2, "
                   "FragmentDelimiter=' … '")
        snippet = func.ts_headline("english", func.translate(Version.text, SNIPPET_MARKS, "  "), _tsquery(words), options)
    return query.add_columns(Version.id, Document.id, Force.name, Document.report_id,
                             func.coalesce(Report.title, Document.report_title), Document.kind, Document.date, snippet)


