"""Dates as letters write them, and which of them is the letter's own date."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..record import LetterDate, Span
from .text import word_positions

_MONTHS = {
    name: i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}
# Dates are found from their month names (str.find on the lower-cased text), then the day and
# year are read on either side: far faster than one pattern tried at every position.
_DAY_BEFORE = re.compile(r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
                         r"(?:\s+of)?\s+$", re.IGNORECASE)
_YEAR_AFTER = re.compile(r",?\s+(?P<year>(?:19|20)\d\d)\b")
_DAY_YEAR_AFTER = re.compile(r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b")
# Starts with \d, not an optional digit, so the regex engine can skip to digits.
_NUMERIC = re.compile(r"(?P<day>\d\d?)[/.](?P<month>\d\d?)[/.](?P<year>(?:19|20)\d\d)\b")
# Every numeric date has a separator then the century: four str.find calls spare most
# letters a regex scan for digits.
_NUMERIC_HINTS = ("/19", "/20", ".19", ".20")
_MONTH_NAMES = tuple(_MONTHS)
_PUBLISHED_BEFORE = re.compile(r"(?<![a-z])published\b[^.]{0,45}$")
_DIGIT = re.compile(r"\d")
_SALUTATION = re.compile(r"^[ \t]*(?:dear|to whom)\b", re.IGNORECASE | re.MULTILINE)
# A date that follows one of these words is about something else: a publication, a deadline.
_NOT_LETTER_DATE = re.compile(
    r"(?:published|publication|by|before|until|since|from|on|of|in|dated|deadline|due|received|updated|modified"
    r"|reviewed)[\s:,]*(?:the\s+)?$",
    re.IGNORECASE,
)
_DATE_LABEL = re.compile(r"(?:^|\n)\s*(?:date[d]?\s*:?\s*)?$", re.IGNORECASE)
# A web page's own stamp, at the start of its line: 'Posted on Thursday 9th November 2017',
# 'Created on 23 January 2025', 'Published: 12 March 2024', 'Issued 4 May 2021'. (A page's
# 'Last updated' stamp is when it was edited, not when the response was made.)
_PAGE_STAMP = re.compile(r"(?:^|\n)[ \t]*(?:posted|created|published|issued|released|date[d]?)(?:\s+on)?[\s:]*$",
                         re.IGNORECASE)
# The text says when it was sent, or that it is dated today: 'sent the following letter to the
# Home Secretary on 26 July 2019', 'published today (9th November 2017)'.
_SENT_ON = re.compile(r"\b(?:sent|wrote|written|submitted)\b[^.\n]{0,80}\bon\s+(?:the\s+)?$", re.IGNORECASE)
_TODAY = re.compile(r"\btoday\s*[(,]\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class FoundDate:
    date: dt.date
    start: int
    end: int


def find_dates(text: str) -> list[FoundDate]:
    """Every full date (day, month and year) in `text`, in order: '7 July 2020',
    '27th March 2020', 'Monday 3 May 2021', 'March 27, 2020', '27/03/2020'."""
    found: list[FoundDate] = []
    for start, end, month in _month_words(text):
        # Most month words ('may' above all) have no day before them: skip the regex then.
        if not _DIGIT.search(text, end, end + 5):
            continue  # a year or a day follows every month word that is part of a date
        before = _DAY_BEFORE.search(text, max(0, start - 24), start) if _DIGIT.search(text, max(0, start - 8), start) else None
        after = _YEAR_AFTER.match(text, end)
        if before and after:
            _add(found, after.group("year"), month, before.group("day"), before.start(), after.end())
        elif (american := _DAY_YEAR_AFTER.match(text, end)) is not None:
            _add(found, american.group("year"), month, american.group("day"), start, american.end())
    numeric = any(hint in text for hint in _NUMERIC_HINTS)
    for m in _NUMERIC.finditer(text) if numeric else ():
        if m.start() == 0 or not text[m.start() - 1].isdigit():
            _add(found, m.group("year"), int(m.group("month")), m.group("day"), m.start(), m.end())
    return sorted(found, key=lambda d: d.start)


def _month_words(text: str):
    """(start, end, month number) of each month name or abbreviation (with its full stop)."""
    for start, end, name in word_positions(text, _MONTH_NAMES):
        yield start, end + (text[end: end + 1] == "."), _MONTHS[name]


def _add(found: list[FoundDate], year: str, month: int, day: str, start: int, end: int) -> None:
    try:
        found.append(FoundDate(dt.date(int(year), month, int(day)), start, end))
    except ValueError:  # 31 February and the like
        pass


def salutation_at(text: str) -> int | None:
    m = _SALUTATION.search(text)
    return m.start() if m else None


def letter_date(text: str, dates: list[FoundDate], salutation: int | None) -> LetterDate | None:
    """The document's own date: a date standing on its own line (or after 'Date:') before the
    salutation; a page's stamp ('Posted on ...'); the day the text says it was sent or calls
    today; failing those, the first date before the salutation that does not follow
    'published', 'by' and the like; failing that, a date on its own line anywhere (some
    letters date the sign-off). `salutation` is where the salutation begins (salutation_at)."""
    head = [d for d in dates if salutation is None or d.start < salutation]

    def said(d: FoundDate, pattern: re.Pattern) -> bool:
        return pattern.search(text, max(0, d.start - 100), d.start) is not None

    def own_line(d: FoundDate) -> bool:
        before = text[max(0, d.start - 12): d.start]
        line_end = text.find("\n", d.end)
        after = text[d.end: len(text) if line_end < 0 else line_end]
        return bool(_DATE_LABEL.search(before)) and not after.strip(" .,")

    def free(d: FoundDate) -> bool:
        return not _NOT_LETTER_DATE.search(text[max(0, d.start - 30): d.start])

    choice = (
        next((d for d in head if own_line(d)), None)
        or next((d for d in dates if said(d, _PAGE_STAMP) or said(d, _SENT_ON) or said(d, _TODAY)), None)
        or next((d for d in head if free(d)), None)
        or next((d for d in dates if own_line(d)), None)
    )
    if choice is None:
        return None
    return LetterDate(choice.date.isoformat(), [Span(choice.start, choice.end)])


def stated_publication(text: str, dates: list[FoundDate]) -> FoundDate | None:
    """A date the letter gives as the report's publication date ('published on 8th March 2023')."""
    for d in dates:
        before = text[max(0, d.start - 60): d.start].lower()
        if "published" in before and _PUBLISHED_BEFORE.search(before):
            return d
    return None


# 'published today', 'has today (Thursday 22 September) published', 'released today'
_PUBLISHED_TODAY = re.compile(r"(?:published|released)\s+(?:[\w&]+\s+){0,4}?today\b"
                              r"|\btoday\s+(?:\([^)\n]{0,40}\)\s+)?(?:published|released)\b", re.IGNORECASE)
_PUBLISHED_MONTH = re.compile(r"\bpublished\s+(?:in\s+)?(?P<month>" + "|".join(
    n for n in _MONTHS if len(n) > 3 or n == "may") + r")\s+(?P<year>20\d\d)\b", re.IGNORECASE)


def published_today(text: str) -> Span | None:
    """Where the text says the report came out the day it was written ('published today')."""
    m = _PUBLISHED_TODAY.search(text)
    return Span(m.start(), m.end()) if m else None


def published_month(text: str) -> tuple[tuple[int, int], Span] | None:
    """A publication month the text gives without a day ('published in March 2023')."""
    m = _PUBLISHED_MONTH.search(text)
    if m is None:
        return None
    return (int(m.group("year")), _MONTHS[m.group("month").lower()]), Span(m.start(), m.end())
