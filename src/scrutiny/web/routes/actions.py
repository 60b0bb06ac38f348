"""Actions: the promised steps, tracked after publication with dated updates, and the
holding-to-account pack per force (HTML and PDF), with their JSON twins."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Optional

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from ...errors import InvalidValue
from ...office import actions as tracking
from ...office.render.pdf import PackRow, PackSection, pack_pdf
from ...record.vocabulary import ActionStatus, Rag
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


def _action_page(request: Request, action: tracking.ActionView, form: dict | None = None,
                 problem: tuple[str, str] | None = None, status: int = 200):
    return templates.TemplateResponse(request, "action.html", {
        "action": action, "statuses": list(ActionStatus), "rags": list(Rag), "form": form or {},
        "problem": problem}, status_code=status)


@router.get("/actions/{action_id}", response_class=HTMLResponse, include_in_schema=False)
def action_page(request: Request, action_id: Id, account: Staff, store: StoreDep):
    return _action_page(request, tracking.action(store, account, action_id))


@router.post("/actions/{action_id}/updates", include_in_schema=False)
def update_form(request: Request, action_id: Id, account: Staff, store: StoreDep, status: FormText,
                note: FormText = "", reason: FormText = "", evidence: FormText = "", rag: FormText = ""):
    try:
        tracking.update(store, account, action_id, status, note, reason, evidence, rag or None)
    except InvalidValue as exc:  # shown beside its field, with what was typed kept
        field, _, message = str(exc).partition(": ")
        return _action_page(request, tracking.action(store, account, action_id),
                            {"status": status, "note": note, "reason": reason, "evidence": evidence, "rag": rag},
                            (field, message), status=422)
    return RedirectResponse(f"/actions/{action_id}", status_code=303)


def _register(r: tracking.PackReport, number: int) -> str:
    entry = r.register.get(number)
    return f"{entry.status}{f' ({entry.as_of})' if entry.as_of else ''}" if entry else "not in the register"


def _pack_sections(pack: tracking.Pack) -> list[PackSection]:
    return [PackSection(f"{r.title} ({r.id})", f"Promised {r.promised}; done {r.done}; late {r.late}.",
                        [PackRow([a.label, a.description, a.owner, str(a.due or "none"),
                                  a.status + (" (late)" if a.late else "") + (f"; {a.rag}" if a.rag else ""),
                                  _register(r, a.number), a.updates[-1].note[:200] if a.updates else ""], a.late)
                         for a in r.actions]) for r in pack.reports]


# The PDF's route comes first: '{force}' alone would also match 'Name.pdf'.
@router.get("/accountability/{force}.pdf", include_in_schema=False)
def pack_pdf_file(force: str, account: Staff, store: StoreDep):
    pack = tracking.pack(store, account, force)
    pdf = pack_pdf(f"Holding to account: {pack.force}",
                   f"Actions promised in section 55 responses, as of {pack.today:%d %B %Y}: "
                   f"{pack.open} open, {pack.overdue} overdue", _pack_sections(pack),
                   ["Rec.", "Action", "Owner", "Due", "Status", "HMICFRS's view", "Latest update"],
                   dt.datetime.now(dt.UTC))
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="holding-to-account-{pack.today}.pdf"'})


@router.get("/accountability/{force}", response_class=HTMLResponse, include_in_schema=False)
def pack_page(request: Request, force: str, account: Staff, store: StoreDep):
    return templates.TemplateResponse(request, "pack.html", {"pack": tracking.pack(store, account, force),
                                                             "register": _register})


# --- JSON twins -----------------------------------------------------------------------------------

class UpdateIn(BaseModel):
    status: Text
    note: Text = ""
    reason: Text = ""
    evidence: list[Text] = Field(default_factory=list, max_length=50)  # links: https://... or a page here
    rag: Optional[Text] = None  # red, amber or green


def _json(a: tracking.ActionView) -> dict:
    return {**asdict(a), "overdue": a.overdue, "late": a.late}


@router.get("/api/actions", response_model=list[ActionOut], tags=["cases"])
def list_actions(account: Staff, store: StoreDep, force: Optional[str] = None,
                 status: Optional[str] = None) -> list[dict]:
    """Actions promised in published responses, by due date."""
    return [_json(a) for a in tracking.actions(store, account, force=force, status=status)]


@router.post("/api/actions/{action_id}/updates", response_model=ActionOut, tags=["cases"])
def post_update(action_id: Id, body: UpdateIn, account: Staff, store: StoreDep) -> dict:
    """A dated update of an action's status, with a note (a reason, to drop it), links to the evidence (needed
    to close it as done) and a RAG status."""
    tracking.update(store, account, action_id, body.status, body.note, body.reason, "\n".join(body.evidence),
                    body.rag)
    return _json(tracking.action(store, account, action_id))


@router.get("/api/accountability/{force}", response_model=PackOut, tags=["cases"])
def pack_json(force: str, account: Staff, store: StoreDep) -> dict:
    pack = tracking.pack(store, account, force)
    return {"force": pack.force, "today": pack.today, "open": pack.open, "overdue": pack.overdue,
            "reports": [{"id": r.id, "title": r.title, "promised": r.promised, "done": r.done, "late": r.late,
                         "register_status": [{"number": n, "status": e.status, "as_of": e.as_of}
                                      for n, e in sorted(r.register.items())],
                         "actions": [_json(a) for a in r.actions]} for r in pack.reports]}
