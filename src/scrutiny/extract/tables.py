"""A catalogue's matching tables, computed once per catalogue: its reports' title
variants, indexed by their rarest words and weighted by how few titles use each word;
each report's distinctive title words and word pairs and its recommendations' word pairs
(for clues); and the reports by force, kind and id."""
from __future__ import annotations

import dataclasses
import itertools
import math
import re
from dataclasses import dataclass
from functools import cache

from .. import catalogue
from ..catalogue import Report
from .text import STOPWORDS, bigrams, content_stems, stem, tokens

TITLE_WORDS_MIN = 0.75  # share of a title's words a passage (or the letter) must hold to be compared


@dataclass(frozen=True)
class Variant:
    report: Report
    low: str  # the variant lower-cased, as the fuzzy alignment compares it
    words: frozenset[str]  # its content words, found in the text as written
    stems: frozenset[str]  # their stems
    is_title: bool
    tokens: frozenset[bytes] = frozenset()  # its content words as the text's word index holds them
    weight: float = 0.0  # its tokens' total weight (see Tables.token_weights)
    needed: int = 0  # how many of its tokens a text must hold
    rare_words: tuple[str, ...] = ()  # its two rarest words, where it is looked for


@dataclass(frozen=True)
class Tables:
    """What matching needs of a catalogue, computed once per catalogue."""

    variants: tuple[Variant, ...]
    # word -> the variants (their places in `variants`) for which it is one of the rarest few
    # words: a text that holds most of a variant's words by weight holds one of them. So only
    # the variants found here are counted, not every variant sharing 'police' with the text.
    signatures: dict[bytes, frozenset[int]]
    signature_words: frozenset[bytes]
    title_words: frozenset[bytes]  # every variant's tokens
    # A word weighs more the fewer titles use it: a text holding most of a title's words by
    # weight holds its rare ones ('disparity'), not just 'police' and 'inspection'.
    token_weights: dict[bytes, float]
    keywords: dict[str, tuple[dict[str, float], ...]]  # report id -> per variant: distinctive root -> weight
    by_keyword: dict[str, tuple[Report, ...]]  # distinctive root -> the reports whose titles hold it
    phrases: dict[str, tuple[tuple[str, float], ...]]  # report id -> its titles' word pairs (patterns), and their weight
    quotes: dict[str, tuple[frozenset[tuple[str, str]], ...]]  # report id -> its recommendations' word pairs
    by_force: dict[str, tuple[Report, ...]]  # force -> the reports on it
    by_kind: dict[str, tuple[Report, ...]]
    by_id: dict[str, Report]
    # report id -> its phrases compiled. Compiled when a report is first a candidate, not all
    # at once: the catalogue's ~1,100 patterns take 70 ms to compile, more than a worker's
    # whole start-up otherwise, and a letter makes only a few reports candidates.
    _compiled: dict[str, tuple[tuple[re.Pattern, float], ...]] = dataclasses.field(default_factory=dict, compare=False,
                                                                                     repr=False)

    def phrase_patterns(self, report_id: str) -> tuple[tuple[re.Pattern, float], ...]:
        """The report's titles' word pairs, compiled, with their weights."""
        compiled = self._compiled.get(report_id)
        if compiled is None:
            compiled = self._compiled[report_id] = tuple((re.compile(p), w) for p, w in self.phrases[report_id])
        return compiled


# Words every report title uses, and everyday words any text uses, which say nothing about
# which report is meant.
_GENERIC_TITLE = frozenset(content_stems(
    "inspection inspections report reports review police policing polices force forces service hmic hmicfrs "
    "england wales national overview thematic an of the joint response responses his majesty's inspectorate "
    "constabulary fire rescue services people crime crimes public way ways well work working place time new use "
    "role how effectively approach arrangements matters part one two good"))
# Typographic quotes and dashes compared as plain ones (one character for one: offsets hold).
FOLD = str.maketrans("’‘“”–—", "''\"\"--")
# What may stand between two words of a title written in a text ('state of policing').
_CONNECTORS = r"(?:\s+(?:of|and|&|the|in|on|for|to|a|an|into))*\s+"


@cache
def root(stem_: str) -> str:
    """A stem stemmed again, so 'engagement' and 'engage' meet ('engage' -> 'engag')."""
    return stem(stem_)


def title_years(title: str) -> frozenset[int]:
    """Years a title names: '2018/19' and '2023–2025' name both."""
    years = {int(y) for y in re.findall(r"\b(20[12]\d)\b", title)}
    years |= {2000 + int(y) for y in re.findall(r"\b20[12]\d[/–-](\d\d)\b", title)}
    return frozenset(years)


_known: dict[tuple[int, ...], tuple[tuple[Report, ...], Tables]] = {}
_last: list = [None, None]  # the catalogue tuple last matched against, and its tables


