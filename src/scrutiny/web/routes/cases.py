"""Cases: the office's pages for drafting, approving and publishing a response, and their JSON twins."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any, Optional

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from ... import catalogue
from ...errors import NotFound
from ...office import cases, inputs
from ...office import letter as letters
from ...office.permissions import Account
from ...office.render.pdf import letter_pdf
from ...record.vocabulary import Stance
from ...store import Store
from ..auth import account_of
from ..deps import Approver, BoundedDay, FormText, Id, Staff, StoreDep, Text, errors, templates
from ..schemas import CaseOut, CaseSummaryOut

# A body that cannot be parsed (400) or is too large (413), signed out (401), not allowed or no CSRF
# token (403), no such thing (404), not now (409), bad input (422).
router = APIRouter(responses=errors(400, 401, 403, 404, 409, 413, 422))


def _page(request: Request, view: cases.CaseView, refused: list[str] | None = None, status: int = 200):
    return templates.TemplateResponse(request, "case.html", {
        "case": view, "stances": Stance.drafted(), "refused": refused, "today": dt.date.today(),
        "days": (inputs.FIRST_DAY, inputs.last_day())}, status_code=status)


@router.get("/cases", response_class=HTMLResponse, include_in_schema=False)
def cases_page(request: Request, account: Staff, store: StoreDep, force: Optional[str] = None):
    force = account.force or force or None
    return templates.TemplateResponse(request, "cases.html", {
        "cases": cases.cases(store, account), "force": force,
        "openable": cases.openable(store, account, force) if force else [],
        "forces": [f.name for f in catalogue.forces()]})


@router.post("/cases", include_in_schema=False)
def open_case_form(account: Staff, store: StoreDep, force: FormText, report: FormText):
    case_id = cases.open_case(store, account, force, report)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.get("/cases/{case_id}", response_class=HTMLResponse, include_in_schema=False)
def case_page(request: Request, case_id: Id, account: Staff, store: StoreDep):
    return _page(request, cases.get_case(store, account, case_id))


@router.post("/cases/{case_id}", include_in_schema=False)
def update_case_form(case_id: Id, account: Staff, store: StoreDep, body_comments: FormText = "",
                     chief_comments: FormText = "", body_on_chief: FormText = "",
                     comments_requested_by: Optional[BoundedDay] = Form(None)):
    cases.update_case(store, account, case_id, body_comments=body_comments, chief_comments=chief_comments,
                      body_on_chief=body_on_chief,
                      comments_requested_by=comments_requested_by)
    return RedirectResponse(f"/cases/{case_id}#comments", status_code=303)


@router.post("/cases/{case_id}/answers/{number}", include_in_schema=False)
def answer_form(case_id: Id, number: Id, account: Staff, store: StoreDep, stance: FormText = "",
                explanation: FormText = ""):
    cases.set_answer(store, account, case_id, number, stance or None, explanation)
    return RedirectResponse(f"/cases/{case_id}#rec-{number}", status_code=303)


@router.post("/cases/{case_id}/answers/{number}/steps", include_in_schema=False)
def add_step_form(case_id: Id, number: Id, account: Staff, store: StoreDep, description: FormText = "",
                  owner: FormText = "", due: Optional[BoundedDay] = Form(None)):
    cases.add_step(store, account, case_id, number, description, owner, due)
    return RedirectResponse(f"/cases/{case_id}#rec-{number}", status_code=303)


@router.post("/cases/{case_id}/steps/{action_id}/remove", include_in_schema=False)
def remove_step_form(case_id: Id, action_id: Id, account: Staff, store: StoreDep):
    cases.remove_step(store, account, case_id, action_id)
    return RedirectResponse(f"/cases/{case_id}#answers", status_code=303)


@router.post("/cases/{case_id}/submit", include_in_schema=False)
def submit_form(request: Request, case_id: Id, account: Staff, store: StoreDep):
    try:
        cases.submit(store, account, case_id)
    except cases.NotReady as exc:  # the page again, naming exactly what is missing
        return _page(request, cases.get_case(store, account, case_id), exc.problems, status=409)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/return", include_in_schema=False)
def return_form(case_id: Id, account: Approver, store: StoreDep, note: FormText = ""):
    cases.return_to_draft(store, account, case_id, note)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/publish", include_in_schema=False)
def publish_form(case_id: Id, account: Approver, store: StoreDep):
    cases.publish(store, account, case_id)
    return RedirectResponse(f"/cases/{case_id}/letter", status_code=303)


def _letter(store: Store, account: Account | None, case_id: Id) -> tuple[cases.CaseView, list[dict], bool]:
    """The case, its letter's blocks, and whether the letter is a draft (dated today, unsigned off)."""
    view = cases.get_case(store, account, case_id)
    if view.letter is not None:
        return view, view.letter, False
    preview = letters.compose(cases.content(view, dt.date.today(), account.name if account else ""))
    return view, [asdict(b) for b in preview.blocks], True


