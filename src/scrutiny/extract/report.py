"""Which inspection report the text answers.

Strongest evidence first:
1. the report's title, or one of its variants, written in the text (a fuzzy match of a
   passage: 'the HMICFRS report, Police performance: Getting a grip');
2. clues, for a text that names the report loosely or not at all ('the Efficiency Report
   which was published by HMICFRS today (9th November 2017)'): the distinctive words of
   the report's title that the text holds, the dates (published on the day the text says,
   or before the text's own date and not long before), the force (a report on another
   force is ruled out; one on this force is preferred to a national one), the era the
   text's own words place it in ('HMICFRS' exists from July 2017, 'His Majesty's' from
   September 2022), and the term of office of the person who speaks.
A report not in the catalogue keeps its title as the text writes it (stated_title).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz

from .. import catalogue
from ..catalogue import Report
from ..record import LetterDate, ReportMatch, Span
from .dates import (
    HMICFRS_FROM,
    FoundDate,
    era,
    published_month,
    published_today,
    stated_publication,
)
from .text import (
    STOPWORDS,
    bigrams,
    content_stems,
    lowered,
    sentences,
    squash,
    stem,
    tokens,
    whole_word,
    word_positions,
    words_between,
    words_in,
)

MIN_SCORE = 85
TITLE_WORDS_MIN = 0.75  # share of a title's words a passage (or the letter) must hold to be compared


@dataclass(frozen=True)
class TitleMatch:
    report: Report | None
    title: str
    score: float
    span: Span


@dataclass(frozen=True)
class _Variant:
    report: Report
    low: str  # the variant lower-cased, as the fuzzy alignment compares it
    words: frozenset[str]  # its content words, found in the text as written
    stems: frozenset[str]  # their stems
    is_title: bool
    tokens: frozenset[bytes] = frozenset()  # its content words as the text's word index holds them
    weight: float = 0.0  # its tokens' total weight (see _Catalogue.token_weights)
    needed: int = 0  # how many of its tokens a text must hold
    rare_words: tuple[str, ...] = ()  # its two rarest words, where it is looked for


@dataclass(frozen=True)
class _Catalogue:
    """What matching needs of a catalogue, computed once per catalogue."""

    variants: tuple[_Variant, ...]
    # word -> the variants for which it is one of the rarest few words: a text that holds
    # most of a variant's words by weight holds one of them. So only the variants found here
    # are counted, not every variant sharing 'police' with the text.
    signatures: dict[bytes, tuple[_Variant, ...]]
    signature_words: frozenset[bytes]
    # A word weighs more the fewer titles use it: a text holding most of a title's words by
    # weight holds its rare ones ('disparity'), not just 'police' and 'inspection'.
    token_weights: dict[bytes, float]
    keywords: dict[str, tuple[dict[str, float], ...]]  # report id -> per variant: distinctive root -> weight
    by_keyword: dict[str, tuple[Report, ...]]  # distinctive root -> the reports whose titles hold it
    phrases: dict[str, tuple[tuple[re.Pattern, float], ...]]  # report id -> its titles' word pairs, and their weight
    quotes: dict[str, tuple[frozenset[tuple[str, str]], ...]]  # report id -> its recommendations' word pairs
    by_force: dict[str, tuple[Report, ...]]  # force -> the reports on it
    by_kind: dict[str, tuple[Report, ...]]
    by_id: dict[str, Report]


# Words every report title uses, and everyday words any text uses, which say nothing about
# which report is meant.
_GENERIC_TITLE = frozenset(content_stems(
    "inspection inspections report reports review police policing polices force forces service hmic hmicfrs "
    "england wales national overview thematic an of the joint response responses his majesty's inspectorate "
    "constabulary fire rescue services people crime crimes public way ways well work working place time new use "
    "role how effectively approach arrangements matters part one two good"))
# Typographic quotes and dashes compared as plain ones (one character for one: offsets hold).
_FOLD = str.maketrans("’‘“”–—", "''\"\"--")
_OPENING = 1000  # characters after the salutation read first for the report's title
_SHORT = 4  # content words of a title variant short enough to be looked for as written
_TIED = 0.03  # titles matched within this of the best are equally good: the text's first is taken
# What may stand between two words of a title written in a text ('state of policing').
_CONNECTORS = r"(?:\s+(?:of|and|&|the|in|on|for|to|a|an|into))*\s+"


def _root(stem_: str) -> str:
    """A stem stemmed again, so 'engagement' and 'engage' meet ('engage' -> 'engag')."""
    return stem(stem_)


def _title_years(title: str) -> frozenset[int]:
    """Years a title names: '2018/19' and '2023–2025' name both."""
    years = {int(y) for y in re.findall(r"\b(20[12]\d)\b", title)}
    years |= {2000 + int(y) for y in re.findall(r"\b20[12]\d[/–-](\d\d)\b", title)}
    return frozenset(years)


_known: dict[tuple[int, ...], tuple[tuple[Report, ...], _Catalogue]] = {}
_last: list = [None, None]  # the catalogue tuple last matched against, and its tables


def _catalogue(reports: tuple[Report, ...]) -> _Catalogue:
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


def _build(reports: tuple[Report, ...]) -> _Catalogue:
    variants = []
    for report in reports:
        for i, variant in enumerate((report.title, *report.title_variants)):
            low = variant.lower().translate(_FOLD)
            words = frozenset(w for w in re.findall(r"[a-z0-9]+", low) if w not in STOPWORDS)
            variants.append(_Variant(report, low, words, frozenset(content_stems(variant)), i == 0,
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
    signatures: dict[bytes, list[_Variant]] = {}
    for v in variants:
        # The rarest words until they weigh more than a text may miss: one of them must be held.
        missable = (1 - TITLE_WORDS_MIN) * v.weight
        for t in sorted(v.tokens, key=lambda t: (frequency[t], t)):
            signatures.setdefault(t, []).append(v)
            missable -= token_weights[t]
            if missable < 0:
                break
    force_roots = frozenset(_root(s) for name in catalogue.force_names() for s in content_stems(name))
    distinctive: dict[str, list[frozenset[str]]] = {}
    phrases: dict[str, dict[str, float]] = {}
    for v in variants:
        roots = frozenset(r for r in map(_root, v.stems) if r not in _GENERIC_TITLE and r not in force_roots
                          and not r.isdigit())
        distinctive.setdefault(v.report.id, []).append(roots)
        in_order = [w for w in re.findall(r"[a-z]+", v.low) if w not in STOPWORDS and len(w) > 2]
        for a, b in itertools.pairwise(in_order):
            # 'mental health' counts fully, 'police effectiveness' half, 'inspection report' not at all
            weight = ((_root_of(a) in roots) + (_root_of(b) in roots)) / 2
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
    return _Catalogue(tuple(variants), {t: tuple(v) for t, v in signatures.items()}, frozenset(signatures),
                      token_weights, keywords,
                      {r: tuple(reps) for r, reps in by_keyword.items()},
                      {r.id: tuple((re.compile(p), w) for p, w in sorted(phrases.get(r.id, {}).items()))
                       for r in reports}, quotes,
                      {f: tuple(r) for f, r in by_force.items()},
                      {k: tuple(r for r in reports if r.kind == k) for k in catalogue.KINDS},
                      {r.id: r for r in reports})


def catalogued(reports: tuple[Report, ...], report_id: str | None) -> Report | None:
    """The catalogue's report of that id (looked up, not searched for: the catalogue is long)."""
    return _catalogue(reports).by_id.get(report_id) if report_id else None


