"""Every response carries the security headers: pages, the API, static files, redirects, and
every kind of error, the unexpected one included."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from scrutiny.settings import Settings
from scrutiny.store import Store
from scrutiny.web import create_app
from scrutiny.web.headers import HEADERS

SECRET = "h" * 40


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return Store(f"sqlite:///{tmp_path_factory.mktemp('headers') / 'headers.db'}")


def client_of(app) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


def assert_secured(response) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, f"{response.request.method} {response.request.url}: {name}"


def test_the_policy_forbids_inline_code_and_framing():
    policy = HEADERS["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert HEADERS["X-Frame-Options"] == "DENY" and HEADERS["X-Content-Type-Options"] == "nosniff"
    assert HEADERS["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/", 200), ("GET", "/documents", 200), ("GET", "/docs", 200), ("GET", "/login", 200),
    ("GET", "/api/overview", 200), ("GET", "/openapi.json", 200),
    ("GET", "/static/style.css", 200), ("GET", "/static/app.js", 200), ("GET", "/static/nothing.css", 404),
    ("GET", "/documents/9999", 404), ("GET", "/api/documents/9999", 404), ("GET", "/calendar/nothing.ics", 404),
    ("GET", "/cases", 303), ("GET", "/api/cases", 401),  # signed out: to the sign-in page; refused
    ("POST", "/logout", 403),  # no CSRF token
    ("GET", "/api/search?per_page=abc", 422),
])
def test_every_response_carries_the_headers(store, method, path, status):
    response = client_of(create_app(store, Settings(secret_key=SECRET))).request(method, path, follow_redirects=False)
    assert response.status_code == status
    assert_secured(response)


def test_refusals_made_before_the_routes_carry_the_headers(store):
    """Answered by the sign-in check and the request size cap, outside the routes."""
    closed = client_of(create_app(store, Settings(secret_key=SECRET, read_requires_login=True)))
    for path, status in (("/", 303), ("/api/overview", 401)):
        response = closed.get(path, follow_redirects=False)
        assert response.status_code == status
        assert_secured(response)
    small = client_of(create_app(store, Settings(secret_key=SECRET, max_request_mb=0.01)))
    response = small.post("/login", content=b"x" * 2**20, headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert_secured(response)


@pytest.mark.parametrize("path", ["/boom", "/api/boom"])
def test_an_unexpected_error_carries_the_headers(store, path):
    app = create_app(store, Settings(secret_key=SECRET))

    def boom() -> None:
        raise RuntimeError("a bug")
    app.add_api_route(path, boom)
    response = client_of(app).get(path)
    assert response.status_code == 500 and "a bug" not in response.text
    assert_secured(response)
