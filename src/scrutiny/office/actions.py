"""Actions: the steps a published response promised, tracked until done (or dropped with a
reason); dated updates with notes; what falls due; the holding-to-account pack per force.

A step drafted in a case becomes an action to track when the case is published. An action
is overdue when its due date has passed and it is neither done nor dropped. `STATUS_RULES`
says what an update to each status needs; an update reads, checks and writes in one store
transaction.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..errors import Conflict, InvalidValue, NotFound
from ..record.vocabulary import ActionStatus, CaseState, Rag
from ..store import Store
from ..store.query import days_left, today_or
from ..store.schema import Action, ActionUpdate, Case, DraftAnswer, Force, Recommendation, Report, Response, now
from .cases import checked_step, found_case, log_change
from .inputs import checked_text
from .permissions import Account, authorize
from .register import RegisterEntry, register_status


class StatusRule(NamedTuple):
    closes: bool  # the action is finished: set again, it must say something new (a note)
    needs_reason: bool  # the update must say why (kept as the action's reason)


STATUS_RULES = {
    ActionStatus.OPEN: StatusRule(closes=False, needs_reason=False),
    ActionStatus.IN_PROGRESS: StatusRule(closes=False, needs_reason=False),
    ActionStatus.DONE: StatusRule(closes=True, needs_reason=False),
    ActionStatus.DROPPED: StatusRule(closes=True, needs_reason=True),
}
MAX_NOTE = 5000  # characters in an update's note or reason


@dataclass(frozen=True)
class Update:
    at: dt.datetime
    author: str
    status: str
    note: str
    evidence: list[str]  # links to what shows the progress
    rag: str | None


@dataclass(frozen=True)
class ActionView:
    id: int
    case_id: int
    force: str
    report_id: str
    report_title: str
    number: int  # the recommendation it answers (contract numbering)
    label: str  # as the report numbers it
    description: str
    owner: str
    due: dt.date | None
    status: str
    reason: str
    days_left: int | None
    updates: list[Update]
    rag: str | None
    closed_by: str | None
    closed_at: dt.datetime | None
    body: str  # the policing body answerable for it

    @property
    def overdue(self) -> bool:
        return self.status in ActionStatus.still_open() and self.days_left is not None and self.days_left < 0

    @property
    def late(self) -> bool:
        """Overdue, or done after the day it was due."""
        return self.overdue or (self.status == ActionStatus.DONE and self.due is not None
                                and self.closed_at is not None and self.closed_at.date() > self.due)


def _query() -> Select:
    return (select(Action, Force.name, Report.id, Report.title, Recommendation.number)
            .join(Case, Case.id == Action.case_id).join(Response, Response.id == Case.response_id)
            .join(Force, Force.id == Response.force_id).join(Report, Report.id == Response.report_id)
            .outerjoin(Recommendation, (Recommendation.report_id == Report.id)
                       & (Recommendation.position == Action.number))
            .where(Case.state == CaseState.PUBLISHED))


def _views(s: Session, rows, day: dt.date, with_updates: bool = True) -> list[ActionView]:
    ids = [row[0].id for row in rows]
    updates: dict[int, list[Update]] = {}
    if with_updates and ids:
        for u in s.scalars(select(ActionUpdate).where(ActionUpdate.action_id.in_(ids)).order_by(ActionUpdate.id)):
            updates.setdefault(u.action_id, []).append(Update(u.at, u.author, u.status, u.note,
                                                              u.evidence.split(), u.rag))
    return [ActionView(a.id, a.case_id, force, report_id, title, a.number, str(label or a.number), a.description,
                       a.owner, a.due, a.status, a.reason, days_left(a.due, day), updates.get(a.id, []), a.rag,
                       a.closed_by, a.closed_at, a.body)
            for a, force, report_id, title, label in rows]


def _scoped(query: Select, account: Account | None, force: str | None) -> Select:
    """`query` narrowed to `force` (if given) and to the account's own force, if it is confined
    to one (`account` None: the CLI, every force); another force named is refused."""
    if account is not None:
        authorize(account, "draft", force or None)
        force = force or account.confined_to
    return query.where(Force.name == force) if force else query


def _status(status: str) -> ActionStatus:
    try:
        return ActionStatus(status)
    except ValueError:
        raise InvalidValue(f"status: one of {', '.join(ActionStatus)}") from None


def actions(store: Store, account: Account | None, *, force: str | None = None, status: str | None = None,
            today: dt.date | None = None) -> list[ActionView]:
    """Published cases' actions the user may see (`account` None: all, for the CLI), by due date."""
    query = _scoped(_query(), account, force)
    if status is not None:
        query = query.where(Action.status == _status(status))
    with store.session() as s:
        rows = s.execute(query.order_by(Action.due.is_(None), Action.due, Action.id)).all()
        return _views(s, rows, today_or(today))