def match_catalogue(text: str, reports: tuple[Report, ...], force: str | None = None,
                    salutation: int | None = None) -> TitleMatch | None:
    """The catalogue report whose title (or a variant) best matches a passage of the letter.

    Only variants whose words the text mostly holds are compared, and only where their
    rarest words are written, so the fuzzy alignment runs on a handful of passages, not the
    whole letter or every report. A letter names its report in its opening lines, under the
    salutation: the rest is read only when they name none.
    """
    index = _catalogue(reports)
    low = lowered(text)
    start = salutation or 0
    if len(text) > start + _OPENING:
        opening = _folded(low[:start + _OPENING])
        found = _match_in(text, opening, words_between(text, start, start + _OPENING), index, force)
        if found is not None:
            return found
    return _match_in(text, _folded(low), words_in(text), index, force)


def _folded(low: str) -> str:
    """Typographic quotes and dashes as plain ones, as the catalogue's titles are compared."""
    return low.translate(_FOLD) if any(c in low for c in "’‘“”–—") else low


def _match_in(text: str, low: str, words: frozenset[bytes], index: _Catalogue, force: str | None) -> TitleMatch | None:
    """The best title match in `low` (the lower-cased text, or its start), whose words are `words`."""
    # A report on one force is not the one a letter about another force answers, however
    # alike their titles ('PEEL 2021/22 – An inspection of Kent Police' and '... of Cleveland Police').
    weight = index.token_weights
    signatures = index.signatures
    named = {id(v): v for t in words & index.signature_words for v in signatures[t]}  # each variant once
    candidates = []
    for v in named.values():
        held = v.tokens & words
        if (len(held) >= v.needed and sum(map(weight.__getitem__, held)) >= TITLE_WORDS_MIN * v.weight
                and (not v.report.forces or force in v.report.forces)):
            candidates.append(v)
    if not candidates:
        return None
    by_report: dict[str, TitleMatch] = {}  # report id -> its best match
    # First the titles written exactly as catalogued: nothing to align. A short name
    # ('Targeting the risk') is either written so or not at all.
    unfound = []
    for variant in candidates:
        at = low.find(variant.low)
        if at < 0 or len(variant.words) <= _SHORT and not whole_word(low, at, at + len(variant.low)):
            if len(variant.words) > _SHORT:
                unfound.append(variant)
            continue
        score = 1.0 if variant.is_title else 0.98
        best = by_report.get(variant.report.id)
        if best is None or (score, -at) > (best.score, -best.span.start):
            by_report[variant.report.id] = TitleMatch(variant.report, variant.report.title, score,
                                                      _trim(text, Span(at, at + len(variant.low))))
    # Then the long titles written loosely. Beside an exact title, only a near-exact one
    # written before it could be preferred: look no further than that, and no lower.
    exact = [m.span.start for m in by_report.values() if m.score == 1.0]
    limit, cutoff = (min(exact), 100 * (1 - _TIED)) if exact else (len(low), MIN_SCORE)
    for variant in unfound:
        best = by_report.get(variant.report.id)
        if best is not None and best.score >= 0.99:
            continue
        for start, end in _windows(low[:limit + len(variant.low)], variant):
            chunk = low[start:end]
            if sum(w in chunk for w in variant.words) < TITLE_WORDS_MIN * len(variant.words):
                continue
            alignment = fuzz.partial_ratio_alignment(variant.low, chunk, score_cutoff=cutoff)
            if alignment is None or alignment.score < cutoff:
                continue
            span = Span(start + alignment.dest_start, start + alignment.dest_end)
            # Longer variants are stronger evidence; the full title beats a loose mention.
            score = alignment.score / 100 * (1.0 if variant.is_title else 0.98)
            if best is None or score > best.score or (score == best.score and span.start < best.span.start):
                best = by_report[variant.report.id] = TitleMatch(variant.report, variant.report.title, round(score, 3),
                                                             _trim(text, span))
    if not by_report:
        return None
    # A letter answering two reports names the one it answers first.
    top = max(m.score for m in by_report.values())
    return min((m for m in by_report.values() if m.score >= top - _TIED), key=lambda m: m.span.start)


