"""Documents (`/documents`): the list, faceted by force, report, kind, year, on time, warnings and
verified; one document (`/documents/{id}`) with every extracted value at its evidence, where an
analyst corrects values; its original file; and every record exported. JSON twins under /api.
The addresses they had as `/letters` answer with a permanent redirect here (`moved`).

A document's text is shown, and sent in its JSON, a part at a time (`?part=N`, TEXT_PART_CHARS
characters a part): a letter of megabytes is a page of a size a browser shows at once, with
links to its other parts and to the original file; the evidence spans still count from the
start of the whole text."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated, Literal, Optional

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import (
    HTMLResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from pydantic import BaseModel, Field, StrictBool, StrictStr

from ... import catalogue
from ...errors import NotFound
from ...oversight import exports
from ...oversight.corrections import correct
from ...record import summary
from ...record.vocabulary import Implementation, Kind, SenderRole, Stance
from ...store import StoredDocument
from ...store.listing import DocumentFilters, DocumentRow, documents_list
from ..deps import (
    ERRORS,
    WRITE_ERRORS,
    Analyst,
    CSVResponse,
    FormText,
    Id,
    PageNumber,
    PerPage,
    StoreDep,
    Text,
    Year,
    attachment,
    find_document,
    listed,
    streamed,
    templates,
)
from ..schemas import CorrectionOut, DocumentOut, Listed, RecordOut

router = APIRouter()


def documents_index(store: StoreDep, force: Optional[str] = None, report: Optional[str] = None,
                    kind: Optional[Kind] = None,
                    year: Year = None, on_time: Optional[bool] = None, has_warnings: Optional[bool] = None,
                    verified: Optional[bool] = None, attached: Optional[bool] = None,
                    sort: Literal["date", "-date", "force", "report", "id"] = "-date", page: PageNumber = 1,
                    per_page: PerPage = 50) -> dict:
    filters = DocumentFilters(force, report, kind, year, on_time, has_warnings, verified, attached)
    found = documents_list(store, filters, sort=sort, page=page, per_page=per_page)
    return listed(found.documents, found.facets, {**filters.__dict__, "sort": sort})


@router.get("/documents", response_class=HTMLResponse, include_in_schema=False)
def documents_page(request: Request, store: StoreDep, data: dict = Depends(documents_index)):
    return templates.TemplateResponse(request, "documents.html", {**data, "titles": {r.id: r.title for r in store.reports()}})


@router.get("/api/documents", response_model=Listed[DocumentRow], responses=ERRORS, tags=["documents"])
def documents_json(data: dict = Depends(documents_index)) -> dict:
    """Every stored document (letter, web page, statement, other), filtered, sorted and paged,
    with facet counts by force, report, kind, year, on time, has warnings and verified."""
    return data


class CorrectionIn(BaseModel):
    field: Text = Field(max_length=64, description="force, policing_body, signatory, letter_date, report_published, "
                                                  "report, or recommendation.N.addressed|stance|status")
    value: StrictStr | StrictBool = Field(
        description="A date as YYYY-MM-DD; a force's name; a report id; true or false for 'addressed'")


TEXT_PART_CHARS = 100_000  # a document's text shown (and sent as JSON) this many characters at a time
WORD_CHARS = 200  # a part ends at the last space within this many characters of its end, not inside a word


@dataclass(frozen=True)
class TextPart:
    """Which characters of a text a part holds: `start` to `end` of `length`, part `number` of `parts`."""

    number: int
    parts: int
    start: int
    end: int
    length: int

    def holds(self, position: int) -> bool:
        return self.start <= position < self.end or (position == self.end == self.length)


def _part_start(text: str, number: int) -> int:
    at = (number - 1) * TEXT_PART_CHARS
    if at <= 0 or at >= len(text):
        return min(max(at, 0), len(text))
    space = text.rfind(" ", at - WORD_CHARS, at)
    return at if space < 0 else space + 1


def text_part(text: str, number: int) -> TextPart:
    """Part `number` (from 1) of `text`; a number past the last is NotFound, naming how many there are."""
    parts = max(1, -(-len(text) // TEXT_PART_CHARS))
    if number > parts:
        raise NotFound(f"part {number}: this document's text has {parts} part{'s' if parts > 1 else ''}")
    return TextPart(number, parts, _part_start(text, number),
                    len(text) if number == parts else _part_start(text, number + 1), len(text))


def document_out(document: StoredDocument, part: int = 1) -> dict:
    """The document's JSON, its record's text the part asked for (`text_part` says which characters)."""
    shown = text_part(document.record["text"], part)
    record = {**document.record, "text": document.record["text"][shown.start:shown.end]}
    return {
        "id": document.id,
        "version": document.version,
        "kind": document.kind,
        "response_id": document.response_id,
        "unattached_reason": document.unattached_reason,
        "file": document.filename,
        "media_type": document.media_type,
        "sha256": document.sha256,
        "ingested_at": document.ingested_at.isoformat(),
        "verified": sorted(document.verified),
        "record": record,
        "text_part": asdict(shown),
        "corrections": document.corrections,
    }


def segments(text: str, items: list[dict], offset: int = 0) -> list[dict]:
    """The text (the whole text's from `offset` on) cut at every span boundary within it; each
    piece lists the values whose evidence covers it."""
    cuts = {0, len(text)}
    for item in items:
        for s in item["spans"]:
            cuts.update((s["start"] - offset, s["end"] - offset))
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    covering = []
    for start, end in zip(bounds, bounds[1:]):
        keys = [i["key"] for i in items
                if any(s["start"] - offset <= start and end <= s["end"] - offset for s in i["spans"])]
        covering.append({"text": text[start:end], "fields": keys})
    return covering


Part = Annotated[int, Query(ge=1, le=100_000, description=(
    f"Which part of the document's text record.text holds ({TEXT_PART_CHARS:,} characters a part; "
    "text_part says which characters, and how many parts there are)"))]


def document_detail(document_id: Id, store: StoreDep, part: Part = 1) -> dict:
    return document_out(find_document(store, document_id), part)


def part_of(text: str, position: int) -> int:
    """The number of the part of `text` that holds `position`."""
    parts = text_part(text, 1).parts
    number = min(position // TEXT_PART_CHARS + 1, parts)
    if number < parts and position >= _part_start(text, number + 1):  # (a part starts up to WORD_CHARS early)
        number += 1
    return number


def _elsewhere(items: list[dict], text: str, shown: TextPart) -> list[dict]:
    """Each value, with the part its evidence is in where none of it is in the part shown (else None)."""
    found = []
    for item in items:
        starts = [s["start"] for s in item["spans"]]
        inside = not starts or any(shown.holds(start) for start in starts)
        found.append({**item, "part": None if inside else part_of(text, min(starts))})
    return found


@router.get("/documents/{document_id}", response_class=HTMLResponse, include_in_schema=False)
def document_page(request: Request, store: StoreDep, document_id: Id, part: Part = 1):
    document = find_document(store, document_id)
    data = document_out(document, part)
    text, shown = document.record["text"], TextPart(**data["text_part"])
    items = summary.values(document.record)  # the whole record's: its spans count from the start of the whole text
    return templates.TemplateResponse(request, "document.html", {
        **data, "items": _elsewhere(items, text, shown), "segments": segments(data["record"]["text"], items, shown.start),
        "text_megabytes": len(text.encode()) / 1e6,
        "verified_keys": summary.verified_keys(data["verified"]),
        "forces": [f.name for f in catalogue.forces()], "roles": list(SenderRole), "stances": list(Stance), "statuses": list(Implementation),
        "reports": store.reports(),
    })


@router.get("/api/documents/{document_id}", response_model=DocumentOut, responses=ERRORS, tags=["documents"])
def document_json(data: dict = Depends(document_detail)) -> dict:
    """One document's record with its evidence and corrections (the document page)."""
    return data


@router.get("/api/documents/{document_id}/history", response_model=list[CorrectionOut], responses=ERRORS,
            tags=["documents"])
def document_history(document_id: Id, store: StoreDep) -> list[dict]:
    """The audit history: every correction with who, when and the previous value."""
    return find_document(store, document_id).corrections


@router.post("/documents/{document_id}/corrections", include_in_schema=False)
def correct_page(document_id: Id, account: Analyst, store: StoreDep, field: FormText, value: str = Form(...)):
    correct(store, document_id, field, value, account.username)
    return RedirectResponse(f"/documents/{document_id}#corrections", status_code=303)


@router.post("/api/documents/{document_id}/corrections", response_model=DocumentOut, responses=WRITE_ERRORS,
             tags=["documents"])
def correct_document(document_id: Id, correction: CorrectionIn, account: Analyst, store: StoreDep) -> dict:
    """Correct one value (an analyst, signed in; the header X-CSRF-Token carries the session's
    token); it is kept as human-verified, with who made it, and survives re-extraction."""
    find_document(store, document_id)
    return document_out(correct(store, document_id, correction.field, correction.value, account.username))


@router.get("/documents/{document_id}/original", include_in_schema=False)
def original_file(document_id: Id, store: StoreDep):
    found = store.content(find_document(store, document_id).id)
    if found is None:
        raise HTTPException(404, f"no document with id {document_id}")
    filename, media_type, content = found
    return Response(content, media_type=media_type, headers=attachment(filename))


@router.get("/api/export.json", tags=["documents"], responses={200: {"model": list[RecordOut], "description": "Every record"}})
def export_json(store: StoreDep) -> StreamingResponse:
    """Every stored record, in the contract's shape: one JSON array, a record to a line, sent
    as it is read."""
    return streamed(exports.records_json(store), "application/json")


@router.get("/api/export.csv", response_class=CSVResponse, tags=["documents"])
def export_csv(store: StoreDep) -> StreamingResponse:
    """Every stored document, one row each, sent as it is read."""
    return streamed(exports.records_csv(store), "text/csv", attachment("scrutiny-documents.csv"))


# The addresses documents had as /letters (and /api/letters): a permanent redirect for any
# method, 308 so that a POST is sent again as a POST, with its query kept. Not behind the CSRF
# check: a redirect changes nothing, and the new address checks the write.
moved = APIRouter(include_in_schema=False)
ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@moved.api_route("/letters", methods=ANY_METHOD)
@moved.api_route("/letters/{rest:path}", methods=ANY_METHOD)
@moved.api_route("/api/letters", methods=ANY_METHOD)
@moved.api_route("/api/letters/{rest:path}", methods=ANY_METHOD)
def letters_moved(request: Request) -> RedirectResponse:
    path = request.url.path.replace("/letters", "/documents", 1)
    return RedirectResponse(path + (f"?{request.url.query}" if request.url.query else ""), status_code=308)
