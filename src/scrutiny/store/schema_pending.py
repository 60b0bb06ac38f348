"""New reports found on HMICFRS's publication lists, waiting for an analyst (on schema's Base)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base, now


class PendingReport(Base):
    """A report found on HMICFRS's publication pages and not in the catalogue, waiting for an
    analyst (`state` pending), then confirmed into the catalogue (`report_id`) or rejected; kept
    either way, so a later collection neither offers it again nor brings a rejected one back.
    A pending report is in no figure and expects no one's response. `page` is what its page
    said, as the HMICFRS reader gives it (title, published, forces, recommendations)."""

    __tablename__ = "pending_reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    title: Mapped[str] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date)
    forces: Mapped[list] = mapped_column(JSON)  # named by its page ("Police Forces")
    page: Mapped[dict] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending, confirmed, rejected
    found_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    report_id: Mapped[str | None] = mapped_column(String(128))  # the catalogue's, once confirmed
    note: Mapped[str] = mapped_column(Text, default="")  # the scope confirmed, or why it was rejected
