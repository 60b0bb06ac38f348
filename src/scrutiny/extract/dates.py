"""Dates as letters write them, and which of them is the letter's own date."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..record import LetterDate, Span

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
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
DATE_RE = re.compile(
    rf"\b{_WEEKDAY}(?:(?P<d1>{_DAY})(?:\s+of)?\s+(?P<m1>{_MONTH}),?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>{_DAY}),?\s+(?P<y2>(?:19|20)\d\d)"
    rf"|(?P<d3>[0-3]?\d)[/.](?P<m3>[01]?\d)[/.](?P<y3>(?:19|20)\d\d))\b",
    re.IGNORECASE,
)
_SALUTATION = re.compile(r"^[ \t]*(?:dear|to whom)\b", re.IGNORECASE | re.MULTILINE)
# A date that follows one of these words is about something else: a publication, a deadline.
_NOT_LETTER_DATE = re.compile(
    r"(?:published|publication|by|before|until|since|from|on|of|in|dated|deadline|due|received)[\s:,]*(?:the\s+)?$",
    re.IGNORECASE,
)
_DATE_LABEL = re.compile(r"(?:^|\n)\s*(?:date[d]?\s*:?\s*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class FoundDate:
    date: dt.date
    start: int
    end: int


def find_dates(text: str) -> list[FoundDate]:
    """Every full date (day, month and year) in `text`, in order."""
    found = []
    for m in DATE_RE.finditer(text):
        g = m.groupdict()
        try:
            if g["y1"]:
                date = dt.date(int(g["y1"]), _MONTHS[g["m1"].lower().rstrip(".")], int(re.match(r"\d+", g["d1"]).group()))
            elif g["y2"]:
                date = dt.date(int(g["y2"]), _MONTHS[g["m2"].lower().rstrip(".")], int(re.match(r"\d+", g["d2"]).group()))
            else:
                date = dt.date(int(g["y3"]), int(g["m3"]), int(g["d3"]))
        except ValueError:  # 31 February and the like
            continue
        found.append(FoundDate(date, m.start(), m.end()))
    return found


def salutation_at(text: str) -> int | None:
    m = _SALUTATION.search(text)
    return m.start() if m else None


def letter_date(text: str, dates: list[FoundDate]) -> LetterDate | None:
    """The letter's own date: a date standing on its own line (or after 'Date:') before the
    salutation; failing that, the first date before the salutation that does not follow
    'published', 'by' and the like; failing that, a date on its own line anywhere (some
    letters date the sign-off)."""
    salutation = salutation_at(text)
    head = [d for d in dates if salutation is None or d.start < salutation]

    def own_line(d: FoundDate) -> bool:
        before = text[max(0, d.start - 12): d.start]
        line_end = text.find("\n", d.end)
        after = text[d.end: len(text) if line_end < 0 else line_end]
        return bool(_DATE_LABEL.search(before)) and not after.strip(" .,")

    def free(d: FoundDate) -> bool:
        return not _NOT_LETTER_DATE.search(text[max(0, d.start - 30): d.start])

    choice = (
        next((d for d in head if own_line(d)), None)
        or next((d for d in head if free(d)), None)
        or next((d for d in dates if own_line(d)), None)
    )
    if choice is None:
        return None
    return LetterDate(choice.date.isoformat(), [Span(choice.start, choice.end)])


def stated_publication(text: str, dates: list[FoundDate]) -> FoundDate | None:
    """A date the letter gives as the report's publication date ('published on 8th March 2023')."""
    for d in dates:
        before = text[max(0, d.start - 60): d.start]
        if re.search(r"\bpublished\b[^.]{0,45}$", before, re.IGNORECASE):
            return d
    return None
