"""Documents: the columns derived from a document's current record, corrections applied.

`derive` is the one place the stored record becomes rows: the document's own columns, its
initiatives, and its place in a response. It runs when a version is stored, when a value
is corrected, and over every document when the derivation changes (`DERIVATION`).
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, defer

from ..catalogue import Report, by_id
from ..record.fields import Reanswer, apply_corrections, judged_on
from .schema import Correction, Document, Initiative, Version

# Bump when derived columns are computed differently: the store rebuilds them when it opens.
DERIVATION = "5"  # 5: judged on the catalogue's dates and the rule's start


_LETTER = re.compile(r"\bDear\b|\bYours (?:sincerely|faithfully)\b|\bI am writing to you\b")
_REPORTED = re.compile(r"\b(?:said|says|commented|press release|media release|news release|statement)\b",
                       re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:I|We) (?:welcome|refer|note|am|have|will|accept|agree)\b")


def kind_of(record: dict) -> str:
    """What the document is, as the extractor says. A record stored before the extractor
    said so is judged here: a text with addressees, a salutation or a sign-off is a letter;
    one that reports what someone said is a statement; one in the body's own voice, or any
    other HTML page, a web page."""
    if record.get("kind"):
        return record["kind"]["name"]
    text = record["text"]
    if record["addressees"] or _LETTER.search(text):
        return "letter"
    if _REPORTED.search(text):
        return "statement"
    if _FIRST_PERSON.search(text) or record["source"]["media_type"] == "text/html":
        return "web page"
    return "other"


def plain_correction(c: Correction) -> dict:
    return {"id": c.id, "field": c.field, "previous": c.previous, "value": c.value, "author": c.author,
            "at": c.at.isoformat() if c.at else None}


def corrected(version: Version, corrections: list[dict], reports: tuple[Report, ...], reanswer: Reanswer | None,
              ) -> dict:
    """A version's record with its text, and the document's corrections applied. Without
    corrections it shares the stored record's values (copied only to be changed): read it,
    don't change it."""
    if not corrections:
        record = {**version.record, "text": version.text}
    else:
        record = apply_corrections({**copy.deepcopy(version.record), "text": version.text}, corrections, reports,
                                   reanswer)
    return judged_on(record, by_id(reports).get((record.get("report") or {}).get("id") or ""))


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def not_attachable(record: dict) -> str | None:
    """Why a record must wait for an analyst rather than join a response, whatever its force and
    report: the extractor says the text is not a response (a chief constable's statement, a
    panel's minutes, ...), or the report it seems to answer is too uncertain to link."""
    verdict = record.get("response")
    if verdict is not None and verdict["value"] is False:
        return "not a response: " + verdict["reason"]
    candidates = record.get("report_candidates") or []
    if not record.get("report") and candidates:
        best = candidates[0]
        return (f"the report is uncertain: perhaps {best['title']} (confidence {best['confidence']:.2f}, "
                "too low to link); an analyst can name it")
    return None


def derive(document: Document, version: Version, record: dict, force_ids: dict[str, int],
           report_ids: set[str]) -> None:
    """Set the document's columns from its corrected record.

    The caller replaces its initiatives, attaches it, and refreshes the responses it left and joined.
    """
    c = record["compliance"]
    report = record["report"] or {}
    document.kind = kind_of(record)
    document.filename, document.media_type = version.filename, version.media_type
    document.force_id = force_ids.get(record["force"]["name"]) if record["force"] else None
    document.report_id = report.get("id") if report.get("id") in report_ids else None
    document.report_title = report.get("title")
    document.role = record["policing_body"]["role"] if record["policing_body"] else None
    document.signatory = record["signatory"]["name"] if record["signatory"] else None
    document.letter_date = _date(record["letter_date"]["date"]) if record["letter_date"] else None
    document.date, document.date_basis = _date(c.get("responded")), c.get("date_basis")
    document.year = document.date.year if document.date else None
    document.deadline, document.days_taken, document.on_time = _date(c["deadline"]), c["days_taken"], c["on_time"]
    document.expected, document.addressed = c["recommendations_expected"], c["recommendations_addressed"]
    document.complete = c["complete"]
    document.warnings = len(record["warnings"])
    document.verified = bool(document.corrections)


def replace_initiatives(s: Session, records: dict[int, dict]) -> None:
    """The initiatives of these documents (document id -> corrected record), in two statements."""
    s.execute(delete(Initiative).where(Initiative.document_id.in_(records)))
    rows = [{"document_id": document_id, "name": i["name"], "evidence": i["evidence"]}
            for document_id, record in records.items() for i in record["initiatives"]]
    if rows:  # rows, not objects: nothing reads them back in this session
        s.execute(insert(Initiative), rows)


class Records:
    """Documents' current records, their corrections applied, as judging responses needs them:
    (version id, record) by document id. Those given (just stored) are used as they are; the
    others are read a batch at a time (`load`), not a query or two per document."""

    def __init__(self, s: Session, reports: tuple[Report, ...], reanswer: Reanswer | None,
                 known: dict[int, tuple[int, dict]] | None = None):
        self.s, self.reports, self.reanswer = s, reports, reanswer
        self.known = {} if known is None else known

    def load(self, document_ids: Iterable[int | None]) -> None:
        wanted = {i for i in document_ids if i is not None and i not in self.known}
        if not wanted:
            return
        corrections: dict[int, list[dict]] = {}
        for c in self.s.scalars(select(Correction).where(Correction.document_id.in_(wanted)).order_by(Correction.id)):
            corrections.setdefault(c.document_id, []).append(plain_correction(c))
        for version in self.s.scalars(select(Version).where(Version.document_id.in_(wanted), Version.is_current)
                                      .options(defer(Version.content))):
            self.known[version.document_id] = (version.id, corrected(
                version, corrections.get(version.document_id, []), self.reports, self.reanswer))

    def __call__(self, document_id: int) -> tuple[int, dict]:
        self.load([document_id])
        return self.known[document_id]


@dataclasses.dataclass
class StoredDocument:
    """The current version of a document, as an analyst sees it (corrections applied)."""

    id: int
    version: int
    version_id: int
    source_key: str
    filename: str
    media_type: str
    sha256: str
    ingested_at: dt.datetime
    kind: str
    response_id: int | None
    unattached_reason: str | None
    record: dict
    corrections: list[dict] = dataclasses.field(default_factory=list)

    @property
    def verified(self) -> set[str]:
        """Fields a human has set (a stored correction that fails today's checks sets none)."""
        return {c["field"] for c in self.corrections if "not_applied" not in c}


def view(version: Version, reports: tuple[Report, ...], reanswer: Reanswer | None) -> StoredDocument:
    document = version.document
    corrections = [plain_correction(c) for c in document.corrections]
    return StoredDocument(
        id=document.id, version=version.number, version_id=version.id, source_key=document.source_key,
        filename=version.filename, media_type=version.media_type, sha256=version.sha256,
        ingested_at=version.ingested_at, kind=document.kind, response_id=document.response_id,
        unattached_reason=document.unattached_reason, record=corrected(version, corrections, reports, reanswer),
        corrections=corrections,
    )


def current_version(s: Session, document_id: int) -> Version | None:
    return s.scalar(select(Version).where(Version.document_id == document_id, Version.is_current))
