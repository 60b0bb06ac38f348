"""Tables: plain rows and foreign keys, so any SQL client (datasette, psql) can browse them.

The unit is the response: one force's answer to one report (design.md). A document is one
source (a path, or an upload's name); each distinct content of it is a version, identified
by its SHA-256, so ingest is idempotent and a changed file is a new version of the same
document. A document joins its response by force and report; the response's figures (on
time, complete) are judged on its statutory document and all its documents' answers.

The extracted record in the contract's shape stays on each version (`versions.record`);
every other column here is derived from it and the analysts' corrections, and is rebuilt
when the derivation changes (see `store.documents`). Corrections are the audit log and are
never rewritten.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Facts about the store itself: which catalogue and which derivation its tables reflect."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Force(Base):
    __tablename__ = "forces"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    nation: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)  # the local policing body, as the reference describes it
    region: Mapped[str] = mapped_column(String(64))
    aliases: Mapped[str] = mapped_column(Text, default="")  # "|"-separated


class OfficeHolder(Base):
    """Who held an office for a force, and when (reference data; dates may be a year only)."""

    __tablename__ = "office_holders"
    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("forces.id"), index=True)
    office: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(256))
    started: Mapped[str | None] = mapped_column(String(10))  # YYYY-MM-DD, or YYYY where only the year is known
    ended: Mapped[str | None] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(Text, default="")


class Report(Base):
    """An inspection report: the packaged catalogue's, or a user's (`origin`). `source` is the
    report as YAML, the catalogue's own format, so a user's file is kept as given."""

    __tablename__ = "reports"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    publisher: Mapped[str] = mapped_column(String(128), default="")
    published: Mapped[dt.date | None] = mapped_column(Date)
    year: Mapped[int | None] = mapped_column(Integer, index=True)  # of publication
    deadline: Mapped[dt.date | None] = mapped_column(Date, index=True)  # the last day of the 56-day period
    kind: Mapped[str] = mapped_column(String(16), default="other", index=True)  # peel, thematic, force, ...
    origin: Mapped[str] = mapped_column(String(16), default="user")  # "catalogue" or "user"
    sources: Mapped[str] = mapped_column(Text, default="")  # where its facts came from, one per line
    source: Mapped[str] = mapped_column(Text)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    # Whose body must answer it (record.vocabulary.Scope): the catalogue's, or an analyst's change.
    scope: Mapped[str] = mapped_column(String(16), default="all-forces")
    scope_confidence: Mapped[str | None] = mapped_column(String(16))
    scope_sources: Mapped[str] = mapped_column(Text, default="")  # one per line
    scope_note: Mapped[str | None] = mapped_column(Text)
    duplicate_of: Mapped[str | None] = mapped_column(String(128))  # the report whose response answers this one


class ScopeChange(Base):
    """An analyst's change of a report's scope: who, when, why, before and after (each
    {"scope", "forces", "duplicate_of"}). The latest holds over the catalogue's; never rewritten."""

    __tablename__ = "scope_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), index=True)
    before: Mapped[dict] = mapped_column(JSON)
    after: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(128))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)


class Recommendation(Base):
    __tablename__ = "recommendations"
    id: Mapped[str] = mapped_column(String(160), primary_key=True)  # "<report id>#<report's number>"
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), index=True)
    number: Mapped[int | None] = mapped_column(Integer)  # the report's own number, where it gives one
    position: Mapped[int | None] = mapped_column(Integer)  # 1..n among those to forces (the contract's number)
    wording: Mapped[str | None] = mapped_column(Text)
    addressees: Mapped[str] = mapped_column(Text, default="")  # "; "-separated
    due: Mapped[dt.date | None] = mapped_column(Date)


class ReportForce(Base):
    """The forces a report expects a response from (its scope): all 43, the forces it names, or none."""

    __tablename__ = "report_forces"
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("forces.id"), primary_key=True, index=True)


