"""Handover: when a force's policing body changes (a mayor takes over a commissioner's
functions; PCCs are to be abolished from May 2028), the open work passes to the successor.

Bodies are dated records (the catalogue's bodies.csv). `handover` gives every case of the
force not yet published, and every action still open, to the body in office on the day
named, and says so in each one's history (a case's changes, an action's updates); published
letters stay signed by the body that sent them. Running it again moves nothing more.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from ..catalogue import policing
from ..errors import InvalidValue
from ..record.vocabulary import ActionStatus, CaseState
from ..store import Store
from ..store.schema import Action, ActionUpdate, Case, CaseChange, Force, Response
from . import audit
from .inputs import checked_day


@dataclass(frozen=True)
class Handover:
    force: str
    day: dt.date
    body: str  # the successor: the body in office on `day`
    cases: int  # moved
    actions: int  # moved


def handover(store: Store, force: str, day: dt.date, actor: str = audit.COMMAND_LINE) -> Handover:
    """Move the force's open cases and actions to the policing body in office on `day`."""
    checked_day(day, "day")
    successor = policing.body_on(force, day)
    if successor is None:
        raise InvalidValue(f"force: the reference has no policing body of {force!r} on {day}")
    note = f"passed to {successor.name} on {day}"
    with store.transaction() as s:
        of_force = (select(Case).join(Response, Response.id == Case.response_id)
                    .join(Force, Force.id == Response.force_id).where(Force.name == force))
        moved_cases = 0
        for case in s.scalars(of_force.where(Case.state != CaseState.PUBLISHED, Case.body != successor.name)):
            s.add(CaseChange(case_id=case.id, author=actor, field="policing body", before=case.body or None,
                             after=f"{successor.name} (from {day})"))
            case.body, case.version = successor.name, case.version + 1
            moved_cases += 1
        moved_actions = 0
        for action in s.scalars(select(Action).where(Action.case_id.in_(of_force.with_only_columns(Case.id)),
                                                     Action.status.in_(ActionStatus.still_open()),
                                                     Action.body != successor.name)):
            s.add(ActionUpdate(action_id=action.id, author=actor, status=action.status,
                               note=f"{note} (was {action.body or 'unrecorded'})", evidence="", rag=None))
            action.body = successor.name
            moved_actions += 1
        audit.record(s, actor, "handover", force, f"{note}: {moved_cases} cases, {moved_actions} actions")
    return Handover(force, day, successor.name, moved_cases, moved_actions)
