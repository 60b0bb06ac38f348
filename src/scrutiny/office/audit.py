"""The administrators' audit log: who added or changed a user, issued or used a password
link, or handed a force's work to another policing body, and when. Written in the same
transaction as the change it records; never rewritten."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store import Store
from ..store.schema import CaseChange, Correction
from ..store.schema_admin import AuditEvent

COMMAND_LINE = "(command line)"  # the actor of a change made with `scrutiny` on the server


def record(s: Session, actor: str, action: str, subject: str, detail: str = "") -> None:
    s.add(AuditEvent(actor=actor, action=action, subject=subject[:256], detail=detail))


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    actor: str
    action: str
    subject: str
    detail: str


def events(store: Store, limit: int = 200) -> list[Event]:
    """The latest administration events, cases' moves (sent, approved, returned, published)
    and analysts' corrections, most recent first."""
    with store.session() as s:
        out = [Event(e.at, e.actor, e.action, e.subject, e.detail)
               for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit))]
        out += [Event(c.at, c.author, "case moved", f"case {c.case_id}", f"{c.before or 'new'} -> {c.after}")
                for c in s.scalars(select(CaseChange).where(CaseChange.field == "state")
                                   .order_by(CaseChange.id.desc()).limit(limit))]
        out += [Event(c.at, c.author, "correction", f"document {c.document_id}", f"{c.field}: {c.previous} -> {c.value}")
                for c in s.scalars(select(Correction).order_by(Correction.id.desc()).limit(limit))]
    return sorted(out, key=lambda e: e.at if e.at.tzinfo else e.at.replace(tzinfo=dt.UTC), reverse=True)[:limit]
