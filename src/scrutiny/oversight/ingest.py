"""Ingest: files -> read -> extract -> store, one outcome per file, the batch always goes on.

Idempotent by content hash: a file whose bytes are already stored is skipped; a changed
file at a known path becomes a new version of that letter. A file that fails is recorded
with its reason and nothing already stored changes. Files are read and extracted in worker
processes (isolate.py), so no file can crash, hang or exhaust the batch; whatever else goes
wrong with one file becomes that file's failure, its traceback logged.

This process is the one writer. It stores what the workers send back a few files at a time,
in one transaction each (one lock, one commit, each table written in a few statements), so a
kill at any moment loses at most the files of the transaction under way, which a rerun stores.
"""
from __future__ import annotations

import hashlib
import os
import queue
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, summarise, unexpected
from ..isolate import Job, Pool, Result, shared_pool
from ..read import ReadError, expand, load
from ..store import AlreadyStored, NewFailure, NewVersion, Store

BATCH_FILES = 50  # files stored in one transaction, at most
BATCH_BYTES = 64 << 20  # or files of this size in all (their bytes are kept in memory until stored)
BATCH_SECONDS = 0.5  # a transaction is written once its first file has waited this long


@dataclass(frozen=True)
class Outcome:
    path: str
    status: str  # "stored", "new version", "unchanged", "skipped" (judged not worth storing) or "failed"
    document_id: int | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass
class _File:
    """One file on its way: named `name` in messages, stored under `source_key`."""

    name: str
    source_key: str
    content: bytes = b""
    sha: str = ""
    result: Result | None = None  # the worker's answer
    outcome: Outcome | None = None


def _unchanged(name: str, known: tuple[int, int] | None) -> Outcome | None:
    """The outcome of a file whose bytes are stored already as `known` (document id, version)."""
    return Outcome(name, "unchanged", known[0], str(AlreadyStored(*known))) if known else None


def _failed(store: Store, name: str, source_key: str, sha: str, error: InputError) -> Outcome:
    store.record_failure(source_key, sha, error.problem)
    return Outcome(name, "failed", None, str(error))


def _guarded(store: Store, name: str, source_key: str, sha: str, exc: Exception) -> Outcome:
    """An unexpected exception while handling one file, as that file's failure."""
    error = unexpected(name, summarise(exc), "".join(traceback.format_exception(exc)))
    try:
        return _failed(store, name, source_key, sha, error)
    except Exception:  # noqa: BLE001 - the store itself is failing: still one line, and the batch goes on
        unexpected(name, "while recording its failure", traceback.format_exc())
        return Outcome(name, "failed", None, str(error))


def _item(file: _File) -> NewVersion | NewFailure:
    """What storing a file means: its record, or why it has none."""
    result = file.result
    if isinstance(result, InputError):
        return NewFailure(file.source_key, file.sha, result.problem)
    assert result is not None
    if result["source"]["sha256"] != file.sha:  # a file on disk, rewritten while it was read
        return NewFailure(file.source_key, file.sha, "the file changed while it was read")
    return NewVersion(file.source_key, Path(file.name).name, file.content, result)


def _outcome(file: _File, item: NewVersion | NewFailure, answer: tuple[int, int] | AlreadyStored | None) -> Outcome:
    if isinstance(item, NewFailure):
        return Outcome(file.name, "failed", None, str(InputError(file.name, item.reason)))
    if isinstance(answer, AlreadyStored):  # stored meanwhile: by another process, or earlier in this batch
        return Outcome(file.name, "unchanged", answer.document_id, str(answer))
    assert answer is not None
    document_id, number = answer
    return Outcome(file.name, "stored" if number == 1 else "new version", document_id,
                   f"document {document_id}" + (f" version {number}" if number > 1 else ""))


def _store(store: Store, files: list[_File]) -> None:
    """Store files read, in one transaction, and set their outcomes. Should the transaction fail
    as a whole, each file is stored alone, so that what went wrong is one file's failure."""
    items = [_item(f) for f in files]
    try:
        answers = store.save_many(items)
    except Exception as exc:  # noqa: BLE001 - whatever it is, it is one file's failure, or each one's
        if len(files) == 1:
            files[0].outcome = _guarded(store, files[0].name, files[0].source_key, files[0].sha, exc)
            return
        for file in files:
            _store(store, [file])
        return
    for file, item, answer in zip(files, items, answers, strict=True):
        file.outcome = _outcome(file, item, answer)


