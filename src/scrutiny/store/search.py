"""Full-text search over stored documents: SQLite FTS5, or PostgreSQL's own text search.

This is how a force finds practice elsewhere: "deferred prosecution" or "outcome 22" returns
the passages, each naming its force, report and document, with the matched words marked.
Filters (report, force, recommendation, stance, year, kind) are SQL over the documents and
their responses' answers, so they page and count correctly, and work without any words:
then every document that matches them is listed, newest first.

The work is bounded by the page shown, not by the matches: the matches are ranked (FTS5's
bm25, PostgreSQL's `ts_rank`, both cheap per match) and only the page's rows are read and
joined to what they show; the snippets are made for the page alone, each from a bounded part of
its text; the facets count at most about FACET_SAMPLE matches (of more, an even sample, and
they say so). The page is one statement, as datasette's ranked query (on SQLite, its snippets
too); `search` then counts the matches, unless the page is the last; `search_with_facets` works
out the counts (how many match, to know whether to sample, and then the facets, which count the
matches too) at the same time on a connection of their own. Every statement is built once for
every search of its shape and given the words and filters as parameters, and is under a time
limit (SCRUTINY_SEARCH_MS): a search that would take longer answers "too broad" (422) instead
of holding its connections.
"""
from __future__ import annotations

import contextvars
import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    CompoundSelect,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    column,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from ..errors import InvalidValue
from ..settings import get_settings
from . import Store, snippets
from .engine import Deadline, time_limit
from .index import fts5_query
from .query import KEEPS_ROWS_WHEN_TOLD, ROWS, Facet, Page, check_page, counted_facets, read_counted_facets
from .schema import Answer, Document, Force, Report, Version

# SQLite's full-text index of each document's current text (rowid = documents.id, migration 0007);
# its hidden column of its own name takes MATCH.
SEARCH_INDEX = table("search_index", column("rowid"), column("search_index"), column("rank"), column("text"))
# The matches counted by force, report, kind and year: of more, every k-th (by document id),
# k = matches / FACET_SAMPLE, so that the sample is spread over all of them, old and new alike.
# (Ids are given in the order documents are stored: a sample could fall in step only with a
# store that took its documents in a strict cycle, kind after kind.) Counting each way takes
# time that grows with the rows counted (SQLite sorts them for each).
FACET_SAMPLE = 2_000
TOO_BROAD = "this search is too broad: add words or a filter"
# The words a search may give, those of its phrases too. Each word is one more list of places
# the index reads for every match, and SQLite's full-text work on them is one step of its
# virtual machine, which its time limit cannot stop: 250 words of a letter's commonest would
# hold a connection for minutes (issue 20).
MAX_WORDS = 20
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


def _conditions(given: tuple[str, ...]) -> dict[str, list[ColumnElement]]:
    """The conditions of the filters `given` (the names of Filters' fields with a value), by
    name (a facet leaves its own out); each value is a bound parameter of the filter's name."""
    answered = [Answer.response_id == Document.response_id, Answer.addressed.is_(True)]
    if "recommendation" in given:
        answered.append(Answer.number == bindparam("recommendation"))
    if "stance" in given:
        answered.append(Answer.stance == bindparam("stance"))
    return {
        "report": [Document.report_id == bindparam("report")] if "report" in given else [],
        "force": [Force.name == bindparam("force")] if "force" in given else [],
        "year": [Document.year == bindparam("year")] if "year" in given else [],
        "kind": [Document.kind == bindparam("kind")] if "kind" in given else [],
        "answer": [exists().where(and_(*answered))] if {"recommendation", "stance"} & set(given) else [],
    }


def _words(query: str) -> str:
    words = query.replace("\x00", " ").strip()  # PostgreSQL takes no NUL in text; it means nothing here
    if len(re.findall(r"\w+", words)) > MAX_WORDS:
        raise InvalidValue(f"q: at most {MAX_WORDS} words")
    return words


