"""A search hit's snippet: the passage of its text with the words searched for marked.

A snippet is made for the page's hits alone, and from a bounded part of each text. Where FTS5
makes it in the search index (`search._page`: texts of at most PIECE_CHARS characters), it is
FTS5's own; every other hit's is made here, from pieces of its text (`from_texts`).
"""
from __future__ import annotations

import html
import sqlite3

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from .engine import Deadline
from .index import SNIPPET_MARKS, blank_marks, fts5_query
from .schema import Version

MARK_OPEN, MARK_CLOSE = SNIPPET_MARKS[0], SNIPPET_MARKS[1]  # blanked in the text searched, so only a match is marked
LEAD_CHARS = 300  # the opening of a document, shown where no words were searched for
# A long text's snippet is made from pieces of it, never the whole: FTS5's snippet() works in
# time that grows with the square of the matches in what it is given (a 1.4 MB letter with a
# common word: seconds), ts_headline with the text's length. Each document's text is read in
# rounds, a longer stretch each time (PIECE_CHARS, then 4 times as much...), cut into pieces;
# the first piece with every word ends it; else the first with any word is kept, and after
# ROUNDS (about 340,000 characters) the snippet is that piece's, or the opening's.
PIECE_CHARS = 4_000
OVERLAP_CHARS = 200  # pieces overlap by this much, so that a phrase is whole in one of them
ROUNDS = 4
SNIPPET_OPTIONS = (f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=40, MinWords=15, MaxFragments=2, "
                   "FragmentDelimiter=' … '")


def as_html(raw: str) -> str:
    """A snippet (its marks around the matched words) as HTML: the text escaped, the marks <mark>."""
    escaped = html.escape(" ".join(raw.split()))
    return escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")


def from_texts(s: Session, dialect: str, words: str, document_ids: list[int], deadline: Deadline) -> dict[int, str]:
    """Each document's snippet (its matched words between the marks), made from pieces of its
    text (see PIECE_CHARS); where its words are not found in what is read, or none were given,
    its text's opening."""
    made = _from_pieces(s, dialect, words, document_ids, deadline) if words else {}
    missing = [d for d in document_ids if d not in made]
    if missing:
        lead = func.substr(Version.text, 1, LEAD_CHARS)
        made |= dict(s.execute(select(Version.document_id, func.replace(func.replace(lead, MARK_OPEN, " "),
                                                                          MARK_CLOSE, " "))
                               .where(Version.document_id.in_(missing), Version.is_current)).all())
    return made


def _from_pieces(s: Session, dialect: str, words: str, document_ids: list[int], deadline: Deadline) -> dict[int, str]:
    """Each document's snippet (its matched words between the marks), made from pieces of its
    text (see PIECE_CHARS): a document none of whose words is found in what is read has none."""
    best: dict[int, tuple[bool, str]] = {}
    pending, start, span = list(document_ids), 1, PIECE_CHARS
    for _ in range(ROUNDS):
        deadline.check()
        stretch = func.substr(Version.text, start, span + OVERLAP_CHARS)
        texts: dict[int, str] = dict(s.execute(select(Version.document_id, stretch)
                                               .where(Version.document_id.in_(pending), Version.is_current)).all())
        # A text read whole is one piece, which has every word: its document was found by them.
        pieces = [(d, piece, start == 1 and len(texts.get(d) or "") < span + OVERLAP_CHARS)
                  for d in pending for piece in _cut(texts.get(d) or "", start > 1, span)]
        found = (_first_pieces_sqlite if dialect == "sqlite" else _first_pieces_postgresql)(
            s, words, pieces, deadline)
        for d, (whole, snippet) in found.items():
            if d not in best:
                best[d] = (whole, snippet)
            elif whole:
                best[d] = (True, snippet)
        pending = [d for d in pending if not best.get(d, (False, ""))[0] and len(texts.get(d) or "") > span]
        if not pending:
            break
        start, span = start + span, span * 4
    return {d: snippet for d, (_, snippet) in best.items()}


