"""Ingest: files -> read -> extract -> store, one outcome per file, the batch always goes on.

Idempotent by content hash: a file whose bytes are already stored is skipped; a changed
file at a known path becomes a new version of that letter. A file that fails is recorded
with its reason and nothing already stored changes.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .errors import InputError
from .extract import extract
from .read import MEDIA_TYPES, ReadError, load, read_bytes
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


def ingest_bytes(store: Store, content: bytes, filename: str, source_key: str) -> Outcome:
    """Ingest one file's bytes under `source_key` (its path, or 'upload:<name>')."""
    sha = hashlib.sha256(content).hexdigest()
    known = store.version_by_sha(sha)
    if known:
        return Outcome(filename, "unchanged", known[0], str(AlreadyStored(*known)))
    try:
        record = extract(read_bytes(content, filename), store.reports()).to_dict()
    except InputError as exc:
        store.record_failure(source_key, sha, exc.problem)
        return Outcome(filename, "failed", None, str(exc))
    try:
        letter_id, number = store.save(source_key, Path(filename).name, content, record)
    except AlreadyStored as stored:  # by another process, since the check above
        return Outcome(filename, "unchanged", stored.letter_id, str(stored))
    return Outcome(filename, "stored" if number == 1 else "new version", letter_id,
                   f"letter {letter_id}" + (f" version {number}" if number > 1 else ""))


def ingest_paths(store: Store, paths: Iterable[str | os.PathLike]) -> Iterator[Outcome]:
    for path in expand(paths):
        try:
            content = load(path)
        except ReadError as exc:
            store.record_failure(str(path.resolve()), "", exc.problem)
            yield Outcome(str(path), "failed", None, str(exc))
            continue
        yield ingest_bytes(store, content, str(path), str(path.resolve()))