@router.get("/cases/{case_id}/letter", response_class=HTMLResponse, include_in_schema=False)
def letter_page(request: Request, case_id: Id, store: StoreDep):
    """The letter: as published (public), or as it would be published today (the office only)."""
    view, blocks, draft = _letter(store, account_of(request), case_id)
    return templates.TemplateResponse(request, "case_letter.html", {"case": view, "blocks": blocks, "draft": draft})


@router.get("/cases/{case_id}/letter.pdf", include_in_schema=False)
def letter_pdf_file(request: Request, case_id: Id, store: StoreDep):
    view, blocks, draft = _letter(store, account_of(request), case_id)
    if not draft and view.document_id is not None:
        found = store.content(view.document_id)
        if found is None:
            raise NotFound(f"the published letter of case {case_id} is missing")
        filename, _, pdf = found
    else:
        filename = f"draft-case-{case_id}.pdf"
        pdf = letter_pdf(letters.Letter([letters.Block(**b) for b in blocks]), f"Draft response to '{view.report_title}'",
                         "draft")
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})


# --- JSON twins -----------------------------------------------------------------------------------

class CaseIn(BaseModel):
    force: Text
    report: Text


class AnswerIn(BaseModel):
    stance: Optional[Text] = None
    explanation: Text = ""


def _json(view: cases.CaseView) -> dict[str, Any]:
    out = asdict(view)
    out["problems"] = view.problems
    return out


@router.get("/api/cases", response_model=list[CaseSummaryOut], tags=["cases"])
def list_cases(account: Staff, store: StoreDep) -> list[dict]:
    """The cases the signed-in user may see, nearest deadline first."""
    return [asdict(c) for c in cases.cases(store, account)]


@router.post("/api/cases", response_model=CaseOut, tags=["cases"], status_code=201)
def open_case(body: CaseIn, account: Staff, store: StoreDep) -> dict:
    """Open a case (header X-CSRF-Token: the session's token, as for every JSON write)."""
    return _json(cases.get_case(store, account, cases.open_case(store, account, body.force, body.report)))


@router.get("/api/cases/{case_id}", response_model=CaseOut, tags=["cases"])
def get_case(case_id: Id, account: Staff, store: StoreDep) -> dict:
    """A case with its answers, steps, history and what stops it going for approval."""
    return _json(cases.get_case(store, account, case_id))


@router.put("/api/cases/{case_id}/answers/{number}", response_model=CaseOut, tags=["cases"])
def put_answer(case_id: Id, number: Id, body: AnswerIn, account: Staff, store: StoreDep) -> dict:
    cases.set_answer(store, account, case_id, number, body.stance, body.explanation)
    return _json(cases.get_case(store, account, case_id))


@router.post("/api/cases/{case_id}/submit", response_model=CaseOut, tags=["cases"])
def submit_case(case_id: Id, account: Staff, store: StoreDep) -> dict:
    """Send for approval; 409 with every missing answer named while anything is unanswered."""
    cases.submit(store, account, case_id)
    return _json(cases.get_case(store, account, case_id))


@router.post("/api/cases/{case_id}/publish", response_model=CaseOut, tags=["cases"])
def publish_case(case_id: Id, account: Approver, store: StoreDep) -> dict:
    """Approve and publish: the letter becomes a document of the response."""
    cases.publish(store, account, case_id)
    return _json(cases.get_case(store, account, case_id))
