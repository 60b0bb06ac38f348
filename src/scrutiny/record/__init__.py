"""The data that flows through Scrutiny: a read Document and the extracted ResponseRecord.

Field names follow `shared/contract/extraction.schema.json`, so `record.to_dict()` is the
contract's JSON object. Every extracted value carries `evidence`: spans into `text`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Span(NamedTuple):
    """Character offsets [start, end) into a record's text. A named tuple, not a dataclass:
    a letter's record holds a hundred of them, and these are five times cheaper to make."""

    start: int
    end: int


@dataclass
class Document:
    """A file's normalised text; every offset in a record refers to `text`."""

    path: str
    sha256: str
    media_type: str
    text: str
    pages: int | None = None
    published: str | None = None  # the page's own publication date (HTML metadata), ISO


@dataclass
class Force:
    name: str
    evidence: list[Span]


@dataclass
class PolicingBody:
    """Who speaks: the role (PCC, PFCC, Deputy PCC, Mayor, Deputy Mayor, Police Authority,
    Chief Constable, Other) and, where the text gives it, the office as known ('Deputy Chief
    Constable', 'Home Secretary', 'candidate')."""

    role: str
    evidence: list[Span]
    office: str | None = None


@dataclass
class ResponseVerdict:
    """Whether the text is a local policing body's comments on an inspection report, why,
    and the words that decided. A text that is not one goes to review, never into a
    response's figures."""

    value: bool
    reason: str
    evidence: list[Span]


@dataclass
class Signatory:
    name: str
    evidence: list[Span]
    reference: str | None = None  # the source confirming this person held the office then


@dataclass
class LetterDate:
    date: str
    evidence: list[Span]


@dataclass
class DocumentKind:
    """What the document is: "letter", "web page", "statement" or "other", and the words that say so."""

    name: str
    evidence: list[Span]


@dataclass
class Addressee:
    name: str
    evidence: list[Span]


@dataclass
class ReportMatch:
    id: str | None
    title: str
    published: str | None
    score: float
    evidence: list[Span]
    published_stated: bool = False  # the letter itself states the publication date
    title_as_written: str | None = None  # the report's name as the text writes it, where it does
    basis: str = "title"  # what identified it: "title", "clues" (see reasons), or "stated title" (uncatalogued)
    reasons: list[str] = field(default_factory=list)  # for "clues": what in the text decided it
    confidence: float | None = None  # how sure the link is (see extract/linking.py; docs/report-linking.md)


@dataclass
class ReportCandidate:
    """A report the text may answer, not linked: its evidence was too weak to be sure."""

    id: str
    title: str
    confidence: float
    evidence: list[Span]


@dataclass
class Answer:
    """How the letter answers one recommendation that applies to forces."""

    number: int
    recommendation_id: str | None
    addressed: bool
    stance: str
    status: str
    evidence: list[Span]
    label: str | None = None  # the text's own numbering where it has a sub-number ('3a'); number stays an int


@dataclass
class Initiative:
    name: str
    evidence: list[Span]


@dataclass
class Compliance:
    deadline: str | None
    days_taken: int | None
    on_time: bool | None
    recommendations_expected: int | None
    recommendations_addressed: int | None
    complete: bool | None
    missing: list[int]
    date_basis: str | None = None  # "letter date" or "publication date": which date was judged
    responded: str | None = None  # that date


@dataclass
class ResponseRecord:
    source: dict
    text: str
    force: Force | None
    policing_body: PolicingBody | None
    signatory: Signatory | None
    letter_date: LetterDate | None
    addressees: list[Addressee]
    report: ReportMatch | None
    recommendations: list[Answer]
    initiatives: list[Initiative]
    compliance: Compliance
    warnings: list[str] = field(default_factory=list)
    kind: DocumentKind | None = None
    response: ResponseVerdict | None = None
    report_candidates: list[ReportCandidate] = field(default_factory=list)  # when no link was sure enough

    def to_dict(self) -> dict:
        """The contract's JSON object (a hand-written asdict: the generic one deep-copies)."""
        return plain(self)


_SCALARS = frozenset((str, int, float, bool, type(None)))


def plain(value):
    """Dataclasses, spans, lists and dicts as plain JSON-ready values. Tested by exact type,
    most common first: a record holds thousands of scalars and spans, which are converted
    where they stand rather than through a call each."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is Span:
        return {"start": value[0], "end": value[1]}
    if kind is list:
        return [{"start": v[0], "end": v[1]} if type(v) is Span else plain(v) for v in value]
    if kind is dict:
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return {name: v if type(v := getattr(value, name)) in _SCALARS else plain(v)
                for name in value.__dataclass_fields__}
    return value
