"""kill -9 at any moment of an ingest, as a real process, on both engines: the store opens
(SQLite's integrity check passes), and a rerun completes it with each document stored once."""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time

from conftest import corpus_files
from sqlalchemy import text

from scrutiny.store import Store

LETTERS = 600
# When each run is killed: so many seconds after it starts (importing, opening the store,
# starting the workers), or once so many files' outcomes are out (a later batch is being written).
KILLS = [("seconds", 0.3), ("seconds", 1.5), ("lines", 1), ("lines", 200), ("lines", 400)]


def _letters(folder):
    """LETTERS distinct files: the corpus letters, each with a reference line of its own."""
    bases = [f.read_text(encoding="utf-8") for f in corpus_files()]
    for i in range(LETTERS):
        (folder / f"letter{i:04d}.txt").write_text(bases[i % len(bases)] + f"\nOur reference: {i:04d}\n",
                                                   encoding="utf-8")


def _ingest(folder, url: str, kill: tuple[str, float] | None) -> subprocess.CompletedProcess | None:
    """Run `scrutiny ingest`; with `kill`, SIGKILL it at that point (None if it finished first)."""
    process = subprocess.Popen([sys.executable, "-m", "scrutiny", "ingest", str(folder), "--workers", "2", "--db", url],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)  # type: ignore[arg-type]
    reader.start()
    if kill is None:
        stdout = process.stdout.read()  # type: ignore[union-attr]
        process.wait(timeout=300)
        reader.join(30)
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, "".join(lines))
    kind, at = kill
    start = time.monotonic()
    while process.poll() is None and time.monotonic() - start < 120:
        if (time.monotonic() - start >= at) if kind == "seconds" else (len(lines) >= at):
            workers = _children(process.pid)
            process.send_signal(signal.SIGKILL)
            _wait_gone(workers)  # they notice their pipe close, and end
            break
        time.sleep(0.005)
    finished = process.wait(timeout=60) == 0
    reader.join(30)
    return None if not finished else subprocess.CompletedProcess(process.args, 0, "", "")


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in open(f"/proc/{pid}/task/{pid}/children").read().split()]
    except OSError:
        return []


def _wait_gone(pids: list[int]) -> None:
    deadline = time.monotonic() + 30
    while any(os.path.exists(f"/proc/{pid}") and "Z" not in _state(pid) for pid in pids):
        assert time.monotonic() < deadline, f"worker processes left running: {pids}"
        time.sleep(0.05)


def _state(pid: int) -> str:
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def _check_opens(url: str) -> int:
    """The store after a kill: intact, opens, and holds each document at most once."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as c:
            assert c.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    store = Store(url)
    with store.engine.connect() as c:
        documents = c.execute(text("SELECT count(*), count(DISTINCT source_key) FROM documents")).one()
        versions = c.execute(text("SELECT count(*), count(DISTINCT sha256) FROM versions")).one()
    store.engine.dispose()
    assert documents[0] == documents[1] and versions[0] == versions[1] == documents[0] <= LETTERS
    return documents[0]


def test_kill_9_at_any_moment_leaves_a_store_that_opens_and_a_rerun_completes(empty_url, tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    _letters(folder)
    stored = []
    for kill in KILLS:
        if _ingest(folder, empty_url, kill) is None:
            stored.append(_check_opens(empty_url))
    assert stored == sorted(stored)  # each run kept what the ones before it stored
    assert len([n for n in stored if 0 < n < LETTERS]) >= 2, f"too few kills in the middle of storing: {stored}"
    rerun = _ingest(folder, empty_url, None)
    assert rerun is not None and rerun.returncode == 0, rerun.stderr
    counts = {status: int(n) for n, status in re.findall(r"(\d+) (\w+)", rerun.stdout.strip().splitlines()[-1])}
    before = stored[-1] if stored else 0
    assert counts == {k: n for k, n in {"stored": LETTERS - before, "unchanged": before}.items() if n}
    assert _check_opens(empty_url) == LETTERS
    store = Store(empty_url)
    with store.engine.connect() as c:  # the five corpus letters' responses count every copy once
        assert c.execute(text("SELECT sum(documents) FROM responses")).scalar() == LETTERS
        assert c.execute(text("SELECT count(*) FROM versions WHERE NOT is_current")).scalar() == 0
    store.engine.dispose()
