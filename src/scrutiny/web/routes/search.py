"""Search (`/search`, JSON at /api/search): full text over the stored documents, paged, with
counts by force, report, kind and year. Filters work without words: then every document
that matches them is listed, newest first.

A search that would work longer than SCRUTINY_SEARCH_MS answers 422, "this search is too
broad: add words or a filter"; over very many matches the facets count an even sample of them,
and each says so (`sample`: one match in every so many). At most SCRUTINY_SEARCH_SLOTS searches
work at once (one more waits up to SCRUTINY_SEARCH_WAIT_MS, then answers 503, busy, with
Retry-After), so searches cannot take the connections pages and writes need; and a search
whose client has gone stops."""
from __future__ import annotations

from functools import partial
from typing import Annotated, Optional

from anyio import to_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from ... import catalogue
from ...errors import InvalidValue
from ...record.vocabulary import Kind, Stance
from ...store.query import Page
from ...store.search import Filters, Found, search, search_with_facets
from ..deps import (
    ERRORS,
    PageNumber,
    PerPage,
    StoreDep,
    Year,
    errors,
    listed,
    templates,
)
from ..schemas import Searched

router = APIRouter()


async def found(request: Request, store: StoreDep,
          q: Annotated[str, Query(max_length=1000, description='Words or "a phrase"; none: list what the filters match')] = "",
          report: Optional[str] = None, force: Optional[str] = None,
          recommendation: Annotated[Optional[int], Query(ge=1, le=999)] = None,
          stance: Annotated[Optional[str], Query(json_schema_extra={"enum": list(Stance)})] = None,
          year: Year = None, kind: Optional[Kind] = None,
          page: PageNumber = 1, per_page: PerPage = 20,
          facets: Annotated[bool, Query(description="false: no facet counts, the page and its total alone "
                                                    "(as a script paging through every hit needs them)")] = True) -> dict:
    if stance is not None and stance not in Stance:
        raise InvalidValue(f"stance: one of {', '.join(Stance)}")
    filters = Filters(report, force, recommendation, stance, year, kind)
    asked = dict(page=page, per_page=per_page, time_limit_ms=request.app.state.settings.search_ms)
    async with request.app.state.search_slots.taken():  # waited for on the event loop, holding nothing
        if facets:
            found = await to_thread.run_sync(partial(search_with_facets, store, q, filters, **asked))
        else:
            found = Found(await to_thread.run_sync(partial(search, store, q, filters, **asked)), [])
    items = [{"letter_id": h.document_id, "force": h.force, "report_id": h.report_id, "report_title": h.report_title,
              "kind": h.kind, "date": h.date, "snippet": h.snippet} for h in found.hits.items]
    return {**listed(Page(items, found.hits.total, page, per_page), found.facets, {"q": q, **filters.__dict__}),
            "facets_capped": found.facets_capped}


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, store: StoreDep, data: dict = Depends(found)):
    reports = store.reports()
    return templates.TemplateResponse(request, "search.html", {
        **data, "reports": reports, "titles": {r.id: r.title for r in reports},
        "forces": [f.name for f in catalogue.forces()], "stances": list(Stance), "kinds": list(Kind)})


@router.get("/api/search", response_model=Searched, responses={**ERRORS, **errors(503)}, tags=["search"])
async def search_json(data: dict = Depends(found)) -> dict:
    """Full-text search over the current version of every document: a page of hits, best first,
    each with a snippet marking the matched words, the total, and facet counts (the search page).
    A search that would take too long is refused with 422: add words or a filter; one that
    finds the server answering as many searches as it takes, with 503 and Retry-After."""
    return data
