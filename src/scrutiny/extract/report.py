"""Which inspection report the text answers.

Strongest evidence first:
1. the report's title, or one of its variants, written in the text (a fuzzy match of a
   passage: 'the HMICFRS report, Police performance: Getting a grip');
2. clues, for a text that names the report loosely or not at all (clues.py);
3. a report not in the catalogue keeps its title as the text writes it (stated_title).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

from ..catalogue import Report
from ..record import LetterDate, ReportMatch, Span
from .clues import Clues, match_clues, out_of_time
from .dates import FoundDate, published_month, published_today, stated_publication
from .tables import FOLD, TITLE_WORDS_MIN, Tables, Variant, tables
from .text import lowered, squash, whole_word, words_between, words_in

MIN_SCORE = 85
_OPENING = 1000  # characters after the salutation read first for the report's title
_SHORT = 4  # content words of a title variant short enough to be looked for as written
_TIED = 0.03  # titles matched within this of the best are equally good: the text's first is taken


@dataclass(frozen=True)
class TitleMatch:
    report: Report | None
    title: str
    score: float
    span: Span
    exact: bool = False  # written as catalogued (not aligned)


def matchtables(text: str, reports: tuple[Report, ...], force: str | None = None,
                    salutation: int | None = None) -> TitleMatch | None:
    """The catalogue report whose title (or a variant) best matches a passage of the letter.

    Only variants whose words the text mostly holds are compared, and only where their
    rarest words are written, so the fuzzy alignment runs on a handful of passages, not the
    whole letter or every report. A letter names its report in its opening lines, under the
    salutation: the rest is read only when they name none.
    """
    index = tables(reports)
    low = lowered(text)
    start = salutation or 0
    if len(text) > start + _OPENING:
        opening = _folded(low[:start + _OPENING])
        # (Only the opening's words that are title words matter: a smaller set to make.)
        words = index.title_words.intersection(words_between(text, start, start + _OPENING))
        found = _match_in(text, opening, words, index, force)
        if found is not None:
            return found
    return _match_in(text, _folded(low), words_in(text), index, force)


def _folded(low: str) -> str:
    """Typographic quotes and dashes as plain ones, as the catalogue's titles are compared."""
    return low.translate(FOLD) if any(c in low for c in "’‘“”–—") else low


def _match_in(text: str, low: str, words: frozenset[bytes], index: Tables, force: str | None) -> TitleMatch | None:
    """The best title match in `low` (the lower-cased text, or its start), whose words are `words`."""
    # A report on one force is not the one a letter about another force answers, however
    # alike their titles ('PEEL 2021/22 – An inspection of Kent Police' and '... of Cleveland Police').
    weight = index.token_weights
    variants = index.variants
    candidates = []
    for i in sorted(frozenset().union(*map(index.signatures.__getitem__, words & index.signature_words))):
        v = variants[i]
        held = v.tokens & words
        if (len(held) >= v.needed and sum(map(weight.__getitem__, held)) >= TITLE_WORDS_MIN * v.weight
                and (not v.report.only_forces or force in v.report.only_forces)):
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
                                                      _trim(text, Span(at, at + len(variant.low))), exact=True)
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


def _windows(low: str, variant: Variant) -> list[tuple[int, int]]:
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
        stated_date = dt.date.fromisoformat(written.date) - dt.timedelta(days=today[1])
        stated_spans = [today[0], *written.evidence]
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

    clues = Clues(force, responded, None, month[0] if month else None, terms, salutation is not None)
    title = matchtables(text, reports, force, salutation)
    if title is not None and title.report is not None and not title.exact and out_of_time(text, title.report, clues):
        title = None  # a title written loosely, of a report the text's dates rule out: look further
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
        found = match_clues(text, reports, dataclasses.replace(clues, published=stated_date))
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
