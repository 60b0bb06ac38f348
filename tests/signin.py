"""Accounts and signed-in clients for the web tests: real users in the store, real sign-in."""
from __future__ import annotations

import re

from scrutiny.office import users as accounts
from scrutiny.office.permissions import Account
from scrutiny.store import Store

PASSWORD = "correct horse battery"
_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def user(store: Store, username: str, role: str, force: str | None = None) -> Account:
    return accounts.add_user(store, username, username.title(), role, PASSWORD, force)


def csrf(client) -> str:
    """The session's CSRF token, as every page gives it."""
    return _META.search(client.get("/login").text).group(1)


def sign_in(client, username: str, password: str = PASSWORD):
    """Sign `client` in through the sign-in form; JSON writes then carry the new session's token."""
    client.headers.pop("X-CSRF-Token", None)  # a previous session's: it would outweigh the form's
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": csrf(client),
                                           "next": "/account"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    client.headers["X-CSRF-Token"] = csrf(client)
    return response
