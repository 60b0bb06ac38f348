"""The letter a case publishes, in the structure of a section 55 response (the sample
letter 001): the policing body's comments; the chief constable's comments, with every
recommendation and its answer; the body's comments on the chief constable's; dated on
publication and addressed to the Home Secretary and HMICFRS.

A letter is a list of blocks. The same blocks make its plain text (stored as the
document's text), its HTML page and its PDF, so the record built here points at words that
are in all three, and the record is the office's own: publishing needs no re-extraction.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .. import catalogue
from ..catalogue import policing
from ..record import Compliance, plain
from ..record.compliance import assess

_TITLES = {"PCC": "Police and Crime Commissioner for {area}", "PFCC": "Police, Fire and Crime Commissioner for {area}",
           "Mayor": "Mayor of {area}", "Deputy Mayor": "Deputy Mayor for Policing and Crime",
           "Police Authority": "Chair of the Police Authority for {area}"}
_FORCE_WORDS = re.compile(r"\s+(?:Police Service|Police|Constabulary)$")


@dataclass(frozen=True)
class Step:
    description: str
    owner: str
    due: dt.date | None


@dataclass(frozen=True)
class Answer:
    number: int  # the contract's number
    label: str  # as the report numbers it
    recommendation_id: str | None
    wording: str
    stance: str
    steps: tuple[Step, ...] = ()
    explanation: str = ""


@dataclass(frozen=True)
class Signer:
    name: str
    role: str  # the contract's role: PCC, PFCC, Mayor, Deputy Mayor, Police Authority
    title: str  # as signed: 'Police and Crime Commissioner for Warwickshire'
    reference: str | None = None  # the source saying they held the office that day


@dataclass(frozen=True)
class Content:
    """What the office entered, and the facts around it."""

    force: str
    report_id: str
    report_title: str
    report_published: dt.date | None
    date: dt.date  # of publication: the letter is dated the day it is published
    signer: Signer
    body_comments: str
    chief_comments: str
    body_on_chief: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Block:
    kind: str  # letterhead, address, date, salutation, title, para, heading, subheading, rec, quote,
    #            label, step, closing, signature, signature-title
    text: str


@dataclass
class Letter:
    blocks: list[Block] = field(default_factory=list)
    length: int = 0
    spans: dict[str, list[dict]] = field(default_factory=dict)

    def add(self, kind: str, text: str, *keys: str) -> int:
        """Append a block; its span is kept under each of `keys`. Returns where it starts."""
        start = self.length + (2 if self.blocks else 0)
        self.blocks.append(Block(kind, text))
        self.length = start + len(text)
        for key in keys:
            self.spans.setdefault(key, []).append({"start": start, "end": self.length})
        return start

    def mark(self, key: str, start: int, words: str) -> None:
        """Keep the span of `words`, found in the block starting at `start`, under `key`."""
        at = self.text[start:].find(words)  # the text so far
        if at >= 0:
            self.spans.setdefault(key, []).append({"start": start + at, "end": start + at + len(words)})

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)


def area(force: str) -> str:
    return _FORCE_WORDS.sub("", force)


def signer(force: str, day: dt.date, fallback: str) -> Signer:
    """Who signs: the force's commissioner (or mayor, or chair) on `day` by the reference,
    else `fallback` (the approver) with the office of the policing body in office that day
    (a body is a dated record: a letter is signed in the name of the body of its date)."""
    holders = [(h, role) for h in catalogue.office_holders() if h.force == force and h.held_on(day)
               and (role := h.sender_role) is not None and role != "Chief Constable"]
    if holders:
        # Year-only terms overlap in the year one ends and the next begins: the later start wins.
        holder, role = max(holders, key=lambda held: held[0].start or "")
        return Signer(holder.name, role, _TITLES[role].format(area=area(force)), holder.source)
    found = policing.body_on(force, day)
    body = found.role if found else "PCC"
    role = next((r for r in ("PFCC", "Mayor", "Police Authority", "PCC") if body.startswith(r)), "PCC")
    return Signer(fallback, role, _TITLES[role].format(area=area(force)))


THE_KING = dt.date(2022, 9, 8)  # the Inspectorate became His Majesty's on the accession


def majesty(day: dt.date) -> str:
    """The Chief Inspector is Her Majesty's or His Majesty's as of `day`: a letter dated before
    the accession that said 'His' would date itself wrongly (and the extractor reads it so)."""
    return "His Majesty's" if day >= THE_KING else "Her Majesty's"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _paragraphs(text: str) -> list[str]:
    """A text box's paragraphs: split at blank lines, each on one line."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def compose(c: Content) -> Letter:
    s = c.signer
    body = f"the {s.title}" if s.role != "Deputy Mayor" else "the Mayor's Office for Policing and Crime"
    letter = Letter()
    letter.add("letterhead", f"Office of {body}")
    letter.add("address", "The Rt Hon the Home Secretary, Home Office\n"
                          f"{majesty(c.date)} Chief Inspector of Constabulary, HMICFRS", "addressees")
    letter.add("date", _day(c.date), "letter_date")
    letter.add("salutation", "Dear Home Secretary and Chief Inspector,", "kind")
    letter.add("title", f"Response to the HMICFRS report '{c.report_title}'")
    published = f", published on {_day(c.report_published)}" if c.report_published else ""
    at = letter.add("para", f"As the {s.title}, I am providing this response under section 55 of the Police Act "
                            f"1996 to the HMICFRS report '{c.report_title}'{published}. It gives my comments, the "
                            f"comments of the Chief Constable of {c.force}, and my comments on those.")
    letter.mark("role", at, s.title)
    letter.mark("report", at, c.report_title)
    letter.mark("force", at, c.force)

    office = "Mayor" if s.role in ("Mayor", "Deputy Mayor") else "Commissioner" if s.role != "Police Authority" \
        else "Police Authority"
    letter.add("heading", f"1. Comments of the {office}")
    for p in _paragraphs(c.body_comments):
        letter.add("para", p)
    letter.add("heading", "2. Comments from the Chief Constable")
    for p in _paragraphs(c.chief_comments):
        letter.add("para", p)
    if c.answers:
        letter.add("subheading", "The recommendations and our answers")
    for a in c.answers:
        key = f"recommendation.{a.number}"
        # The stance stands in the heading, beside the number: a reader (or the extractor)
        # finds it there whatever the length of the recommendation's wording.
        letter.add("rec", f"Recommendation {a.label}: {a.stance.capitalize()}", key)
        letter.add("quote", a.wording, key)
        if a.steps:
            letter.add("label", "Steps to be taken:", key)
            for step in a.steps:
                due = f"; by {_day(step.due)}" if step.due else ""
                letter.add("step", f"{step.description} (owner: {step.owner}{due})", key)
        if a.explanation.strip():
            letter.add("label", "Why no action will be taken:" if not a.steps else "Explanation:", key)
            for p in _paragraphs(a.explanation):
                letter.add("para", p, key)
    letter.add("heading", f"3. Comments of the {office} on the Chief Constable's comments")
    for p in _paragraphs(c.body_on_chief):
        letter.add("para", p)
    letter.add("closing", "Yours faithfully,", "kind")
    letter.add("signature", s.name, "signatory")
    letter.add("signature-title", s.title, "role")
    return letter