def ingest_bytes(store: Store, content: bytes, filename: str, source_key: str, pool: Pool | None = None,
                 judge: Callable[[Result], str | None] | None = None) -> Outcome:
    """Ingest one file's bytes under `source_key` (its path, 'upload:<name>', or the address it
    was fetched from). `judge`, given the worker's answer (the record, or why there is none),
    may amend the record before it is stored (the collector adds where it came from), or return
    why it is not to be stored at all: the file is then "skipped" with that reason."""
    file = _File(filename, source_key, content, hashlib.sha256(content).hexdigest())
    try:
        if unchanged := _unchanged(filename, store.versions_by_sha([file.sha]).get(file.sha)):
            return unchanged
        file.result = (pool or shared_pool()).read(filename, content, store.reports())
        if judge is not None and (reason := judge(file.result)) is not None:
            return Outcome(filename, "skipped", None, reason)
    except Exception as exc:  # noqa: BLE001 - whatever it is, it is this file's failure
        return _guarded(store, filename, source_key, file.sha, exc)
    _store(store, [file])
    assert file.outcome is not None
    return file.outcome


def _load(store: Store, path: Path) -> _File:
    """A file before it is read: its outcome is set already if it cannot be loaded."""
    file = _File(str(path), str(path.absolute()))
    try:
        file.source_key = str(path.resolve())
        try:
            file.content = load(path)
        except ReadError as exc:
            file.outcome = _failed(store, file.name, file.source_key, "", exc)
            return file
        file.sha = hashlib.sha256(file.content).hexdigest()
    except Exception as exc:  # noqa: BLE001 - whatever it is, it is this file's failure
        file.outcome = _guarded(store, file.name, file.source_key, file.sha, exc)
    return file


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # loading it will say what is wrong


def _settle(store: Store, paths: list[Path]) -> list[_File]:
    """Files before they are read, loaded; each has its outcome already if it cannot be loaded
    or its bytes are stored (looked up for all of them at once)."""
    files = [_load(store, path) for path in paths]
    loaded = [f for f in files if f.outcome is None]
    try:
        known = store.versions_by_sha(f.sha for f in loaded)
    except Exception as exc:  # noqa: BLE001 - the store cannot answer: each file's failure
        for file in loaded:
            file.outcome = _guarded(store, file.name, file.source_key, file.sha, exc)
        return files
    for file in loaded:
        file.outcome = _unchanged(file.name, known.get(file.sha))
    return files


def ingest_paths(store: Store, paths: Iterable[str | os.PathLike], pool: Pool | None = None) -> Iterator[Outcome]:
    """Each file's outcome, in order.

    This thread gathers what the workers send back and a writer thread stores it, BATCH_FILES
    at a time or what came within BATCH_SECONDS, so that the workers never wait for the store
    (an answer waiting to be taken holds up the worker that sent it).
    """
    files: deque[_File] = deque()  # every file in order, till its outcome is given
    sent: deque[_File] = deque()  # the files sent to be read, in order, till their answer comes
    batches: queue.Queue[list[_File] | None] = queue.Queue(maxsize=2)  # to the writer; None: no more

    def send(chunk: list[Path]) -> Iterator[Job]:
        for file in _settle(store, chunk):
            files.append(file)
            if file.outcome is None:
                sent.append(file)
                yield Job(file.name)

    def jobs() -> Iterator[Job]:  # files are loaded and looked up a batch at a time
        chunk: list[Path] = []
        size = 0
        for path in expand(paths):
            chunk.append(path)
            size += _size(path)
            if len(chunk) >= BATCH_FILES or size >= BATCH_BYTES:
                yield from send(chunk)
                chunk, size = [], 0
        yield from send(chunk)

    def done() -> Iterator[Outcome]:
        while files and files[0].outcome is not None:
            yield files.popleft().outcome  # type: ignore[misc]

    def write() -> None:
        while (batch := batches.get()) is not None:
            _store(store, batch)

    writer = threading.Thread(target=write, name="scrutiny-ingest-writer", daemon=True)
    writer.start()
    try:
        batch: list[_File] = []
        started = 0.0
        for _, result in (pool or shared_pool()).map(jobs(), store.reports()):
            file = sent.popleft()
            file.result = result
            if not batch:
                started = time.monotonic()
            batch.append(file)
            if (len(batch) >= BATCH_FILES or sum(len(f.content) for f in batch) >= BATCH_BYTES
                    or time.monotonic() - started >= BATCH_SECONDS):
                batches.put(batch)
                batch = []
            yield from done()
        if batch:
            batches.put(batch)
    finally:  # also when the caller stops early: what was read is still stored
        batches.put(None)
        writer.join()
    yield from done()
