"""The policing bodies themselves, dated (`bodies.csv`): which body holds a force's policing
functions on a day, and the transfers between them (a mayor taking over a commissioner's
functions). A letter is signed in the name of the body in office on its date, and a handover
passes open work to the body in office on the day."""
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
