"""Text segmentation shared by the extractors: paragraphs, sentences, word stems.

A single newline inside a paragraph is treated as a space, because PDFs wrap lines where
the typesetter chose to; blank lines and sentence punctuation are what separate units.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Sequence

from ..record import Span

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# One pattern per punctuation mark, each beginning with it: the regex engine skips ahead to
# a literal character about ten times faster than to a class such as [.!?;].
_SENTENCE_ENDS = [(mark, re.compile(re.escape(mark) + r"\s+(?=[\"'(]?[A-Z0-9])")) for mark in ".!?;"]
# Words for matching are found in an ASCII copy of the text (one byte per character, so
# offsets hold; anything else becomes '?'), lower-cased, with everything but letters, digits
# and apostrophes turned into spaces: bytes.translate and split run at C speed, several
# times faster than a regex tokenizer or str.translate.
_TO_SPACES = bytes(c if (chr(c).isalnum() or c == ord("'")) else 32 for c in range(256))


def _clean(text: str) -> bytes:
    return text.encode("ascii", "replace").lower().translate(_TO_SPACES)


@lru_cache(maxsize=4)
def lowered(text: str) -> str:
    """text.lower() with the same offsets: a character whose lower case is longer stays as it is."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


class _Index(NamedTuple):
    padded: bytes  # the cleaned text with a space on either side, for str.find of " word "
    words: frozenset[bytes]  # its distinct words (and _BETWEEN, which no search asks for)
    paragraphs: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    tokens: list[bytes]  # the words of each sentence in order, each sentence's followed by _BETWEEN


# Between sentences in _Index.tokens: a control character, which the cleaned text never holds.
_BETWEEN = b"\x01"


@lru_cache(maxsize=4)
def _index(text: str) -> _Index:
    """The letter's words and units, computed once and shared by every extractor. One split
    of the text, cut at sentence ends, gives both the word set and each sentence's words: a
    single call into C instead of one per sentence."""
    padded = b" " + _clean(text) + b" "
    paras = _paragraphs(text)
    bounds = _sentences(text, paras)
    tokens = b" \x01 ".join(padded[start + 1: end + 1] for start, end in bounds).split()  # +1: padding
    tokens.append(_BETWEEN)
    return _Index(padded, frozenset(tokens), paras, bounds, tokens)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def _sentences(text: str, paras: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of each sentence; a sentence never crosses a paragraph break."""
    ends = []  # (end of a sentence, start of the next)
    for mark, pattern in _SENTENCE_ENDS:
        if mark in text:
            ends += [(m.start() + 1, m.end()) for m in pattern.finditer(text)]
    ends.sort()
    out = []
    k = 0
    for pstart, pend in paras:
        while k < len(ends) and ends[k][0] <= pstart:
            k += 1
        pos = pstart
        while k < len(ends) and ends[k][1] <= pend:
            out.append((pos, ends[k][0]))
            pos = ends[k][1]
            k += 1
        out.append((pos, pend))
    return out


def words_in(text: str) -> frozenset[bytes]:
    """The distinct words of `text`, lower case, as bytes (see _clean)."""
    return _index(text).words


def words_between(text: str, start: int, end: int) -> frozenset[bytes]:
    """The distinct words of text[start:end], from the word index (a word cut at either
    end is kept as its part)."""
    return frozenset(_index(text).padded[start + 1: end + 1].split())  # +1: the padding


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
    stems: list[str]  # its content words' stems, in order

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
    """word (bytes) -> stem, or '' for a stopword; filled on first sight (letters share a vocabulary)."""

    def __missing__(self, word: bytes) -> str:
        text = word.decode("ascii")
        value = self[word] = "" if text in STOPWORDS else stem(text)
        return value


_STEMS = _StemCache()
_STEMS[_BETWEEN] = "\x01"  # kept, so sentences() can cut the stems at it


def tokens(text: str) -> list[bytes]:
    """The words of a short text as the word index holds them (see words_in)."""
    return _clean(text).split()


def content_stems(text: str) -> list[str]:
    """Stems of the content words of `text`, in order (stopwords dropped)."""
    return list(filter(None, map(_STEMS.__getitem__, _clean(text).split())))


def bigrams(stems: Sequence[str]) -> frozenset[tuple[str, str]]:
    return frozenset(zip(stems, stems[1:]))


@lru_cache(maxsize=64)
def _needles(words: tuple[str, ...]) -> tuple[dict[bytes, list[tuple[str, bytes]]], frozenset[bytes]]:
    """For a word list, once: its entries by first word (as bytes), each with the word padded
    with spaces; and the set of first words."""
    by_first: dict[bytes, list[tuple[str, bytes]]] = {}
    for w in words:
        by_first.setdefault(w.split()[0].encode("ascii"), []).append((w, b" " + w.encode("ascii") + b" "))
    return by_first, frozenset(by_first)


def word_positions(text: str, words: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(start, end, word) of each whole-word, case-insensitive occurrence of `words` (lower
    case; a word may contain spaces). Uses str.find on a cleaned copy of the text, which is
    far faster than a regex alternation tried at every position."""
    index = _index(text)
    padded, present = index.padded, index.words
    by_first, firsts = _needles(words)
    out = []
    for first in firsts & present:  # search only for the words that occur at all
        for word, needle in by_first[first]:
            at = padded.find(needle)
            while at >= 0:
                out.append((at, at + len(word), word))  # padded[at] is the space before the word
                at = padded.find(needle, at + len(word))
    out.sort()
    return out


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: runs of text between blank lines."""
    return _index(text).paragraphs


def sentences(text: str) -> list[Sentence]:
    """Sentences with their stems; a heading or list item on its own line is a sentence too."""
    index = _index(text)
    stems = list(filter(None, map(_STEMS.__getitem__, index.tokens)))
    out, i = [], 0
    new = tuple.__new__  # what Sentence(...) calls, minus a Python-level call per sentence
    for start, end in index.sentences:
        j = stems.index("\x01", i)
        out.append(new(Sentence, (start, end, stems[i:j])))
        i = j + 1
    return out


def whole_word(text: str, start: int, end: int, joiners: str = "") -> bool:
    """Whether text[start:end] is not part of a longer word (letters, digits, and `joiners`)."""
    return (start == 0 or not (text[start - 1].isalnum() or text[start - 1] in joiners)) and (
        end == len(text) or not (text[end].isalnum() or text[end] in joiners))


def spans_of(text: str, phrase: str) -> list[Span]:
    """Every occurrence of `phrase` in `text`, any whitespace between its words (a PDF may
    break a name across lines). No regex: each letter has its own names, and compiling a
    pattern per letter costs more than the search."""
    first, *rest = phrase.split()
    out = []
    at = text.find(first)
    while at >= 0:
        end = at + len(first)
        for word in rest:
            gap = end
            while gap < len(text) and text[gap].isspace():
                gap += 1
            if gap == end or not text.startswith(word, gap):
                break
            end = gap + len(word)
        else:
            if whole_word(text, at, end):
                out.append(Span(at, end))
        at = text.find(first, at + 1)
    return out


def squash(text: str) -> str:
    """Collapse whitespace: how a value quoted from a span is written."""
    return " ".join(text.split())