class Response(Base):
    """One force's response to one report. `statutory_document_id` is the document judged:
    the analyst's choice (`chosen_document_id`) if any, else the earliest letter or web page.
    A response whose documents are all statements has none, and has not responded."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("force_id", "report_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("forces.id"), index=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), index=True)
    statutory_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", use_alter=True))
    chosen_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", use_alter=True))
    chosen_by: Mapped[str | None] = mapped_column(String(128))
    responded: Mapped[dt.date | None] = mapped_column(Date)  # the statutory document's date
    date_basis: Mapped[str | None] = mapped_column(String(32))  # "letter date" or "publication date"
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    days_taken: Mapped[int | None] = mapped_column(Integer)
    on_time: Mapped[bool | None] = mapped_column(Boolean, index=True)
    expected: Mapped[int | None] = mapped_column(Integer)  # recommendations to forces, where catalogued
    addressed: Mapped[int | None] = mapped_column(Integer)  # of those, answered in any of its documents
    complete: Mapped[bool | None] = mapped_column(Boolean)
    documents: Mapped[int] = mapped_column(Integer, default=0)


class Document(Base):
    """A source and the values of its current version, corrections applied (derived columns)."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_key: Mapped[str] = mapped_column(String(1024), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    response_id: Mapped[int | None] = mapped_column(ForeignKey("responses.id"), index=True)
    unattached_reason: Mapped[str | None] = mapped_column(Text)  # why it has no response: the review queue
    kind: Mapped[str] = mapped_column(String(16), default="other", index=True)  # letter, web page, statement, other
    filename: Mapped[str] = mapped_column(String(512), default="")
    media_type: Mapped[str] = mapped_column(String(128), default="")
    force_id: Mapped[int | None] = mapped_column(ForeignKey("forces.id"), index=True)
    report_id: Mapped[str | None] = mapped_column(ForeignKey("reports.id"), index=True)
    report_title: Mapped[str | None] = mapped_column(Text)  # as the document names it, catalogued or not
    role: Mapped[str | None] = mapped_column(String(32))
    signatory: Mapped[str | None] = mapped_column(String(256))
    letter_date: Mapped[dt.date | None] = mapped_column(Date)
    date: Mapped[dt.date | None] = mapped_column(Date)  # the date judged: letter date, or publication date
    date_basis: Mapped[str | None] = mapped_column(String(32))
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    days_taken: Mapped[int | None] = mapped_column(Integer)
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    expected: Mapped[int | None] = mapped_column(Integer)
    addressed: Mapped[int | None] = mapped_column(Integer)
    complete: Mapped[bool | None] = mapped_column(Boolean)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)  # a human corrected one of its values
    versions: Mapped[list[Version]] = relationship(back_populates="document", order_by="Version.number")
    corrections: Mapped[list[Correction]] = relationship(back_populates="document", order_by="Correction.id")


class Version(Base):
    __tablename__ = "versions"
    # The current versions by document (on PostgreSQL those alone): found without reading rows.
    __table_args__ = (Index("ix_versions_current", "document_id", "id", postgresql_where=text("is_current")),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(512))
    media_type: Mapped[str] = mapped_column(String(128))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    text: Mapped[str] = mapped_column(Text)
    record: Mapped[dict] = mapped_column(JSON)  # the extracted record without its text
    is_current: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    document: Mapped[Document] = relationship(back_populates="versions")


class Answer(Base):
    """How a response answers one recommendation to forces, across its documents: the
    statutory document's answer where it addresses it, else the earliest document's that does."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("response_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # the contract's number (1..n among those to forces)
    recommendation_id: Mapped[str | None] = mapped_column(ForeignKey("recommendations.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    addressed: Mapped[bool] = mapped_column(Boolean)
    stance: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(32))
    quote: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list] = mapped_column(JSON)  # spans into the version's text
    origin: Mapped[str] = mapped_column(String(16), default="extracted")  # extracted, corrected, drafted


class Initiative(Base):
    __tablename__ = "initiatives"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list] = mapped_column(JSON)


class Failure(Base):
    __tablename__ = "failures"
    __table_args__ = (UniqueConstraint("source_key", "sha256"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source_key: Mapped[str] = mapped_column(String(1024))
    sha256: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)


class Correction(Base):
    """An analyst's correction of one extracted value: who, when, the value before and after."""

    __tablename__ = "corrections"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    field: Mapped[str] = mapped_column(String(64))
    previous: Mapped[object] = mapped_column(JSON, nullable=True)
    value: Mapped[object] = mapped_column(JSON, nullable=True)
    author: Mapped[str] = mapped_column(String(128))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    document: Mapped[Document] = relationship(back_populates="corrections")


