"""The store: SQLite by default, PostgreSQL by URL, schema managed by Alembic.

`Store(url)` migrates the database to the latest schema on open. Records are stored as
extracted; analysts' corrections are stored beside them and applied when a letter is read,
so a later re-extraction never overwrites a human-verified value.

Several processes may share a store (a CLI ingest while the app serves, two ingests at once):
writes take one lock for their whole transaction, so they happen one at a time and each sees
what the others stored; reads never wait.
"""
from __future__ import annotations

import copy
import datetime as dt
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, delete, event, func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, selectinload, sessionmaker

from .. import catalogue
from ..catalogue import Report
from ..corrections import (
    MAX_CORRECTIONS,
    apply_corrections,
    check_author,
    check_value,
    digest,
    get_field,
)
from .schema import CatalogueReport, Correction, Failure, Letter, Version, now

log = logging.getLogger(__name__)
DEFAULT_URL = "sqlite:///scrutiny.db"
WRITE_WAIT_SECONDS = 60  # how long a write waits for another process's write to end, then fails
WRITE_LOCK = 5_500_055  # PostgreSQL advisory lock taken by every write (any fixed number)
MAX_ID = 2**31 - 1  # ids are INTEGER columns: 32 bits on PostgreSQL
# Search snippets mark matched words with these two characters, so the text searched has them
# blanked: a letter holding them cannot forge a mark.
SNIPPET_MARKS = "\x02\x03"


class AlreadyStored(Exception):
    """The bytes being saved are stored already (another process saved them meanwhile)."""

    def __init__(self, letter_id: int, number: int):
        super().__init__(f"already stored as letter {letter_id} version {number}")
        self.letter_id = letter_id
        self.number = number


def default_url() -> str:
    return os.environ.get("SCRUTINY_DB") or DEFAULT_URL


