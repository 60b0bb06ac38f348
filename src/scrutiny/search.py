"""Full-text search over stored letters: SQLite FTS5, or PostgreSQL's own text search.

This is how a force finds practice elsewhere: "deferred prosecution" or "outcome 22" returns
the passages, each naming its force, report and letter, with the matched words marked.
Filters (report, force, recommendation, stance, year) apply to the letters' digests.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from sqlalchemy import text as sql

from .store import SNIPPET_MARKS, Store

MARK_OPEN, MARK_CLOSE = SNIPPET_MARKS[0], SNIPPET_MARKS[1]  # blanked in the text searched, so only a match is marked


@dataclass(frozen=True)
class Filters:
    report: str | None = None
    force: str | None = None
    recommendation: int | None = None
    stance: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Hit:
    letter_id: int
    force: str | None
    report_id: str | None
    report_title: str | None
    letter_date: str | None
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


def _matches(digest: dict, f: Filters) -> bool:
    if f.report and digest["report_id"] != f.report:
        return False
    if f.force and digest["force"] != f.force:
        return False
    if f.year and not (digest["letter_date"] or "").startswith(str(f.year)):
        return False
    if f.recommendation or f.stance:
        answers = [a for a in digest["answers"] if a["addressed"]]
        if f.recommendation:
            answers = [a for a in answers if a["number"] == f.recommendation]
        if f.stance:
            answers = [a for a in answers if a["stance"] == f.stance]
        return bool(answers)
    return True


def search(store: Store, query: str, filters: Filters = Filters(), limit: int = 50) -> list[Hit]:
    """Letters matching `query`, best first, each with a highlighted snippet."""
    query = query.replace("\x00", " ")  # PostgreSQL takes no NUL in text; it means nothing here
    if not query.strip():
        return []
    if store.dialect == "sqlite":
        fts = _fts5_query(query)
        if not fts:
            return []
        statement = sql(
            "SELECT v.letter_id, snippet(search_index, 0, :open, :close, '…', 24), bm25(search_index) "
            "FROM search_index JOIN versions v ON v.id = search_index.rowid "
            "WHERE search_index MATCH :q ORDER BY bm25(search_index) LIMIT 500"
        )
        params = {"q": fts, "open": MARK_OPEN, "close": MARK_CLOSE}
    else:
        statement = sql(
            "SELECT v.letter_id, ts_headline('english', translate(v.text, :marks, '  '), q, :options), "
            "-ts_rank(to_tsvector('english', v.text), q) AS rank "
            "FROM versions v, websearch_to_tsquery('english', :q) q "
            "WHERE v.is_current AND to_tsvector('english', v.text) @@ q ORDER BY rank LIMIT 500"
        )
        params = {"q": query, "marks": SNIPPET_MARKS, "options": f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=40, MinWords=15, "
                                         "MaxFragments=2, FragmentDelimiter=' … '"}
    with store.engine.connect() as connection:
        found = connection.execute(statement, params).all()
    digests = {letter_id: d for letter_id, _, d in store.digests()} if found else {}
    hits = []
    for letter_id, snippet, rank in found:
        d = digests.get(letter_id)
        if d is None or not _matches(d, filters):
            continue
        hits.append(Hit(letter_id, d["force"], d["report_id"], d["report_title"], d["letter_date"],
                        _snippet_html(snippet), float(rank)))
        if len(hits) >= limit:
            break
    return hits
