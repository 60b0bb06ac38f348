"""`scrutiny serve` as a real server process, on both engines: an upload held up in the middle
of storing (another process holds the store's write lock) does not stop other pages being
served, and SIGTERM stops the server promptly, leaving nothing of the upload stored."""
from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from conftest import corpus_files
from signin import PASSWORD, csrf, sign_in, user
from sqlalchemy import create_engine, select, text

from scrutiny.office.users import MAX_FAILURES
from scrutiny.store import WRITE_LOCK, Store
from scrutiny.store.schema import LoginFailure

SCRUTINY = Path(sys.executable).parent / "scrutiny"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _server(url: str, **settings: str):
    store = Store(url)  # with an analyst, who may upload
    user(store, "alex", "analyst")
    store.engine.dispose()
    port = _free_port()
    process = subprocess.Popen([str(SCRUTINY), "serve", "--db", url, "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **settings})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # until it answers (it migrates the store first)
            try:
                if httpx.get(base + "/api/reports", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail(f"the server did not start: {process.stderr.read1().decode()}")  # type: ignore[union-attr]
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


@contextmanager
def _write_lock_held(url: str):
    """Hold the store's write lock from another connection, as a long write by another process would."""
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield lambda: True  # SQLite shows no one waiting for its lock
        finally:
            connection.rollback()
            connection.close()
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(text("SELECT pg_advisory_lock(:key)"), {"key": WRITE_LOCK})

        def someone_waits() -> bool:
            return bool(c.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")))
        try:
            yield someone_waits
        finally:
            c.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": WRITE_LOCK})
    engine.dispose()


def _analyst(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120)
    sign_in(client, "alex")
    return client


def _start_upload(client: httpx.Client, results: list) -> tuple[threading.Thread, threading.Event]:
    """POST a letter from another thread (as `client`); the event is set once its last byte is sent."""
    sent = threading.Event()
    boundary = "scrutiny-test"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"letter.txt\"\r\n"
            f"Content-Type: text/plain\r\n\r\n").encode() + corpus_files()[0].read_bytes() + f"\r\n--{boundary}--\r\n".encode()

    def chunks():
        yield body
        sent.set()

    def post() -> None:
        try:
            results.append(client.post("/api/documents", content=chunks(),
                                       headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}))
        except httpx.TransportError as exc:
            results.append(exc)

    thread = threading.Thread(target=post)
    thread.start()
    return thread, sent


def _wait_until_held_up(sent: threading.Event, someone_waits) -> None:
    assert sent.wait(30)
    for _ in range(300):
        if someone_waits():
            return
        time.sleep(0.05)
    pytest.fail("the upload never reached the store")


def test_pages_are_served_while_an_upload_is_held_up(empty_url):
    with _server(empty_url) as (_, base):
        analyst = _analyst(base)
        with _write_lock_held(empty_url) as someone_waits:
            results: list = []
            upload, sent = _start_upload(analyst, results)
            _wait_until_held_up(sent, someone_waits)
            for url in ("/", "/api/reports", "/search?q=board", "/upload"):  # answered while the upload waits
                assert httpx.get(base + url, timeout=30).status_code == 200, url
                assert upload.is_alive()
        upload.join(120)  # the lock is released: the upload goes on and is stored
    [response] = results
    assert [o["status"] for o in response.json()] == ["stored"]


def test_sigterm_stops_the_server_promptly_during_an_upload(empty_url):
    with _server(empty_url) as (process, base):
        analyst = _analyst(base)
        with _write_lock_held(empty_url) as someone_waits:
            results: list = []
            upload, sent = _start_upload(analyst, results)
            _wait_until_held_up(sent, someone_waits)
            process.send_signal(signal.SIGTERM)
            # uvicorn ends by raising the signal again, so the exit is SIGTERM's; and well before
            # the 60 seconds that the held-up upload would wait for the lock.
            assert process.wait(timeout=30) in (0, -signal.SIGTERM)
            upload.join(30)
            assert isinstance(results[0], httpx.TransportError) or results[0].status_code >= 500
    store = Store(empty_url)
    assert store.documents() == [] and store.failures() == []
    store.engine.dispose()


def test_serve_says_where_it_runs_only_once_it_answers(tmp_path):
    port = _free_port()
    process = subprocess.Popen([str(SCRUTINY), "serve", "--db", f"sqlite:///{tmp_path / 's.db'}", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        assert line.strip() == f"Scrutiny is running at http://127.0.0.1:{port}/  (Ctrl+C to stop)"
        assert httpx.get(f"http://127.0.0.1:{port}/api/reports", timeout=30).status_code == 200  # no retry needed
    finally:
        process.kill()
        process.wait()


def test_serve_says_plainly_that_the_address_is_in_use(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([str(SCRUTINY), "serve", "--db", f"sqlite:///{tmp_path / 's.db'}", "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"error: 127.0.0.1:{port} is already in use (is Scrutiny running there already?); " \
                            "choose another --port\n"
    assert not (tmp_path / "s.db").exists()  # said before the store was opened


def test_serve_says_a_mistyped_setting_in_one_line_before_it_starts(tmp_path):
    result = subprocess.run([str(SCRUTINY), "serve", "--db", f"sqlite:///{tmp_path / 's.db'}", "--port", str(_free_port())],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "SCRUTINY_SECURE_COOKIES": "maybe", "SCRUTINY_SECRET_KEY": "too short"})
    assert result.returncode == 1 and result.stdout == ""
    # every mistyped setting, in one line; a secret is never repeated
    assert result.stderr == ("error: SCRUTINY_SECRET_KEY: must be at least 32 characters; "
                             "SCRUTINY_SECURE_COOKIES: must be yes or no, not 'maybe'\n")
    assert not (tmp_path / "s.db").exists()


def _sign_in_from(client: httpx.Client, forwarded_for: str, username: str, password: str) -> int:
    """The status of a sign-in whose request claims to come from `forwarded_for`."""
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf(client)},
                       headers={"X-Forwarded-For": forwarded_for}).status_code


def test_rotating_x_forwarded_for_does_not_get_past_the_sign_in_limit(tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    with _server(url) as (_, base), httpx.Client(base_url=base, timeout=60) as client:
        for n in range(MAX_FAILURES * 4):  # a name each, so only the limit per address can stop them
            assert _sign_in_from(client, f"203.0.113.{n}", f"guess{n}", "wrong password") == 401
        assert _sign_in_from(client, "198.51.100.7", "alex", PASSWORD) == 429  # the address is this client's
    with Store(url).session() as s:
        assert set(s.scalars(select(LoginFailure.address))) == {"127.0.0.1"}


def test_a_trusted_proxy_names_the_address_counted(tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    with _server(url, SCRUTINY_TRUSTED_PROXIES="127.0.0.1") as (_, base), \
            httpx.Client(base_url=base, timeout=60) as client:
        for n in range(MAX_FAILURES * 4):
            assert _sign_in_from(client, "203.0.113.9", f"guess{n}", "wrong password") == 401
        assert _sign_in_from(client, "203.0.113.9", "alex", PASSWORD) == 429
        assert _sign_in_from(client, "198.51.100.7", "alex", PASSWORD) == 303  # another office behind the proxy
