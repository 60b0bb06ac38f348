"""Documents (`/documents`): the list, faceted by force, report, kind, year, on time, warnings and
verified; one document (`/documents/{id}`) with every extracted value at its evidence, where an
analyst corrects values; its original file; and every record exported. JSON twins under /api.
The addresses they had as `/letters` answer with a permanent redirect here (`moved`)."""
from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import (
    HTMLResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from pydantic import BaseModel, Field, StrictBool, StrictStr

from ... import catalogue
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


def document_out(document: StoredDocument) -> dict:
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
        "record": document.record,
        "corrections": document.corrections,
    }


def segments(text: str, items: list[dict]) -> list[dict]:
    """The text cut at every span boundary; each piece lists the values whose evidence covers it."""
    cuts = {0, len(text)}
    for item in items:
        for s in item["spans"]:
            cuts.update((s["start"], s["end"]))
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    covering = []
    for start, end in zip(bounds, bounds[1:]):
        keys = [i["key"] for i in items if any(s["start"] <= start and end <= s["end"] for s in i["spans"])]
        covering.append({"text": text[start:end], "fields": keys})
    return covering


def document_detail(document_id: Id, store: StoreDep) -> dict:
    return document_out(find_document(store, document_id))


@router.get("/documents/{document_id}", response_class=HTMLResponse, include_in_schema=False)
def document_page(request: Request, store: StoreDep, data: dict = Depends(document_detail)):
    items = summary.values(data["record"])
    return templates.TemplateResponse(request, "document.html", {
        **data, "items": items, "segments": segments(data["record"]["text"], items),
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
def document_history(data: dict = Depends(document_detail)) -> list[dict]:
    """The audit history: every correction with who, when and the previous value."""
    return data["corrections"]


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
