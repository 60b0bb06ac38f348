"""How sure a report link is, and when not to link at all.

A wrong report is worse than none: it brings a wrong deadline and wrong recommendations.
So a link carries a confidence read from the kinds of evidence behind it, and a link below
`LINK_SAFE` is not made: the text goes to review with the report as a candidate.

Evidence, strongest first: the title (or a long variant) written in the text; a short
variant only where it is written as a name is (capitalised, quoted, or beside 'report' or
'inspection'), not as words in a sentence ('essentially its core business'); for a report
found by clues, each independent kind of clue (the publication day the text states, the
force's own report, the kind of report the text describes, a quoted recommendation, the
era's wording, a phrase of the title). A date that rules the report out (the text written
before it came out, or years after) lowers any link. The weights and `LINK_SAFE` were set
on ../shared/corpus/real and tests/wild (docs/report-linking.md gives the table of
confidence against accuracy).
"""
from __future__ import annotations

import datetime as dt
import re

from ..catalogue import Report
from ..record import ReportMatch
from .dates import FoundDate

LINK_SAFE = 0.4  # below this, a link is a candidate for review, not a link (calibrated: docs/report-linking.md)
# No wrong link was seen at or above this in calibration (docs/report-linking.md); a link
# between LINK_SAFE and this is made but carries a warning to check it.
CALIBRATED_SAFE = 0.5
_SHORT_WORDS = 3  # a variant of so few words may be ordinary words in a sentence
_NEAR = 80  # characters around a short name in which 'report' or 'inspection' makes it a name
_REPORT_WORD = re.compile(r"\b(?:report|inspection|review|HMIC|HMICFRS|PEEL|inspectorate)\b", re.IGNORECASE)
_QUOTES = "'\"‘’“”"
_STALE_YEARS = 3  # a response comes within months of its report: years after, the link is doubtful

# Each kind of clue, as clues.py states it in a reason, and what it adds.
_CLUE_WEIGHTS: list[tuple[re.Pattern, float]] = [
    (re.compile(r"^published .*(?:as the text says|the day of the text)"), 0.25),
    (re.compile(r"^published .*days before the text"), 0.1),
    (re.compile(r"^a report on "), 0.15),
    (re.compile(r"as the text describes it$"), 0.1),
    (re.compile(r"quotes one of the report's recommendations"), 0.25),
    (re.compile(r"Inspectorate \(|names HMICFRS"), 0.1),
    (re.compile(r"^'"), 0.1),
]
_CLUE_BASE = 0.3
_NO_WORDS_MAX = 0.35  # a clue link without any of the title's words stays below LINK_SAFE


def link_confidence(match: ReportMatch, report: Report, text: str, written: dt.date | None,
                    dates: list[FoundDate]) -> float:
    """The link's confidence in [0, 1]: see the module's note."""
    if match.basis == "title":
        confidence = match.score
        span = match.evidence[0] if match.evidence else None
        if span is not None and len(text[span.start:span.end].split()) <= _SHORT_WORDS and not _named(text, span):
            confidence = 0.3  # a short title's words used as words
    else:
        confidence = _CLUE_BASE + sum(weight for pattern, weight in _CLUE_WEIGHTS
                                      if any(pattern.search(reason) for reason in match.reasons))
        words = match.reasons[0].split(":", 1)[1] if match.reasons and ":" in match.reasons[0] else ""
        if words.count(",") >= 1 and "(in passing)" not in words:
            confidence += 0.1  # two or more of the title's distinctive words
        if not words.strip() and not any(r.startswith("'") or "quotes" in r or "an annual report" in r
                                         or "a annual report" in r for r in match.reasons):
            # None of the title's words: a force, a date and a broad kind ('PEEL') fit many
            # reports; only a kind published once a year (the annual assessment) names one.
            confidence = min(confidence, _NO_WORDS_MAX)
        elif words.strip() and "(in passing)" not in words:
            # The title's words written as a name is written (clues.py's judgement: capitalised,
            # quoted, what a report is 'on'), not used as words: 'reports into Legitimacy'.
            confidence += 0.15
    published = report.published
    when = written or (max(d.date for d in dates) if dates else None)
    if published is not None and when is not None:
        if when < published - dt.timedelta(days=7):
            confidence *= 0.3  # the text was written before the report came out
        elif when.year - published.year > _STALE_YEARS:
            confidence *= 0.6
    return round(min(confidence, 0.99), 3)


def _named(text: str, span) -> bool:
    """Whether a short title is written as a name: capitalised, quoted, or beside a report word."""
    written = text[span.start:span.end]
    if written[:1].isupper() and any(w[:1].isupper() for w in written.split()[1:]):
        return True
    if text[max(0, span.start - 1):span.start] in _QUOTES and span.start > 0:
        return True
    # Within its sentence: 'the inspection found' a paragraph before says nothing of these words.
    start = max(text.rfind(c, max(0, span.start - _NEAR), span.start) for c in ".\n:") + 1
    ends = [i for i in (text.find(c, span.end, span.end + _NEAR) for c in ".\n") if i >= 0]
    return _REPORT_WORD.search(text, max(0, start), min(ends) if ends else min(len(text), span.end + _NEAR)) is not None
