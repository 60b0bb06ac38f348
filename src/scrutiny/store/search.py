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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Select,
    String,
    and_,
    cast,
    column,
    exists,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from ..errors import InvalidValue
from . import Store
from .index import SNIPPET_MARKS
from .query import Facet, Page, facets_and_page
from .schema import Answer, Document, Force, Report, Version

MARK_OPEN, MARK_CLOSE = SNIPPET_MARKS[0], SNIPPET_MARKS[1]  # blanked in the text searched, so only a match is marked
LEAD_CHARS = 300  # the opening of a document, shown where no words were searched for
# SQLite's full-text index of each document's current text (rowid = documents.id, migration 0007);
# its hidden column of its own name takes MATCH.
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
    if not terms:
        raise InvalidValue("q: give at least one word")
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


def _matched(store: Store, words: str, filters: Filters, *skip: str) -> Select:
    """(document id, rank, date, and the facets' columns) of each document that matches the
    words and the filters (but those named in `skip`); rank is lower for better matches, and
    0 for every document where no words are given.

    Words are matched in the search index before any document is read: on SQLite the FTS5
    table keyed by document id (its rank, bm25, exists only inside that query), on PostgreSQL
    the current versions' stored text-search vectors."""
    conditions = [c for name, conds in _conditions(filters).items() if name not in skip for c in conds]
    rank: Any = literal(0.0)
    query = select().select_from(Document)
    if words and store.dialect == "sqlite":
        index = SEARCH_INDEX.c.search_index
        found = (select(SEARCH_INDEX.c.rowid.label("document_id"), func.bm25(index).label("rank"))
                 .where(index.op("MATCH")(_fts5_query(words))).subquery("found"))
        query, rank = select().select_from(found).join(Document, Document.id == found.c.document_id), found.c.rank
    elif words:
        query = query.join(Version, and_(Version.document_id == Document.id, Version.is_current))
        conditions.append(_vector().op("@@")(_tsquery(words)))
        rank = -func.ts_rank(_vector(), _tsquery(words))
    return (query.outerjoin(Force, Force.id == Document.force_id).where(*conditions)
            .add_columns(Document.id.label("document_id"), rank.label("rank"), Document.date.label("date"),
                         *(column.label(name) for name, column in FACETS.items())))


def _vector() -> Any:
    """PostgreSQL: a version's text-search vector, stored beside its text (migration 0004)."""
    return literal_column("versions.search_vector")


def _tsquery(words: str) -> Any:
    return func.websearch_to_tsquery("english", words)


def _best_first(found: Any) -> list:
    """Best match first; without words (every rank 0), newest first."""
    return [found.rank, found.date.is_(None), found.date.desc(), found.document_id.desc()]


@dataclass(frozen=True)
class Found:
    hits: Page[Hit]
    facets: list[Facet]


FACETS = {"force": Force.name, "report": Document.report_id, "kind": Document.kind,
          "year": cast(Document.year, String)}


def search(store: Store, query: str, filters: Filters = Filters(), *, page: int = 1, per_page: int = 50) -> Page[Hit]:
    """Documents matching `query` and `filters`, best first (newest first without words), each
    with a snippet marking the matched words."""
    return search_with_facets(store, query, filters, page=page, per_page=per_page).hits


def search_with_facets(store: Store, query: str, filters: Filters = Filters(), *, page: int = 1,
                       per_page: int = 50) -> Found:
    """`search`, and how many matching documents each force, report, kind and year has (each
    count applies the words and every other filter).

    One statement finds the matches once (ranking a common word's 16,000 matches is most of
    the work) and returns both the counts and the page of hits; the total is the kind facet's
    sum (every document has a kind), or with a kind chosen, that kind's count."""
    words = _words(query)
    chosen = {"force": filters.force, "report": filters.report, "kind": filters.kind,
              "year": str(filters.year) if filters.year else None}
    with store.session() as s:
        facets, ranked = facets_and_page(
            s, _matched(store, words, filters, *chosen), list(FACETS), chosen, order_by=_best_first,
            shown=["document_id", "rank"], page=page, per_page=per_page)
        kinds = next(f for f in facets if f.name == "kind").values
        total = sum(v.count for v in kinds if filters.kind is None or v.selected)
        return Found(Page(_hits(s, store, words, ranked), total, page, per_page), facets)


def _hits(s: Session, store: Store, words: str, ranked: Sequence[tuple]) -> list[Hit]:
    """The hits of a page of ranked documents: what is shown of those alone is read in a second
    query (their force, report and snippet: in the first, they would be made for every match
    before sorting, thousands for a common word)."""
    if not ranked:
        return []
    shown = {r[0]: r for r in s.execute(_shown(store, words, [r[0] for r in ranked]))}
    # (A document given a new text between the two queries, one the words no longer match, is left out.)
    return [Hit(d, shown[d][1], shown[d][2], shown[d][3], shown[d][4], shown[d][5],
                _snippet_html(shown[d][6] or ""), float(rank)) for d, rank in ranked if d in shown]


def _shown(store: Store, words: str, document_ids: list[int]) -> Select:
    """What a hit shows of each of these documents: (document id, force, report id, report
    title, kind, date, snippet); the snippet marks the matched words, or is the opening where
    no words were searched for."""
    snippet: Any
    query = (select().select_from(Document).outerjoin(Force, Force.id == Document.force_id)
             .outerjoin(Report, Report.id == Document.report_id).where(Document.id.in_(document_ids)))
    if words and store.dialect == "sqlite":
        index = SEARCH_INDEX.c.search_index
        snippet = func.snippet(index, 0, MARK_OPEN, MARK_CLOSE, "…", 24)
        query = query.join(SEARCH_INDEX, SEARCH_INDEX.c.rowid == Document.id).where(index.op("MATCH")(_fts5_query(words)))
    else:
        query = query.join(Version, and_(Version.document_id == Document.id, Version.is_current))
        if words:
            options = (f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=40, MinWords=15, MaxFragments=2, "
                       "FragmentDelimiter=' … '")
            snippet = func.ts_headline("english", func.translate(Version.text, SNIPPET_MARKS, "  "), _tsquery(words),
                                       options)
        else:
            lead = func.substr(Version.text, 1, LEAD_CHARS)
            snippet = func.replace(func.replace(lead, MARK_OPEN, " "), MARK_CLOSE, " ")
    return query.add_columns(Document.id, Force.name, Document.report_id,
                             func.coalesce(Report.title, Document.report_title), Document.kind, Document.date, snippet)