def record(c: Content, letter: Letter, source: dict, expected: int | None) -> dict:
    """The published letter's record in the contract's shape, each value pointing at its words."""
    sp = letter.spans
    text = letter.text
    addressees = [{"name": name, "evidence": [e]} for name, words in (("Home Secretary", "Home Secretary"),
                                                                       ("HMICFRS", "HMICFRS"))
                  for e in _within(text, sp["addressees"][0], words)]
    answers = [{"number": a.number, "recommendation_id": a.recommendation_id, "addressed": True, "stance": a.stance,
                "status": "planned" if a.steps else "not stated", "evidence": sp[f"recommendation.{a.number}"],
                "origin": "drafted"} for a in c.answers]
    compliance: Compliance = assess(c.report_published, c.date, [a.number for a in c.answers], expected,
                                    "publication date")
    return {
        "source": source,
        "text": text,
        "force": {"name": c.force, "evidence": sp.get("force", [])},
        "policing_body": {"role": c.signer.role, "evidence": sp["role"]},
        "signatory": {"name": c.signer.name, "evidence": sp["signatory"], "reference": c.signer.reference},
        "letter_date": {"date": c.date.isoformat(), "evidence": sp["letter_date"]},
        "addressees": addressees,
        "report": {"id": c.report_id, "title": c.report_title,
                   "published": c.report_published.isoformat() if c.report_published else None, "score": 1.0,
                   "evidence": sp.get("report", []), "published_stated": c.report_published is not None,
                   "title_as_written": c.report_title, "basis": "title", "reasons": []},
        "recommendations": answers,
        "initiatives": [],
        "compliance": plain(compliance),
        "warnings": [],
        "kind": {"name": "letter", "evidence": sp["kind"]},  # the salutation and the sign-off say so
    }


def _within(text: str, span: dict, words: str) -> list[dict]:
    at = text.find(words, span["start"], span["end"])
    return [{"start": at, "end": at + len(words)}] if at >= 0 else []
