"""HMICFRS's own pages read for their recommendations: a report's publication page, a report
or letter, or a record of the recommendation register (one recommendation for one force, with
its dated status history). Untrusted text, read like any other: `parse(document)` gives the
page's kind, title, publication day and forces, its recommendations (number, addressees, due
date, wording, the register's status and history), its causes of concern and its areas for
improvement (which need no answer), as plain values."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ...record import Document
from .items import find
from .page import read_header
from .register import Entry, history_start, latest_status, parse_history
from .wording import addressees, due_date, due_phrase


@dataclass(frozen=True)
class Recommendation:
    number: int | None
    addressees: tuple[str, ...]
    due: str | None  # as written: 'By 31 March 2024', 'Within three months', 'immediately'
    due_date: dt.date | None  # where the phrase names a day
    wording: str
    cause_of_concern: int | None  # index into the page's causes of concern
    status: str | None  # the register's latest, where the page has one
    status_history: tuple[Entry, ...]

    def to_dict(self) -> dict:
        return {"number": self.number, "addressees": list(self.addressees), "due": self.due,
                "due_date": self.due_date.isoformat() if self.due_date else None, "wording": self.wording,
                "cause_of_concern": self.cause_of_concern, "status": self.status,
                "status_history": [e.to_dict() for e in self.status_history]}


@dataclass(frozen=True)
class Page:
    file: str
    url: str | None
    kind: str  # recommendation (a register record), report, letter, other
    title: str | None
    record: str | None  # the register's number for the record
    published: dt.date | None
    forces: tuple[str, ...]
    recommendations: tuple[Recommendation, ...]
    causes_of_concern: tuple[str, ...]
    areas_for_improvement: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"file": self.file, "url": self.url, "kind": self.kind, "title": self.title, "record": self.record,
                "published": self.published.isoformat() if self.published else None, "forces": list(self.forces),
                "recommendations": [r.to_dict() for r in self.recommendations],
                "causes_of_concern": list(self.causes_of_concern),
                "areas_for_improvement": list(self.areas_for_improvement)}


def _wording(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def parse(document: Document) -> Page:
    text = document.text
    header = read_header(text)
    register = header.kind == "recommendation"
    end = history_start(text) if register else None  # elsewhere a date on its own line is a letter's
    end = len(text) if end is None or end < header.body_start else end
    history = tuple(parse_history(text[end:])) if end < len(text) else ()
    found = find(text[header.body_start:end], register)
    # A record's status belongs to the whole record: to each part it has.
    status = latest_status(list(history), text[header.body_start:]) if register else None
    recommendations = []
    for rec in found.recommendations:
        wording = _wording(rec.lines)
        phrase = due_phrase(wording)
        recommendations.append(Recommendation(
            number=rec.number, addressees=addressees(wording), due=phrase, due_date=due_date(phrase)[0],
            wording=wording, cause_of_concern=rec.cause, status=status, status_history=history))
    return Page(document.path, header.url, header.kind, header.title, header.record, header.published,
                header.forces, tuple(recommendations), tuple(found.causes), tuple(found.improvements))