def _matched(dialect: str, words: bool, given: tuple[str, ...], *skip: str, sampled: bool = False) -> Select:
    """(document id, rank, date, and the facets' columns) of each document that matches the
    words (the bound parameter "match": `index.fts5_query`'s on SQLite, the user's on PostgreSQL)
    and the filters `given` (but those named in `skip`); rank is lower for better matches, and
    0 for every document where no words are given.

    `sampled` (with words): two samples of them, by document id, each a column: "in_sample",
    one in every "step" (a bound parameter), and "in_sample_all", one in every "step_all" of
    those with every facet's choice; only the rows in either are kept.

    Words are matched in the search index before any document is read: on SQLite the FTS5
    table keyed by document id (its `rank`, bm25, exists only inside that query), on PostgreSQL
    the current versions' stored text-search vectors."""
    conditions = [c for name, conds in _conditions(given).items() if name not in skip for c in conds]
    rank: Any = literal(0.0)
    query = select().select_from(Document)
    choices = [column == bindparam(f"chosen_{name}") for name, column in FACETS.items() if name in given]
    flags: list[Any] = []
    if words and dialect == "sqlite":
        found_id: Any = SEARCH_INDEX.c.rowid
        # Without choices, sampled in the index, before any document is read.
        early = [found_id % bindparam("step") == 0] if sampled and not choices else []
        found = (select(found_id.label("document_id"), SEARCH_INDEX.c.rank)
                 .where(SEARCH_INDEX.c.search_index.op("MATCH")(bindparam("match")), *early).subquery("found"))
        query, rank = select().select_from(found).join(Document, Document.id == found.c.document_id), found.c.rank
        found_id = found.c.document_id
    elif words:
        query = query.join(Version, and_(Version.document_id == Document.id, Version.is_current))
        conditions.append(_vector().op("@@")(_tsquery()))
        rank = -func.ts_rank(_vector(), _tsquery())
        # (the versions' ids, found by their vectors' index: of the documents', PostgreSQL would
        # guess that few are kept, and read every document first)
        found_id = Version.document_id
    if sampled:
        in_sample, in_sample_all = found_id % bindparam("step") == 0, found_id % bindparam("step_all") == 0
        conditions.append(or_(in_sample, and_(*choices, in_sample_all)) if choices else in_sample)
        flags = [in_sample.label("in_sample"), in_sample_all.label("in_sample_all")]
    return (query.outerjoin(Force, Force.id == Document.force_id).where(*conditions)
            .add_columns(Document.id.label("document_id"), rank.label("rank"), Document.date.label("date"),
                         *(column.label(name) for name, column in FACETS.items()), *flags))


def _vector() -> Any:
    """PostgreSQL: a version's text-search vector, stored beside its text (migration 0004)."""
    return literal_column("versions.search_vector")


def _tsquery() -> Any:
    return func.websearch_to_tsquery("english", bindparam("match"))


def _best_first(found: Any) -> list:
    """Best match first; without words (every rank 0), newest first."""
    return [found.rank, found.date.is_(None), found.date.desc(), found.document_id.desc()]


@dataclass(frozen=True)
class Found:
    hits: Page[Hit]
    facets: list[Facet]
    facets_capped: int | None = None  # the unchosen facets counted this many of the matches (a sample), not all


FACETS = {"force": Force.name, "report": Document.report_id, "kind": Document.kind,
          "year": cast(Document.year, String)}


def search(store: Store, query: str, filters: Filters = Filters(), *, page: int = 1, per_page: int = 50,
           time_limit_ms: int | None = None) -> Page[Hit]:
    """Documents matching `query` and `filters`, best first (newest first without words), each
    with a snippet marking the matched words, and how many match: datasette's ranked query and
    its count, no facets (`search_with_facets`). Past `time_limit_ms` (default: the setting
    SCRUTINY_SEARCH_MS) it raises InvalidValue, the search too broad.

    On SQLite the matches are counted after the page, unless it is the last (the index counts
    its own matches in a fraction of the ranking's time); PostgreSQL finds them again to count
    them, in about half the ranking's time, so there they are counted beside the page."""
    asked = _asked(store, query, filters, page, per_page, time_limit_ms)
    if store.dialect != "sqlite":
        hits, total = _beside(store, asked, _total)
        return Page(hits, total, page, per_page)
    with store.session() as s, time_limit(s, asked.deadline):
        hits = _ranked(s, store, asked)
        if 0 < len(hits) < per_page or (page == 1 and not hits):  # the last page: the matches counted
            total = (page - 1) * per_page + len(hits)
        else:
            total = s.connection().scalar(asked.statements.counted, asked.values) or 0
    return Page(hits, total, page, per_page)


