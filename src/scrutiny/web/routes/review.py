"""The review queue (`/review`, JSON at /api/review): what an analyst should look at. Documents
the extractor warned about, documents that could not be attached to a response (with the
reason), and files that failed to read or extract (with the reason); each list paged."""
from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from ...store import review
from ...store.query import Page
from ..deps import ERRORS, PageNumber, PerPage, StoreDep, templates
from ..schemas import ReviewOut

router = APIRouter()


def _page(page: Page, items: list[dict]) -> dict:
    return {"items": items, "total": page.total, "page": page.page, "per_page": page.per_page, "pages": page.pages}


def review_queue(store: StoreDep, page: PageNumber = 1, per_page: PerPage = 50) -> dict:
    queue = review.review_queue(store, page=page, per_page=per_page)
    return {
        "warnings": _page(queue.warnings, [{**asdict(w.document), "messages": w.warnings} for w in queue.warnings.items]),
        "unattached": _page(queue.unattached, [asdict(d) for d in queue.unattached.items]),
        "failed": _page(queue.failed, [asdict(f) for f in queue.failed.items]),
    }


@router.get("/review", response_class=HTMLResponse, include_in_schema=False)
def review_page(request: Request, data: dict = Depends(review_queue)):
    return templates.TemplateResponse(request, "review.html", data)


@router.get("/api/review", response_model=ReviewOut, responses=ERRORS, tags=["review"])
def review_json(data: dict = Depends(review_queue)) -> dict:
    """Documents with warnings, documents not attached to a response and why, and files that
    failed and why; newest first, `page` applying to each list (the review page)."""
    return data
