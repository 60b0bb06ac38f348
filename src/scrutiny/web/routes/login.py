"""Signing in and out, and the signed-in user's own page (password, calendar feed)."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from ...errors import ScrutinyError
from ...office import users as accounts
from ..auth import sign_in, sign_out
from ..deps import FormText, Reader, StoreDep, templates

router = APIRouter(include_in_schema=False)


def _local(path: Optional[str]) -> str:
    """Where to go after signing in: a path on this site only, never another site."""
    return path if path and path.startswith("/") and not path.startswith("//") and "\\" not in path else "/cases"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: Optional[str] = None):
    return templates.TemplateResponse(request, "login.html", {"next": _local(next), "error": None})


@router.post("/login")
async def login(request: Request, store: StoreDep, username: FormText = "", password: str = Form(""),
                next: str = Form("/cases")):
    address = request.client.host if request.client else "unknown"
    try:
        account = await run_in_threadpool(accounts.sign_in, store, username, password, address)
    except ScrutinyError as exc:  # wrong password (401), too many attempts (429)
        return templates.TemplateResponse(request, "login.html", {"next": _local(next), "error": str(exc)},
                                          status_code=exc.status)
    await run_in_threadpool(sign_in, request, account)  # it writes if a session was signed in before
    return RedirectResponse(_local(next), status_code=303)


@router.post("/logout")
def logout(request: Request):
    sign_out(request)
    return RedirectResponse("/login", status_code=303)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, account: Reader, store: StoreDep):
    return templates.TemplateResponse(request, "account.html", {
        "account": account, "calendar": accounts.has_calendar(store, account.id), "feed": None, "message": None})


@router.post("/account/calendar", response_class=HTMLResponse)
def calendar_token(request: Request, account: Reader, store: StoreDep, revoke: bool = Form(False)):
    """A new feed address (the old one stops working), or none."""
    feed = None
    if revoke:
        accounts.revoke_calendar_token(store, account.id)
    else:
        feed = f"{request.base_url}calendar/{accounts.new_calendar_token(store, account.id)}.ics"
    return templates.TemplateResponse(request, "account.html", {
        "account": account, "calendar": feed is not None, "feed": feed,
        "message": "Calendar feed turned off." if revoke else "A new calendar feed address: the old one no longer works."})


@router.post("/account/password", response_class=HTMLResponse)
def change_password(request: Request, account: Reader, store: StoreDep, current: str = Form(""), new: str = Form("")):
    accounts.change_password(store, account.id, current, new)
    sign_in(request, account)  # the other sessions end; this one goes on
    return templates.TemplateResponse(request, "account.html", {
        "account": account, "calendar": accounts.has_calendar(store, account.id), "feed": None,
        "message": "Password changed; you are signed out everywhere else."})
