"""What the browser tests share: Debian's chromium driven by Playwright, the app served over
real HTTP on 127.0.0.1, and signing in through the sign-in page.

A test module calls `need_chromium()` at import, before importing Playwright: without chromium
it is skipped, except in CI, where that is a failure."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from signin import PASSWORD

CHROMIUM = os.environ.get("SCRUTINY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def need_chromium() -> None:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            raise RuntimeError(f"chromium not found at {CHROMIUM}: CI must install it")
        pytest.skip("chromium is not installed", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(app, **config) -> Iterator[str]:
    """`app` on a free port of 127.0.0.1, in a thread, while the block runs; yields its base URL.
    `config`: more of uvicorn's settings (`timeout_graceful_shutdown`, ...)."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)


def sign_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    from playwright.sync_api import expect

    page.goto(base + "/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("header .who")).to_contain_text(username.title())
