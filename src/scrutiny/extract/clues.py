"""Which catalogue report a text answers when it does not write its title.

'The Efficiency Report which was published by HMICFRS today (9th November 2017)' names
its report by clues: the distinctive words of the report's title that the text holds in
the sentences that speak of the report, the dates (published on the day the text says, or
before the text's own date and not long before), the force (a report on another force is
ruled out; one on this force is preferred to a national one), the era the text's own words
place it in ('HMICFRS' exists from July 2017, 'His Majesty's' from September 2022), the kind
of report it describes, and the term of office of the person who speaks.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ..catalogue import Report
from ..record import Span
from .dates import HMICFRS_FROM, era
from .tables import root_of, tables, title_years
from .text import bigrams, content_stems, lowered, sentences, word_positions


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
# assessment (the one report the Chief Inspector writes in person: 'this report by His
# Majesty's Chief Inspector of Constabulary', 'the Chief Inspector's report'), a PEEL
# inspection, a joint inspection. 'PEEL' is one of its reports' title words already.
_KIND_CUES = {"annual": (re.compile(r"state of policing|(?:report|assessment) by (?:[\w’']+ ){0,4}chief inspector\b"
                                   r"|chief inspector(?: of constabulary)?[’']s (?:\w+ )?(?:report|assessment)"), 2.0),
              "peel": (re.compile(r"\bpeel\b"), 0.5),
              "joint": (re.compile(r"\bjoint (?:thematic )?inspection"), 1.0)}


# A sentence with one of these speaks of the report; a title's word elsewhere ('we work with
# neighbouring forces on roads policing') is said in passing. ('publication' is not among
# them: its stem is the public's.)
_REPORT_WORDS = frozenset(content_stems("report reports inspection inspected inspectorate hmic hmicfrs peel "
                                        "assessment inspector inspectors review published super-complaint"))


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
    roots = frozenset(root_of(w) for w in set(re.findall(r"[a-z0-9]+", context)) - _GENRE_WORDS)
    return roots - {""}, context


def match_clues(text: str, reports: tuple[Report, ...], clues: Clues) -> ClueMatch | None:
    """The report the clues point at, when one stands clear of the rest."""
    scored = rank_by_clues(text, reports, clues)
    if not scored:
        return None
    score, report, reasons, words = scored[0]
    if score < _LINK_MIN:
        return None
    together = report.published is not None  # (reports of unknown date are not known to have come out together)
    if len(scored) > 1 and score - scored[1][0] < _MARGIN and not (together and scored[1][1].published == report.published):
        return None  # two reports fit about as well: unclear
    # Reports published together and both named ('its reports into Legitimacy and
    # Leadership'): the text answers the one it names first.
    siblings = [s for s in scored if score - s[0] < _SIBLING_MARGIN and s[3] and together
                and s[1].published == report.published]
    if len(siblings) > 1:
        score, report, reasons, words = min(siblings, key=lambda s: _first_mention(text, s[3]))
    return ClueMatch(report, round(min(score / 10, 1.0), 3), _keyword_spans(text, words) or _fallback_span(text),
                     reasons)


def rank_by_clues(text: str, reports: tuple[Report, ...], clues: Clues,
                  ) -> list[tuple[float, Report, list[str], frozenset[str]]]:
    """Every report the clues allow, best first: (score, report, reasons, title words held)."""
    index = tables(reports)
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
    old_name = era_start is None and ("hmic" in roots or "inspectorate of constabulary" in context)
    years = {int(y) for y in re.findall(r"\b(20[12]\d)\b", context)}
    pairs = bigrams(content_stems(text)) if any(index.quotes[r] for r in candidates) else frozenset()
    scored = []
    for report in candidates.values():
        if report.only_forces and clues.force not in report.only_forces:
            continue
        subject, words = _subject(index.keywords[report.id], roots)
        if subject < _SUBJECT_MIN and clues.force not in report.forces and report.kind not in kinds:
            continue
        reasons = [f"its title's words: {', '.join(sorted(words))}"]
        phrase = next(((m, w) for p, w in index.phrase_patterns(report.id) if (m := p.search(context))), None)
        if len(words) == 1 and phrase is None and not _named(text, words):
            subject /= 2  # one title word, used as any word is ('senior leadership team', 'these findings')
            reasons[0] += " (in passing)"
        score = 3 * subject
        if phrase is not None:
            score += phrase[1]
            reasons.append(f"'{phrase[0].group()}'")
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
        if clues.force in report.forces:
            score += 1
            reasons.append(f"a report on {clues.force}")
        if years & (title_years(report.title) | ({report.published.year} if report.published else set())):
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
        return _undated_fit(report, clues, era_start, era_end, statement)
    if _outside_era(published, era_start, era_end):
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
        if _after_text(published, clues):
            return None
        days = (clues.written - published).days
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
        if _in_term(published, clues.terms):
            fit += 0.5
        else:
            fit -= 2.0
    return fit


def out_of_time(text: str, report: Report, clues: Clues) -> bool:
    """Whether the text's dates rule the report out: it came out after the text, outside the
    era the text's words place it in, or outside every term of office of the person who
    speaks (a commissioner answers reports published in office, or just before it)."""
    (era_start, era_end), _ = era(text)
    published = report.published
    if published is None:
        return _undated_fit(report, clues, era_start, era_end, not clues.letter) is None
    return (_outside_era(published, era_start, era_end) or _after_text(published, clues)
            or bool(clues.terms) and not _in_term(published, clues.terms))


def _outside_era(published: dt.date, era_start: dt.date | None, era_end: dt.date | None) -> bool:
    return bool(era_start and published < era_start - dt.timedelta(days=31) or era_end and published > era_end)


def _after_text(published: dt.date, clues: Clues) -> bool:
    """Whether the report came out after the text (a day's slack: time zones, a late stamp)."""
    return clues.written is not None and (clues.written - published).days < -1


def _in_term(published: dt.date, terms: tuple[tuple[dt.date | None, dt.date | None], ...]) -> bool:
    return any((start is None or published >= start - dt.timedelta(days=120)) and (end is None or published <= end)
               for start, end in terms)


def _undated_fit(report: Report, clues: Clues, era_start: dt.date | None, era_end: dt.date | None,
                 statement: bool) -> float | None:
    """A report of unknown date is placed by the years its title names ('State of Policing
    2012/13' came out by the end of 2014): a plain contradiction rules it out, and a text
    written long after the latest it can have come out fits it as badly as a dated report
    published that long before."""
    years = title_years(report.title)
    if not years:
        return 0.0
    earliest, latest = dt.date(min(years), 1, 1), dt.date(max(years) + 1, 12, 31)
    if era_start and latest < era_start or era_end and earliest > era_end:
        return None
    if clues.written and earliest > clues.written:
        return None
    after = (clues.written - latest).days if clues.written else 0  # at least this long after it came out
    return -1.0 if after > 365 or statement and after > 120 else 0.0


# Before a title's word, what makes it a report's name: 'the report into ...', 'PEEL ...'.
_NAMED_AFTER = re.compile(r"(?:\b(?:report|inspection|review|assessment)s?(?: (?:in|into|on|of|about))?(?: the| its)?"
                          r"|\bpeel) $", re.IGNORECASE)
_NAMED_BEFORE = re.compile(r" (?:report|inspection|review|assessment)s?\b", re.IGNORECASE)  # ... after it
# A quotation opened before the word and not closed since, and closed after it: an apostrophe
# (the force’s, officers’ families) neither opens nor closes one.
_OPENED = re.compile(r"(?:^|[\s(\[])['\"‘“][^'\"‘’“”]*$")
_CLOSED = re.compile(r"[^'\"‘’“”]*['\"’”](?![A-Za-z])")


@lru_cache(maxsize=4)
def _words_by_root(text: str) -> dict[str, tuple[str, ...]]:
    """The text's words (lower case) by their roots, found once per text."""
    by_root: dict[str, list[str]] = {}
    for word in set(re.findall(r"[a-z0-9]+", lowered(text))):
        by_root.setdefault(root_of(word), []).append(word)
    return {r: tuple(sorted(words)) for r, words in by_root.items()}


def _words_of(text: str, roots: frozenset[str]) -> tuple[str, ...]:
    """The text's words (lower case) whose roots are these."""
    by_root = _words_by_root(text)
    return tuple(sorted(w for r in roots for w in by_root.get(r, ())))


def _named(text: str, roots: frozenset[str]) -> bool:
    """Whether the text writes a word of these roots as a report's name, not as any word: in
    quotes ('‘Legitimacy’'), capitalised within a sentence ('the Legitimacy report'; not at a
    sentence's start, nor in a heading where every word is), or next to what names a report
    ('the leadership inspection', 'its report into vetting', 'PEEL effectiveness')."""
    words = _words_of(text, roots)
    if not words:
        return False
    for m in re.finditer(r"\b(?:" + "|".join(words) + r")\b", text, re.IGNORECASE):  # quoted too: 'leadership'
        start, end = m.span()
        before, after = text[max(0, start - 60):start], text[end:end + 60]
        if _OPENED.search(before) and _CLOSED.match(after):
            return True
        previous = (before.split() or [""])[-1]
        within = previous[:1].islower() and previous[-1:] not in ".!?:;" and "\n" not in before[len(before.rstrip()):]
        if text[start].isupper() and within:
            return True
        if _NAMED_AFTER.search(before) or _NAMED_BEFORE.match(after):
            return True
    return False


def _keyword_spans(text: str, roots: frozenset[str]) -> list[Span]:
    """Where the text writes the words that decided the match (the first time each)."""
    seen: set[str] = set()
    out = []
    for start, end, word in word_positions(text, _words_of(text, roots)):
        if word not in seen:
            seen.add(word)
            out.append(Span(start, end))
    return out
