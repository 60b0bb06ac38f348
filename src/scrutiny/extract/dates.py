"""Dates as letters write them, and which of them is the letter's own date."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ..record import LetterDate, Span
from .text import lowered, word_positions

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
# An ordinal's suffix may stand apart from its day ('5 th October 2015': a converter's spacing).
_DAY_BEFORE = re.compile(r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?\b(?P<day>[0-3]?\d)(?: ?(?:st|nd|rd|th))?"
                         r"(?:\s+of)?\s+$", re.IGNORECASE)
_YEAR_AFTER = re.compile(r",?\s+(?P<year>(?:19|20)\d\d)\b")
_DAY_YEAR_AFTER = re.compile(r"\s+(?P<day>[0-3]?\d)(?: ?(?:st|nd|rd|th))?,?\s+(?P<year>(?:19|20)\d\d)\b")
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
# 'Created on 23 January 2025', 'Published: 12 March 2024', 'Date published: 4 May 2021'. (A page's
# 'Last updated' stamp is when it was edited, not when the response was made.)
_PAGE_STAMP = re.compile(r"(?:^|\n)[ \t]*(?:date\s+)?(?:first\s+)?(?:posted|created|published|issued|released|date[d]?)"
                         r"(?:\s+on)?[\s:]*$", re.IGNORECASE)
# The text says when it was sent, or that it is dated today: 'sent the following letter to the
# Home Secretary on 26 July 2019', 'published today (9th November 2017)'.
_SENT_ON = re.compile(r"\b(?:sent|wrote|written|submitted)\b[^.\n]{0,80}\bon\s+(?:the\s+)?$"
                      r"|\bmeeting\b[^.\n]{0,80}\bheld\s+on\s+(?:\w+day,?\s+)?(?:the\s+)?$",  # a meeting's minutes
                      re.IGNORECASE)
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
        if "published" in before and _PUBLISHED_BEFORE.search(before) and not _PAGE_STAMP.search(before):
            return d  # (a line's 'Published 2 July 2025' is the page's own stamp, not the report's date)
    return None


# 'published today', 'has today (Thursday 22 September) published', 'released today', 'published yesterday'
_PUBLISHED_TODAY = re.compile(r"(?:published|released)\s+(?:[\w&]+\s+){0,4}?(?P<after>today|yesterday)\b"
                              r"|\b(?P<before>today|yesterday)\s+(?:\([^)\n]{0,40}\)\s+)?(?:published|released)\b"
                              # 'today's HMICFRS report', 'yesterday's inspection report': the report of that day
                              r"|\b(?P<own>today|yesterday)['’]s\s+(?:[\w&'’]+\s+){0,3}?(?:report|inspection|assessment)\b",
                              re.IGNORECASE)
_PUBLISHED_MONTH = re.compile(r"published\s+(?:in\s+)?(?P<month>" + "|".join(
    n for n in _MONTHS if len(n) > 3 or n == "may") + r")\s+(?P<year>20\d\d)\b", re.IGNORECASE)


def published_today(text: str) -> tuple[Span, int] | None:
    """Where the text says the report came out the day it was written ('published today') or
    the day before ('published yesterday'), and how many days before the text that was."""
    low = lowered(text)
    if "today" not in low and "yesterday" not in low:
        return None
    m = _PUBLISHED_TODAY.search(text)
    if m is None:
        return None
    day = m.group("after") or m.group("before") or m.group("own")
    return Span(m.start(), m.end()), 1 if day.lower() == "yesterday" else 0


def published_month(text: str) -> tuple[tuple[int, int], Span] | None:
    """A publication month the text gives without a day ('published in March 2023')."""
    low = lowered(text)
    at = low.find("published")
    m = None
    while at >= 0 and m is None:
        m = _PUBLISHED_MONTH.match(text, at)
        at = low.find("published", at + 1)
    if m is None:
        return None
    return (int(m.group("year")), _MONTHS[m.group("month").lower()]), Span(m.start(), m.end())


# --- dates without a year ------------------------------------------------------------------

_WEEKDAYS = ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")
_YEARLESS_DAY_BEFORE = re.compile(r"(?:\b(?P<weekday>mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:the\s+)?"
                                  r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+of)?\s+$", re.IGNORECASE)
_YEARLESS_DAY_AFTER = re.compile(r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?!,?\s+(?:19|20)\d\d)(?![/.:]\d)")
_WEEKDAY_BEFORE = re.compile(r"\b(?P<weekday>mon|tues|wednes|thurs|fri|satur|sun)day,?\s+$", re.IGNORECASE)
FIRST_YEAR = 2011  # the first reports in the catalogue; police and crime commissioners came in 2012


@dataclass(frozen=True)
class Yearless:
    """A day and month the text gives without a year: 'today (Thursday 22 September)'."""

    month: int
    day: int
    weekday: int | None  # Monday is 0, as datetime numbers them
    start: int
    end: int


def find_yearless(text: str) -> list[Yearless]:
    """Every day-and-month without a year: 'Tuesday 22 July', 'February 25'."""
    out = []
    for start, end, month in _month_words(text):
        if _YEAR_AFTER.match(text, end):
            continue
        before = _YEARLESS_DAY_BEFORE.search(text, max(0, start - 30), start)
        if before is not None:
            weekday = before.group("weekday")
            out.append(Yearless(month, int(before.group("day")), _weekday(weekday), before.start(), end))
            continue
        after = _YEARLESS_DAY_AFTER.match(text, end)
        if after is not None and not text[max(0, start - 1):start].isalnum():
            weekday_m = _WEEKDAY_BEFORE.search(text, max(0, start - 12), start)
            out.append(Yearless(month, int(after.group("day")), _weekday(weekday_m.group("weekday") if weekday_m else None),
                                weekday_m.start() if weekday_m else start, after.end()))
    return out


def _weekday(name: str | None) -> int | None:
    return _WEEKDAYS.index(name.lower()) if name else None


Term = tuple[dt.date | None, dt.date | None]


def resolve_year(found: Yearless, window: Term, terms: tuple[Term, ...], years: set[int]) -> dt.date | None:
    """The one date the context allows: its weekday, the era the text's words place it in
    (`window`), the speaker's terms of office, the years the text names. None if it is not one."""
    candidates = []
    for year in range(FIRST_YEAR, dt.date.today().year + 1):
        try:
            day = dt.date(year, found.month, found.day)
        except ValueError:
            continue
        if found.weekday is not None and day.weekday() != found.weekday:
            continue
        if window[0] and day < window[0] or window[1] and day > window[1]:
            continue
        if terms and not any((s is None or s <= day) and (e is None or day <= e) for s, e in terms):
            continue
        candidates.append(day)
    if len(candidates) > 1 and found.weekday is not None and years:
        candidates = [d for d in candidates if d.year in years] or candidates
    return candidates[0] if len(candidates) == 1 else None


