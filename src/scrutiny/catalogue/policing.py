"""The policing bodies themselves, dated (`bodies.csv`): which body holds a force's policing
functions on a day, and the transfers between them (a mayor taking over a commissioner's
functions). A letter is signed in the name of the body in office on its date, and a handover
passes open work to the body in office on the day. And where each body publishes its
responses (`policing-body-sites.csv`): the collector's bundled sources."""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources

from . import _day, force_names


@dataclass(frozen=True)
class PolicingBody:
    """A force's local policing body for a stretch of time (bodies.csv): a commissioner's
    office, a mayor's, a police authority. When the functions pass to another body (a mayor
    in Greater Manchester in 2017, ...) the old record ends the day before the new one
    starts; `start` None is "since before the reference looks", `end` None "still in office"."""

    force: str
    name: str
    role: str  # PCC, PFCC, Mayor, Police Authority: the letter's office
    start: dt.date | None
    end: dt.date | None
    source: str

    def in_office(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@cache
def bodies() -> tuple[PolicingBody, ...]:
    """Every force's policing bodies, dated, in order of their start within each force."""
    text = resources.files(__package__).joinpath("bodies.csv").read_text(encoding="utf-8")
    return tuple(PolicingBody(force_names().get(row["force"], row["force"]), row["body"], row["role"],
                              _day(row["from"] or None), _day(row["to"] or None), row["source"])
                 for row in csv.DictReader(text.splitlines()))


def body_on(force: str, day: dt.date) -> PolicingBody | None:
    """The force's policing body in office on `day`, by the reference."""
    return next((b for b in bodies() if b.force == force and b.in_office(day)), None)


@dataclass(frozen=True)
class BodySite:
    """Where a force's policing body publishes its responses: the collector's start page (the
    page listing its responses where one is known, else its website's home page) and the
    evidence for it, as `policing-body-sites.csv` gives them."""

    force: str
    url: str
    note: str


@cache
def body_sites() -> tuple[BodySite, ...]:
    """One start page per body the reference knows a site of (a body with neither a list page nor
    a website has none: its force stays "not collected" until a user adds one)."""
    text = resources.files(__package__).joinpath("policing-body-sites.csv").read_text(encoding="utf-8")
    out = []
    for row in csv.DictReader(text.splitlines()):
        url = row["responses_page"] or row["website"]
        if not url:
            continue
        what = row["responses_page_kind"] if row["responses_page"] else (
            f"the home page: no list of responses is known ({row['responses_page_kind']})")
        out.append(BodySite(force_names().get(row["force"], row["force"]), url,
                            f"{what}; evidence: {row['evidence_url']}"))
    return tuple(out)