def engine_url(url: str) -> str:
    """A plain postgresql:// URL means psycopg 3 (the driver installed), not psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@dataclass
class StoredLetter:
    """The current version of a letter, as an analyst sees it (corrections applied)."""

    id: int
    version: int
    version_id: int
    source_key: str
    filename: str
    media_type: str
    sha256: str
    ingested_at: dt.datetime
    record: dict
    corrections: list[dict] = field(default_factory=list)

    @property
    def verified(self) -> set[str]:
        """Fields a human has set."""
        return {c["field"] for c in self.corrections if "not_applied" not in c}


class Store:
    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        self.engine: Engine = create_engine(engine_url(self.url))
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.session: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)
        self._digests: tuple[tuple, list] | None = None
        self._migrate()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def _migrate(self) -> None:
        """Bring the schema up to date; under the write lock, so that processes opening a new
        store at once create it once (the others find it made when the lock is theirs)."""
        config = Config()
        config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        with self.engine.begin() as connection:
            _lock_for_writing(connection)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """A write transaction holding the store's write lock from its first statement."""
        with self.session.begin() as s:
            _lock_for_writing(s.connection())
            yield s

    # --- writing ------------------------------------------------------------------------------

    def version_by_sha(self, sha256: str) -> tuple[int, int] | None:
        """(letter id, version number) of stored content with this hash, if any."""
        with self.session() as s:
            row = s.execute(select(Version.letter_id, Version.number).where(Version.sha256 == sha256)).first()
            return (row[0], row[1]) if row else None

    def save(self, source_key: str, filename: str, content: bytes, record: dict) -> tuple[int, int]:
        """Store a new version of the letter at `source_key`; returns (letter id, version number).

        One transaction: a failure leaves nothing. Raises AlreadyStored if the bytes are
        stored already: the caller checked, but another process may have stored them since.
        """
        body = {k: v for k, v in record.items() if k != "text"}
        sha = record["source"]["sha256"]
        with self._writing() as s:
            known = s.execute(select(Version.letter_id, Version.number).where(Version.sha256 == sha)).first()
            if known:
                raise AlreadyStored(known[0], known[1])
            letter = s.scalar(select(Letter).where(Letter.source_key == source_key))
            if letter is None:
                letter = Letter(source_key=source_key)
                s.add(letter)
                s.flush()
            previous = s.scalars(select(Version).where(Version.letter_id == letter.id, Version.is_current)).all()
            for old in previous:
                old.is_current = False
                self._unindex(s, old.id)
            number = 1 + (s.scalar(select(func.max(Version.number)).where(Version.letter_id == letter.id)) or 0)
            corrected = apply_corrections(copy.deepcopy(record), [_plain(c) for c in letter.corrections],
                                          self.reports() if letter.corrections else ())
            version = Version(letter_id=letter.id, number=number, sha256=sha,
                              filename=filename, media_type=record["source"]["media_type"], content=content,
                              text=record["text"], record=body, digest=digest(corrected), is_current=True)
            s.add(version)
            s.flush()
            self._index(s, version.id, record["text"])
            s.execute(delete(Failure).where(Failure.source_key == source_key))
            return letter.id, number

    def record_failure(self, source_key: str, sha256: str, reason: str) -> None:
        """Remember why a file failed; the same file failing again updates, not duplicates."""
        with self._writing() as s:
            failure = s.scalar(select(Failure).where(Failure.source_key == source_key, Failure.sha256 == sha256))
            if failure is None:
                s.add(Failure(source_key=source_key, sha256=sha256, reason=reason))
            else:
                failure.reason, failure.at = reason, now()

    def failures(self) -> list[Failure]:
        with self.session() as s:
            return list(s.scalars(select(Failure).order_by(Failure.at, Failure.id)))

    def _index(self, s: Session, version_id: int, body: str) -> None:
        if self.dialect == "sqlite":
            s.execute(text("INSERT INTO search_index(rowid, text) VALUES (:id, :text)"),
                      {"id": version_id, "text": body.translate({ord(c): " " for c in SNIPPET_MARKS})})

    def _unindex(self, s: Session, version_id: int) -> None:
        if self.dialect == "sqlite":
            s.execute(text("DELETE FROM search_index WHERE rowid = :id"), {"id": version_id})

    def correct(self, letter_id: int, name: str, value: object, author: str) -> StoredLetter:
        """Record an analyst's correction of one value and refresh the letter's digest.

        Raises KeyError for an unknown letter or field, ValueError for a bad value or author,
        or when the letter has MAX_CORRECTIONS already.
        """
        letter = self.letter(letter_id)
        if letter is None:
            raise KeyError(f"letter {letter_id}")
        value = check_value(name, value, letter.record, self.reports())
        author = check_author(author)
        with self._writing() as s:
            count = s.scalar(select(func.count(Correction.id)).where(Correction.letter_id == letter_id)) or 0
            if count >= MAX_CORRECTIONS:
                raise ValueError(f"letter {letter_id} has {MAX_CORRECTIONS} corrections, the most one letter may have")
            s.add(Correction(letter_id=letter_id, field=name, previous=get_field(letter.record, name), value=value,
                             author=author))
            s.flush()
            version = s.scalar(select(Version).where(Version.letter_id == letter_id, Version.is_current))
            assert version is not None  # read a moment ago; versions are never deleted
            corrections = [_plain(c) for c in s.scalars(select(Correction).where(Correction.letter_id == letter_id)
                                                        .order_by(Correction.id))]
            version.digest = digest(self._corrected(version, corrections))
        corrected = self.letter(letter_id)
        assert corrected is not None  # it existed a moment ago, and letters are never deleted
        return corrected

    def digests(self) -> list[tuple[int, str, dict]]:
        """(letter id, file name, digest) of every current version: what lists and matrices need,
        without loading texts and evidence.

        Cached until the store changes; the check is one small query, so writes by another
        process (a CLI ingest while the app serves) are seen on the next call.
        """
        with self.session() as s:
            key = tuple(s.execute(select(func.count(Version.id), func.max(Version.id))).one()) + (
                s.scalar(select(func.max(Correction.id))),)
            if self._digests is not None and self._digests[0] == key:
                return self._digests[1]
            rows = s.execute(select(Version.letter_id, Version.filename, Version.digest)
                             .where(Version.is_current).order_by(Version.letter_id))
            result = [(r[0], r[1], r[2]) for r in rows]
        self._digests = (key, result)
        return result

    # --- the catalogue ----------------------------------------------------------------------------

    def add_report(self, report: Report, source: str) -> bool:
        """Add or replace a user's report; returns True if it replaced one."""
        with self._writing() as s:
            existing = s.get(CatalogueReport, report.id)
            if existing:
                existing.source, existing.added_at = source, now()
            else:
                s.add(CatalogueReport(id=report.id, source=source))
            return existing is not None

    def reports(self) -> tuple[Report, ...]:
        """The catalogue: bundled reports plus those users added to this store. One stored when the
        catalogue's checks were looser, and failing them now, is left out (and logged)."""
        with self.session() as s:
            sources = s.scalars(select(CatalogueReport.source).order_by(CatalogueReport.id)).all()
        added = []
        for source in sources:
            try:
                added.append(catalogue.load_report_yaml(source))
            except catalogue.CatalogueError as exc:
                log.warning("a stored report is left out of the catalogue: %s", exc)
        return catalogue.reports(added)

    # --- reading ----------------------------------------------------------------------------------

    def letters(self, ids: list[int] | None = None) -> list[StoredLetter]:
        """Every letter's current version (or those with `ids`), oldest first, in one query."""
        query = select(Version).where(Version.is_current)
        if ids is not None:
            query = query.where(Version.letter_id.in_(ids))
        with self.session() as s:
            rows = s.scalars(query.order_by(Version.letter_id)
                             .options(selectinload(Version.letter).selectinload(Letter.corrections))).all()
            return [self._view(v) for v in rows]

    def letter(self, letter_id: int) -> StoredLetter | None:
        if not 0 < letter_id <= MAX_ID:  # no such letter; the database would refuse the number
            return None
        with self.session() as s:
            version = s.scalar(
                select(Version).where(Version.letter_id == letter_id, Version.is_current)
                .options(selectinload(Version.letter).selectinload(Letter.corrections))
            )
            return self._view(version) if version else None

    def letter_by_source(self, source_key: str) -> StoredLetter | None:
        with self.session() as s:
            letter_id = s.scalar(select(Letter.id).where(Letter.source_key == source_key))
        return self.letter(letter_id) if letter_id is not None else None

    def content(self, letter_id: int) -> tuple[str, str, bytes] | None:
        """(filename, media type, original bytes) of a letter's current version."""
        if not 0 < letter_id <= MAX_ID:
            return None
        with self.session() as s:
            row = s.execute(select(Version.filename, Version.media_type, Version.content)
                            .where(Version.letter_id == letter_id, Version.is_current)).first()
            return (row[0], row[1], row[2]) if row else None

    def _corrected(self, version: Version, corrections: list[dict]) -> dict:
        """A version's record with its text, and the letter's corrections applied."""
        record = {**copy.deepcopy(version.record), "text": version.text}
        return apply_corrections(record, corrections, self.reports() if corrections else ())

    def _view(self, version: Version) -> StoredLetter:
        corrections = [_plain(c) for c in version.letter.corrections]
        record = self._corrected(version, corrections)
        return StoredLetter(
            id=version.letter_id, version=version.number, version_id=version.id,
            source_key=version.letter.source_key, filename=version.filename, media_type=version.media_type,
            sha256=version.sha256, ingested_at=version.ingested_at, record=record, corrections=corrections,
        )


def _plain(c: Correction) -> dict:
    return {"id": c.id, "field": c.field, "previous": c.previous, "value": c.value, "author": c.author,
            "at": c.at.isoformat() if c.at else None}


def _lock_for_writing(connection: Connection) -> None:
    """Wait (up to WRITE_WAIT_SECONDS) for, then hold until the transaction ends, the store's one
    write lock: SQLite's own (BEGIN IMMEDIATE), or a PostgreSQL advisory lock."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{WRITE_WAIT_SECONDS}s'")
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={WRITE_WAIT_SECONDS * 1000}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
