"""The store: SQLite by default, PostgreSQL by URL, schema managed by Alembic.

`Store(url)` migrates the database to the latest schema on open, and brings the reference
tables and the derived ones in step with this version of Scrutiny. Records are stored as
extracted; analysts' corrections are stored beside them and applied when a document is
read, so a later re-extraction never overwrites a human-verified value.

Writing lives here; each resource's queries for the pages live beside it (`store.reports`,
`store.forces`, `store.listing`, `store.review`).
"""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, delete, event, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, defer, selectinload, sessionmaker

from .. import catalogue
from ..catalogue import Report
from ..corrections import check_value, get_field
from ..errors import InvalidValue, NotFound, StoreError
from ..settings import Settings
from . import reference, responses
from .documents import (
    DERIVATION,
    StoredDocument,
    corrected,
    current_version,
    derive,
    plain_correction,
    view,
)
from .schema import Correction, Document, Failure, Meta, Response, Version, now
from .schema import Report as ReportRow

__all__ = ["Store", "StoredDocument", "default_url", "engine_url"]

REBUILD_BATCH = 500  # documents re-derived per query when the store is upgraded


def default_url() -> str:
    return Settings.from_env().database_url


def engine_url(url: str) -> str:
    """A plain postgresql:// URL means psycopg 3 (the driver installed), not psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Store:
    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        try:
            self.engine: Engine = create_engine(engine_url(self.url))
        except (ArgumentError, NoSuchModuleError):
            raise StoreError(f"{self.url}: not a database URL (sqlite:///file.db or postgresql://...)") from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.session: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)
        try:
            self._migrate()
            self._bring_in_step()
        except OperationalError as exc:
            raise StoreError(f"{self.url}: cannot open the database: {str(exc.orig).strip().splitlines()[0]}") from None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def _migrate(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def _bring_in_step(self) -> None:
        """Reference tables follow the packaged catalogue; derived tables follow `DERIVATION`.
        Both are checked against `meta`, so an unchanged store opens with two small reads."""
        wanted = {"catalogue": reference.fingerprint(), "derivation": DERIVATION}
        with self.session() as s:
            held = dict(s.execute(select(Meta.key, Meta.value)).all())
        if all(held.get(k) == v for k, v in wanted.items()):
            return
        with self.session.begin() as s:
            if held.get("catalogue") != wanted["catalogue"]:
                reference.sync_catalogue(s, self._users_reports(s))
            self._rebuild(s)
            for key, value in wanted.items():
                s.merge(Meta(key=key, value=value))

    # --- writing ------------------------------------------------------------------------------

    def version_by_sha(self, sha256: str) -> tuple[int, int] | None:
        """(document id, version number) of stored content with this hash, if any."""
        with self.session() as s:
            row = s.execute(select(Version.document_id, Version.number).where(Version.sha256 == sha256)).first()
            return (row[0], row[1]) if row else None

    def save(self, source_key: str, filename: str, content: bytes, record: dict) -> tuple[int, int]:
        """Store a new version of the document at `source_key`; returns (document id, version number).

        The caller has checked the hash is new. One transaction: a failure leaves nothing.
        """
        body = {k: v for k, v in record.items() if k != "text"}
        with self.session.begin() as s:
            document = s.scalar(select(Document).where(Document.source_key == source_key))
            if document is None:
                document = Document(source_key=source_key)
                s.add(document)
                s.flush()
            for old in s.scalars(select(Version).where(Version.document_id == document.id, Version.is_current)):
                old.is_current = False
                self._unindex(s, old.id)
            number = 1 + (s.scalar(select(func.max(Version.number)).where(Version.document_id == document.id)) or 0)
            version = Version(document_id=document.id, number=number, sha256=record["source"]["sha256"],
                              filename=filename, media_type=record["source"]["media_type"], content=content,
                              text=record["text"], record=body, is_current=True)
            s.add(version)
            s.flush()
            self._index(s, version.id, record["text"])
            s.execute(delete(Failure).where(Failure.source_key == source_key))
            self._derive(s, document, version)
            return document.id, number

    def _derive(self, s: Session, document: Document, version: Version) -> None:
        """Recompute a document's rows and the responses it left and joined."""
        reports = self.reports(s)
        record = corrected(version, [plain_correction(c) for c in document.corrections], reports)
        left = document.response_id
        derive(s, document, version, record, reference.force_ids(s), {r.id for r in reports})
        responses.attach(s, document)
        s.flush()
        for response_id in (r for r in {left, document.response_id} if r is not None):
            responses.refresh(s, response_id, self._record_of(s, reports, {document.id: (version.id, record)}))

    def _record_of(self, s: Session, reports: tuple[Report, ...], known: dict[int, tuple[int, dict]]):
        def record_of(document: Document) -> tuple[int, dict]:
            if document.id not in known:
                version = current_version(s, document.id)
                assert version is not None  # a document is made with its first version
                known[document.id] = (version.id, corrected(
                    version, [plain_correction(c) for c in document.corrections], reports))
            return known[document.id]
        return record_of

    def _rebuild(self, s: Session) -> None:
        """Derive every document's rows and every response again (after an upgrade)."""
        reports = self.reports(s)
        force_ids, report_ids = reference.force_ids(s), {r.id for r in reports}
        ids = s.scalars(select(Version.id).where(Version.is_current).order_by(Version.id)).all()
        for start in range(0, len(ids), REBUILD_BATCH):
            versions = s.scalars(select(Version).where(Version.id.in_(ids[start:start + REBUILD_BATCH])).options(
                defer(Version.content), selectinload(Version.document).selectinload(Document.corrections))).all()
            for version in versions:
                document = version.document
                record = corrected(version, [plain_correction(c) for c in document.corrections], reports)
                derive(s, document, version, record, force_ids, report_ids)
                responses.attach(s, document)
            s.flush()
            s.expunge_all()  # a batch's texts and records are not needed again
        record_of = self._record_of(s, reports, {})
        for response_id in s.scalars(select(Response.id)).all():
            responses.refresh(s, response_id, record_of)

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

    def correct(self, document_id: int, name: str, value: object, author: str) -> StoredDocument:
        """Record an analyst's correction of one value; the document and its response follow it.

        Raises NotFound for an unknown document, InvalidValue for a field or value that
        cannot be set.
        """
        current = self.document(document_id)
        if current is None:
            raise NotFound(f"no document with id {document_id}")
        if not author.strip():
            raise InvalidValue("author: say who is making the correction")
        try:
            value = check_value(name, value, current.record, self.reports())
        except KeyError:
            raise InvalidValue(f"field: {name!r} cannot be corrected") from None
        except ValueError as exc:
            raise InvalidValue(str(exc)) from None
        with self.session.begin() as s:
            s.add(Correction(document_id=document_id, field=name, previous=get_field(current.record, name),
                             value=value, author=author.strip()))
            s.flush()
            document = s.get(Document, document_id)
            version = current_version(s, document_id)
            assert document is not None and version is not None  # read a moment ago; never deleted
            self._derive(s, document, version)
        result = self.document(document_id)
        assert result is not None
        return result

    def choose_statutory(self, response_id: int, document_id: int | None, author: str) -> None:
        """An analyst names the document a response is judged on (None: the earliest letter or page)."""
        if not author.strip():
            raise InvalidValue("author: say who is choosing")
        with self.session.begin() as s:
            response = s.get(Response, response_id)
            if response is None:
                raise NotFound(f"no response with id {response_id}")
            if document_id is not None and s.scalar(select(Document.response_id).where(
                    Document.id == document_id)) != response_id:
                raise InvalidValue(f"document {document_id} is not one of response {response_id}'s documents")
            responses.choose(s, response, document_id, author.strip())
            s.flush()
            responses.refresh(s, response_id, self._record_of(s, self.reports(), {}))

    # --- the catalogue ----------------------------------------------------------------------------

    def add_report(self, report: Report, source: str) -> bool:
        """Add or replace a user's report; returns True if it replaced one."""
        with self.session.begin() as s:
            existing = s.scalar(select(ReportRow.origin).where(ReportRow.id == report.id)) == "user"
            reference.sync_report(s, report, "user", source)
            s.flush()
            record_of = self._record_of(s, self.reports(s), {})
            for response_id in s.scalars(select(Response.id).where(Response.report_id == report.id)).all():
                responses.refresh(s, response_id, record_of)
            return existing

    def reports(self, s: Session | None = None) -> tuple[Report, ...]:
        """The catalogue: packaged reports plus those users added to this store."""
        if s is not None:
            return catalogue.reports(self._users_reports(s))
        with self.session() as session:
            return catalogue.reports(self._users_reports(session))

    @staticmethod
    def _users_reports(s: Session) -> tuple[Report, ...]:
        sources = s.scalars(select(ReportRow.source).where(ReportRow.origin == "user").order_by(ReportRow.id))
        return tuple(catalogue.load_report_yaml(src) for src in sources)

    # --- reading ----------------------------------------------------------------------------------

    def documents(self, ids: list[int] | None = None) -> list[StoredDocument]:
        """Every document's current version (or those with `ids`), oldest first."""
        query = select(Version).where(Version.is_current)
        if ids is not None:
            query = query.where(Version.document_id.in_(ids))
        reports = self.reports()
        with self.session() as s:
            rows = s.scalars(query.order_by(Version.document_id)
                             .options(selectinload(Version.document).selectinload(Document.corrections))).all()
            return [view(v, reports) for v in rows]

    def document(self, document_id: int) -> StoredDocument | None:
        found = self.documents([document_id])
        return found[0] if found else None

    def document_by_source(self, source_key: str) -> StoredDocument | None:
        with self.session() as s:
            document_id = s.scalar(select(Document.id).where(Document.source_key == source_key))
        return self.document(document_id) if document_id is not None else None

    def content(self, document_id: int) -> tuple[str, str, bytes] | None:
        """(filename, media type, original bytes) of a document's current version."""
        with self.session() as s:
            row = s.execute(select(Version.filename, Version.media_type, Version.content)
                            .where(Version.document_id == document_id, Version.is_current)).first()
            return (row[0], row[1], row[2]) if row else None


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
