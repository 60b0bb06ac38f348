"""The full-text index a search reads: SQLite's FTS5 table, kept by every write of a current
version; PostgreSQL indexes the versions' text itself, so there is nothing to keep there."""
from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.orm import Session

from ..errors import InvalidValue

# Search snippets mark matched words with these two characters, so the text searched has them
# blanked: a document holding them cannot forge a mark.
SNIPPET_MARKS = "\x02\x03"


def index(s: Session, documents: list[tuple[int, str]]) -> None:
    """Add (document id, its current text) to the search index."""
    if s.get_bind().dialect.name == "sqlite" and documents:
        s.execute(text("INSERT INTO search_index(rowid, text) VALUES (:id, :text)"),
                  [{"id": document_id, "text": blank_marks(body)} for document_id, body in documents])


def unindex(s: Session, document_id: int) -> None:
    """Take a document's text (its version no longer current) out of the search index."""
    if s.get_bind().dialect.name == "sqlite":
        s.execute(text("DELETE FROM search_index WHERE rowid = :id"), {"id": document_id})


def blank_marks(body: str) -> str:
    for mark in SNIPPET_MARKS:  # (str.replace: a text rarely holds one, and translate() walks every character)
        body = body.replace(mark, " ")
    return body


def fts5_query(query: str, joined: str = " ") -> str:
    """The user's words as an FTS5 query: each word or "quoted phrase" must occur (joined by
    " OR ": any of them)."""
    phrases = re.findall(r'"([^"]+)"|(\S+)', query)
    terms = []
    for phrase, word in phrases:
        words = re.findall(r"\w+", phrase or word)
        if words:
            terms.append('"' + " ".join(words) + '"')
    if not terms:
        raise InvalidValue("q: give at least one word")
    return joined.join(terms)
