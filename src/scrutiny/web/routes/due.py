"""Deadlines: cases and actions falling due in the next days and those overdue, as a page,
its JSON twin, and an iCalendar feed per user behind a token they can revoke."""
from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ...errors import NotFound
from ...office import actions as tracking
from ...office import users as accounts
from ...office.render.ics import calendar
from ..deps import Staff, StoreDep, errors, templates
from ..schemas import DueOut

# A body that cannot be parsed (400) or is too large (413), signed out (401), not allowed or no CSRF
# token (403), no such thing (404), not now (409), bad input (422).
router = APIRouter(responses=errors(400, 401, 403, 404, 409, 413, 422))
Days = Query(30, ge=0, le=3650, description="Look this many days ahead")


@router.get("/due", response_class=HTMLResponse, include_in_schema=False)
def due_page(request: Request, account: Staff, store: StoreDep, days: int = Days):
    return templates.TemplateResponse(request, "due.html", {"items": tracking.due(store, account, days), "days": days})


@router.get("/api/due", response_model=list[DueOut], tags=["cases"])
def due_json(account: Staff, store: StoreDep, days: int = Days) -> list[dict]:
    """Cases and actions due in the next `days` days, and every overdue one."""
    return [asdict(i) for i in tracking.due(store, account, days)]


@router.get("/calendar/{token}.ics", include_in_schema=False)
def feed(request: Request, token: str, store: StoreDep):
    """What the token's user sees due over the next year (and overdue), for a calendar to subscribe to."""
    account = accounts.calendar_account(store, token)
    if account is None or not account.can("draft"):
        raise NotFound("no such calendar (its address may have been replaced)")
    body = calendar(tracking.due(store, account, 365), str(request.base_url), f"Scrutiny: {account.name}")
    return Response(body, media_type="text/calendar; charset=utf-8")
