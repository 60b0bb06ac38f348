"""What the document is: a letter, a web page, a press statement, or other.

A letter has a salutation or a valediction ('Dear Home Secretary', 'Yours sincerely'), or
says it is one ('I am writing to you'); a statement quotes someone who 'said'; a web page
is an HTML page or carries a page's marks ('Posted on', 'Skip to content', cookie notices).
The record keeps the words that decided.
"""
from __future__ import annotations

import re

from ..record import DocumentKind, Span
from .parties import valediction_at

_SAID = re.compile(r"\b(?:said|says|added|commented)\b\s*[:,]?\s*[\"“']|[\"”']\s*,?\s*(?:said|says|added)\b")
# A letter whose salutation the excerpt lacks: 'I am writing to you in response to', or the
# Home Office's address in its address block.
_LETTER = re.compile(r"\bI am writing to you\b|\bI write to you\b|\bMarsham Street\b")
_PAGE_MARKS = re.compile(r"(?:^|\n)[ \t]*(?:posted|created|published|last updated)(?:\s+on)?\s*:?|skip to (?:main )?content"
                         r"|cookies?\b|accessibility", re.IGNORECASE)


def document_kind(text: str, media_type: str, salutation: int | None) -> DocumentKind:
    if salutation is not None:
        end = text.find("\n", salutation)
        return DocumentKind("letter", [Span(salutation, len(text) if end < 0 else end)])
    valediction = valediction_at(text)
    if valediction is not None:
        end = text.find("\n", valediction)
        return DocumentKind("letter", [Span(valediction, len(text) if end < 0 else end)])
    letter = _LETTER.search(text)
    if letter is not None:
        return DocumentKind("letter", [Span(letter.start(), letter.end())])
    said = _SAID.search(text)
    if said is not None:
        return DocumentKind("statement", [Span(said.start(), said.end())])
    mark = _PAGE_MARKS.search(text)
    if mark is not None:
        start = mark.start() + (text[mark.start()] == "\n")
        return DocumentKind("web page", [Span(start, mark.end())])
    if media_type == "text/html":
        return DocumentKind("web page", [])
    return DocumentKind("other", [])