def search_with_facets(store: Store, query: str, filters: Filters = Filters(), *, page: int = 1,
                       per_page: int = 50, time_limit_ms: int | None = None) -> Found:
    """`search`, and how many matching documents each force, report, kind and year has (each
    count applies the words and every other filter; with words and more than FACET_SAMPLE
    matches, among an even sample of about that many, and a facet so counted says so in its
    `sample`; `Found.facets_capped` is how many of the matches the facets not chosen counted,
    when those are a sample).

    As datasette's ranked query and its count, at once on two connections: the facets (after
    the matches are counted, to know how many to sample; unless sampled, the facets' statement
    counts the matches with every filter too), and the page, its rows joined to what they show
    only once ranked; then the page's snippets."""
    asked = _asked(store, query, filters, page, per_page, time_limit_ms)
    hits, (facets, total, sampled) = _beside(store, asked, _counted)
    return Found(Page(hits, total, page, per_page), facets, sampled)


class Asked(NamedTuple):
    """A search as its statements take it (`_asked`)."""
    words: str
    statements: Statements
    values: dict[str, Any]  # the statements' bound parameters
    chosen: dict[str, str | None]  # each facet's chosen value
    deadline: Deadline


def _asked(store: Store, query: str, filters: Filters, page: int, per_page: int,
           time_limit_ms: int | None) -> Asked:
    check_page(page, per_page)
    words = _words(query)
    # (an empty value, as a form sends for "any", chooses nothing: as in `given`)
    chosen = {"force": filters.force or None, "report": filters.report or None, "kind": filters.kind or None,
              "year": str(filters.year) if filters.year else None}
    given = tuple(name for name, value in vars(filters).items() if value)
    values = _values(store.dialect, words, filters, chosen) | {"limit": per_page, "offset": (page - 1) * per_page}
    return Asked(words, _statements(store.dialect, bool(words), given), values, chosen,
                 Deadline(time_limit_ms or get_settings().search_ms, TOO_BROAD))


def _ranked(s: Session, store: Store, asked: Asked) -> list[Hit]:
    rows = s.connection().execute(asked.statements.page, asked.values).all()  # (Core's way: no ORM work)
    asked.deadline.check()
    return _hits(s, store, asked.words, rows, asked.deadline)


# The counts (and the facets) are worked out on a connection of their own while the page is
# ranked on another: for a broad search each takes about as long as the other, so a search
# takes the longer of the two, not both. (So such a search holds two connections: see the
# setting SCRUTINY_SEARCH_SLOTS.)
BESIDE = ThreadPoolExecutor(max_workers=16, thread_name_prefix="scrutiny-beside")
Counted = TypeVar("Counted")


def _beside(store: Store, asked: Asked, counting: Callable[[Store, Asked], Counted]) -> tuple[list[Hit], Counted]:
    """(the page's hits, what `counting` gives), the two worked out at once, each on a
    connection of its own."""
    # In the request's context, so that the client's going stops the counting's connection too.
    counted = BESIDE.submit(contextvars.copy_context().run, counting, store, asked)
    try:
        with store.session() as s, time_limit(s, asked.deadline):
            hits = _ranked(s, store, asked)
    except BaseException:
        counted.cancel()  # (if not yet begun; else it stops by the same deadline)
        wait([counted])  # its connection back before the search answers
        raise
    return hits, counted.result()


def _total(store: Store, asked: Asked) -> int:
    with store.session() as s, time_limit(s, asked.deadline):
        return s.connection().scalar(asked.statements.counted, asked.values) or 0


