"""Actions: the promised steps, tracked after publication with dated updates, and the
holding-to-account pack per force (HTML and PDF), with their JSON twins."""
from __future__ import annotations

from dataclasses import asdict
from typing import Optional

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from ...office import actions as tracking
from ...office.render.pdf import OVERDUE, pack_pdf
from ...record.vocabulary import ActionStatus
from ..deps import FormText, Id, Staff, StoreDep, Text, errors, templates
from ..schemas import ActionOut, PackOut

# A body that cannot be parsed (400) or is too large (413), signed out (401), not allowed or no CSRF
# token (403), no such thing (404), not now (409), bad input (422).
router = APIRouter(responses=errors(400, 401, 403, 404, 409, 413, 422))


@router.get("/actions", response_class=HTMLResponse, include_in_schema=False)
def actions_page(request: Request, account: Staff, store: StoreDep, force: Optional[str] = None,
                 status: Optional[str] = None):
    return templates.TemplateResponse(request, "actions.html", {
        "actions": tracking.actions(store, account, force=force or None, status=status or None),
        "statuses": list(ActionStatus), "status": status, "force": force or account.force})


@router.get("/actions/{action_id}", response_class=HTMLResponse, include_in_schema=False)
def action_page(request: Request, action_id: Id, account: Staff, store: StoreDep):
    return templates.TemplateResponse(request, "action.html", {
        "action": tracking.action(store, account, action_id), "statuses": list(ActionStatus)})


@router.post("/actions/{action_id}/updates", include_in_schema=False)
def update_form(action_id: Id, account: Staff, store: StoreDep, status: FormText, note: FormText = "",
                reason: FormText = ""):
    tracking.update(store, account, action_id, status, note, reason)
    return RedirectResponse(f"/actions/{action_id}", status_code=303)


def _pack_rows(pack: tracking.Pack) -> list[tuple[str, list[list[str]]]]:
    return [(f"{title} ({report_id})", [[a.label, a.description, a.owner, str(a.due or "none"),
                                         a.status + (f" {OVERDUE}" if a.overdue else ""),
                                         a.updates[-1].note[:200] if a.updates else ""] for a in acts])
            for report_id, title, acts in pack.reports]


# The PDF's route comes first: '{force}' alone would also match 'Name.pdf'.
@router.get("/accountability/{force}.pdf", include_in_schema=False)
def pack_pdf_file(force: str, account: Staff, store: StoreDep):
    pack = tracking.pack(store, account, force)
    pdf = pack_pdf(f"Holding to account: {pack.force}",
                   f"Open actions promised in section 55 responses, as of {pack.today:%d %B %Y}: "
                   f"{pack.open} open, {pack.overdue} overdue", _pack_rows(pack),
                   ["Rec.", "Action", "Owner", "Due", "Status", "Latest update"])
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="holding-to-account-{pack.today}.pdf"'})


@router.get("/accountability/{force}", response_class=HTMLResponse, include_in_schema=False)
def pack_page(request: Request, force: str, account: Staff, store: StoreDep):
    return templates.TemplateResponse(request, "pack.html", {"pack": tracking.pack(store, account, force)})


# --- JSON twins -----------------------------------------------------------------------------------

class UpdateIn(BaseModel):
    status: Text
    note: Text = ""
    reason: Text = ""


def _json(a: tracking.ActionView) -> dict:
    return {**asdict(a), "overdue": a.overdue}


@router.get("/api/actions", response_model=list[ActionOut], tags=["cases"])
def list_actions(account: Staff, store: StoreDep, force: Optional[str] = None,
                 status: Optional[str] = None) -> list[dict]:
    """Actions promised in published responses, by due date."""
    return [_json(a) for a in tracking.actions(store, account, force=force, status=status)]


@router.post("/api/actions/{action_id}/updates", response_model=ActionOut, tags=["cases"])
def post_update(action_id: Id, body: UpdateIn, account: Staff, store: StoreDep) -> dict:
    """A dated update of an action's status, with a note (a reason, to drop it)."""
    tracking.update(store, account, action_id, body.status, body.note, body.reason)
    return _json(tracking.action(store, account, action_id))


@router.get("/api/accountability/{force}", response_model=PackOut, tags=["cases"])
def pack_json(force: str, account: Staff, store: StoreDep) -> dict:
    pack = tracking.pack(store, account, force)
    return {"force": pack.force, "today": pack.today, "open": pack.open, "overdue": pack.overdue,
            "reports": [{"id": rid, "title": title, "actions": [_json(a) for a in acts]}
                        for rid, title, acts in pack.reports]}
