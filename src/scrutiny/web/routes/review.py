"""The review queue (`/review`, JSON at /api/review): what an analyst should look at. Documents
the extractor warned about, documents that could not be attached to a response (with the
reason), files that failed to read or extract (with the reason), and new reports found on
HMICFRS's publication lists, which an analyst confirms into the catalogue (with whose response
it expects; the office gets its cases) or rejects; each list paged."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Literal, Optional

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field, StringConstraints, ValidationError

from ... import catalogue
from ...collect.hmicfrs import confirm
from ...errors import InvalidValue
from ...store import Store, pending, review
from ...store.query import Page
from ..deps import ERRORS, WRITE_ERRORS, Analyst, FormText, PageNumber, PerPage, StoreDep, Text, errors, templates
from ..schemas import ReviewOut, Timestamp

router = APIRouter()


def _page(page: Page, items: list[dict]) -> dict:
    return {"items": items, "total": page.total, "page": page.page, "per_page": page.per_page, "pages": page.pages}


def review_queue(store: StoreDep, page: PageNumber = 1, per_page: PerPage = 50) -> dict:
    queue = review.review_queue(store, page=page, per_page=per_page)
    waiting = pending.waiting(store, page=page, per_page=per_page)
    return {
        "warnings": _page(queue.warnings, [{**asdict(w.document), "messages": w.warnings} for w in queue.warnings.items]),
        "unattached": _page(queue.unattached, [asdict(d) for d in queue.unattached.items]),
        "failed": _page(queue.failed, [asdict(f) for f in queue.failed.items]),
        "reports": _page(waiting, [asdict(r) for r in waiting.items]),
    }


@router.get("/review", response_class=HTMLResponse, include_in_schema=False)
def review_page(request: Request, data: dict = Depends(review_queue)):
    return templates.TemplateResponse(request, "review.html", {**data, "forces": [f.name for f in catalogue.forces()]})


@router.get("/api/review", response_model=ReviewOut, responses=ERRORS, tags=["review"])
def review_json(data: dict = Depends(review_queue)) -> dict:
    """Documents with warnings, documents not attached to a response and why, files that failed
    and why, and new reports from HMICFRS waiting for an analyst; newest first, `page` applying
    to each list (the review page)."""
    return data


# Here, not in schemas.py (at its 500 lines): the one answer of this module's writes.
class NewReportOut(BaseModel):
    """A new report found on HMICFRS's publication lists, and what became of it."""

    id: int
    url: str
    title: str
    published: Optional[dt.date]
    forces: list[str]
    recommendations: int
    state: str  # pending, confirmed, rejected
    found_at: Timestamp
    decided_by: Optional[str]
    decided_at: Optional[Timestamp]
    report_id: Optional[str]  # the catalogue's, once confirmed
    note: str
    cases: list[int] = []  # the office's cases opened on confirming it


class ConfirmIn(BaseModel):
    scope: Literal["all-forces", "named-forces", "none"]
    forces: list[Annotated[str, StringConstraints(max_length=128)]] = Field(
        default=[], max_length=43, description="For named-forces: the forces (default: those its page names)")


class RejectIn(BaseModel):
    reason: Annotated[Text, StringConstraints(max_length=pending.MAX_NOTE_CHARS)] = ""


def _confirm(store: Store, pending_id: int, body: ConfirmIn, author: str) -> dict:
    done = confirm(store, pending_id, body.scope, body.forces, author)
    return {**asdict(pending.get(store, pending_id)), "cases": done.cases}


@router.post("/review/reports/{pending_id}/confirm", include_in_schema=False)
def confirm_form(pending_id: int, account: Analyst, store: StoreDep, scope: str = Form(),
                 forces: list[str] = Form([])):
    try:
        body = ConfirmIn(scope=scope, forces=forces)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise InvalidValue(f"{'.'.join(map(str, exc.errors()[0]['loc']))}: {exc.errors()[0]['msg']}") from None
    _confirm(store, pending_id, body, account.username)
    return RedirectResponse("/review#reports", status_code=303)


@router.post("/api/review/reports/{pending_id}/confirm", response_model=NewReportOut,
             responses={**WRITE_ERRORS, **errors(409)}, tags=["review"])
def confirm_json(pending_id: int, body: ConfirmIn, account: Analyst, store: StoreDep) -> dict:
    """Confirm a new report (an analyst, signed in; the header X-CSRF-Token carries the session's
    token): it joins the catalogue, expecting a response from every force, the named ones
    (default: those its page names) or none, logged with its author; the office gets a case for
    each in-scope force whose staff work here. Answers the report's entry, with those cases."""
    return _confirm(store, pending_id, body, account.username)


@router.post("/review/reports/{pending_id}/reject", include_in_schema=False)
def reject_form(pending_id: int, account: Analyst, store: StoreDep, reason: FormText = ""):
    pending.reject(store, pending_id, account.username, reason)
    return RedirectResponse("/review#reports", status_code=303)


@router.post("/api/review/reports/{pending_id}/reject", response_model=NewReportOut,
             responses={**WRITE_ERRORS, **errors(409)}, tags=["review"])
def reject_json(pending_id: int, body: RejectIn, account: Analyst, store: StoreDep) -> dict:
    """Reject a new report (an analyst, signed in, with the CSRF header): it stays out of the
    catalogue, kept with who and why, and later collections do not offer it again."""
    return asdict(pending.reject(store, pending_id, account.username, body.reason))
