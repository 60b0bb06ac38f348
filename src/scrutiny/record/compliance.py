"""Section 55 compliance: the 56-day deadline and whether every recommendation was answered.

s.55(5A) Police Act 1996: comments must be published "before the end of the period of 56
days beginning with the day on which the report is published". The publication day is
day 1, so the last day is publication + 55 days.
"""
from __future__ import annotations

import datetime as dt

from . import Compliance

PERIOD_DAYS = 56


def deadline(published: dt.date) -> dt.date:
    """The last day on which a response is in time."""
    return published + dt.timedelta(days=PERIOD_DAYS - 1)


def assess(
    published: dt.date | None,
    responded: dt.date | None,
    addressed: list[int],
    expected: int | None,
    date_basis: str | None = "letter date",
) -> Compliance:
    """Judge one response.

    `responded` is the date judged against the deadline (the letter's date, or the real
    publication date where known; `date_basis` says which). Unknown dates give None rather
    than a guess; `expected` is None when the report's recommendations are not catalogued.
    """
    last_day = deadline(published) if published else None
    days = (responded - published).days if published and responded else None
    missing = [n for n in range(1, expected + 1) if n not in addressed] if expected is not None else []
    return Compliance(
        deadline=last_day.isoformat() if last_day else None,
        days_taken=days,
        on_time=(responded <= last_day) if last_day and responded else None,
        recommendations_expected=expected,
        recommendations_addressed=len(addressed) if expected is not None else None,
        complete=(not missing) if expected is not None else None,
        missing=missing,
        date_basis=date_basis if responded else None,
        responded=responded.isoformat() if responded else None,
    )
