"""Sources: the pages the collector starts from, for an administrator to add and remove
(`/sources`), with the JSON twins under /api. The bundled ones come from the reference."""
from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from ... import catalogue
from ...store import sources as known
from ..deps import Administrator, FormText, Id, StoreDep, Text, errors, templates
from ..schemas import SourceOut

# A body that cannot be parsed (400) or is too large (413), signed out (401), not an administrator
# or no CSRF token (403), no such source (404), bad input (422).
router = APIRouter(responses=errors(400, 401, 403, 404, 413, 422))


@router.get("/sources", response_class=HTMLResponse, include_in_schema=False)
def sources_page(request: Request, account: Administrator, store: StoreDep, message: str = ""):
    return templates.TemplateResponse(request, "sources.html", {
        "sources": known.sources(store), "forces": [f.name for f in catalogue.forces()], "message": message})


@router.post("/sources", include_in_schema=False)
def add_form(account: Administrator, store: StoreDep, force: FormText, url: FormText, note: FormText = ""):
    added = known.add_source(store, force, url, note, account.username)
    return RedirectResponse(f"/sources#source-{added.id}", status_code=303)


@router.post("/sources/{source_id}/remove", include_in_schema=False)
def remove_form(source_id: Id, account: Administrator, store: StoreDep):
    known.remove_source(store, source_id)
    return RedirectResponse("/sources", status_code=303)


class SourceIn(BaseModel):
    force: Text
    url: Text
    note: Text = ""


@router.get("/api/sources", response_model=list[SourceOut], tags=["sources"])
def list_sources(account: Administrator, store: StoreDep) -> list[dict]:
    """Every source the collector starts from: bundled (the reference's, with its evidence) and users'."""
    return [asdict(s) for s in known.sources(store)]


@router.post("/api/sources", response_model=SourceOut, status_code=201, tags=["sources"])
def add_source(body: SourceIn, account: Administrator, store: StoreDep) -> dict:
    """Collect from this page for this force from now on."""
    return asdict(known.add_source(store, body.force, body.url, body.note, account.username))


@router.delete("/api/sources/{source_id}", response_model=SourceOut, tags=["sources"])
def remove_source(source_id: Id, account: Administrator, store: StoreDep) -> dict:
    """Stop collecting from a source; its check log is kept."""
    return asdict(known.remove_source(store, source_id))
