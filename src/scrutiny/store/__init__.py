"""The store: SQLite by default, PostgreSQL by URL, schema managed by Alembic.

`Store(url)` migrates the database to the latest schema on open, and brings the reference
tables and the derived ones in step with this version of Scrutiny. Records are stored as
extracted; analysts' corrections are stored beside them and applied when a document is
read, so a later re-extraction never overwrites a human-verified value.

Several processes may share a store (a CLI ingest while the app serves, two ingests at once):
writes take one lock for their whole transaction, so they happen one at a time and each sees
what the others stored; reads never wait.

Writing lives here; each resource's queries for the pages live beside it (`store.reports`,
`store.forces`, `store.listing`, `store.review`).
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from alembic import command
from alembic.config import Config
from sqlalchemy import Text, cast, delete, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, defer, load_only, selectinload, sessionmaker

from .. import catalogue
from ..catalogue import Report
from ..errors import InvalidValue, NotFound, ScrutinyError, StoreError
from ..record.fields import Reanswer, check_author
from . import reference, register, responses
from .documents import (
    DERIVATION,
    Records,
    StoredDocument,
    corrected,
    current_version,
    derive,
    not_attachable,
    plain_correction,
    replace_initiatives,
    view,
)
from .engine import (
    WRITE_LOCK,
    WRITE_WAIT_SECONDS,
    default_url,
    engine_url,
    lock_for_writing,
    open_engine,
    write_ahead_log,
)
from .index import SNIPPET_MARKS, index, unindex
from .schema import Correction, Document, Failure, Meta, Response, Version, now
from .schema import Report as ReportRow

__all__ = ["SNIPPET_MARKS", "WRITE_LOCK", "WRITE_WAIT_SECONDS", "AlreadyStored", "NewFailure", "NewVersion", "Store",
           "StoredDocument", "default_url", "engine_url"]

log = logging.getLogger(__name__)
REBUILD_BATCH = 500  # documents re-derived per query when the store is upgraded
EXPORT_BATCH = 500  # documents read per query by an export
MAX_ID = 2**31 - 1  # ids are INTEGER columns: 32 bits on PostgreSQL


@dataclass(frozen=True)
class NewVersion:
    """A file's record to store as a new version of the document at `source_key`."""

    source_key: str
    filename: str
    content: bytes
    record: dict  # the contract's record, with its text


@dataclass(frozen=True)
class NewFailure:
    """Why a file could not be stored (the same file failing again updates its row)."""

    source_key: str
    sha256: str
    reason: str


class _Context(NamedTuple):
    """What deriving a document's rows looks up, once per transaction."""

    reports: tuple[Report, ...]
    force_ids: dict[str, int]
    report_ids: set[str]
    responses: dict[tuple[int, str], int]  # (force id, report id) -> response id, as they are looked up


class AlreadyStored(ScrutinyError):
    """The bytes being saved are stored already (another process saved them meanwhile)."""

    status = 409

    def __init__(self, document_id: int, number: int):
        super().__init__(f"already stored as document {document_id} version {number}")
        self.document_id = document_id
        self.number = number