def _counted(store: Store, asked: Asked) -> tuple[list[Facet], int, int | None]:
    """(the facets, the total, how many of the matches with every choice the facets counted if
    a sample of them). Of more than FACET_SAMPLE matches (of the words and the filters but the
    facets' choices), a chosen facet counts one in every `step` of them, the others one in
    every `step_all` of the matches with every choice (1: all of them)."""
    statements, values, chosen, deadline = asked.statements, asked.values, asked.chosen, asked.deadline
    with store.session() as s, time_limit(s, deadline):
        c = s.connection()  # (Core's way: no ORM work)
        if statements.base_counted is None:  # no words: every match counted
            facets, total = read_counted_facets(c.execute(statements.facets, values), list(FACETS), chosen)
            return facets, total, None
        base = c.scalar(statements.base_counted, values) or 0  # (without filters, the index counts itself)
        step = step_all = 1
        counted_apart: int | None = None  # the total, when the facets' statement samples (else it counts it)
        if base > FACET_SAMPLE:
            deadline.check()
            counted_apart = base if statements.counted is statements.base_counted else c.scalar(
                statements.counted, values) or 0
            step, step_all = math.ceil(base / FACET_SAMPLE), max(1, math.ceil(counted_apart / FACET_SAMPLE))
            deadline.check()
        facets, counted = read_counted_facets(c.execute(statements.facets, values | {"step": step,
                                                                                       "step_all": step_all}),
                                              list(FACETS), chosen)
    if counted_apart is None:
        return facets, counted, None
    rates = {name: step if chosen[name] is not None else step_all for name in FACETS}
    unchosen = any(value is None for value in chosen.values())  # (else no facet counted the matches themselves)
    return ([replace(f, sample=rates[f.name]) if rates[f.name] > 1 else f for f in facets], counted_apart,
            counted if step_all > 1 and unchosen else None)


def _values(dialect: str, words: str, filters: Filters, chosen: dict[str, str | None]) -> dict[str, Any]:
    """The bound parameters of `_statements`' statements: the words, the filters' values and
    the facets' choices."""
    values: dict[str, Any] = {name: value for name, value in vars(filters).items() if value}
    values |= {f"chosen_{name}": value for name, value in chosen.items() if value is not None}
    if words:
        values["match"] = fts5_query(words) if dialect == "sqlite" else words
    return values


class Statements(NamedTuple):
    """The statements of every search of one shape (`_statements`)."""
    facets: CompoundSelect  # the facets' counts, and the matches' (with words, sampled: `_counted`)
    counted: Select  # how many documents match the words and filters
    base_counted: Select | None  # how many match the words and the filters but the facets' choices (None: no words)
    page: Select


@functools.lru_cache(maxsize=256)
def _statements(dialect: str, words: bool, given: tuple[str, ...]) -> Statements:
    """The statements of every search with words or without and these filters `given`, their
    values bound parameters (`_values`): built once, since building them takes longer than a
    rare word's search."""
    chosen: dict[str, Any] = {name: bindparam(f"chosen_{name}") if name in given else None for name in FACETS}
    only = {name: "in_sample" if name in given else "in_sample_all" for name in FACETS} | {ROWS: "in_sample_all"}
    facets = counted_facets(_matched(dialect, words, given, *FACETS, sampled=words), list(FACETS), chosen,
                            only if words else None)
    counted = _count(dialect, words, given)
    not_facets = tuple(name for name in given if name not in FACETS)
    base_counted = (counted if not_facets == given else _count(dialect, words, not_facets)) if words else None
    return Statements(facets, counted, base_counted, _page(dialect, words, given))


def _count(dialect: str, words: bool, given: tuple[str, ...]) -> Select:
    """How many documents match: without filters, the search index counts itself (SQLite's FTS5
    reads the words' lists of places; PostgreSQL, the current versions' vectors), no document
    read."""
    if words and not given and dialect == "sqlite":
        return (select(func.count()).select_from(SEARCH_INDEX)
                .where(SEARCH_INDEX.c.search_index.op("MATCH")(bindparam("match"))))
    if words and not given:
        return select(func.count()).select_from(Version).where(Version.is_current, _vector().op("@@")(_tsquery()))
    return select(func.count()).select_from(_matched(dialect, words, given).subquery())