# The text's own day, said without its year: 'today (Friday 27 September)', 'this evening
# (Tuesday 13 December from 6pm)'.
_TODAY_YEARLESS = re.compile(r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\s*[(,]\s*$", re.IGNORECASE)


def yearless_text_date(text: str, found: list[Yearless], resolve: Callable[[Yearless], dt.date | None]) -> tuple[dt.date, Yearless] | None:
    """The text's own date from a day-and-month it calls today, its year resolved by
    `resolve` (a Yearless -> date or None)."""
    for y in found:
        if _TODAY_YEARLESS.search(text, max(0, y.start - 40), y.start):
            day = resolve(y)
            if day is not None:
                return day, y
    return None


# Around a day-and-month, the report's publication: 'On Tuesday 22 July, the publication of
# a report', 'has today (Thursday 22 September) published', 'published on 4 September'.
_PUBLICATION_AFTER = re.compile(r"[\s,)]*(?:from\s+\d{1,2}\s*(?:am|pm)\)?\s*)?(?:the\s+)?(?:publication|published)\b",
                                re.IGNORECASE)


def yearless_publication(text: str, found: list[Yearless], resolve: Callable[[Yearless], dt.date | None]) -> tuple[dt.date, Yearless] | None:
    """A publication day the text gives without its year, the year resolved by `resolve`."""
    for y in found:
        before = text[max(0, y.start - 60): y.start]
        if _PUBLISHED_BEFORE.search(before.lower()) or _PUBLICATION_AFTER.match(text, y.end):
            day = resolve(y)
            if day is not None:
                return day, y
    return None


# The text's wording dates it: the inspectorate became HMICFRS on 19 July 2017, and His
# Majesty's on 8 September 2022.
HMICFRS_FROM = dt.date(2017, 7, 19)
KING_FROM = dt.date(2022, 9, 8)


@lru_cache(maxsize=4)
def era(text: str) -> tuple[Term, list[str]]:
    """The dates the text's own words place it between, and why."""
    low = lowered(text)
    start = end = None
    reasons = []
    if "hmicfrs" in low or "constabulary and fire" in low or "constabulary & fire" in low:
        start = HMICFRS_FROM
        reasons.append("the text names HMICFRS (from July 2017)")
    if "his majesty" in low:
        start = KING_FROM
        reasons.append("His Majesty's Inspectorate (from September 2022)")
    elif "her majesty" in low:
        end = KING_FROM + dt.timedelta(days=30)
        reasons.append("Her Majesty's Inspectorate (until September 2022)")
    return (start, end), reasons