def _tracked(s: Session, account: Account, action_id: int) -> tuple[Action, str]:
    """A published case's action and its force, if the account may work on the force's actions."""
    row = s.execute(select(Action, Force.name).join(Case, Case.id == Action.case_id)
                    .join(Response, Response.id == Case.response_id).join(Force, Force.id == Response.force_id)
                    .where(Action.id == action_id, Case.state == CaseState.PUBLISHED)).first()
    if row is None:
        raise NotFound(f"no action with id {action_id} (a step is tracked once its response is published)")
    authorize(account, "draft", row[1])
    return row[0], row[1]


def action(store: Store, account: Account, action_id: int, today: dt.date | None = None) -> ActionView:
    with store.session() as s:
        _tracked(s, account, action_id)
        return _views(s, s.execute(_query().where(Action.id == action_id)).all(), today_or(today))[0]


def evidence_links(text: str) -> list[str]:
    """Links given as evidence, one a line (or space): each a web address or a page of this site."""
    links = checked_text(text, "evidence").split()
    for link in links:
        if not (link.startswith(("https://", "http://", "/")) and not link.startswith("//")) or len(link) > 2048:
            raise InvalidValue(f"evidence: {link[:80]!r} is not a link (https://... or a page here, /documents/...)")
    return links


def _rag(rag: str | None) -> Rag | None:
    if not rag:
        return None
    try:
        return Rag(rag)
    except ValueError:
        raise InvalidValue(f"rag: one of {', '.join(Rag)}") from None


def update(store: Store, account: Account, action_id: int, status: str, note: str, reason: str = "",
           evidence: str = "", rag: str | None = None) -> None:
    """A dated update: the action's new status, a note, links to the evidence and the RAG
    status. Dropping an action needs the reason; closing it (done) needs evidence, and
    records who closed it."""
    new, colour = _status(status), _rag(rag)
    rule = STATUS_RULES[new]
    note, reason = checked_text(note, "note").strip(), checked_text(reason, "reason").strip()
    links = evidence_links(evidence)
    if rule.needs_reason and not reason:
        raise InvalidValue(f"reason: say why the action is {new}")
    if new == ActionStatus.DONE and not links:
        raise InvalidValue("evidence: link to what shows the action is done")
    note = note or (reason if rule.needs_reason else "")
    if len(note) > MAX_NOTE or len(reason) > MAX_NOTE:
        raise InvalidValue(f"note: at most {MAX_NOTE} characters")
    with store.transaction() as s:
        row, _ = _tracked(s, account, action_id)
        if rule.closes and row.status == new and not note:
            raise Conflict(f"action {action_id} is already {new}")
        if new == ActionStatus.DONE and row.status != new:
            row.closed_by, row.closed_at = account.username, now()
        elif new != ActionStatus.DONE:
            row.closed_by = row.closed_at = None
        row.status = new
        row.rag = colour or row.rag
        if rule.needs_reason:
            row.reason = reason
        s.add(ActionUpdate(action_id=action_id, author=account.username, status=new, note=note,
                           evidence="\n".join(links), rag=colour))