def _page(dialect: str, words: bool, given: tuple[str, ...]) -> Select:
    """One page of the matches (bound parameters "limit" and "offset"), best first: (document
    id, rank, force, report id, report title, kind, date, snippet or None). The matches are
    ranked alone and only the page's rows joined to what they show.

    Words without filters on SQLite: datasette's ranked query, FTS5 ranking and limiting in its
    own index, but ordered by bm25() itself rather than by FTS5's `rank` column: SQLite then
    keeps only the page's rows as it goes (its top-N sort), where `ORDER BY rank` has FTS5 sort
    every match first (for a word in every document, a third of the time). Ties go to the
    document stored last (the ranking reads no document, so not by date as elsewhere).

    Words on SQLite: the snippets of the page's texts of at most snippets.PIECE_CHARS
    characters are FTS5's own, made in the index once the page is ranked, so for its rows
    alone. (The words' matches are scanned again and the page's rows kept from them: `rowid +
    0`, or FTS5 would match the words again for each row. snippet() in the ranking itself would
    be made for every row the ranking keeps on its way.) A longer text (FTS5's snippet() takes
    time that grows with the square of its matches), and every text on PostgreSQL, has its
    snippet made afterwards from pieces (`snippets.from_texts`)."""
    in_index = words and dialect == "sqlite" and not given  # (ranked in the index alone)
    if in_index:
        bm25 = func.bm25(SEARCH_INDEX.c.search_index)
        ranked: Any = (select(SEARCH_INDEX.c.rowid.label("document_id"), bm25.label("rank"))
                       .where(SEARCH_INDEX.c.search_index.op("MATCH")(bindparam("match")))
                       .order_by(bm25, SEARCH_INDEX.c.rowid.desc()))
    else:
        found = _matched(dialect, words, given).subquery("matched")
        ranked = select(found.c.document_id, found.c.rank, found.c.date).order_by(*_best_first(found.c))
    ranked = ranked.limit(bindparam("limit")).offset(bindparam("offset"))
    indexed = words and dialect == "sqlite"
    if indexed:  # (used twice: ranked once, and its rows kept)
        ranked = ranked.cte("page")
        ranked = ranked.prefix_with("MATERIALIZED", dialect="sqlite") if KEEPS_ROWS_WHEN_TOLD else ranked
    else:
        ranked = ranked.subquery("page")
    order = [ranked.c.rank, ranked.c.document_id.desc()] if in_index else _best_first(ranked.c)
    query = (select(ranked.c.document_id, ranked.c.rank, Force.name, Document.report_id,
                    func.coalesce(Report.title, Document.report_title), Document.kind, Document.date)
             .select_from(ranked).join(Document, Document.id == ranked.c.document_id)
             .outerjoin(Force, Force.id == Document.force_id).outerjoin(Report, Report.id == Document.report_id))
    if not indexed:
        return query.add_columns(literal(None, String)).order_by(*order)
    short = func.length(SEARCH_INDEX.c.text) <= snippets.PIECE_CHARS
    snippet = func.snippet(SEARCH_INDEX.c.search_index, 0, snippets.MARK_OPEN, snippets.MARK_CLOSE, "…", 24)
    indexed_snippets = (select(SEARCH_INDEX.c.rowid.label("document_id"), case((short, snippet)).label("snippet"))
                        .where(SEARCH_INDEX.c.search_index.op("MATCH")(bindparam("match")),
                               (SEARCH_INDEX.c.rowid + 0).in_(select(ranked.c.document_id))).subquery("snippets"))
    return (query.add_columns(indexed_snippets.c.snippet)
            .outerjoin(indexed_snippets, indexed_snippets.c.document_id == ranked.c.document_id).order_by(*order))


def _hits(s: Session, store: Store, words: str, rows: Sequence[tuple], deadline: Deadline) -> list[Hit]:
    """The hits of a page's rows (`_page`): a hit without a snippet yet has it made from its
    text (`snippets.from_texts`)."""
    missing = [r[0] for r in rows if r[7] is None]
    made = snippets.from_texts(s, store.dialect, words, missing, deadline) if missing else {}
    return [Hit(d, force, report_id, title, kind, date, snippets.as_html(snippet or made.get(d) or ""), float(rank))
            for d, rank, force, report_id, title, kind, date, snippet in rows]
