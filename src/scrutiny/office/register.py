"""HMICFRS's own status of each recommendation for each force, from its recommendation
register (awaiting review, being progressed, complete, no further action needed), read so
that the office's pages can set it beside what the force promised.

The register is imported by the national picture's reports import (issue 16), which owns its
table; this module only reads it, by name, and reads nothing while the table is absent (a
store from before that import): the pages then show no register status.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Date, Integer, String, column, inspect, select, table
from sqlalchemy.orm import Session

from ..store import Store
from ..store.schema import Force

# The register's table as the reports import writes it: one row per report, force and
# recommendation (the contract's number), with the status and the day HMICFRS gave it.
REGISTER = table("register_statuses", column("report_id", String), column("force_id", Integer),
                 column("number", Integer), column("status", String), column("as_of", Date))


@dataclass(frozen=True)
class RegisterEntry:
    status: str
    as_of: dt.date | None


def register_status(s: Session, report_id: str, force: str) -> dict[int, RegisterEntry]:
    """HMICFRS's status of each of the report's recommendations for the force, by number."""
    if not inspect(s.connection()).has_table(REGISTER.name):
        return {}
    rows = s.execute(select(REGISTER.c.number, REGISTER.c.status, REGISTER.c.as_of)
                     .join(Force, Force.id == REGISTER.c.force_id)
                     .where(REGISTER.c.report_id == report_id, Force.name == force))
    return {number: RegisterEntry(status, as_of) for number, status, as_of in rows}


def statuses(store: Store, report_id: str, force: str) -> dict[int, RegisterEntry]:
    with store.session() as s:
        return register_status(s, report_id, force)
