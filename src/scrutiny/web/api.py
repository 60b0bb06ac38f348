"""The JSON API: the same data as the pages, under /api."""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Optional

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel

from .. import exports
from ..accounts import Account
from ..corrections import STANCES
from ..ingest import Outcome, ingest_bytes
from ..read import MEDIA_TYPES
from ..search import Filters, search
from ..store import Store
from . import views
from .deps import find_letter, get_store
from .sessions import requires

router = APIRouter(prefix="/api", tags=["api"])


class Error(BaseModel):
    ok: bool = False
    status: int
    error: str


ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": Error}, 422: {"model": Error}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {**ERRORS, 401: {"model": Error}, 403: {"model": Error}}


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
    field: str
    value: Any


@router.get("/reports", response_model=Overview)
def list_reports(today: Optional[dt.date] = Query(None, description="Judge deadlines as of this day"),
                 store: Store = Depends(get_store)) -> dict:
    """What is overdue now, then every catalogue report with its response figures (the overview page)."""
    return views.overview(store, today)


@router.get("/reports/{report_id}", response_model=Matrix, responses=ERRORS)
def get_report(report_id: str, sort: Literal["force", "region", "days", "date", "status"] = "force",
               region: Optional[str] = None, on_time: Optional[bool] = None, complete: Optional[bool] = None,
               force: Optional[str] = None, today: Optional[dt.date] = None,
               store: Store = Depends(get_store)) -> dict:
    """One report's matrix: a row per response, recommendations across (the report page)."""
    return views.report_matrix(store, report_id, sort, region, on_time, complete, force, today)


@router.get("/reports/{report_id}/matrix.csv", response_class=PlainTextResponse, responses=ERRORS)
def report_matrix_csv(report_id: str, store: Store = Depends(get_store)) -> PlainTextResponse:
    matrix = views.report_matrix(store, report_id)
    return PlainTextResponse(exports.matrix_csv(matrix), media_type="text/csv",
                             headers={"Content-Disposition": f'attachment; filename="{report_id}-matrix.csv"'})


@router.get("/letters/{letter_id}", response_model=LetterOut, responses=ERRORS)
def get_letter(letter_id: int, store: Store = Depends(get_store)) -> dict:
    """One letter's record with its evidence and corrections (the letter page)."""
    return views.letter(find_letter(store, letter_id))


@router.get("/letters/{letter_id}/history", response_model=list[dict[str, Any]], responses=ERRORS)
def letter_history(letter_id: int, store: Store = Depends(get_store)) -> list[dict]:
    """The audit history: every correction with who, when and the previous value."""
    return find_letter(store, letter_id).corrections


@router.post("/letters/{letter_id}/corrections", response_model=LetterOut, responses=WRITE_ERRORS)
def correct_letter(letter_id: int, correction: CorrectionIn, account: Account = Depends(requires("correct")),
                   store: Store = Depends(get_store)) -> dict:
    """Correct one value (an analyst, signed in; the header X-CSRF-Token carries the session's
    token); it is kept as human-verified, with who made it, and survives re-extraction."""
    find_letter(store, letter_id)
    return views.letter(store.correct(letter_id, correction.field, correction.value, account.username))


@router.get("/search", response_model=list[SearchHit], responses=ERRORS)
def search_letters(q: str = Query(..., min_length=1, description="Words or \"a phrase\""),
                   report: Optional[str] = None, force: Optional[str] = None,
                   recommendation: Optional[int] = Query(None, ge=1), stance: Optional[str] = None,
                   year: Optional[int] = Query(None, ge=2000, le=2100), limit: int = Query(50, ge=1, le=500),
                   store: Store = Depends(get_store)) -> list[dict]:
    """Full-text search over stored letters; snippets mark the matched words with <mark>."""
    if stance is not None and stance not in STANCES:
        raise HTTPException(422, f"stance: one of {', '.join(STANCES)}")
    hits = search(store, q, Filters(report, force, recommendation, stance, year), per_page=limit).items
    return [{"letter_id": h.document_id, "force": h.force, "report_id": h.report_id, "report_title": h.report_title,
             "kind": h.kind, "date": h.date.isoformat() if h.date else None, "snippet": h.snippet} for h in hits]


async def receive(request: Request, files: list[UploadFile], store: Store) -> list[Outcome]:
    """Check every upload's type and size, then ingest each; 413/415 refuse the whole request."""
    limit = request.app.state.max_upload_bytes
    declared = int(request.headers.get("content-length") or 0)
    if declared > limit * max(1, len(files)) + 64 * 1024:
        raise HTTPException(413, f"upload too large: the limit is {limit // 2**20} MB per file")
    wrong = [f.filename or "(no name)" for f in files
             if not any((f.filename or "").lower().endswith(ext) for ext in MEDIA_TYPES)]
    if wrong:
        raise HTTPException(415, f"unsupported file type: {', '.join(wrong)}; accepted: "
                                 f"{', '.join(sorted(MEDIA_TYPES))}")
    contents = []
    for f in files:
        data = await f.read(limit + 1)
        if len(data) > limit:
            raise HTTPException(413, f"{f.filename}: too large; the limit is {limit // 2**20} MB per file")
        contents.append((f.filename or "upload.txt", data))
    return [ingest_bytes(store, data, name, f"upload:{name}") for name, data in contents]


@router.post("/letters", response_model=list[UploadOutcome],
             responses={**WRITE_ERRORS, 413: {"model": Error}, 415: {"model": Error}})
async def upload_letters(request: Request, files: list[UploadFile] = File(...),
                         account: Account = Depends(requires("correct")), store: Store = Depends(get_store)) -> list[dict]:
    """Add letters (PDF, DOCX, HTML, Markdown, text); one outcome per file."""
    outcomes = await receive(request, files, store)
    return [{"file": o.path, "status": o.status, "letter_id": o.letter_id, "message": o.message} for o in outcomes]


@router.get("/export.json")
def export_json(store: Store = Depends(get_store)) -> PlainTextResponse:
    """Every stored record, in the contract's shape."""
    return PlainTextResponse(exports.records_json(store.documents()), media_type="application/json")


@router.get("/export.csv", response_class=PlainTextResponse)
def export_csv(store: Store = Depends(get_store)) -> PlainTextResponse:
    return PlainTextResponse(exports.records_csv(store), media_type="text/csv",
                             headers={"Content-Disposition": 'attachment; filename="scrutiny-letters.csv"'})
