"""Sessions, sign-in state and CSRF protection.

A session is a cookie the server signs (HMAC-SHA256 with the settings' key): its own random
id, the user's id, when they signed in, and the session's CSRF token. It is HttpOnly and
SameSite=Lax (Secure when `secure_cookies` is set) and lasts `session_hours` from sign-in. The
user is looked up on every request, and with them whether this session was signed out, so
signing out ends the session at once, even in a copy of the cookie kept from before, and
disabling a user, a new role or a new password ends all of theirs. Every visitor gets a
session (an anonymous one until they sign in), so the sign-in form has a CSRF token too;
signing in issues a new session and ends the one before, so a token seen before does not
carry over.

CSRF: every request that writes (POST, PUT, PATCH, DELETE) must carry the session's token,
as the form field `csrf_token` (every form has it) or, for JSON, the header `X-CSRF-Token`
(pages give it in `<meta name="csrf-token">`). Cookies are only sent with the token by pages
of this site, so another site cannot make a signed-in browser write.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, replace

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import Forbidden
from ..office import users as accounts
from ..office.permissions import Account, authorize
from ..settings import Settings

COOKIE = "scrutiny_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# Reachable without signing in where reading needs it: the sign-in page, its assets, and the
# calendar feed and password links, which their own tokens guard.
OPEN_PATHS = ("/login", "/static/", "/calendar/", "/reset/")


@dataclass(frozen=True)
class Session:
    user_id: int | None
    issued: float  # seconds since the epoch
    csrf: str
    id: str  # what signing out records as ended


def anonymous() -> Session:
    return Session(None, time.time(), secrets.token_urlsafe(24), secrets.token_urlsafe(24))


def signed_in(user_id: int) -> Session:
    return Session(user_id, time.time(), secrets.token_urlsafe(24), secrets.token_urlsafe(24))


def encode(session: Session, key: bytes) -> str:
    fields = {"u": session.user_id, "t": session.issued, "c": session.csrf, "i": session.id}
    payload = base64.urlsafe_b64encode(json.dumps(fields, separators=(",", ":")).encode()).decode()
    payload = payload.rstrip("=")  # no padding: a cookie value with '=' gets quoted
    return payload + "." + _sign(payload, key)


def decode(cookie: str, key: bytes, max_age: float, now: float | None = None) -> Session | None:
    """The session in a cookie, if the signature is ours and it has not expired."""
    payload, _, signature = cookie.partition(".")
    if not signature or not hmac.compare_digest(signature, _sign(payload, key)):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        session = Session(data["u"], float(data["t"]), str(data["c"]), str(data["i"]))
    except (ValueError, KeyError, TypeError):
        return None
    if (now if now is not None else time.time()) - session.issued > max_age:
        return None
    return session


def _sign(payload: str, key: bytes) -> str:
    return base64.urlsafe_b64encode(hmac.new(key, payload.encode(), hashlib.sha256).digest()).decode().rstrip("=")


def install(app, settings: Settings) -> None:
    """Read the session on every request, sign in its user, and write the cookie back when it changes."""
    app.add_middleware(Sessions, key=settings.session_key(), max_age=int(settings.session_hours * 3600),
                       read_requires_login=settings.read_requires_login, secure=settings.secure_cookies)


class Sessions:
    """The session of every request, in `request.state` (`session`, and `account` if signed
    in); its cookie sent back with the answer when the request changed it. A plain ASGI
    middleware: starlette's `BaseHTTPMiddleware` would add about 1 ms to every request."""

    def __init__(self, app: ASGIApp, key: bytes, max_age: int, read_requires_login: bool, secure: bool):
        self.app, self.key, self.max_age = app, key, max_age
        self.read_requires_login, self.secure = read_requires_login, secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        raw = request.cookies.get(COOKIE)
        found = decode(raw, self.key, self.max_age) if raw else None
        session = found or anonymous()
        account = None
        if session.user_id is not None:
            issued = dt.datetime.fromtimestamp(session.issued, dt.UTC)
            account = await run_in_threadpool(accounts.account, request.app.state.store, session.user_id, issued,
                                              session.id)
            if account is None:  # signed out, disabled, or changed since: keep the CSRF token only
                session = replace(session, user_id=None)
        request.state.session, request.state.account = session, account

        async def send_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and request.state.session != found:
                with_cookie = Response()
                with_cookie.set_cookie(COOKIE, encode(request.state.session, self.key), max_age=self.max_age,
                                       httponly=True, samesite="lax", secure=self.secure, path="/")
                MutableHeaders(scope=message).append("set-cookie", with_cookie.headers["set-cookie"])
            await send(message)

        if self.read_requires_login and account is None and not request.url.path.startswith(OPEN_PATHS):
            refused = (RedirectResponse(f"/login?next={request.url.path}", status_code=303)
                       if request.method == "GET" and not request.url.path.startswith("/api/") else _refusal(request))
            await refused(scope, receive, send_cookie)
        else:
            await self.app(scope, receive, send_cookie)


def _refusal(request: Request) -> Response:
    return JSONResponse({"ok": False, "status": 401, "error": "sign in first"}, status_code=401)


def account_of(request: Request) -> Account | None:
    return request.state.account


def requires(permission: str):
    """A dependency: the signed-in account, if it has `permission` (401 if none, 403 if not allowed)."""
    async def dependency(request: Request) -> Account:  # (no I/O: run on the event loop, no thread)
        return authorize(request.state.account, permission)
    return dependency


async def csrf_protect(request: Request) -> None:
    """A dependency on every router: a write must carry the session's CSRF token."""
    if request.method not in WRITES:
        return
    token: object = request.headers.get(CSRF_HEADER)
    if token is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        token = (await request.form()).get(CSRF_FIELD)
    if not isinstance(token, str) or not hmac.compare_digest(token, request.state.session.csrf):
        raise Forbidden("missing or wrong CSRF token: reload the page and try again")


def sign_in(request: Request, account: Account) -> None:
    _end(request)
    request.state.session, request.state.account = signed_in(account.id), account


def sign_out(request: Request) -> None:
    _end(request)
    request.state.session, request.state.account = anonymous(), None


def _end(request: Request) -> None:
    """Record the request's signed-in session as ended, so no copy of its cookie works again."""
    session: Session = request.state.session
    if request.state.account is not None:
        hours = request.app.state.settings.session_hours
        accounts.end_session(request.app.state.store, session.id,
                             dt.datetime.fromtimestamp(session.issued, dt.UTC) + dt.timedelta(hours=hours))
