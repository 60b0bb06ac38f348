"""Uploads (`/upload`, and POST /api/documents): any number of files in one request, each with
its own outcome. A file of the wrong type, too large, or that cannot be read fails with the
reason (and waits in the review queue); the others are stored."""
from __future__ import annotations

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse

from ...errors import InputError
from ...oversight.ingest import Outcome, ingest_bytes
from ...record.fields import has_control_characters
from ...store import Store
from ..deps import WRITE_ERRORS, Analyst, StoreDep, templates
from ..limits import megabytes, off_the_loop
from ..schemas import UploadOutcome

router = APIRouter()
MAX_NAME_CHARS = 255  # an uploaded file's name (as long as file systems allow)


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


def _counts(outcomes: list[Outcome]) -> dict[str, int]:
    counts = {"stored": 0, "unchanged": 0, "failed": 0}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    return counts


@router.get("/upload", response_class=HTMLResponse, include_in_schema=False)
def upload_page(request: Request):
    return templates.TemplateResponse(request, "upload.html", {"outcomes": None})


@router.post("/upload", response_class=HTMLResponse, include_in_schema=False)
async def upload_submit(request: Request, account: Analyst, store: StoreDep, files: list[UploadFile] = File(...)):
    outcomes = await receive(request, files, store)
    return templates.TemplateResponse(request, "upload.html", {"outcomes": outcomes, "counts": _counts(outcomes)})


@router.post("/api/documents", response_model=list[UploadOutcome], responses=WRITE_ERRORS, tags=["documents"])
async def upload_documents(request: Request, account: Analyst, store: StoreDep,
                         files: list[UploadFile] = File(...)) -> list[dict]:
    """Add documents (PDF, DOCX, HTML, Markdown, text); one outcome per file, failed ones with
    the reason. A request over the total size limit is refused whole (413)."""
    outcomes = await receive(request, files, store)
    return [{"file": o.path, "status": o.status, "letter_id": o.document_id, "message": o.message} for o in outcomes]
