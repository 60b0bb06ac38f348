"""Cases: the office's pages for drafting (one form, saved whole), approving and publishing a
response, and their JSON twins."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict
from typing import Any, Optional

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from ... import catalogue
from ...errors import InvalidValue, NotFound
from ...office import actions as tracking
from ...office import cases, draft, inputs, register
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
CONFIRM = {"submit": "I have checked the draft: send it for approval",
           "approve": "I have read the letter and approve it; I did not write it",
           "publish": "Publish the letter now, dated today, and send it to the Home Secretary and HMICFRS"}


def _form_of(view: cases.CaseView) -> dict[str, Any]:
    """The draft as the page's one form holds it (the same shape the JSON twin takes)."""
    return {"version": view.version, "requested_by": view.comments_requested_by,
            "comments": {"body": view.body_comments, "chief_constable": view.chief_comments,
                         "response_to_chief": view.body_on_chief},
            "answers": [{"number": a.number, "stance": a.stance, "explanation": a.explanation,
                         "steps": [{"text": st.description, "owner": st.owner, "due": st.due} for st in a.steps]}
                        for a in view.answers]}


def _page(request: Request, store: Store, view: cases.CaseView, *, form: dict | None = None,
          problems: dict[str, str] | None = None, refused: list[tuple[str, str]] | None = None, stale: bool = False,
          status: int = 200):
    return templates.TemplateResponse(request, "case.html", {
        "case": view, "form": form or _form_of(view), "problems": problems or {}, "refused": refused,
        "stale": stale, "stances": Stance.drafted(), "today": dt.date.today(), "confirm": CONFIRM,
        "register": register.statuses(store, view.report_id, view.force),
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
    return _page(request, store, cases.get_case(store, account, case_id))


def _day(value: str, where: str, problems: dict[str, str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value.strip() else None
    except ValueError:
        problems[where] = "a date as YYYY-MM-DD"
        return None


def _posted(fields: dict[str, str]) -> tuple[dict[str, Any], draft.Draft, dict[str, str]]:
    """The page's form as it was typed (to show again), as a draft, and what could not be read."""
    problems: dict[str, str] = {}
    answers: list[dict[str, Any]] = []
    i = 0
    while f"answers.{i}.number" in fields:
        steps: list[dict[str, str]] = []
        j = 0
        while f"answers.{i}.steps.{j}.text" in fields:
            at = f"answers.{i}.steps.{j}"
            steps.append({"text": fields[f"{at}.text"], "owner": fields.get(f"{at}.owner", ""),
                          "due": fields.get(f"{at}.due", "")})
            j += 1
        answers.append({"number": int(fields[f"answers.{i}.number"]) if fields[f"answers.{i}.number"].isdigit()
                        else 0, "stance": fields.get(f"answers.{i}.stance") or None,
                        "explanation": fields.get(f"answers.{i}.explanation", ""), "steps": steps})
        i += 1
    form: dict[str, Any] = {"version": fields.get("version", ""), "requested_by": fields.get("requested_by", ""),
            "comments": {k: fields.get(f"comments.{k}", "") for k in draft.COMMENTS}, "answers": answers}
    version = int(form["version"]) if str(form["version"]).isdigit() else 0
    the_draft = draft.Draft(version, form["comments"], _day(form["requested_by"], "comments.requested_by", problems), [
        draft.AnswerIn(a["number"], a["stance"], a["explanation"],
                       [draft.StepIn(st["text"], st["owner"], _day(st["due"], f"answers.{i}.steps.{j}.due", problems))
                        for j, st in enumerate(a["steps"])]) for i, a in enumerate(answers)])
    return form, the_draft, problems


@router.post("/cases/{case_id}/draft", include_in_schema=False)
async def save_draft_form(request: Request, case_id: Id, account: Staff, store: StoreDep):
    """The page's one form without script: saved whole, or shown again as typed with each
    problem beside its field (or, saved by someone else since, with the offer to merge)."""
    fields = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    form, the_draft, problems = _posted(fields)
    view = cases.get_case(store, account, case_id)
    try:
        if problems:
            raise draft.Problems(problems)
        draft.save(store, account, case_id, the_draft)
    except draft.Problems as exc:
        return _page(request, store, view, form=form, problems=exc.fields, status=422)
    except draft.Stale:
        return _page(request, store, view, form=form, stale=True, status=409)
    return RedirectResponse(f"/cases/{case_id}?saved=1#draft", status_code=303)


def _step(request: Request, store: Store, account: Account, case_id: int, name: str, confirmed: bool):
    if not confirmed:
        view = cases.get_case(store, account, case_id)
        return _page(request, store, view, problems={f"confirm-{name}": "tick the box to confirm"}, status=422)
    try:
        steps: dict[str, Callable[[Store, Account, int], object]] = {
            "submit": cases.submit, "approve": cases.approve, "publish": cases.publish}
        steps[name](store, account, case_id)
    except cases.NotReady as exc:  # the page again, naming exactly what is missing, each by its field
        view = cases.get_case(store, account, case_id)
        fields = view.problem_fields if view.problems == exc.problems else [(p, "") for p in exc.problems]
        return _page(request, store, view, problems={f: p for p, f in fields if f}, refused=fields, status=409)
    return RedirectResponse(f"/cases/{case_id}/letter" if name == "publish" else f"/cases/{case_id}#state",
                            status_code=303)


@router.post("/cases/{case_id}/submit", include_in_schema=False)
def submit_form(request: Request, case_id: Id, account: Staff, store: StoreDep, confirm: FormText = ""):
    return _step(request, store, account, case_id, "submit", bool(confirm))


@router.post("/cases/{case_id}/approve", include_in_schema=False)
def approve_form(request: Request, case_id: Id, account: Approver, store: StoreDep, confirm: FormText = ""):
    return _step(request, store, account, case_id, "approve", bool(confirm))


@router.post("/cases/{case_id}/publish", include_in_schema=False)
def publish_form(request: Request, case_id: Id, account: Approver, store: StoreDep, confirm: FormText = ""):
    return _step(request, store, account, case_id, "publish", bool(confirm))


@router.post("/cases/{case_id}/return", include_in_schema=False)
def return_form(case_id: Id, account: Approver, store: StoreDep, note: FormText = ""):
    cases.return_to_draft(store, account, case_id, note)
    return RedirectResponse(f"/cases/{case_id}#state", status_code=303)


@router.post("/cases/{case_id}/actions", include_in_schema=False)
def add_action_form(case_id: Id, account: Staff, store: StoreDep, recommendation: Id = Form(...),
                    text: FormText = "", owner: FormText = "", due: Optional[BoundedDay] = Form(None)):
    tracking.add_action(store, account, case_id, recommendation, text, owner, due)
    return RedirectResponse(f"/cases/{case_id}#rec-{recommendation}", status_code=303)


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
    view, blocks, draft_ = _letter(store, account_of(request), case_id)
    return templates.TemplateResponse(request, "case_letter.html", {"case": view, "blocks": blocks, "draft": draft_})


@router.get("/cases/{case_id}/letter.pdf", include_in_schema=False)
def letter_pdf_file(request: Request, case_id: Id, store: StoreDep):
    view, blocks, draft_ = _letter(store, account_of(request), case_id)
    if not draft_ and view.document_id is not None:
        found = store.content(view.document_id)
        if found is None:
            raise NotFound(f"the published letter of case {case_id} is missing")
        filename, _, pdf = found
    else:
        filename = f"draft-case-{case_id}.pdf"
        pdf = letter_pdf(letters.Letter([letters.Block(**b) for b in blocks]),
                         f"Draft response to '{view.report_title}'", "draft", dt.datetime.now(dt.UTC))
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})


# --- JSON twins -----------------------------------------------------------------------------------

class CaseIn(BaseModel):
    force: Text
    report: Text


class AnswerIn(BaseModel):
    stance: Optional[Text] = None
    explanation: Text = ""


class StepIn(BaseModel):
    text: Text = ""
    owner: Text = ""
    due: Optional[BoundedDay] = None


class DraftAnswerIn(BaseModel):
    number: Id
    stance: Optional[Text] = None
    explanation: Text = ""
    steps: list[StepIn] = Field(default_factory=list, max_length=200)


class CommentsIn(BaseModel):
    body: Text = ""
    chief_constable: Text = ""
    response_to_chief: Text = ""
    requested_by: Optional[BoundedDay] = None


class DraftIn(BaseModel):
    """The whole draft, saved at once; `version` is the one the page loaded (409 if another save came since)."""

    version: int = Field(ge=1, le=2**31 - 1)
    comments: CommentsIn = CommentsIn()
    answers: list[DraftAnswerIn] = Field(default_factory=list, max_length=500)


class ActionIn(BaseModel):
    recommendation: Id
    text: Text
    owner: Text
    due: Optional[BoundedDay] = None


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
    """Open a case (header X-CSRF-Token: the session's token, as for every JSON write); it comes back with its
    `id` and `version`."""
    return _json(cases.get_case(store, account, cases.open_case(store, account, body.force, body.report)))


@router.get("/api/cases/{case_id}", response_model=CaseOut, tags=["cases"])
def get_case(case_id: Id, account: Staff, store: StoreDep) -> dict:
    """A case with its answers, steps, history and what stops it going for approval."""
    return _json(cases.get_case(store, account, case_id))


@router.put("/api/cases/{case_id}/draft", response_model=CaseOut, tags=["cases"])
def put_draft(case_id: Id, body: DraftIn, account: Staff, store: StoreDep):
    """Save the whole draft (comments, and every recommendation's stance, explanation and steps) at once. A save
    on an older `version` than the stored one is refused (409, with the stored case as `case`); each problem is
    named by its field (422, `fields`)."""
    c = body.comments
    the_draft = draft.Draft(body.version, {"body": c.body, "chief_constable": c.chief_constable,
                                           "response_to_chief": c.response_to_chief}, c.requested_by,
                            [draft.AnswerIn(a.number, a.stance, a.explanation,
                                            [draft.StepIn(st.text, st.owner, st.due) for st in a.steps])
                             for a in body.answers])
    try:
        draft.save(store, account, case_id, the_draft)
    except draft.Problems as exc:
        return JSONResponse({"ok": False, "status": 422, "error": str(exc), "fields": exc.fields}, status_code=422)
    except draft.Stale as exc:
        current = _json(cases.get_case(store, account, case_id))
        return JSONResponse({"ok": False, "status": 409, "error": str(exc), "case": CaseOut(**current).model_dump(
            mode="json")}, status_code=409)
    return _json(cases.get_case(store, account, case_id))


@router.put("/api/cases/{case_id}/answers/{number}", response_model=CaseOut, tags=["cases"])
def put_answer(case_id: Id, number: Id, body: AnswerIn, account: Staff, store: StoreDep) -> dict:
    cases.set_answer(store, account, case_id, number, body.stance, body.explanation)
    return _json(cases.get_case(store, account, case_id))


@router.post("/api/cases/{case_id}/actions", response_model=CaseOut, tags=["cases"], status_code=201)
def post_action(case_id: Id, body: ActionIn, account: Staff, store: StoreDep) -> dict:
    """Add an action to a recommendation at any time: a step of a draft, or, once published, an action tracked
    from now on."""
    if body.due is None:
        raise InvalidValue("due: give the date it is due by")
    tracking.add_action(store, account, case_id, body.recommendation, body.text, body.owner, body.due)
    return _json(cases.get_case(store, account, case_id))


@router.post("/api/cases/{case_id}/submit", response_model=CaseOut, tags=["cases"])
def submit_case(case_id: Id, account: Staff, store: StoreDep) -> dict:
    """Send for approval; 409 with every missing answer named while anything is unanswered."""
    cases.submit(store, account, case_id)
    return _json(cases.get_case(store, account, case_id))


@router.post("/api/cases/{case_id}/approve", response_model=CaseOut, tags=["cases"])
def approve_case(case_id: Id, account: Approver, store: StoreDep) -> dict:
    """Approve a case sent for approval: an approver who did not write or send it (403 otherwise)."""
    cases.approve(store, account, case_id)
    return _json(cases.get_case(store, account, case_id))


@router.post("/api/cases/{case_id}/publish", response_model=CaseOut, tags=["cases"])
def publish_case(case_id: Id, account: Approver, store: StoreDep) -> dict:
    """Publish an approved case: the letter becomes a document of the response."""
    cases.publish(store, account, case_id)
    return _json(cases.get_case(store, account, case_id))
