"""What the office takes from anyone (a page's form, the JSON API, the CLI), checked in one place:
dates in a sane range, and text with no control characters or lone surrogates (`record.fields.text_problem`).

A date far outside the years the office works in is a typing slip (0001-01-01, 9999-12-31), and
would reach the calendar feed as a date calendar clients refuse. A control character (NUL above
all) or a lone surrogate cannot be stored on every engine nor shown in a letter, so neither is
kept: the web layer answers 422 naming the field, the CLI one line, before anything is written.
"""
from __future__ import annotations

import datetime as dt

from ..errors import InvalidValue
from ..record.fields import text_problem

FIRST_DAY = dt.date(1990, 1, 1)  # before any response the office tracks
YEARS_AHEAD = 10  # a plan's steps may run this far ahead


def last_day(today: dt.date | None = None) -> dt.date:
    return dt.date((today or dt.date.today()).year + YEARS_AHEAD, 12, 31)


def day_problem(value: dt.date) -> str | None:
    """Why `value` is not a date the office takes, or None."""
    if FIRST_DAY <= value <= last_day():
        return None
    return f"a date from {FIRST_DAY} to {last_day()}, not {value}"


def checked_day(value: dt.date, name: str) -> dt.date:
    problem = day_problem(value)
    if problem:
        raise InvalidValue(f"{name}: {problem}")
    return value


def checked_text(value: str, name: str) -> str:
    problem = text_problem(value)
    if problem:
        raise InvalidValue(f"{name}: {problem}")
    return value