_WINDOWS = 6  # places a long title is looked for: where its rarest words are written


def _windows(low: str, variant: _Variant) -> list[tuple[int, int]]:
    """Stretches of the text around its rarest words, each wide enough to hold the whole
    title and within its paragraph: a title written there is aligned with them, not every
    paragraph of the letter."""
    reach = len(variant.low)
    out: list[tuple[int, int]] = []
    for word in variant.rare_words:
        at = low.find(word)
        while at >= 0 and len(out) < _WINDOWS:
            # Within the word's paragraph: a title is not written across a blank line.
            start = max(at - reach, low.rfind("\n\n", max(0, at - reach), at) + 1, 0)
            paragraph_end = low.find("\n\n", at, at + len(word) + reach)
            end = paragraph_end if paragraph_end >= 0 else min(len(low), at + len(word) + reach)
            if out and start <= out[-1][1] and end >= out[-1][0]:
                out[-1] = (min(start, out[-1][0]), max(end, out[-1][1]))
            else:
                out.append((start, end))
            at = low.find(word, at + 1)
        if out:
            break  # the rarest word written is enough to place it
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


# --- clues ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Clues:
    """What the text says about when and by whom, for identifying a report it does not name."""

    force: str | None
    written: dt.date | None  # the text's own date
    published: dt.date | None  # the report's publication date as the text states it
    published_month: tuple[int, int] | None  # (year, month) where the text gives no day
    terms: tuple[tuple[dt.date | None, dt.date | None], ...] = ()  # the speaker's terms of office
    letter: bool = False  # a letter (with a salutation), not a statement or a page