class Store:
    def __init__(self, url: str | None = None, *, create: bool = True, reanswer: Reanswer | None = None):
        """Open (and migrate) the store at `url`. With `create=False`, a SQLite file that is
        not there is an error rather than a new, empty store: reading commands take it so,
        since a mistyped path would otherwise show an empty database as if it were the one meant.

        `reanswer` reads a text's answers to a report's recommendations (the extractor's work,
        handed in by the oversight side: `scrutiny.oversight.open_store`); it is needed where an
        analyst corrects which report a document answers, and without it such a correction is
        left out, with the reason."""
        self.url = url or default_url()
        self.reanswer = reanswer
        self.engine: Engine = open_engine(self.url, create)
        self.session: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)
        try:
            if self.dialect == "sqlite":
                write_ahead_log(self.engine)
            self._migrate()
            self._bring_in_step()
            self._keep_statistics()
        except OperationalError as exc:
            raise StoreError(f"{self.url}: cannot open the database: {str(exc.orig).strip().splitlines()[0]}") from None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def _migrate(self) -> None:
        """Bring the schema up to date; under the write lock, so that processes opening a new
        store at once create it once (the others find it made when the lock is theirs)."""
        config = Config()
        config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        with self.engine.begin() as connection:
            lock_for_writing(connection)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction holding the store's write lock from its first statement: the one
        way anything writes, so that writers take turns across processes. Everything done in it
        is committed together, or (on an exception) not at all."""
        with self.session.begin() as s:
            lock_for_writing(s.connection())
            yield s

    def _bring_in_step(self) -> None:
        """Reference tables follow the packaged catalogue; derived tables follow `DERIVATION`.
        Both are checked against `meta`, so an unchanged store opens with two small reads."""
        wanted = {"catalogue": reference.fingerprint(), "derivation": DERIVATION}
        with self.session() as s:
            held = dict(s.execute(select(Meta.key, Meta.value)).all())
        if all(held.get(k) == v for k, v in wanted.items()):
            return
        with self.transaction() as s:
            held = dict(s.execute(select(Meta.key, Meta.value)).all())  # another process may have done it
            if all(held.get(k) == v for k, v in wanted.items()):
                return
            if held.get("catalogue") != wanted["catalogue"]:
                reference.sync_catalogue(s, self._users_reports(s))
            self._rebuild(s)
            for key, value in wanted.items():
                s.merge(Meta(key=key, value=value))

    def _keep_statistics(self) -> None:
        """SQLite plans a join well only with statistics of its tables: without them it takes
        any indexed column to narrow a table to a few rows, and reads every current version
        to find, say, one year's letters instead of reading that year's documents by their
        index (a search without words among 20,000 documents: 34 ms for the page of hits
        instead of 6). Gathered at each opening, from a sample (tens of ms). PostgreSQL keeps
        its own (autovacuum)."""
        if self.dialect == "sqlite":
            with self.transaction() as s:
                s.execute(text("PRAGMA analysis_limit=1000"))
                s.execute(text("ANALYZE"))

    # --- writing ------------------------------------------------------------------------------

    def versions_by_sha(self, shas: Iterable[str]) -> dict[str, tuple[int, int]]:
        """(document id, version number) of the stored content with each of these hashes."""
        with self.session() as s:
            return {sha: (document_id, number) for sha, document_id, number in s.execute(
                select(Version.sha256, Version.document_id, Version.number).where(Version.sha256.in_(set(shas))))}

    def save(self, source_key: str, filename: str, content: bytes, record: dict,
             session: Session | None = None) -> tuple[int, int]:
        """Store a new version of the document at `source_key`; returns (document id, version number).

        One transaction (the caller's `session`, from `transaction()`, if given): a failure
        leaves nothing. Raises AlreadyStored if the bytes are stored already: the caller
        checked, but another process may have stored them since.
        """
        [answer] = self.save_many([NewVersion(source_key, filename, content, record)], session)
        if isinstance(answer, AlreadyStored):
            raise answer
        assert answer is not None
        return answer

    def save_many(self, items: Sequence[NewVersion | NewFailure], session: Session | None = None,
                  ) -> list[tuple[int, int] | AlreadyStored | None]:
        """Store a batch in one transaction: each NewVersion as a new version of the document at
        its source key, answered by (document id, version number), or by AlreadyStored where
        its bytes are stored already (before, or earlier in the batch); each NewFailure as the
        reason its file failed, answered by None.

        The batch takes the write lock once, writes each table in a few statements, and
        commits once; an error anywhere leaves nothing of it. The responses the documents
        leave and join are refreshed once each, after the last document.

        With `session` (a caller's `transaction()`), the batch is written in it and commits,
        or not, with whatever else the caller writes there.
        """
        if session is not None:
            return self._save_many(session, items)
        with self.transaction() as s:
            return self._save_many(s, items)

    def _save_many(self, s: Session, items: Sequence[NewVersion | NewFailure],
                   ) -> list[tuple[int, int] | AlreadyStored | None]:
        versions = [(position, i) for position, i in enumerate(items) if isinstance(i, NewVersion)]
        answers: list[tuple[int, int] | AlreadyStored | None] = [None] * len(items)
        with s.no_autoflush:
            context = self._context(s)
            keys = {v.source_key for _, v in versions}
            documents = {d.source_key: d for d in s.scalars(
                select(Document).where(Document.source_key.in_(keys)).options(selectinload(Document.corrections)))}
            numbers = dict(s.execute(select(Document.source_key, func.max(Version.number))
                                     .join(Version, Version.document_id == Document.id)
                                     .where(Document.source_key.in_(keys)).group_by(Document.source_key)).all())
            stored = {sha: (document_id, number) for sha, document_id, number in s.execute(
                select(Version.sha256, Version.document_id, Version.number)
                .where(Version.sha256.in_({v.record["source"]["sha256"] for _, v in versions})))}
            added: dict[str, tuple[int, Document, Version]] = {}  # sha -> (position, document, version)
            same: dict[int, str] = {}  # position -> the sha of a version added earlier in the batch
            for position, item in versions:
                sha = item.record["source"]["sha256"]
                if sha in stored:
                    answers[position] = AlreadyStored(*stored[sha])
                    continue
                if sha in added:
                    same[position] = sha
                    continue
                document = documents.get(item.source_key)
                if document is None:
                    document = documents[item.source_key] = Document(source_key=item.source_key, corrections=[])
                    s.add(document)
                numbers[item.source_key] = numbers.get(item.source_key, 0) + 1
                version = Version(document=document, number=numbers[item.source_key], sha256=sha,
                                  filename=item.filename, media_type=item.record["source"]["media_type"],
                                  content=item.content, text=item.record["text"], is_current=False,
                                  record={k: v for k, v in item.record.items() if k != "text"})
                s.add(version)
                added[sha] = (position, document, version)
            # Each document's last version in the batch becomes its current one.
            current = {document.source_key: version for _, document, version in added.values()}
            replaced = [documents[key].id for key in current if documents[key].id is not None]
            for old in s.scalars(select(Version).where(Version.document_id.in_(replaced), Version.is_current)
                                 .options(load_only(Version.id, Version.document_id, Version.is_current))):  # not their bytes
                old.is_current = False
                unindex(s, old.document_id)
            for version in current.values():
                version.is_current = True
            s.flush()  # the new documents and versions get their ids
            index(s, [(v.document.id, v.text) for v in current.values()])
            s.execute(delete(Failure).where(Failure.source_key.in_(current)))
            for failure in items:
                if isinstance(failure, NewFailure):
                    _record_failure(s, failure)
            for position, document, version in added.values():
                answers[position] = (document.id, version.number)
            for position, sha in same.items():
                _, document, version = added[sha]
                answers[position] = AlreadyStored(document.id, version.number)
            self._derive(s, [(v.document, v) for v in current.values()], context)
        return answers

    def _context(self, s: Session) -> _Context:
        reports = self.reports(s)
        return _Context(reports, reference.force_ids(s), {r.id for r in reports}, {})

    def _derive(self, s: Session, documents: Sequence[tuple[Document, Version]], context: _Context | None = None,
                ) -> None:
        """Recompute documents' rows (from their current versions) and the responses they left and joined."""
        context = context or self._context(s)
        known, touched = self._derive_rows(s, documents, context)
        s.flush()
        responses.refresh(s, touched, Records(s, context.reports, self.reanswer, known))

    def _derive_rows(self, s: Session, documents: Sequence[tuple[Document, Version]], context: _Context,
                     ) -> tuple[dict[int, tuple[int, dict]], set[int]]:
        """Set documents' columns and initiatives from their current versions and corrections,
        and attach them, in a few statements for all of them; returns their corrected records
        (document id -> (version id, record)) and the responses they left and joined."""
        known: dict[int, tuple[int, dict]] = {}
        touched = {d.response_id for d, _ in documents if d.response_id is not None}  # the responses they leave
        for document, version in documents:
            record = corrected(version, [plain_correction(c) for c in document.corrections], context.reports,
                               self.reanswer)
            derive(document, version, record, context.force_ids, context.report_ids)
            known[document.id] = (version.id, record)
        replace_initiatives(s, {document_id: record for document_id, (_, record) in known.items()})
        responses.attach(s, [d for d, _ in documents], context.responses,
                         {document.id: reason for document, _ in documents
                          if (reason := not_attachable(known[document.id][1]))})
        touched.update(d.response_id for d, _ in documents if d.response_id is not None)
        return known, touched

    def _rebuild(self, s: Session) -> None:
        """Derive every document's rows and every response again (after an upgrade)."""
        context = self._context(s)
        ids = s.scalars(select(Version.id).where(Version.is_current).order_by(Version.id)).all()
        for start in range(0, len(ids), REBUILD_BATCH):
            versions = s.scalars(select(Version).where(Version.id.in_(ids[start:start + REBUILD_BATCH])).options(
                defer(Version.content), selectinload(Version.document).selectinload(Document.corrections))).all()
            self._derive_rows(s, [(v.document, v) for v in versions], context)
            s.flush()
            s.expunge_all()  # a batch's texts and records are not needed again
        ids = s.scalars(select(Response.id).order_by(Response.id)).all()
        for start in range(0, len(ids), REBUILD_BATCH):
            responses.refresh(s, ids[start:start + REBUILD_BATCH], Records(s, context.reports, self.reanswer))
            s.flush()
            s.expunge_all()

    def record_failure(self, source_key: str, sha256: str, reason: str) -> None:
        """Remember why a file failed; the same file failing again updates, not duplicates."""
        with self.transaction() as s:
            _record_failure(s, NewFailure(source_key, sha256, reason))

    def failures(self) -> list[Failure]:
        with self.session() as s:
            return list(s.scalars(select(Failure).order_by(Failure.at, Failure.id)))

    def add_correction(self, s: Session, document_id: int, name: str, previous: object, value: object,
                       author: str) -> None:
        """Keep an analyst's correction of one value, within the caller's transaction (`s`, from
        `transaction()`); the document's rows and its response follow it. The caller checks it."""
        s.add(Correction(document_id=document_id, field=name, previous=previous, value=value, author=author))
        s.flush()
        document = s.get(Document, document_id)
        version = current_version(s, document_id)
        assert document is not None and version is not None  # the caller found it; documents are never deleted
        self._derive(s, [(document, version)])

    @staticmethod
    def corrections_of(s: Session, document_id: int) -> int:
        """How many corrections a document has."""
        return s.scalar(select(func.count(Correction.id)).where(Correction.document_id == document_id)) or 0

    def choose_statutory(self, response_id: int, document_id: int | None, author: str) -> None:
        """An analyst names the document a response is judged on (None: the earliest letter or
        page). The choice is kept with its author, and holds while the document stays in the
        response (a new version of it, or a re-extraction, keeps it)."""
        try:
            author = check_author(author)
        except ValueError as exc:
            raise InvalidValue(str(exc)) from None
        with self.transaction() as s:
            response = s.get(Response, response_id) if 0 < response_id <= MAX_ID else None
            if response is None:
                raise NotFound(f"no response with id {response_id}")
            if document_id is not None and (not 0 < document_id <= MAX_ID or s.scalar(
                    select(Document.response_id).where(Document.id == document_id)) != response_id):
                raise InvalidValue(f"document {document_id} is not one of response {response_id}'s documents")
            responses.choose(s, response, document_id, author)
            s.flush()
            responses.refresh(s, [response_id], Records(s, self.reports(s), self.reanswer))

    # --- the catalogue ----------------------------------------------------------------------------

    def add_report(self, report: Report, source: str) -> bool:
        """Add or replace a user's report; returns True if it replaced one."""
        with self.transaction() as s:
            existing = s.scalar(select(ReportRow.origin).where(ReportRow.id == report.id)) == "user"
            reference.sync_report(s, report, "user", source)
            s.flush()
            responses.refresh(s, s.scalars(select(Response.id).where(Response.report_id == report.id)).all(),
                              Records(s, self.reports(s), self.reanswer))
            return existing

    def keep_imported(self, report: Report | None, author: str, change: str,
                      statuses: Sequence[register.Status] = (),
                      then: Callable[[Session], object] | None = None) -> tuple[bool, int]:
        """A report added or completed from HMICFRS's pages (None: it is as it was) and the
        register's statuses read there, in one transaction, the change logged with its author;
        `then` runs last in the same transaction (what a confirmation does besides: the office's
        cases). Returns whether the report changed, and how many statuses did."""
        with self.transaction() as s:
            if report is not None:
                register.log_change(s, report.id, author, change, source := catalogue.dump_report(report))
                reference.sync_report(s, report, "user", source)
                s.flush()
                responses.refresh(s, s.scalars(select(Response.id).where(Response.report_id == report.id)).all(),
                                  Records(s, self.reports(s), self.reanswer))
            kept = register.keep_statuses(s, statuses, author)
            if then is not None:
                then(s)
            return report is not None, kept

    def reports(self, s: Session | None = None) -> tuple[Report, ...]:
        """The catalogue: packaged reports plus those users added to this store."""
        if s is not None:
            return catalogue.reports(self._users_reports(s))
        with self.session() as session:
            return catalogue.reports(self._users_reports(session))

    @staticmethod
    def _users_reports(s: Session) -> tuple[Report, ...]:
        """Users' reports. One stored when the catalogue's checks were looser, and failing them
        now, is left out (and logged)."""
        added = []
        for source in s.scalars(select(ReportRow.source).where(ReportRow.origin == "user").order_by(ReportRow.id)):
            try:
                added.append(catalogue.load_report_yaml(source))
            except catalogue.CatalogueError as exc:
                log.warning("a stored report is left out of the catalogue: %s", exc)
        return tuple(added)

    # --- reading ----------------------------------------------------------------------------------

    def documents(self, ids: list[int] | None = None, s: Session | None = None) -> list[StoredDocument]:
        """Every document's current version (or those with `ids`), oldest first; read in `s`
        where given (a transaction's, to read what it is about to change)."""
        if s is None:
            with self.session() as session:
                return self.documents(ids, session)
        query = select(Version).where(Version.is_current)
        if ids is not None:
            query = query.where(Version.document_id.in_(ids))
        reports = self.reports(s)
        rows = s.scalars(query.order_by(Version.document_id).options(  # not their original bytes
            defer(Version.content), selectinload(Version.document).selectinload(Document.corrections))).all()
        return [view(v, reports, self.reanswer) for v in rows]

    def each_record(self, batch: int = EXPORT_BATCH) -> Iterator[list[str]]:
        """Every document's current record in the contract's shape with its document id, as
        JSON text; oldest first, `batch` at a time. A record no one has corrected is given as
        stored, not read into objects and written again (that took most of an export's time)."""
        after = 0
        while True:
            with self.session() as s:
                rows = s.execute(
                    select(Version.document_id, cast(Version.record, Text), Version.text, Document.verified)
                    .join(Document, Document.id == Version.document_id)
                    .where(Version.is_current, Version.document_id > after).order_by(Version.document_id)
                    .limit(batch)).all()
            if not rows:
                return
            corrected = {d.id: d.record for d in self.documents([r[0] for r in rows if r[3]])}
            yield [json.dumps({"document_id": document_id, **corrected[document_id]}, ensure_ascii=False)
                   if document_id in corrected else
                   f'{{"document_id": {document_id}, {stored[1:-1]}, "text": {json.dumps(body, ensure_ascii=False)}}}'
                   for document_id, stored, body, _ in rows]
            after = rows[-1][0]

    def document(self, document_id: int, s: Session | None = None) -> StoredDocument | None:
        if not 0 < document_id <= MAX_ID:  # no such document; the database would refuse the number
            return None
        found = self.documents([document_id], s)
        return found[0] if found else None

    def document_by_source(self, source_key: str) -> StoredDocument | None:
        with self.session() as s:
            document_id = s.scalar(select(Document.id).where(Document.source_key == source_key))
        return self.document(document_id) if document_id is not None else None

    def content(self, document_id: int) -> tuple[str, str, bytes] | None:
        """(filename, media type, original bytes) of a document's current version."""
        if not 0 < document_id <= MAX_ID:
            return None
        with self.session() as s:
            row = s.execute(select(Version.filename, Version.media_type, Version.content)
                            .where(Version.document_id == document_id, Version.is_current)).first()
            return (row[0], row[1], row[2]) if row else None


def _record_failure(s: Session, failure: NewFailure) -> None:
    row = s.scalar(select(Failure).where(Failure.source_key == failure.source_key, Failure.sha256 == failure.sha256))
    if row is None:
        s.add(Failure(source_key=failure.source_key, sha256=failure.sha256, reason=failure.reason))
    else:
        row.reason, row.at = failure.reason, now()


