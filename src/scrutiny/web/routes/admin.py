"""Administration for administrators: users (add, role and force, disable, a one-time link to
set a password), the audit log, and handing a force's open work to its new policing body;
with their JSON twins."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Optional

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from ... import catalogue
from ...catalogue import policing
from ...errors import ScrutinyError
from ...office import audit, bodies
from ...office import users as accounts
from ...office.permissions import ROLE_LABELS, generate_password
from ...record.vocabulary import UserRole
from ...store import Store
from ..deps import Administrator, BoundedDay, FormText, StoreDep, Text, errors, templates
from ..schemas import Error

router = APIRouter(responses=errors(400, 401, 403, 404, 409, 413, 422))


def _users_page(request: Request, store: Store, message: str | None = None, link: str | None = None,
                problem: tuple[str, str] | None = None, form: dict | None = None, status: int = 200):
    return templates.TemplateResponse(request, "admin_users.html", {
        "users": accounts.users(store), "roles": ROLE_LABELS, "forces": [f.name for f in catalogue.forces()],
        "message": message, "link": link, "problem": problem, "form": form or {}}, status_code=status)


def _link(request: Request, token: str) -> str:
    return f"{request.base_url}reset/{token}"


@router.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(request: Request, account: Administrator, store: StoreDep):
    return _users_page(request, store)


@router.post("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def add_user_form(request: Request, account: Administrator, store: StoreDep, username: FormText = "", name: FormText = "",
                  role: FormText = "", force: FormText = ""):
    """A new user, with a one-time link to set their own password (nobody else ever sees it)."""
    try:
        added = accounts.add_user(store, username, name or username, role, generate_password(), force or None,
                                  actor=account.username)
    except ScrutinyError as exc:  # beside its field, with what was typed kept
        field, _, message = str(exc).partition(": ")
        return _users_page(request, store, problem=(field, message), status=exc.status,
                           form={"username": username, "name": name, "role": role, "force": force})
    link = _link(request, accounts.reset_link(store, added.username, actor=account.username))
    return _users_page(request, store, f"Added {added.username}. Send them this link to set their password "
                                       f"(it works once, within {accounts.RESET_VALID.seconds // 3600} hours):", link)


@router.post("/admin/users/{username}", response_class=HTMLResponse, include_in_schema=False)
def change_user_form(request: Request, username: str, account: Administrator, store: StoreDep, role: FormText = "",
                     force: FormText = "", active: Optional[str] = Form(None), reset: Optional[str] = Form(None)):
    """One user's role and force, standing, or a new password link (whichever button was pressed)."""
    if reset is not None:
        link = _link(request, accounts.reset_link(store, username, actor=account.username))
        return _users_page(request, store, f"A one-time link for {username} to set a new password (earlier links "
                                           f"stop working):", link)
    if active is not None:
        accounts.set_active(store, username, active == "yes", actor=account.username)
        return _users_page(request, store, f"{username} {'may sign in again' if active == 'yes' else 'is disabled'}.")
    changed = accounts.set_role(store, username, role, force or None, actor=account.username)
    return _users_page(request, store, f"{changed.username} is now {changed.role_label}"
                                       f"{' for ' + changed.force if changed.force else ''}.")


@router.get("/admin/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(request: Request, account: Administrator, store: StoreDep):
    return templates.TemplateResponse(request, "admin_audit.html", {"events": audit.events(store)})


@router.get("/admin/bodies", response_class=HTMLResponse, include_in_schema=False)
def bodies_page(request: Request, account: Administrator):
    return templates.TemplateResponse(request, "admin_bodies.html", {
        "bodies": policing.bodies(), "forces": [f.name for f in catalogue.forces()], "done": None,
        "today": dt.date.today()})


@router.post("/admin/bodies/handover", response_class=HTMLResponse, include_in_schema=False)
def handover_form(request: Request, account: Administrator, store: StoreDep, force: FormText, day: BoundedDay = Form(...)):
    return templates.TemplateResponse(request, "admin_bodies.html", {
        "bodies": policing.bodies(), "forces": [f.name for f in catalogue.forces()], "today": day,
        "done": bodies.handover(store, force, day, actor=account.username)})


# --- JSON twins -----------------------------------------------------------------------------------

class UserOut(BaseModel):
    id: int
    username: str
    name: str
    role: UserRole
    force: Optional[str]
    active: bool


class EventOut(BaseModel):
    at: dt.datetime
    actor: str
    action: str
    subject: str
    detail: str


class LinkOut(BaseModel):
    username: str
    link: str  # works once, within a day


class HandoverIn(BaseModel):
    force: Text
    day: BoundedDay


class HandoverOut(BaseModel):
    force: str
    day: dt.date
    body: str
    cases: int
    actions: int


@router.get("/api/admin/users", response_model=list[UserOut], tags=["admin"])
def users_json(account: Administrator, store: StoreDep) -> list[dict]:
    return [asdict(a) for a in accounts.users(store)]


@router.post("/api/admin/users/{username}/reset", response_model=LinkOut, tags=["admin"],
             responses={404: {"model": Error}})
def reset_json(request: Request, username: str, account: Administrator, store: StoreDep) -> dict:
    """A one-time link for the user to set a new password (earlier ones stop working)."""
    return {"username": username, "link": _link(request, accounts.reset_link(store, username, actor=account.username))}


@router.get("/api/admin/audit", response_model=list[EventOut], tags=["admin"])
def audit_json(account: Administrator, store: StoreDep) -> list[dict]:
    """The latest administration events, cases' moves and corrections, most recent first."""
    return [asdict(e) for e in audit.events(store)]


@router.post("/api/admin/handover", response_model=HandoverOut, tags=["admin"])
def handover_json(body: HandoverIn, account: Administrator, store: StoreDep) -> dict:
    """Give the force's open cases and actions to the policing body in office on `day`, keeping their history."""
    return asdict(bodies.handover(store, body.force, body.day, actor=account.username))
