"""Section 55 compliance: the 56-day deadline and whether every recommendation was answered.

s.55(5A) Police Act 1996: comments must be published "before the end of the period of 56
days beginning with the day on which the report is published". The publication day is
day 1, so the last day is publication + 55 days. Reports published before the period came
into force have no deadline (RULE_START).
"""
from __future__ import annotations

import datetime as dt

from . import Compliance

PERIOD_DAYS = 56
# The day s.55(5A) (the 56-day period) and s.55(5B) (an answer per recommendation) came into
# force: Policing and Crime Act 2017 (Commencement No. 1 and Transitional Provisions)
# Regulations 2017, SI 2017/399, reg. 4(a). Before it, s.55(5) set no time limit.
RULE_START = dt.date(2017, 5, 2)


def deadline(published: dt.date | None) -> dt.date | None:
    """The last day on which a response is in time; None for a report of unknown date, or one
    published before RULE_START (no period applies to it)."""
    if published is None or published < RULE_START:
        return None
    return published + dt.timedelta(days=PERIOD_DAYS - 1)


def legal_day(days_taken: int | None, last_day: dt.date | None) -> int | None:
    """The day of the period a response came on (publication day is day 1, day 56 the last in
    time); None where no period applies or the date is unknown. `days_taken` is one less."""
    return days_taken + 1 if days_taken is not None and last_day is not None else None


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
    last_day = deadline(published)
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
