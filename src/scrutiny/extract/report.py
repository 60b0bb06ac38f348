"""Which inspection report the letter answers: a fuzzy match against the catalogue, or the
title as the letter writes it when the report is not catalogued."""
from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz

from ..catalogue import Report
from ..record import Span
from .text import STOPWORDS, lowered, paragraphs

MIN_SCORE = 85
TITLE_WORDS_MIN = 0.75  # share of a title's words a passage (or the letter) must hold to be compared


@dataclass(frozen=True)
class TitleMatch:
    report: Report | None
    title: str
    score: float
    span: Span


@cache
def _variants(report: Report) -> tuple[tuple[tuple[str, frozenset[str]], ...], frozenset[str]]:
    """(lower-cased variant, its content words) for the title and each title variant; and
    the words of them all."""
    out = []
    for variant in (report.title, *report.title_variants):
        low = variant.lower()
        out.append((low, frozenset(w for w in re.findall(r"[a-z0-9]+", low) if w not in STOPWORDS)))
    return tuple(out), frozenset().union(*(words for _, words in out))


def match_catalogue(text: str, reports: tuple[Report, ...]) -> TitleMatch | None:
    """The catalogue report whose title (or a variant) best matches a passage of the letter.

    Only paragraphs holding most of a title's words are compared, so the fuzzy alignment
    runs on a handful of passages, not the whole letter or every report.
    """
    low = lowered(text)
    paras = paragraphs(text)
    best: TitleMatch | None = None
    held: dict[str, bool] = {}  # title word -> whether the letter holds it; titles share words
    for report in reports:
        variants, vocabulary = _variants(report)
        # Cheap test first: most reports in a catalogue are not mentioned at all.
        if not _mentioned(low, variants, held):
            continue
        present = {w for w in vocabulary if _holds(low, w, held)}
        in_paragraph = _words_by_paragraph(low, present, paras)
        for variant, words in variants:
            if best is not None and best.report is report and best.score >= 0.99:
                break  # the full title is there: a variant cannot do better
            for (start, end), found in zip(paras, in_paragraph):
                if len(words & found) < TITLE_WORDS_MIN * len(words):
                    continue
                chunk = low[start:end]
                alignment = fuzz.partial_ratio_alignment(variant, chunk, score_cutoff=MIN_SCORE)
                if alignment is None or alignment.score < MIN_SCORE:
                    continue
                span = Span(start + alignment.dest_start, start + alignment.dest_end)
                # Longer variants are stronger evidence; the full title beats a loose mention.
                score = alignment.score / 100 * (1.0 if variant == report.title.lower() else 0.98)
                if best is None or score > best.score or (score == best.score and span.start < best.span.start):
                    best = TitleMatch(report, report.title, round(score, 3), _trim(text, span))
    return best


def _holds(low: str, word: str, held: dict[str, bool]) -> bool:
    """Whether the text holds `word` (anywhere, as in 'inspections'), remembered in `held`."""
    if word not in held:
        held[word] = word in low
    return held[word]


def _mentioned(low: str, variants: tuple[tuple[str, frozenset[str]], ...], held: dict[str, bool]) -> bool:
    """Whether the text holds TITLE_WORDS_MIN of some variant's words. A variant is given up
    as soon as too many of its words are missing, which spares most of the searches for a
    report the letter does not name."""
    for _, words in variants:
        may_miss = len(words) - math.ceil(TITLE_WORDS_MIN * len(words))
        for w in words:
            if not _holds(low, w, held):
                may_miss -= 1
                if may_miss < 0:
                    break
        else:
            return True
    return False


def _words_by_paragraph(low: str, words: set[str], paras: list[tuple[int, int]]) -> list[set[str]]:
    """For each paragraph, which of `words` it contains (found by position, not by slicing)."""
    starts = [start for start, _ in paras]
    out: list[set[str]] = [set() for _ in paras]
    for w in words:
        at = low.find(w)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            if i >= 0 and at < paras[i][1]:
                out[i].add(w)
                at = low.find(w, paras[i][1])  # once per paragraph is enough
            else:
                at = low.find(w, at + 1)
    return out


def _trim(text: str, span: Span) -> Span:
    """Shrink a span to whole words without surrounding spaces or punctuation."""
    start, end = span.start, span.end
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return Span(start, end)


_QUOTED_TITLE = re.compile(r"\breport\s+(?:entitled\s+|titled\s+|called\s+)?[\"'](?P<title>[A-Z][^\"'\n]{8,160})[\"']")
_SUBJECT = re.compile(
    r"^(?:re:\s*|subject:\s*|response\s+to\s+)?(?:hmicfrs\s*)?(?:report\s*)?[:\-]?\s*(?P<title>[A-Z][^\n]{10,160}?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_TITLE_WORDS = re.compile(r"inspection|report|review|peel|thematic|hmicfrs", re.IGNORECASE)


def stated_title(text: str, salutation: int | None) -> TitleMatch | None:
    """The report's title as the letter writes it: a quoted title after 'report', else the
    subject line under the salutation if it reads like a report's title."""
    m = _QUOTED_TITLE.search(text)
    if m:
        return TitleMatch(None, m.group("title").strip(), 0.0, Span(m.start("title"), m.end("title")))
    if salutation is None:
        return None
    line_end = text.find("\n", salutation)
    if line_end < 0:
        return None
    m = _SUBJECT.match(text, line_end + len(text[line_end:]) - len(text[line_end:].lstrip()))
    if m and _TITLE_WORDS.search(m.group("title")) and not m.group("title").rstrip().endswith("."):
        title = m.group("title").strip(" -:")
        start = m.start("title") + m.group("title").index(title)
        return TitleMatch(None, title, 0.0, Span(start, start + len(title)))
    return None