@dataclass(frozen=True)
class ClueMatch:
    report: Report
    score: float
    evidence: list[Span]
    reasons: list[str]


_SUBJECT_MIN = 0.34  # share of a report's distinctive title words (by weight) the text must hold
_LINK_MIN = 2.0  # total score that links a report by clues
_MARGIN = 0.5  # by which the best must beat the next report
_SIBLING_MARGIN = 1.0  # within which a report published the same day and named first is preferred
_QUOTED_MIN = 0.5  # share of a recommendation's word pairs that makes a passage a quotation of it
_QUOTED_PAIRS = 8  # or so many of them: a quotation the text cuts short
# What a text calls a kind of report without naming it: the Chief Inspector's annual
# assessment, a PEEL inspection, a joint inspection.
# The annual assessment has no other words in common with what texts call it; 'PEEL' is
# one of its reports' title words already.
_KIND_CUES = {"annual": (re.compile(r"chief inspector of constabulary|state of policing"), 2.0),
              "peel": (re.compile(r"\bpeel\b"), 0.5),
              "joint": (re.compile(r"\bjoint (?:thematic )?inspection"), 1.0)}


# A sentence with one of these speaks of the report; a title's word elsewhere ('we work with
# neighbouring forces on roads policing') is said in passing.
_REPORT_WORDS = frozenset(content_stems("report reports inspection inspected inspectorate hmic hmicfrs peel "
                                        "assessment inspector inspectors"))


# Words of the genre whose roots collide with title words: a press 'statement' is not the
# 'State of Policing'.
_GENRE_WORDS = frozenset(("statement", "statements"))


@lru_cache(maxsize=4)
def _context(text: str) -> tuple[frozenset[str], str]:
    """The roots of the words in sentences that speak of the report, and those sentences
    (lower case, single-spaced) for finding a title's word pairs."""
    low = lowered(text)
    chosen = [s for s in sentences(text) if not _REPORT_WORDS.isdisjoint(s.stems)]
    context = " ".join(" ".join(low[s.start:s.end] for s in chosen).split())
    roots = frozenset(_root_of(w) for w in set(re.findall(r"[a-z0-9]+", context)) - _GENRE_WORDS)
    return roots - {""}, context


def match_clues(text: str, reports: tuple[Report, ...], clues: Clues) -> ClueMatch | None:
    """The report the clues point at, when one stands clear of the rest."""
    scored = rank_by_clues(text, reports, clues)
    if not scored:
        return None
    score, report, reasons, words = scored[0]
    if score < _LINK_MIN:
        return None
    if len(scored) > 1 and score - scored[1][0] < _MARGIN and scored[1][1].published != report.published:
        return None  # two reports fit about as well: unclear
    # Reports published together and both named ('its reports into Legitimacy and
    # Leadership'): the text answers the one it names first.
    together = [s for s in scored if score - s[0] < _SIBLING_MARGIN and s[3] and s[1].published == report.published]
    if len(together) > 1:
        score, report, reasons, words = min(together, key=lambda s: _first_mention(text, s[3]))
    return ClueMatch(report, round(min(score / 10, 1.0), 3), _keyword_spans(text, words) or _fallback_span(text),
                     reasons)


