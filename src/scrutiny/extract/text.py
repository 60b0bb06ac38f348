"""Text segmentation shared by the extractors: paragraphs, sentences, word stems.

A single newline inside a paragraph is treated as a space, because PDFs wrap lines where
the typesetter chose to; blank lines and sentence punctuation are what separate units.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from ..record import Span

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"'(]?[A-Z0-9])")
# Words for matching: lower-cased, split on anything but letters, digits and apostrophes.
# str.translate + split is several times faster than a regex tokenizer.
_TO_SPACES = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "'")})

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their theirs them then there these they this those through
    to too under until up very was we were what when where which while who whom why will with
    would you your may must need needs don t s""".split()
)


class Sentence(NamedTuple):
    start: int
    end: int
    paragraph: int
    stems: frozenset[str]
    bigrams: frozenset[tuple[str, str]]

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


def stem(word: str) -> str:
    """A crude suffix-stripping stem: enough to equate 'reducing'/'reduce', 'reviews'/'review'."""
    w = word.lower().strip("'-")
    if not w:
        return w
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in ("isation", "ization", "ations", "ation", "ments", "ment", "ings", "ing", "ies",
                   "ied", "ed", "es", "s", "e", "y"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


class _StemCache(dict):
    """word -> stem, or '' for a stopword; filled on first sight (letters share a vocabulary)."""

    def __missing__(self, word: str) -> str:
        value = self[word] = "" if word in STOPWORDS else stem(word)
        return value


_STEMS = _StemCache()


def content_stems(text: str) -> list[str]:
    """Stems of the content words of `text`, in order (stopwords dropped)."""
    return [s for s in map(_STEMS.__getitem__, text.lower().translate(_TO_SPACES).split()) if s]


def bigrams(stems: list[str]) -> frozenset[tuple[str, str]]:
    return frozenset(zip(stems, stems[1:]))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: runs of text between blank lines."""
    spans, pos = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def sentences(text: str) -> list[Sentence]:
    """Sentences with their stems; a heading or list item on its own line is a sentence too."""
    out = []
    for p, (pstart, pend) in enumerate(paragraphs(text)):
        chunk = text[pstart:pend]
        pos = 0
        for m in _SENTENCE_END.finditer(chunk):
            out.append(_sentence(text, pstart + pos, pstart + m.start(), p))
            pos = m.end()
        out.append(_sentence(text, pstart + pos, pend, p))
    return out


def _sentence(text: str, start: int, end: int, paragraph: int) -> Sentence:
    stems = content_stems(text[start:end])
    return Sentence(start, end, paragraph, frozenset(stems), bigrams(stems))


def spans_of(text: str, phrase: str) -> list[Span]:
    """Every occurrence of `phrase` in `text`, any whitespace between its words."""
    pattern = r"\s+".join(map(re.escape, phrase.split()))
    return [Span(m.start(), m.end()) for m in re.finditer(pattern, text)]


def squash(text: str) -> str:
    """Collapse whitespace: how a value quoted from a span is written."""
    return " ".join(text.split())
