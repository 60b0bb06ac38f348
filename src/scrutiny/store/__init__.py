"""The store: SQLite by default, PostgreSQL by URL, schema managed by Alembic.

`Store(url)` migrates the database to the latest schema on open. Records are stored as
extracted; analysts' corrections are stored beside them and applied when a letter is read,
so a later re-extraction never overwrites a human-verified value.
"""
from __future__ import annotations

import copy
import datetime as dt
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload, sessionmaker

from .. import catalogue
from ..catalogue import Report
from ..compliance import assess
from .schema import CatalogueReport, Correction, Failure, Letter, Version, now

DEFAULT_URL = "sqlite:///scrutiny.db"


def default_url() -> str:
    return os.environ.get("SCRUTINY_DB") or DEFAULT_URL


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
        return {c["field"] for c in self.corrections}


class Store:
    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        self.engine: Engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.session: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)
        self._migrate()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def _migrate(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    # --- writing ------------------------------------------------------------------------------

    def version_by_sha(self, sha256: str) -> tuple[int, int] | None:
        """(letter id, version number) of stored content with this hash, if any."""
        with self.session() as s:
            row = s.execute(select(Version.letter_id, Version.number).where(Version.sha256 == sha256)).first()
            return (row[0], row[1]) if row else None

    def save(self, source_key: str, filename: str, content: bytes, record: dict) -> tuple[int, int]:
        """Store a new version of the letter at `source_key`; returns (letter id, version number).

        The caller has checked the hash is new. One transaction: a failure leaves nothing.
        """
        body = {k: v for k, v in record.items() if k != "text"}
        with self.session.begin() as s:
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
            version = Version(letter_id=letter.id, number=number, sha256=record["source"]["sha256"],
                              filename=filename, media_type=record["source"]["media_type"], content=content,
                              text=record["text"], record=body, is_current=True)
            s.add(version)
            s.flush()
            self._index(s, version.id, record["text"])
            s.execute(Failure.__table__.delete().where(Failure.source_key == source_key))
            return letter.id, number

    def record_failure(self, source_key: str, sha256: str, reason: str) -> None:
        """Remember why a file failed; the same file failing again updates, not duplicates."""
        with self.session.begin() as s:
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
            s.execute(text("INSERT INTO search_index(rowid, text) VALUES (:id, :text)"), {"id": version_id, "text": body})

    def _unindex(self, s: Session, version_id: int) -> None:
        if self.dialect == "sqlite":
            s.execute(text("DELETE FROM search_index WHERE rowid = :id"), {"id": version_id})

    # --- the catalogue ----------------------------------------------------------------------------

    def add_report(self, report: Report, source: str) -> bool:
        """Add or replace a user's report; returns True if it replaced one."""
        with self.session.begin() as s:
            existing = s.get(CatalogueReport, report.id)
            if existing:
                existing.source, existing.added_at = source, now()
            else:
                s.add(CatalogueReport(id=report.id, source=source))
            return existing is not None

    def reports(self) -> tuple[Report, ...]:
        """The catalogue: bundled reports plus those users added to this store."""
        with self.session() as s:
            sources = s.scalars(select(CatalogueReport.source).order_by(CatalogueReport.id)).all()
        return catalogue.reports(catalogue.load_report_yaml(src) for src in sources)

    # --- reading ----------------------------------------------------------------------------------

    def letters(self) -> list[StoredLetter]:
        """Every letter's current version, oldest first."""
        with self.session() as s:
            rows = s.scalars(
                select(Version).where(Version.is_current).order_by(Version.letter_id)
                .options(selectinload(Version.letter).selectinload(Letter.corrections))
            ).all()
            return [self._view(v) for v in rows]

    def letter(self, letter_id: int) -> StoredLetter | None:
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
        with self.session() as s:
            row = s.execute(select(Version.filename, Version.media_type, Version.content)
                            .where(Version.letter_id == letter_id, Version.is_current)).first()
            return tuple(row) if row else None

    def _view(self, version: Version) -> StoredLetter:
        corrections = [
            {"id": c.id, "field": c.field, "previous": c.previous, "value": c.value, "author": c.author,
             "at": c.at.isoformat()}
            for c in version.letter.corrections
        ]
        record = apply_corrections({**copy.deepcopy(version.record), "text": version.text}, corrections)
        return StoredLetter(
            id=version.letter_id, version=version.number, version_id=version.id,
            source_key=version.letter.source_key, filename=version.filename, media_type=version.media_type,
            sha256=version.sha256, ingested_at=version.ingested_at, record=record, corrections=corrections,
        )


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def apply_corrections(record: dict, corrections: list[dict]) -> dict:
    """Overlay corrections (oldest first) on a record and recompute its compliance."""
    if not corrections:
        return record
    for c in corrections:
        set_field(record, c["field"], c["value"])
    return recompute_compliance(record)


def set_field(record: dict, name: str, value) -> None:
    """Set one correctable field. Names: force, policing_body, signatory, letter_date,
    report_published, recommendation.N.addressed|stance|status."""
    simple = {"force": "name", "policing_body": "role", "signatory": "name", "letter_date": "date"}
    if name in simple:
        key = simple[name]
        if value in (None, ""):
            record[name] = None
        else:
            record[name] = {**(record.get(name) or {"evidence": []}), key: value, "verified": True}
    elif name == "report_published":
        if record.get("report"):
            record["report"] = {**record["report"], "published": value, "verified": True}
    elif name.startswith("recommendation."):
        _, number, attribute = name.split(".")
        for answer in record["recommendations"]:
            if answer["number"] == int(number):
                answer[attribute] = value
                answer["verified"] = True
    else:
        raise KeyError(name)


def recompute_compliance(record: dict) -> dict:
    report = record.get("report") or {}
    published = dt.date.fromisoformat(report["published"]) if report.get("published") else None
    basis = record["compliance"].get("date_basis") or "letter date"
    if basis == "letter date":
        responded = dt.date.fromisoformat(record["letter_date"]["date"]) if record.get("letter_date") else None
    else:
        responded = dt.date.fromisoformat(record["compliance"]["responded"]) if record["compliance"].get("responded") else None
    expected = len(record["recommendations"]) if report.get("id") else None
    addressed = [a["number"] for a in record["recommendations"] if a["addressed"]]
    record["compliance"] = asdict(assess(published, responded, addressed, expected, basis))
    return record