def rank_by_clues(text: str, reports: tuple[Report, ...], clues: Clues,
                  ) -> list[tuple[float, Report, list[str], frozenset[str]]]:
    """Every report the clues allow, best first: (score, report, reasons, title words held)."""
    index = _catalogue(reports)
    roots, context = _context(text)
    candidates = {r.id: r for k in roots & index.by_keyword.keys() for r in index.by_keyword[k]}
    candidates.update((r.id, r) for r in index.by_force.get(clues.force or "", ()))
    (era_start, era_end), era_reasons = era(text)
    statement = not clues.letter
    kinds = {kind: weight for kind, (cue, weight) in _KIND_CUES.items() if cue.search(context)}
    for kind in kinds:  # a report of the kind the text speaks of may share no word with it
        candidates.update((r.id, r) for r in index.by_kind.get(kind, ()))
    # A text that calls the inspectorate HMIC and never HMICFRS was most likely written
    # before the rename: a later report is less likely (not ruled out: the old name lingered).
    old_name = "hmic" in roots and era_start is None
    years = {int(y) for y in re.findall(r"\b(20[12]\d)\b", context)}
    pairs = bigrams(content_stems(text)) if any(index.quotes[r] for r in candidates) else frozenset()
    scored = []
    for report in candidates.values():
        if report.forces and clues.force not in report.forces:
            continue
        subject, words = _subject(index.keywords[report.id], roots)
        if subject < _SUBJECT_MIN and not report.forces and report.kind not in kinds:
            continue
        reasons = [f"its title's words: {', '.join(sorted(words))}"]
        score = 3 * subject
        phrase = next((m for p, _ in index.phrases[report.id] if (m := p.search(context))), None)
        if phrase is not None:
            score += next(w for p, w in index.phrases[report.id] if p.pattern == phrase.re.pattern)
            reasons.append(f"'{phrase.group()}'")
        quoted = any(len(q & pairs) >= min(_QUOTED_PAIRS, _QUOTED_MIN * len(q)) for q in index.quotes[report.id] if q)
        if quoted:
            score += 3.0
            reasons.append("it quotes one of the report's recommendations")
        when = _date_fit(report, clues, era_start, era_end, statement, reasons)
        if when is None:
            continue
        score += when
        if report.kind in kinds:
            score += kinds[report.kind]
            reasons.append(f"a {report.kind} report, as the text describes it")
        if old_name and report.published and report.published > HMICFRS_FROM:
            score -= 1.5
        if report.forces:
            score += 1
            reasons.append(f"a report on {clues.force}")
        if years & (_title_years(report.title) | ({report.published.year} if report.published else set())):
            score += 0.5
        scored.append((score, report, reasons + era_reasons, words))
    scored.sort(key=lambda s: s[0], reverse=True)
    return scored


def _first_mention(text: str, roots: frozenset[str]) -> int:
    spans = _keyword_spans(text, roots)
    return min(s.start for s in spans) if spans else len(text)


def _fallback_span(text: str) -> list[Span]:
    """Where the text speaks of the inspectorate or its report, for a match made by dates alone."""
    m = re.search(r"HMICFRS|HMIC|Inspectorate|[Ii]nspection|[Rr]eport", text)
    return [Span(m.start(), m.end())] if m else []


_VARIANT_WEIGHT = 5.0  # a variant's distinctive words weigh this much before their share counts in full


def _subject(keywords: tuple[dict[str, float], ...], roots: frozenset[str]) -> tuple[float, frozenset[str]]:
    """The best share (by weight) of a variant's distinctive words the text holds, and those
    words. A variant with a single common word ('Legitimacy report') counts for less: the
    text holding it says little."""
    best, words = 0.0, frozenset[str]()
    for weights in keywords:
        held = weights.keys() & roots
        total = sum(weights.values())
        share = sum(weights[s] for s in held) / total * min(1.0, total / _VARIANT_WEIGHT)
        if share > best:
            best, words = share, frozenset(held)
    return best, words