# --- HMICFRS's register, and users' changes to the catalogue -------------------------------


class RegisterStatus(Base):
    """HMICFRS's register status of one recommendation for one force, with its dated history
    (`[{"on", "status"}, {"on", "comment"}, ...]`), as imported from the register's pages. The
    recommendation is known by its wording (`wording_key`, its words normalised), so a status
    outlives the renumbering of a report's recommendations."""

    __tablename__ = "register_statuses"
    __table_args__ = (UniqueConstraint("report_id", "force_id", "wording_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id"), index=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("forces.id"), index=True)
    wording_key: Mapped[str] = mapped_column(String(64))
    wording: Mapped[str] = mapped_column(Text)
    record: Mapped[str | None] = mapped_column(String(32))  # the register's number for the record
    status: Mapped[str | None] = mapped_column(String(32))  # awaiting-review, being-progressed, complete, ...
    status_on: Mapped[dt.date | None] = mapped_column(Date)
    history: Mapped[list] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(Text, default="")  # the page it was read from
    kept_by: Mapped[str] = mapped_column(String(128))
    kept_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)


class ReportChange(Base):
    """A user's change to a report of the catalogue: the report (as YAML) before and after,
    who, when and what. Never rewritten."""

    __tablename__ = "report_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[str] = mapped_column(String(128), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    author: Mapped[str] = mapped_column(String(128))
    change: Mapped[str] = mapped_column(Text)
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)


# --- collection: where each body publishes, and when it was looked at ------------------------


class Source(Base):
    """A page where a policing body publishes its responses (a list, a news listing, a feed):
    bundled from the reference data or added by a user. The collector starts from these."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("force_id", "url"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("forces.id"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    origin: Mapped[str] = mapped_column(String(16), default="user")  # bundled, user
    note: Mapped[str] = mapped_column(Text, default="")  # the evidence that this page lists responses
    added_by: Mapped[str] = mapped_column(String(128), default="")
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)


class SourceCheck(Base):
    """One look at one source by the collector: the check log. A body whose sources were checked
    (finished, `ok`) after a response's deadline and showed no response is evidence for
    "overdue"; a body never checked is "not collected". Kept even when its source is removed
    (`source_id` then null, `url` and `force_id` remain), because a figure may rest on it."""

    __tablename__ = "source_checks"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"), index=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("forces.id"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    ok: Mapped[bool] = mapped_column(Boolean, default=False)  # the source page itself was read
    found: Mapped[int] = mapped_column(Integer, default=0)  # responses stored or already stored
    skipped: Mapped[int] = mapped_column(Integer, default=0)  # fetched, not a response
    failed: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")


class Fetched(Base):
    """Every address the collector fetched, kept across runs: what the server said of it
    (`etag`, `last_modified`: sent back next time, so an unchanged page is not downloaded
    again), when it was first and last seen, the content's hash, the document it became, and
    what came of it (`outcome`: stored, unchanged, skipped, failed, page; `note` says why). A
    page's links are kept too (`links`), so a page the server says is unchanged is still followed."""

    __tablename__ = "fetched"
    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    force_id: Mapped[int | None] = mapped_column(ForeignKey("forces.id"), index=True)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(64))  # the server's header, as sent
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    sha256: Mapped[str | None] = mapped_column(String(64))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[list | None] = mapped_column(JSON)


# --- the responding office (accounts, cases, actions) ---------------------------------------


