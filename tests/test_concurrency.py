"""Several processes on one store at once, on both engines: each opens a fresh store (and so
migrates it), then they store the same letters, the same bytes under different names, and
different bytes under one name. Every process finishes, and the store holds each letter once.
And several processes opening one new SQLite file together, again and again, all open it."""
from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time

import pytest
from conftest import corpus_files
from sqlalchemy import text

from scrutiny.oversight.ingest import ingest_bytes
from scrutiny.store import Store

PROCESSES = 3
ROUNDS = 2
NEW_FILES = 12  # new SQLite stores the processes open together, one after another


def _worker(url: str, start, job: int, results) -> None:
    """One process: open the store when all are ready, then ingest what `job` says."""
    try:
        start.wait(timeout=60)
        store = Store(url)
        start.wait(timeout=60)
        outcomes = []
        for path in corpus_files():  # the same files, at the same paths, in every process
            outcomes.append(ingest_bytes(store, path.read_bytes(), path.name, str(path)).status)
        same = corpus_files()[0].read_bytes() + b"\nSame bytes under another name in each process.\n"
        outcomes.append(ingest_bytes(store, same, "same.txt", f"upload:same-{job}.txt").status)
        mine = corpus_files()[1].read_bytes() + f"\nThe bytes of process {job}.\n".encode()
        outcomes.append(ingest_bytes(store, mine, "shared-name.txt", "upload:shared-name.txt").status)
        results.put((job, outcomes, None))
    except Exception as exc:  # noqa: BLE001 - reported to the test, which fails with it
        start.abort()  # the others stop waiting for this one
        results.put((job, None, f"{type(exc).__name__}: {exc}"))


def _race(url: str) -> list[list[str]]:
    context = multiprocessing.get_context("spawn")  # real, separate interpreters
    start, results = context.Barrier(PROCESSES), context.Queue()
    workers = [context.Process(target=_worker, args=(url, start, job, results)) for job in range(PROCESSES)]
    for w in workers:
        w.start()
    reports = [results.get(timeout=180) for _ in workers]
    for w in workers:
        w.join(timeout=60)
    errors = [error for _, _, error in reports if error]
    assert not errors, errors
    return [outcomes for _, outcomes, _ in sorted(reports, key=lambda r: r[0])]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_concurrent_ingests_all_finish_and_store_each_letter_once(empty_url, round_):
    outcomes = _race(empty_url)
    corpus = len(corpus_files())
    for i in range(corpus + 1):  # each corpus file, then the same bytes: stored by one process only
        assert sorted(o[i] for o in outcomes) == ["stored"] + ["unchanged"] * (PROCESSES - 1)
    # Different bytes under one name: one process creates the letter, the others add versions.
    assert sorted(o[-1] for o in outcomes) == ["new version"] * (PROCESSES - 1) + ["stored"]
    store = Store(empty_url)
    letters = store.documents()
    assert len(letters) == corpus + 2
    shared = store.document_by_source("upload:shared-name.txt")
    assert shared is not None and shared.version == PROCESSES
    with store.engine.connect() as c:
        numbers = c.execute(text("SELECT number, is_current FROM versions WHERE document_id = :id ORDER BY number"),
                            {"id": shared.id}).all()
    assert [tuple(n) for n in numbers] == [(n, n == PROCESSES) for n in range(1, PROCESSES + 1)]
    store.engine.dispose()


def _opener(folder: str, start, results) -> None:
    """One process: for each new file, wait for the others, then open it as a store."""
    errors = []
    for n in range(NEW_FILES):
        try:
            start.wait(timeout=120)
            Store(f"sqlite:///{folder}/new-{n}.db").engine.dispose()
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails with it
            errors.append(f"new-{n}.db: {type(exc).__name__}: {exc}")
    results.put(errors)


def test_processes_opening_a_new_sqlite_store_together_all_open_it(tmp_path):
    """Turning a new file to WAL needs it alone; SQLite refuses at once, not waiting, when
    another process is making it. Every process must still open every store."""
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(PROCESSES), context.Queue()
    workers = [context.Process(target=_opener, args=(str(tmp_path), start, results)) for _ in range(PROCESSES)]
    for w in workers:
        w.start()
    errors = [e for _ in workers for e in results.get(timeout=600)]
    for w in workers:
        w.join(timeout=60)
    assert errors == []
    for n in range(NEW_FILES):
        with sqlite3.connect(tmp_path / f"new-{n}.db") as c:
            assert c.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_store_opens_a_new_file_another_process_is_still_making(tmp_path):
    """The race made certain: another connection holds the write lock of a new file not yet in
    WAL mode (as a process making it does), so SQLite refuses the WAL switch at once; the store
    waits for it and opens."""
    path = tmp_path / "new.db"
    maker = sqlite3.connect(path, isolation_level=None)
    maker.execute("BEGIN IMMEDIATE")
    maker.execute("CREATE TABLE early (x)")
    outcome: list[str] = []

    def open_store() -> None:
        try:
            Store(f"sqlite:///{path}").engine.dispose()
            outcome.append("opened")
        except Exception as exc:  # noqa: BLE001 - the test fails with it
            outcome.append(f"{type(exc).__name__}: {exc}")

    opening = threading.Thread(target=open_store)
    opening.start()
    time.sleep(0.3)  # not a measurement: the store is most likely refused meanwhile
    maker.execute("COMMIT")
    maker.close()
    opening.join(timeout=120)
    assert outcome == ["opened"]