def _cut(text: str, mid_text: bool, span: int) -> list[str]:
    """A stretch of text (`span` characters and the overlap) as pieces, each without the words
    cut at its ends (the overlap has them whole), and the snippet marks blanked."""
    pieces = []
    for at in range(0, min(len(text), span), PIECE_CHARS):
        end = at + PIECE_CHARS + OVERLAP_CHARS
        piece = text[at:end]
        if end < len(text):  # (the overlap: a few words, so these loops are short)
            cut = len(piece)
            while cut and not piece[cut - 1].isspace():
                cut -= 1
            piece = piece[:cut]
        if at or mid_text:
            cut = 0
            while cut < len(piece) and not piece[cut].isspace():
                cut += 1
            piece = piece[cut:]
        pieces.append(blank_marks(piece))
    return pieces


def _first_pieces_sqlite(_s: Session, words: str, pieces: list[tuple[int, str, bool]],
                         deadline: Deadline) -> dict[int, tuple[bool, str]]:
    """For each document among the pieces (document id, text, whether the text is the whole
    document's: PostgreSQL's only, here each piece is indexed anyway), (whether it has every
    word, FTS5's snippet) of its first piece with every word, else of its first with any: made
    in an FTS5 table of their own, in memory, tokenized as the search index is (migration 0001)."""
    memory = sqlite3.connect(":memory:")
    try:
        deadline.watch(memory)
        memory.execute("CREATE VIRTUAL TABLE piece USING fts5(text, tokenize='porter unicode61')")
        memory.executemany("INSERT INTO piece(rowid, text) VALUES (?, ?)",
                           [(i, text) for i, (_, text, _) in enumerate(pieces, 1)])
        every = {r for (r,) in memory.execute("SELECT rowid FROM piece WHERE piece MATCH ?", (fts5_query(words),))}
        first: dict[int, int] = {}
        for (rowid,) in memory.execute("SELECT rowid FROM piece WHERE piece MATCH ? ORDER BY rowid",
                                       (fts5_query(words, " OR "),)):
            d = pieces[rowid - 1][0]
            if d not in first or (rowid in every and first[d] not in every):
                first[d] = rowid
        if not first:
            return {}
        rows = memory.execute(f"SELECT rowid, snippet(piece, 0, ?, ?, '…', 24) FROM piece WHERE piece MATCH ? "
                              f"AND rowid IN ({','.join('?' * len(first))})",
                              (MARK_OPEN, MARK_CLOSE, fts5_query(words, " OR "), *first.values()))
        return {pieces[rowid - 1][0]: (rowid in every, snippet) for rowid, snippet in rows}
    except sqlite3.OperationalError as exc:
        if deadline.interrupted(exc):
            raise deadline.error() from None
        raise
    finally:
        memory.close()


def _first_pieces_postgresql(s: Session, words: str, pieces: list[tuple[int, str, bool]],
                             _deadline: Deadline) -> dict[int, tuple[bool, str]]:
    """`_first_pieces_sqlite` on PostgreSQL: ts_headline of the first piece with every word,
    else the first with any (the query's ANDs made ORs), under the session's statement_timeout.
    A document's whole text is not parsed to be searched again (parsing is most of the work:
    ~0.3 ms for 1,600 characters), only for its headline."""
    if not pieces:
        return {}
    rows = s.execute(text(
        "SELECT d, whole, ts_headline('english', piece, q, :options) FROM ("
        " SELECT DISTINCT ON (p.d) p.d, p.piece, q.q,"
        "  CASE WHEN p.entire THEN true ELSE to_tsvector('english', p.piece) @@ q.q END AS whole"
        " FROM unnest(CAST(:documents AS integer[]), CAST(:pieces AS text[]), CAST(:entire AS boolean[]))"
        "  WITH ORDINALITY AS p(d, piece, entire, i),"
        " (SELECT websearch_to_tsquery('english', :words) AS q) AS q"
        " WHERE CASE WHEN p.entire THEN true"
        "  ELSE to_tsvector('english', p.piece) @@ replace(q.q::text, '&', '|')::tsquery END"
        " ORDER BY p.d, whole DESC, p.i) AS first"),
        {"options": SNIPPET_OPTIONS, "words": words, "documents": [d for d, _, _ in pieces],
         "pieces": [piece for _, piece, _ in pieces], "entire": [entire for _, _, entire in pieces]})
    return {d: (whole, snippet) for d, whole, snippet in rows}
