"""Tables. A letter is one source (a path, or an upload's name); each distinct content of it
is a version, identified by its SHA-256, so ingest is idempotent and a changed file is a new
version of the same letter. Corrections belong to the letter, so they outlive re-extraction."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


class Base(DeclarativeBase):
    pass


class Letter(Base):
    __tablename__ = "letters"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_key: Mapped[str] = mapped_column(String(1024), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    versions: Mapped[list["Version"]] = relationship(back_populates="letter", order_by="Version.number")
    corrections: Mapped[list["Correction"]] = relationship(back_populates="letter", order_by="Correction.id")


class Version(Base):
    __tablename__ = "versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(512))
    media_type: Mapped[str] = mapped_column(String(128))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    text: Mapped[str] = mapped_column(Text)
    record: Mapped[dict] = mapped_column(JSON)  # the extracted record without its text
    digest: Mapped[dict] = mapped_column(JSON)  # the corrected record's headline values (lists, matrices)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    letter: Mapped[Letter] = relationship(back_populates="versions")


class Failure(Base):
    __tablename__ = "failures"
    __table_args__ = (UniqueConstraint("source_key", "sha256"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source_key: Mapped[str] = mapped_column(String(1024))
    sha256: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)


class CatalogueReport(Base):
    """A report a user added to the catalogue; `source` is the YAML as given."""

    __tablename__ = "reports"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)


class Correction(Base):
    """An analyst's correction of one extracted value: who, when, the value before and after."""

    __tablename__ = "corrections"
    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id"), index=True)
    field: Mapped[str] = mapped_column(String(64))
    previous: Mapped[object] = mapped_column(JSON, nullable=True)
    value: Mapped[object] = mapped_column(JSON, nullable=True)
    author: Mapped[str] = mapped_column(String(128))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    letter: Mapped[Letter] = relationship(back_populates="corrections")
