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
from .text import lowered

# A quotation and its speaker: 'said: "', '," said'. Found from the verb (str.find), then confirmed.
_SAID_VERBS = ("said", "says", "added", "commented")
_QUOTE_AFTER = re.compile(r"\s*[:,]?\s*[\"“']")
_QUOTE_BEFORE = re.compile(r"[\"”']\s*,?\s*\Z")
# A letter whose salutation the excerpt lacks: 'I am writing to you in response to', or the
# Home Office's address in its address block.
_LETTER = ("i am writing to you", "i write to you", "marsham street")
# A page's marks: its stamp at the start of a line, its navigation, its cookie notice.
_PAGE_MARKS = ("\nposted", "\ncreated", "\npublished", "\nlast updated", "skip to", "cookie", "accessibility")


def document_kind(text: str, media_type: str, salutation: int | None) -> DocumentKind:
    if salutation is not None:
        end = text.find("\n", salutation)
        return DocumentKind("letter", [Span(salutation, len(text) if end < 0 else end)])
    valediction = valediction_at(text)
    if valediction is not None:
        end = text.find("\n", valediction)
        return DocumentKind("letter", [Span(valediction, len(text) if end < 0 else end)])
    low = lowered(text)
    for cue in _LETTER:
        at = low.find(cue)
        if at >= 0:
            return DocumentKind("letter", [Span(at, at + len(cue))])
    said = _said(text, low)
    if said is not None:
        return DocumentKind("statement", [said])
    marks = [(at + (mark[0] == "\n"), at + len(mark)) for mark in _PAGE_MARKS if (at := low.find(mark)) >= 0]
    if marks:
        return DocumentKind("web page", [Span(*min(marks))])
    if media_type == "text/html":
        return DocumentKind("web page", [])
    return DocumentKind("other", [])


def _said(text: str, low: str) -> Span | None:
    """The first 'said' that introduces or closes a quotation."""
    found = []
    for verb in _SAID_VERBS:
        at = low.find(verb)
        while at >= 0:
            end = at + len(verb)
            if (not at or not low[at - 1].isalpha()) and (end == len(low) or not low[end].isalpha()):
                after = _QUOTE_AFTER.match(text, end)
                if after is not None:
                    found.append(Span(at, after.end()))
                    break
                before = _QUOTE_BEFORE.search(text, max(0, at - 4), at)
                if before is not None:
                    found.append(Span(before.start(), end))
                    break
            at = low.find(verb, end)
    return min(found) if found else None
