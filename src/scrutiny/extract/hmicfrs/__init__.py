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
from ..parties import find_force
from .items import Findings, find
from .page import read_header, records
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
    report: str | None = None  # the report a register record names
    record: str | None = None  # the register's number for the record
    force: str | None = None  # the force the record tracks it for

    def to_dict(self) -> dict:
        return {"number": self.number, "report": self.report, "record": self.record, "force": self.force, "addressees": list(self.addressees), "due": self.due,
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


def _recommendations(findings: Findings, status: str | None = None, history: tuple[Entry, ...] = (),
                     report: str | None = None, record: str | None = None,
                     force: str | None = None) -> list[Recommendation]:
    out = []
    for rec in findings.recommendations:
        wording = _wording(rec.lines)
        phrase = due_phrase(wording)
        out.append(Recommendation(
            number=rec.number, addressees=addressees(wording), due=phrase, due_date=due_date(phrase)[0],
            wording=wording, cause_of_concern=rec.cause, status=status, status_history=history, report=report,
            record=record, force=force))
    return out


def parse(document: Document) -> Page:
    text = document.text
    header = read_header(text)
    if header.kind != "recommendation":
        found = find(text[header.body_start:], register=False)
        return Page(document.path, header.url, header.kind, header.title, header.record, header.published,
                    header.forces, tuple(_recommendations(found)), tuple(found.causes),
                    tuple(found.improvements))
    recommendations: list[Recommendation] = []
    causes: list[str] = []
    improvements: list[str] = []
    forces = list(header.forces)
    for title, record, start, end in records(text, header):
        segment = text[start:end]
        at = history_start(segment)
        at = len(segment) if at is None else at
        history = tuple(parse_history(segment[at:]))
        found = find(segment[:at], register=True)
        for rec in found.recommendations:  # causes are numbered across the page
            rec.cause = None if rec.cause is None else rec.cause + len(causes)
        # A record's status belongs to the whole record: to each part it has.
        status = latest_status(list(history), segment)
        named = find_force(title) if title else None
        # The force a record is for: its own page's (in the address), else the one its report is on.
        force = header.forces[0] if header.forces and not header.record else named.name if named else None
        recommendations += _recommendations(found, status, history, title, record, force)
        causes += found.causes
        improvements += found.improvements
        if named is not None and named.name not in forces:
            forces.append(named.name)
    return Page(document.path, header.url, header.kind, header.title, header.record, header.published,
                tuple(forces), tuple(recommendations), tuple(causes), tuple(improvements))