def add_action(store: Store, account: Account, case_id: int, number: int, text: str, owner: str,
               due: dt.date | None) -> int:
    """A new action on a case's recommendation, at any time: in a draft a step of its answer,
    once published an action tracked from now on (holding the chief constable to account
    goes on after the letter). In the case's history either way."""
    text, owner, due = checked_step(text, owner, due, "text")
    with store.transaction() as s:
        found = found_case(s, account, case_id)
        case = found.case
        if case.state not in (CaseState.DRAFT, CaseState.PUBLISHED):
            raise Conflict(f"case {case_id} is {case.state}: return it to draft to change its steps")
        if s.scalar(select(DraftAnswer.id).where(DraftAnswer.case_id == case.id, DraftAnswer.number == number)) \
                is None:
            raise InvalidValue(f"recommendation: case {case_id} has no recommendation {number}")
        action = Action(case_id=case.id, number=number, description=text[:2000], owner=owner[:128], due=due,
                        status=ActionStatus.OPEN, reason="", created_by=account.username, body=case.body)
        s.add(action)
        s.flush()
        log_change(s, case, account, f"recommendation {number} {'action' if case.state == CaseState.PUBLISHED else 'step'}",
                   None, f"{text} (owner: {owner}; due {due})")
        return action.id


@dataclass(frozen=True)
class DueItem:
    kind: str  # "case" (a response due) or "action"
    id: int
    force: str
    title: str
    due: dt.date
    days_left: int
    state: str
    url: str


def due(store: Store, account: Account | None, days: int = 30, today: dt.date | None = None,
        force: str | None = None) -> list[DueItem]:
    """Unpublished cases whose deadline and open actions whose due date fall in the next `days`
    days, and every overdue one; soonest (most overdue) first."""
    if days < 0:
        raise InvalidValue("days: 0 or more")
    day = today_or(today)
    until = day + dt.timedelta(days=days)
    cases = _scoped(select(Case.id, Force.name, Report.title, Report.deadline, Case.state)
                    .join(Response, Response.id == Case.response_id).join(Force, Force.id == Response.force_id)
                    .join(Report, Report.id == Response.report_id)
                    .where(Case.state != CaseState.PUBLISHED, Report.deadline.is_not(None), Report.deadline <= until),
                    account, force)
    acts = _scoped(_query().where(Action.status.in_(ActionStatus.still_open()), Action.due.is_not(None), Action.due <= until),
                   account, force)
    with store.session() as s:
        items = [DueItem("case", cid, f, f"Response to '{title}'", deadline, (deadline - day).days, state,
                         f"/cases/{cid}") for cid, f, title, deadline, state in s.execute(cases)]
        items += [DueItem("action", a.id, a.force, f"{a.description} (recommendation {a.label} of '{a.report_title}')",
                          a.due, (a.due - day).days, a.status, f"/actions/{a.id}")
                  for a in _views(s, s.execute(acts).all(), day, with_updates=False) if a.due]
    return sorted(items, key=lambda i: (i.due, i.kind, i.id))


@dataclass(frozen=True)
class PackReport:
    id: str
    title: str
    actions: list[ActionView]
    register: dict[int, RegisterEntry]  # HMICFRS's status of each recommendation for the force

    @property
    def promised(self) -> int:
        return len(self.actions)

    @property
    def done(self) -> int:
        return sum(1 for a in self.actions if a.status == ActionStatus.DONE)

    @property
    def late(self) -> int:
        return sum(1 for a in self.actions if a.late)


@dataclass(frozen=True)
class Pack:
    force: str
    today: dt.date
    reports: list[PackReport]

    @property
    def open(self) -> int:
        return sum(1 for r in self.reports for a in r.actions if a.status in ActionStatus.still_open())

    @property
    def overdue(self) -> int:
        return sum(1 for r in self.reports for a in r.actions if a.overdue)


def pack(store: Store, account: Account | None, force: str, today: dt.date | None = None) -> Pack:
    """The holding-to-account pack: by report, what the force promised, what is done, what is
    late, and HMICFRS's own view of each recommendation, for the commissioner's accountability
    meetings with the chief constable."""
    day = today_or(today)
    grouped: dict[str, tuple[str, list[ActionView]]] = {}
    for a in actions(store, account, force=force, today=day):
        grouped.setdefault(a.report_id, (a.report_title, []))[1].append(a)
    with store.session() as s:
        reports = [PackReport(rid, title, acts, register_status(s, rid, force))
                   for rid, (title, acts) in sorted(grouped.items(), key=lambda kv: kv[1][0])]
    return Pack(force, day, reports)
