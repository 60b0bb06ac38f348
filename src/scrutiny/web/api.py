"""The JSON API: the same data as the pages, under /api."""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, Optional

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, BeforeValidator, Field, StrictBool, StrictStr

from .. import exports
from ..accounts import Account
from ..corrections import STANCES, has_control_characters
from ..errors import InputError
from ..ingest import Outcome, ingest_bytes
from ..search import Filters, search
from ..store import Store
from . import views
from .deps import Error, attachment, find_letter, get_store
from .limits import megabytes, off_the_loop
from .sessions import requires

router = APIRouter(prefix="/api", tags=["api"])
MAX_NAME_CHARS = 255  # an uploaded file's name (as long as file systems allow)


ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": Error}, 422: {"model": Error}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {**ERRORS, 401: {"model": Error}, 403: {"model": Error}}
BODY_ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": Error, "description": "A body that cannot be parsed"},
                                                413: {"model": Error, "description": "A request over the size limit"}}
# The same for a route whose own answer is not JSON: its errors still are.
CSV_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": "Error", "content": {"application/json": {"schema": Error.model_json_schema()}}}
    for status in (404, 422)}


class CSVResponse(PlainTextResponse):
    media_type = "text/csv"


class ReportSummary(BaseModel):
    id: str
    title: str
    publisher: str
    published: Optional[str]
    deadline: Optional[str]
    days_left: Optional[int]
    recommendations: list[dict[str, Any]]
    responses: int
    expected: int
    on_time: int
    late: int
    overdue: int
    not_yet_due: int
    unknown: int
    on_time_rate: Optional[float]
    complete_rate: Optional[float]
    median_days: Optional[float]
    missing_forces: list[str]


class Overview(BaseModel):
    today: str
    counts: dict[str, int]
    overdue: list[dict[str, Any]]
    overdue_total: int
    reports: list[ReportSummary]
    responses: list[dict[str, Any]]
    unmatched: int


class Matrix(BaseModel):
    report: dict[str, Any]
    figures: dict[str, Any]
    rows: list[dict[str, Any]]
    filters: dict[str, Any]
    regions: list[str]


class LetterOut(BaseModel):
    id: int
    version: int
    kind: str
    response_id: Optional[int]
    unattached_reason: Optional[str]
    file: str
    media_type: str
    sha256: str
    ingested_at: str
    verified: list[str]
    record: dict[str, Any]
    corrections: list[dict[str, Any]]


class SearchHit(BaseModel):
    letter_id: int
    force: Optional[str]
    report_id: Optional[str]
    report_title: Optional[str]
    kind: str
    date: Optional[str]
    snippet: str


class UploadOutcome(BaseModel):
    file: str
    status: str
    letter_id: Optional[int]
    message: str


class CorrectionIn(BaseModel):
    field: str = Field(max_length=64, description="force, policing_body, signatory, letter_date, report_published, "
                                                  "report, or recommendation.N.addressed|stance|status")
    value: StrictStr | StrictBool = Field(
        description="A date as YYYY-MM-DD; a force's name; a report id; true or false for 'addressed'")


def _iso_day(value: object) -> object:
    """Only YYYY-MM-DD is a day here: pydantic would also take a number as a timestamp."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    raise ValueError("a date as YYYY-MM-DD")


Day = Annotated[dt.date, BeforeValidator(_iso_day)]
TODAY = Query(None, description="Judge deadlines as of this day (default: today)")


@router.get("/reports", response_model=Overview)
def list_reports(today: Optional[Day] = TODAY,
                 store: Store = Depends(get_store)) -> dict:
    """What is overdue now, then every catalogue report with its response figures (the overview page)."""
    return views.overview(store, today)


@router.get("/reports/{report_id}", response_model=Matrix, responses=ERRORS)
def get_report(report_id: str, sort: Literal["force", "region", "days", "date", "status"] = "force",
               region: Optional[str] = None, on_time: Optional[bool] = None, complete: Optional[bool] = None,
               force: Optional[str] = None, today: Optional[Day] = TODAY,
               store: Store = Depends(get_store)) -> dict:
    """One report's matrix: a row per response, recommendations across (the report page)."""
    return views.report_matrix(store, report_id, sort, region, on_time, complete, force, today)


@router.get("/reports/{report_id}/matrix.csv", response_class=CSVResponse, responses=CSV_ERRORS)
def report_matrix_csv(report_id: str, store: Store = Depends(get_store)) -> CSVResponse:
    matrix = views.report_matrix(store, report_id)
    return CSVResponse(exports.matrix_csv(matrix), headers=attachment(f"{report_id}-matrix.csv"))