def _date_fit(report: Report, clues: Clues, era_start: dt.date | None, era_end: dt.date | None, statement: bool,
              reasons: list[str]) -> float | None:
    """How well the report's publication date fits the text's dates; None rules it out.
    A statement usually comes out the day its report does; a letter within the 56 days."""
    published = report.published
    if published is None:
        return _undated_fit(report, clues, era_start, era_end)
    if era_start and published < era_start - dt.timedelta(days=31) or era_end and published > era_end:
        return None
    if clues.published is not None:
        if abs((clues.published - published).days) <= 1:
            reasons.append(f"published {published.isoformat()}, as the text says")
            return 3.0
        return None
    fit = 0.0
    if clues.published_month is not None:
        if (published.year, published.month) == clues.published_month:
            reasons.append(f"published {published:%B %Y}, as the text says")
            fit += 1.5
        else:  # a month misremembered is not unknown ('published in September' for November)
            fit -= 1.0
    if clues.written is not None:
        days = (clues.written - published).days
        if days < -1:
            return None  # the report came out after the text
        if days <= 3:
            reasons.append(f"published {published.isoformat()}, the day of the text")
            fit += 2.5
        elif days <= 120:
            reasons.append(f"published {published.isoformat()}, {days} days before the text")
            fit += 1.0 if not statement or days <= 14 else 0.0
        elif days <= 365:
            fit += -1.0 if statement else 0.5
        else:
            fit -= 1.0
    if clues.terms:
        if any((start is None or published >= start - dt.timedelta(days=120)) and (end is None or published <= end)
               for start, end in clues.terms):
            fit += 0.5
        else:
            fit -= 2.0
    return fit


def _undated_fit(report: Report, clues: Clues, era_start: dt.date | None, era_end: dt.date | None) -> float | None:
    """A report of unknown date is placed by the years its title names ('State of Policing
    2012/13' came out by the end of 2014): only a plain contradiction rules it out."""
    years = _title_years(report.title)
    if not years:
        return 0.0
    earliest, latest = dt.date(min(years), 1, 1), dt.date(max(years) + 1, 12, 31)
    if era_start and latest < era_start or era_end and earliest > era_end:
        return None
    if clues.written and earliest > clues.written:
        return None
    return 0.0


def _keyword_spans(text: str, roots: frozenset[str]) -> list[Span]:
    """Where the text writes the words that decided the match (the first time each)."""
    seen: set[str] = set()
    out = []
    words = tuple(sorted({w for w in re.findall(r"[a-z0-9]+", lowered(text)) if _root_of(w) in roots}))
    for start, end, word in word_positions(text, words):
        if word not in seen:
            seen.add(word)
            out.append(Span(start, end))
    return out


@cache
def _root_of(word: str) -> str:
    stems = content_stems(word)
    return _root(stems[0]) if stems else ""


# --- a title the catalogue lacks ------------------------------------------------------------

