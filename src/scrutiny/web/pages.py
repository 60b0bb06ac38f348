"""The HTML pages: overview, report matrix, letter with evidence, search, upload, briefing."""
from __future__ import annotations

import re
from typing import Optional

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .. import catalogue, summary
from ..accounts import Account
from ..corrections import ROLES, STANCES, STATUSES
from ..search import Filters, search
from ..store import Store
from . import views
from .api import receive
from .deps import attachment, find_letter, get_store, templates
from .sessions import requires

router = APIRouter(include_in_schema=False)


def _number(name: str, value: Optional[str]) -> Optional[int]:
    """A whole-number filter from a form: empty means any."""
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,9}", value):
        raise HTTPException(422, f"{name}: a whole number")
    return int(value)


def _flag(value: Optional[str]) -> Optional[bool]:
    return {"yes": True, "no": False}.get(value or "")


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request, store: Store = Depends(get_store)):
    return templates.TemplateResponse(request, "overview.html", views.overview(store))


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: str, sort: str = "force", region: Optional[str] = None,
                on_time: Optional[str] = None, complete: Optional[str] = None, force: Optional[str] = None,
                store: Store = Depends(get_store)):
    matrix = views.report_matrix(store, report_id, sort if sort in views.SORTS else "force", region or None,
                                 _flag(on_time), _flag(complete), force or None)
    return templates.TemplateResponse(request, "report.html", {**matrix, "states": views.CELL_STATES})


@router.get("/reports/{report_id}/briefing", response_class=HTMLResponse)
def briefing_page(request: Request, report_id: str, store: Store = Depends(get_store)):
    """A printable briefing: figures, the matrix, and what each force says per recommendation."""
    matrix = views.report_matrix(store, report_id)
    quotes: dict[int, list[dict]] = {r["number"]: [] for r in matrix["report"]["recommendations"]}
    statutory = [row for row in matrix["rows"] if row["letter_id"] is not None]
    records = {letter.id: letter.record for letter in store.documents([row["letter_id"] for row in statutory])}
    for row in statutory:
        record = records[row["letter_id"]]
        for answer in record["recommendations"]:
            if answer["addressed"] and answer["number"] in quotes:
                text = " ".join(record["text"][s["start"]:s["end"]] for s in answer["evidence"][:2])
                quotes[answer["number"]].append({"force": row["force"], "letter_id": row["letter_id"],
                                                 "stance": answer["stance"], "status": answer["status"],
                                                 "quote": " ".join(text.split())})
    return templates.TemplateResponse(request, "briefing.html", {**matrix, "quotes": quotes})


@router.get("/letters/{letter_id}", response_class=HTMLResponse)
def letter_page(request: Request, letter_id: int, store: Store = Depends(get_store)):
    letter = find_letter(store, letter_id)
    items = summary.values(letter.record)
    return templates.TemplateResponse(request, "letter.html", {
        **views.letter(letter), "items": items, "segments": views.segments(letter.record["text"], items),
        "verified_keys": summary.verified_keys(letter.verified),
        "forces": [f.name for f in catalogue.forces()], "roles": ROLES, "stances": STANCES, "statuses": STATUSES,
        "reports": store.reports(),
    })


@router.post("/letters/{letter_id}/corrections")
def correct_page(letter_id: int, field: str = Form(...), value: str = Form(...),
                 account: Account = Depends(requires("correct")), store: Store = Depends(get_store)):
    store.correct(letter_id, field, value, account.username)
    return RedirectResponse(f"/letters/{letter_id}#corrections", status_code=303)


@router.get("/letters/{letter_id}/original")
def original_file(letter_id: int, store: Store = Depends(get_store)):
    found = store.content(find_letter(store, letter_id).id)
    if found is None:
        raise HTTPException(404, f"no letter with id {letter_id}")
    filename, media_type, content = found
    return Response(content, media_type=media_type, headers=attachment(filename))


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = "", report: Optional[str] = None, force: Optional[str] = None,
                recommendation: Optional[str] = None, stance: Optional[str] = None, year: Optional[str] = None,
                store: Store = Depends(get_store)):
    filters = Filters(report or None, force or None, _number("recommendation", recommendation),
                      stance if stance in STANCES else None, _number("year", year))
    found = search(store, q, filters) if q.strip() else None
    return templates.TemplateResponse(request, "search.html", {
        "q": q, "hits": found.items if found else [], "total": found.total if found else 0, "filters": filters, "reports": store.reports(),
        "forces": [f.name for f in catalogue.forces()], "stances": STANCES,
    })


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request):
    return templates.TemplateResponse(request, "upload.html", {"outcomes": None})


@router.post("/upload", response_class=HTMLResponse)
async def upload_submit(request: Request, files: list[UploadFile] = File(...),
                        account: Account = Depends(requires("correct")), store: Store = Depends(get_store)):
    outcomes = await receive(request, files, store)
    return templates.TemplateResponse(request, "upload.html", {"outcomes": outcomes})