@router.get("/letters/{letter_id}", response_model=LetterOut, responses=ERRORS)
def get_letter(letter_id: int, store: Store = Depends(get_store)) -> dict:
    """One letter's record with its evidence and corrections (the letter page)."""
    return views.letter(find_letter(store, letter_id))


@router.get("/letters/{letter_id}/history", response_model=list[dict[str, Any]], responses=ERRORS)
def letter_history(letter_id: int, store: Store = Depends(get_store)) -> list[dict]:
    """The audit history: every correction with who, when and the previous value."""
    return find_letter(store, letter_id).corrections


@router.post("/letters/{letter_id}/corrections", response_model=LetterOut, responses={**WRITE_ERRORS, **BODY_ERRORS})
def correct_letter(letter_id: int, correction: CorrectionIn, account: Account = Depends(requires("correct")),
                   store: Store = Depends(get_store)) -> dict:
    """Correct one value (an analyst, signed in; the header X-CSRF-Token carries the session's
    token); it is kept as human-verified, with who made it, and survives re-extraction."""
    find_letter(store, letter_id)
    return views.letter(store.correct(letter_id, correction.field, correction.value, account.username))


@router.get("/search", response_model=list[SearchHit], responses=ERRORS)
def search_letters(q: str = Query(..., min_length=1, description="Words or \"a phrase\""),
                   report: Optional[str] = None, force: Optional[str] = None,
                   recommendation: Optional[int] = Query(None, ge=1, le=999),
                   stance: Optional[str] = Query(None, json_schema_extra={"enum": list(STANCES)}),
                   year: Optional[int] = Query(None, ge=2000, le=2100), limit: int = Query(50, ge=1, le=500),
                   store: Store = Depends(get_store)) -> list[dict]:
    """Full-text search over stored letters; snippets mark the matched words with <mark>."""
    if stance is not None and stance not in STANCES:
        raise HTTPException(422, f"stance: one of {', '.join(STANCES)}")
    hits = search(store, q, Filters(report, force, recommendation, stance, year), per_page=limit).items
    return [{"letter_id": h.document_id, "force": h.force, "report_id": h.report_id, "report_title": h.report_title,
             "kind": h.kind, "date": h.date.isoformat() if h.date else None, "snippet": h.snippet} for h in hits]


async def receive(request: Request, files: list[UploadFile], store: Store) -> list[Outcome]:
    """One outcome per file, in order: each is read, extracted and stored off the event loop;
    one of the wrong type or too large is refused with the reason, and the others go on."""
    limit = request.app.state.max_upload_bytes
    outcomes = []
    for upload in files:
        name = upload.filename or "(no name)"
        content = await upload.read(limit + 1)
        outcomes.append(await off_the_loop(_ingest_upload, store, content, name, limit))
    return outcomes


def _ingest_upload(store: Store, content: bytes, name: str, limit: int) -> Outcome:
    """Ingest one uploaded file; whatever goes wrong becomes its outcome, never the request's."""
    if len(name) > MAX_NAME_CHARS or has_control_characters(name):
        problem = f"a file name must be at most {MAX_NAME_CHARS} characters, without control characters"
        return Outcome(name, "failed", None, str(InputError(name, problem)))
    if len(content) > limit:
        problem = f"file too large (the limit for an uploaded file is {megabytes(limit)})"
        store.record_failure(f"upload:{name}", "", problem)
        return Outcome(name, "failed", None, str(InputError(name, problem)))
    return ingest_bytes(store, content, name, f"upload:{name}")  # guards itself: any error is this file's outcome


@router.post("/letters", response_model=list[UploadOutcome], responses={**WRITE_ERRORS, **BODY_ERRORS})
async def upload_letters(request: Request, files: list[UploadFile] = File(...),
                         account: Account = Depends(requires("correct")), store: Store = Depends(get_store)) -> list[dict]:
    """Add letters (PDF, DOCX, HTML, Markdown, text); one outcome per file, failed ones with the reason.
    A request over the total size limit is refused whole (413)."""
    outcomes = await receive(request, files, store)
    return [{"file": o.path, "status": o.status, "letter_id": o.letter_id, "message": o.message} for o in outcomes]


@router.get("/export.json")
def export_json(store: Store = Depends(get_store)) -> PlainTextResponse:
    """Every stored record, in the contract's shape."""
    return PlainTextResponse(exports.records_json(store.documents()), media_type="application/json")


@router.get("/export.csv", response_class=CSVResponse)
def export_csv(store: Store = Depends(get_store)) -> CSVResponse:
    return CSVResponse(exports.records_csv(store), headers=attachment("scrutiny-documents.csv"))
