"""HMICFRS's own status of each recommendation for each force, from its recommendation
register (awaiting review, being progressed, complete, no further action needed), so that
the office's pages can set it beside what the force promised.

The register is imported by the national picture's reports import, which keeps it in the
store (`store.register`, against each recommendation's wording); this module reads it back
for one force and report, by the recommendation's number, in words.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..store import Store, reference
from ..store import register as kept


@dataclass(frozen=True)
class RegisterEntry:
    status: str  # in words: 'being progressed'
    as_of: dt.date | None


def register_status(s: Session, report_id: str, force: str) -> dict[int, RegisterEntry]:
    """HMICFRS's status of each of the report's recommendations for the force, by number
    (those the register has and the catalogue's recommendations match)."""
    force_id = reference.force_ids(s).get(force)
    if force_id is None:
        return {}
    return {t.number: RegisterEntry((t.status or "no status given").replace("-", " "), t.status_on)
            for t in kept.register_status(s, report_id, force_id) if t.number is not None}


def statuses(store: Store, report_id: str, force: str) -> dict[int, RegisterEntry]:
    with store.session() as s:
        return register_status(s, report_id, force)
