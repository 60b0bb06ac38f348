"""Signing in and out, and the signed-in user's own page (password, calendar feed)."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from ...errors import InvalidValue, ScrutinyError
from ...office import users as accounts
from ...record.vocabulary import UserRole
from ..auth import sign_in, sign_out
from ..deps import FormText, Reader, StoreDep, templates

router = APIRouter(include_in_schema=False)


# Where each role lands after signing in, when no page was asked for: a page it can use.
LANDING = {UserRole.VIEWER: "/", UserRole.ANALYST: "/review", UserRole.STAFF: "/cases", UserRole.APPROVER: "/cases",
           UserRole.ADMINISTRATOR: "/admin/users"}


def _local(path: Optional[str]) -> str:
    """Where to go after signing in: a path on this site only, never another site ("" lands by role)."""
    return path if path and path.startswith("/") and not path.startswith("//") and "\\" not in path else ""


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: Optional[str] = None):
    return templates.TemplateResponse(request, "login.html", {"next": _local(next), "error": None})


@router.post("/login")
async def login(request: Request, store: StoreDep, username: FormText = "", password: str = Form(""),
                next: str = Form("")):
    address = request.client.host if request.client else "unknown"
    try:
        account = await run_in_threadpool(accounts.sign_in, store, username, password, address)
    except ScrutinyError as exc:  # wrong password (401), too many attempts (429)
        return templates.TemplateResponse(request, "login.html", {"next": _local(next), "error": str(exc)},
                                          status_code=exc.status)
    await run_in_threadpool(sign_in, request, account)  # it writes if a session was signed in before
    return RedirectResponse(_local(next) or LANDING[account.role], status_code=303)


@router.get("/reset/{token}", response_class=HTMLResponse)
def reset_page(request: Request, token: str, store: StoreDep):
    """A one-time link to set a new password (from an administrator)."""
    return templates.TemplateResponse(request, "reset.html", {
        "username": accounts.reset_username(store, token), "token": token, "error": None})


@router.post("/reset/{token}", response_class=HTMLResponse)
def reset(request: Request, token: str, store: StoreDep, password: str = Form(""), again: str = Form("")):
    username = accounts.reset_username(store, token)
    try:
        if password != again:
            raise InvalidValue("password: the two passwords differ")
        accounts.use_reset(store, token, password)
    except InvalidValue as exc:  # beside the field, the page otherwise as it was
        return templates.TemplateResponse(request, "reset.html", {
            "username": username, "token": token, "error": str(exc).partition(": ")[2]}, status_code=422)
    return RedirectResponse("/login?reset=1", status_code=303)


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
