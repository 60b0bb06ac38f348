"""Ingest: files -> read -> extract -> store, one outcome per file, the batch always goes on.

Idempotent by content hash: a file whose bytes are already stored is skipped; a changed
file at a known path becomes a new version of that letter. A file that fails is recorded
with its reason and nothing already stored changes. Files are read and extracted in a
worker process (isolate.py), so no file can crash, hang or exhaust the batch; whatever
else goes wrong with one file becomes that file's failure, its traceback logged.
"""
from __future__ import annotations

import hashlib
import os
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, summarise, unexpected
from .isolate import Job, Pool, Result, shared_pool
from .read import MEDIA_TYPES, ReadError, load
from .store import AlreadyStored, Store


@dataclass(frozen=True)
class Outcome:
    path: str
    status: str  # "stored", "new version", "unchanged" or "failed"
    letter_id: int | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def expand(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Files named, and the supported files inside folders named (recursively, sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in MEDIA_TYPES))
        else:
            out.append(p)
    return out


def _unchanged(store: Store, name: str, sha: str) -> Outcome | None:
    known = store.version_by_sha(sha)
    if known:
        return Outcome(name, "unchanged", known[0], str(AlreadyStored(*known)))
    return None


def _failed(store: Store, name: str, source_key: str, sha: str, error: InputError) -> Outcome:
    store.record_failure(source_key, sha, error.problem)
    return Outcome(name, "failed", None, str(error))


def _keep(store: Store, result: Result, name: str, source_key: str, content: bytes, sha: str) -> Outcome:
    """Store one file's record, or its failure; the hash is checked again, since the same
    bytes may have been stored since the file was sent to be read (twice in one batch)."""
    if isinstance(result, InputError):
        return _failed(store, name, source_key, sha, result)
    if result["source"]["sha256"] != sha:  # a file on disk, rewritten while it was read
        return _failed(store, name, source_key, sha, InputError(name, "the file changed while it was read"))
    if unchanged := _unchanged(store, name, sha):
        return unchanged
    try:
        letter_id, number = store.save(source_key, Path(name).name, content, result)
    except AlreadyStored as stored:  # by another process, since the check above
        return Outcome(name, "unchanged", stored.letter_id, str(stored))
    return Outcome(name, "stored" if number == 1 else "new version", letter_id,
                   f"letter {letter_id}" + (f" version {number}" if number > 1 else ""))


def _guarded(store: Store, name: str, source_key: str, sha: str, exc: Exception) -> Outcome:
    """An unexpected exception while handling one file, as that file's failure."""
    error = unexpected(name, summarise(exc), traceback.format_exc())
    try:
        return _failed(store, name, source_key, sha, error)
    except Exception:  # noqa: BLE001 - the store itself is failing: still one line, and the batch goes on
        unexpected(name, "while recording its failure", traceback.format_exc())
        return Outcome(name, "failed", None, str(error))


def ingest_bytes(store: Store, content: bytes, filename: str, source_key: str, pool: Pool | None = None) -> Outcome:
    """Ingest one file's bytes under `source_key` (its path, or 'upload:<name>')."""
    sha = hashlib.sha256(content).hexdigest()
    try:
        if unchanged := _unchanged(store, filename, sha):
            return unchanged
        result = (pool or shared_pool()).read(filename, content, store.reports())
        return _keep(store, result, filename, source_key, content, sha)
    except Exception as exc:  # noqa: BLE001 - whatever it is, it is this file's failure
        return _guarded(store, filename, source_key, sha, exc)


def _settle(store: Store, path: Path) -> tuple[Outcome | None, bytes, str]:
    """(outcome, bytes, hash) of a file before it is read: an outcome if it cannot be
    loaded or is already stored, else None, and it goes to be read."""
    try:
        content = load(path)
    except ReadError as exc:
        return _failed(store, str(path), str(path.resolve()), "", exc), b"", ""
    sha = hashlib.sha256(content).hexdigest()
    return _unchanged(store, str(path), sha), content, sha


def ingest_paths(store: Store, paths: Iterable[str | os.PathLike], pool: Pool | None = None) -> Iterator[Outcome]:
    """Each file's outcome, in order. The worker reads a few files ahead of what is stored."""
    files: deque[tuple[Path, Outcome | None, bytes, str]] = deque()  # every file in order, till its outcome

    def jobs() -> Iterator[Job]:
        for path in expand(paths):
            try:
                settled, content, sha = _settle(store, path)
            except Exception as exc:  # noqa: BLE001 - whatever it is, it is this file's failure
                settled, content, sha = _guarded(store, str(path), str(path.absolute()), "", exc), b"", ""
            files.append((path, settled, content, sha))
            if settled is None:
                yield Job(str(path))

    def settled_first() -> Iterator[Outcome]:
        while files and files[0][1] is not None:
            yield files.popleft()[1]  # type: ignore[misc]

    for _, result in (pool or shared_pool()).map(jobs(), store.reports()):
        yield from settled_first()
        path, _, content, sha = files.popleft()
        try:
            yield _keep(store, result, str(path), str(path.resolve()), content, sha)
        except Exception as exc:  # noqa: BLE001 - whatever it is, it is this file's failure
            yield _guarded(store, str(path), str(path.absolute()), sha, exc)
    yield from settled_first()
