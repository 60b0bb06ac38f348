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

from sqlalchemy import and_, column, exists, func, literal, select, table
from sqlalchemy.sql import ColumnElement

from .errors import InvalidValue
from .store import SNIPPET_MARKS, Store
from .store.query import Page, paged
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


def _conditions(f: Filters) -> list[ColumnElement]:
    conditions: list[ColumnElement] = []
    if f.report:
        conditions.append(Document.report_id == f.report)
    if f.force:
        conditions.append(Force.name == f.force)
    if f.year:
        conditions.append(Document.year == f.year)
    if f.kind:
        conditions.append(Document.kind == f.kind)
    if f.recommendation or f.stance:
        answered = [Answer.response_id == Document.response_id, Answer.addressed.is_(True)]
        if f.recommendation:
            answered.append(Answer.number == f.recommendation)
        if f.stance:
            answered.append(Answer.stance == f.stance)
        conditions.append(exists().where(and_(*answered)))
    return conditions


def search(store: Store, query: str, filters: Filters = Filters(), *, page: int = 1, per_page: int = 50) -> Page[Hit]:
    """Documents matching `query` and `filters`, best first, each with a highlighted snippet."""
    words = query.replace("\x00", " ").strip()  # PostgreSQL takes no NUL in text; it means nothing here
    base = (select().select_from(Version).join(Document, Document.id == Version.document_id)
            .outerjoin(Force, Force.id == Document.force_id).outerjoin(Report, Report.id == Document.report_id)
            .where(Version.is_current, *_conditions(filters)))
    columns = (Document.id, Force.name, Document.report_id, func.coalesce(Report.title, Document.report_title),
               Document.kind, Document.date)
    snippet: Any
    rank: Any
    if not words:
        lead = func.substr(Version.text, 1, LEAD_CHARS)
        snippet, rank = func.replace(func.replace(lead, MARK_OPEN, " "), MARK_CLOSE, " "), literal(0.0)
        ordered = base.order_by(Document.date.is_(None), Document.date.desc(), Document.id.desc())
    elif store.dialect == "sqlite":
        fts = _fts5_query(words)
        if not fts:
            raise InvalidValue("q: give at least one word")
        index = SEARCH_INDEX.c.search_index
        snippet, rank = func.snippet(index, 0, MARK_OPEN, MARK_CLOSE, "…", 24), func.bm25(index)
        ordered = (base.join(SEARCH_INDEX, SEARCH_INDEX.c.rowid == Version.id)
                   .where(index.op("MATCH")(fts)).order_by(rank))
    else:
        tsquery = func.websearch_to_tsquery("english", words)
        vector = func.to_tsvector("english", Version.text)
        options = (f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=40, MinWords=15, MaxFragments=2, "
                   "FragmentDelimiter=' … '")
        blanked = func.translate(Version.text, SNIPPET_MARKS, "  ")
        snippet, rank = func.ts_headline("english", blanked, tsquery, options), -func.ts_rank(vector, tsquery)
        ordered = base.where(vector.op("@@")(tsquery)).order_by(rank)
    with store.session() as s:
        total, rows = paged(s, ordered.add_columns(*columns, snippet, rank), page, per_page)
    hits = [Hit(r[0], r[1], r[2], r[3], r[4], r[5], _snippet_html(r[6]), float(r[7])) for r in rows]
    return Page(hits, total, page, per_page)