class User(Base):
    """A person who signs in. `role` says what they may do (`record.vocabulary.UserRole`); office
    staff, and an approver who has one, are confined to `force_id`. Users are disabled, never
    deleted, so every name in a history stays resolvable. A session issued before
    `sessions_from` is void: disabling, a new role or a new password signs the user out."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    force_id: Mapped[int | None] = mapped_column(ForeignKey("forces.id"))
    password: Mapped[str] = mapped_column(String(255))  # scrypt: "scrypt$n$r$p$salt$hash"
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sessions_from: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)  # SHA-256 of the feed's token
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)


class LoginFailure(Base):
    """A failed sign-in, kept a while to slow down guessing (by user name and by address)."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)


class EndedSession(Base):
    """A session signed out before it expired (its id is in its signed cookie): refused until
    `until`, when it would have expired anyway, and forgotten after."""

    __tablename__ = "ended_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    until: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class Case(Base):
    """The office's work on one response: a response in draft until it is published.

    `state`: draft -> awaiting approval -> published (an approver may return it to draft).
    Publishing stores the rendered letter as a document of the same response."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id"), unique=True)
    state: Mapped[str] = mapped_column(String(24), default="draft", index=True)
    comments_requested_by: Mapped[dt.date | None] = mapped_column(Date)  # s.55(4): asked of the chief constable
    body_comments: Mapped[str] = mapped_column(Text, default="")
    chief_comments: Mapped[str] = mapped_column(Text, default="")
    body_on_chief: Mapped[str] = mapped_column(Text, default="")  # the body's comments on the chief's
    opened_by: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    submitted_by: Mapped[str | None] = mapped_column(String(64))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str | None] = mapped_column(String(64))  # the approver who approved and published
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))  # the published letter
    letter: Mapped[list | None] = mapped_column(JSON)  # its blocks as published, for its HTML page
    version: Mapped[int] = mapped_column(Integer, default=1)  # one more at every save: a stale save is refused
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    body: Mapped[str] = mapped_column(String(256), default="")  # the policing body whose work it is (a handover moves it)


class DraftAnswer(Base):
    """The office's answer to one recommendation to forces: a stance, and steps (`actions`) or
    the explanation of why no action will be taken (s.55(5B))."""

    __tablename__ = "draft_answers"
    __table_args__ = (UniqueConstraint("case_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # the contract's number (1..n among those to forces)
    stance: Mapped[str | None] = mapped_column(String(32))
    explanation: Mapped[str] = mapped_column(Text, default="")


class Action(Base):
    """A promised step: drafted with its answer, tracked once the response is published."""

    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # the recommendation it answers
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(128))
    due: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)  # open, in progress, done, dropped
    reason: Mapped[str] = mapped_column(Text, default="")  # why it was dropped
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    rag: Mapped[str | None] = mapped_column(String(8))  # red, amber, green: the office's judgement
    closed_by: Mapped[str | None] = mapped_column(String(64))  # who marked it done (with evidence)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    body: Mapped[str] = mapped_column(String(256), default="")  # the policing body answerable for it


class ActionUpdate(Base):
    """A dated note on an action's progress, with the status it left the action in."""

    __tablename__ = "action_updates"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    author: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")  # links to what shows it, one per line
    rag: Mapped[str | None] = mapped_column(String(8))


class CaseChange(Base):
    """A case's history: who changed what, when, from what to what. Never rewritten."""

    __tablename__ = "case_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    author: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(64))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)


class PolicingBody(Base):
    """A force's local policing body for a stretch of time (the catalogue's bodies.csv)."""

    __tablename__ = "policing_bodies"
    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("forces.id"), index=True)
    name: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(32))
    started: Mapped[dt.date | None] = mapped_column(Date)
    ended: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")


# The administrators' tables and the new reports waiting for review live apart (store/schema_admin.py,
# store/schema_pending.py), on the same Base: imported here so that the metadata always has them.
from . import schema_admin, schema_pending  # noqa: E402,F401