def tables(reports: tuple[Report, ...]) -> Tables:
    """The catalogue's matching tables, remembered by the identity of its reports (kept
    alive beside the tables, so an identity is not reused): hashing 200 reports' fields per
    letter would cost more than the matching. A batch passes the same tuple every time."""
    if _last[0] is reports:
        return _last[1]
    key = tuple(map(id, reports))
    known = _known.get(key)
    if known is None:
        if len(_known) > 8:
            _known.clear()
        known = _known[key] = (reports, _build(reports))
    _last[:] = [reports, known[1]]
    return known[1]


def _build(reports: tuple[Report, ...]) -> Tables:
    variants = []
    for report in reports:
        for i, variant in enumerate((report.title, *report.title_variants)):
            low = variant.lower().translate(FOLD)
            words = frozenset(w for w in re.findall(r"[a-z0-9]+", low) if w not in STOPWORDS)
            variants.append(Variant(report, low, words, frozenset(content_stems(variant)), i == 0,
                                     frozenset(t for t in tokens(low) if t.decode() not in STOPWORDS)))
    frequency: dict[bytes, int] = {}
    for v in variants:
        for t in v.tokens:
            frequency[t] = frequency.get(t, 0) + 1
    token_weights = {t: math.log(1 + len(variants) / f) for t, f in frequency.items()}
    variants = [dataclasses.replace(v, weight=sum(token_weights[t] for t in v.tokens),
                                    needed=math.ceil(TITLE_WORDS_MIN * len(v.tokens)),
                                    rare_words=tuple(t.decode() for t in sorted(v.tokens, key=lambda t: (frequency[t], t))[:2]))
                for v in variants]  # (a variant's rarest two words: where a long title is looked for)
    signatures: dict[bytes, set[int]] = {}
    for i, v in enumerate(variants):
        # The rarest words until they weigh more than a text may miss: one of them must be held.
        missable = (1 - TITLE_WORDS_MIN) * v.weight
        for t in sorted(v.tokens, key=lambda t: (frequency[t], t)):
            signatures.setdefault(t, set()).add(i)
            missable -= token_weights[t]
            if missable < 0:
                break
    force_roots = frozenset(root(s) for name in catalogue.force_names() for s in content_stems(name))
    distinctive: dict[str, list[frozenset[str]]] = {}
    phrases: dict[str, dict[str, float]] = {}
    for v in variants:
        roots = frozenset(r for r in map(root, v.stems) if r not in _GENERIC_TITLE and r not in force_roots
                          and not r.isdigit())
        distinctive.setdefault(v.report.id, []).append(roots)
        in_order = [w for w in re.findall(r"[a-z]+", v.low) if w not in STOPWORDS and len(w) > 2]
        for a, b in itertools.pairwise(in_order):
            # 'mental health' counts fully, 'police effectiveness' half, 'inspection report' not at all
            weight = ((root_of(a) in roots) + (root_of(b) in roots)) / 2
            if weight:
                phrases.setdefault(v.report.id, {})[rf"\b{a}\w{{0,3}}{_CONNECTORS}{b}"] = weight
    df: dict[str, int] = {}
    for per_variant in distinctive.values():
        for r in frozenset().union(*per_variant):
            df[r] = df.get(r, 0) + 1
    n = len(reports)
    keywords = {rid: tuple({r: math.log(1 + n / df[r]) for r in roots} for roots in per_variant if roots)
                for rid, per_variant in distinctive.items()}
    by_keyword: dict[str, list[Report]] = {}
    for report in reports:
        for r in frozenset().union(*keywords[report.id]) if keywords[report.id] else ():
            by_keyword.setdefault(r, []).append(report)
    quotes = {r.id: tuple(bigrams(content_stems(rec.wording)) for rec in r.recommendations if rec.wording)
              for r in reports}
    by_force: dict[str, list[Report]] = {}
    for report in reports:
        for f in report.forces:
            by_force.setdefault(f, []).append(report)
    return Tables(tuple(variants), {t: frozenset(v) for t, v in signatures.items()}, frozenset(signatures),
                      frozenset(token_weights),
                      token_weights, keywords,
                      {r: tuple(reps) for r, reps in by_keyword.items()},
                      {r.id: tuple(sorted(phrases.get(r.id, {}).items())) for r in reports}, quotes,
                      {f: tuple(r) for f, r in by_force.items()},
                      {k: tuple(r for r in reports if r.kind == k) for k in catalogue.REPORT_KINDS},
                      {r.id: r for r in reports})


def catalogued(reports: tuple[Report, ...], report_id: str | None) -> Report | None:
    """The catalogue's report of that id (looked up, not searched for: the catalogue is long)."""
    return tables(reports).by_id.get(report_id) if report_id else None


@cache
def root_of(word: str) -> str:
    stems = content_stems(word)
    return root(stems[0]) if stems else ""