_QUOTED_TITLE = re.compile(r"\breport\s+(?:entitled\s+|titled\s+|called\s+)?[\"'‘“](?P<title>[A-Z][^\"'’”\n]{8,160})[\"'’”]")
_SUBJECT = re.compile(
    r"^(?:re:\s*|subject:\s*|response\s+to\s+)?(?:hmicfrs\s*)?(?:report\s*)?[:\-]?\s*(?P<title>[A-Z][^\n]{10,160}?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# A heading naming the report after a colon: 'Surrey PCC response to HMICFRS report: Police
# Engagement with Women and Girls'.
_HEADING_TITLE = re.compile(r"(?:HMICFRS|HMIC|[Ii]nspection)\s+[Rr]eport:\s*[‘'\"“]?(?P<title>[A-Z][^\n]{8,160}?)[’'\"”]?[ \t]*$",
                            re.MULTILINE)
_TITLE_WORDS = re.compile(r"inspection|report|review|peel|thematic|hmicfrs", re.IGNORECASE)


def stated_title(text: str, salutation: int | None) -> TitleMatch | None:
    """The report's title as the text writes it: a quoted title after 'report', a heading's
    'HMICFRS report: <title>', else the subject line under the salutation if it reads like a
    report's title."""
    m = _QUOTED_TITLE.search(text) or _HEADING_TITLE.search(text, 0, 600)
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


# --- the record's report ----------------------------------------------------------------------

def identify_report(text: str, reports: tuple[Report, ...], salutation: int | None, dates: list[FoundDate],
                    written: LetterDate | None, responded: dt.date | None, force: str | None,
                    terms: tuple[tuple[dt.date | None, dt.date | None], ...], warnings: list[str],
                    yearless: Callable[[], tuple[dt.date, Span] | None] = lambda: None) -> ReportMatch | None:
    """The report answered: the catalogue's by title, else by clues, else the title the text
    states. The catalogue's publication date is authoritative; a different date the text
    states is kept as a warning. For an uncatalogued report the stated date is all we have:
    a stated month without a day is said to be one. `yearless` gives a publication day the
    text writes without its year, the year resolved (asked only when no other date will do)."""
    stated = stated_publication(text, dates)
    stated_date, stated_spans = (stated.date, [Span(stated.start, stated.end)]) if stated else (None, [])
    today = published_today(text) if stated is None else None
    if today is not None and written is not None:  # 'published today', in a text of known date
        stated_date, stated_spans = dt.date.fromisoformat(written.date), [today, *written.evidence]
    month = published_month(text) if stated_date is None else None
    if month is not None:
        warnings.append(f"the text gives the report's publication as {month[0][1]:02d}/{month[0][0]} "
                        "without a day")

    def day_without_year() -> None:  # 'On Tuesday 22 July, the publication of'
        nonlocal stated_date, stated_spans
        found = yearless() if stated_date is None and month is None else None
        if found is not None:
            stated_date, stated_spans = found[0], [found[1]]
            warnings.append(f"the report's publication day is written without a year: {found[0].year} is inferred")

    title = match_catalogue(text, reports, force, salutation)
    match: ReportMatch | None = None
    if title is not None and title.report is not None:
        match = ReportMatch(title.report.id, title.report.title, None, title.score, [title.span],
                            title_as_written=_as_written(text, title.span))
        report = title.report
        if report.published is None:
            day_without_year()
    else:
        day_without_year()
        named = stated_title(text, salutation)
        clues = Clues(force, responded, stated_date, month[0] if month else None, terms, salutation is not None)
        found = match_clues(text, reports, clues)
        if found is None:
            if named is None:
                return None
            warnings.append("report not in the catalogue: recommendations cannot be checked")
            return ReportMatch(None, named.title, stated_date.isoformat() if stated_date else None, 0.0,
                               [named.span, *stated_spans], published_stated=stated_date is not None,
                               title_as_written=named.title, basis="stated title")
        report = found.report
        match = ReportMatch(report.id, report.title, None, found.score, found.evidence,
                            title_as_written=named.title if named else None, basis="clues", reasons=found.reasons)
        if named is not None:
            match.evidence.insert(0, named.span)
    published = report.published
    if stated_date is not None:
        if published is None or stated_date == published:
            published = stated_date
            match.evidence += stated_spans
            match.published_stated = True
        else:
            warnings.append(f"the text gives the report's publication as {stated_date}, the catalogue {published}")
    match.published = published.isoformat() if published else None
    return match


# Before a title on a line of its own: 'Re:', 'Subject:', 'Response to the', 'PCC responds to HMICFRS report:'.
_LINE_PREFIX = re.compile(r"^(?:(?:re|subject)\s*:\s*|.*?\b(?:report|response|responds?)\b[^:\n]*:\s*"
                          r"|(?:response\s+to\s+(?:the\s+)?))", re.IGNORECASE)


def _as_written(text: str, span: Span) -> str:
    """The title as the text writes it: the matched words, or the whole line when the title
    stands on a line of its own as a subject line does ('HMICFRS Race and Policing Programme:
    A review of ...; and an inspection of ...')."""
    start = text.rfind("\n", 0, span.start) + 1
    end = text.find("\n", span.end)
    end = len(text) if end < 0 else end
    line = text[start:end].strip()
    alone = (text[max(0, start - 2):start].strip() == "" and text[end:end + 2].strip() == "")  # blank lines around
    if alone and len(line) <= 400 and not line.endswith(".") and (span.end - span.start) >= 0.4 * len(line):
        m = _LINE_PREFIX.match(line)
        return squash(line[m.end():] if m else line).strip(" '\"‘’“”")
    return squash(text[span.start:span.end])
