"""The whole draft of a case, saved at once: its comments and, for every recommendation, the
stance, the explanation and the steps. The case page sends it as the user types; a save made
on an older version than the stored one is refused (`Stale`, a 409) rather than overwriting
what someone else saved, and every problem is named by the field it is in (`Problems`, a
422), so the page can show it beside what was typed. One store transaction: all of it is
saved, or none.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import delete, select

from ..errors import Conflict, InvalidValue
from ..record.fields import text_problem
from ..record.vocabulary import ActionStatus, Stance
from ..store import Store
from ..store.schema import Action, DraftAnswer
from .cases import COMMENTS, MAX_TEXT, TEXT_FIELDS, editable_case, log_change
from .inputs import day_problem
from .permissions import Account


@dataclass(frozen=True)
class StepIn:
    text: str
    owner: str
    due: dt.date | None


@dataclass(frozen=True)
class AnswerIn:
    number: int
    stance: str | None
    explanation: str
    steps: list[StepIn] = field(default_factory=list)


@dataclass(frozen=True)
class Draft:
    version: int
    comments: dict[str, str]  # COMMENTS' keys
    requested_by: dt.date | None
    answers: list[AnswerIn]


class Problems(InvalidValue):
    """What is wrong with a draft, each problem under the field it is in ("answers.2.steps.0.due")."""

    def __init__(self, fields: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


class Stale(Conflict):
    """The draft was saved on a version someone has since replaced."""

    def __init__(self, case_id: int, given: int, current: int):
        super().__init__(f"case {case_id} was saved by someone else since you loaded it (version {current}, "
                         f"yours {given}): merge your changes or reload")
        self.current = current


def _check(draft: Draft, numbers: set[int]) -> dict[str, str]:
    problems: dict[str, str] = {}

    def text(value: str, where: str) -> None:
        problem = text_problem(value)
        if problem:
            problems[where] = problem
        elif len(value) > MAX_TEXT:
            problems[where] = f"at most {MAX_TEXT} characters"

    for name, value in draft.comments.items():
        if name not in COMMENTS:
            problems[f"comments.{name}"] = "not a part of a case"
        else:
            text(value, f"comments.{name}")
    if draft.requested_by is not None and day_problem(draft.requested_by):
        problems["comments.requested_by"] = day_problem(draft.requested_by) or ""
    for i, a in enumerate(draft.answers):
        where = f"answers.{i}"
        if a.number not in numbers:
            problems[f"{where}.number"] = f"the case has no recommendation {a.number}"
        if a.stance is not None and a.stance not in Stance.drafted():
            problems[f"{where}.stance"] = f"one of {', '.join(Stance.drafted())}"
        text(a.explanation, f"{where}.explanation")
        for j, st in enumerate(a.steps):
            at = f"{where}.steps.{j}"
            text(st.text, f"{at}.text")
            text(st.owner, f"{at}.owner")
            if not (st.text.strip() or st.owner.strip() or st.due):
                continue  # an empty row: no step
            if not st.text.strip():
                problems[f"{at}.text"] = "say what will be done"
            if not st.owner.strip():
                problems[f"{at}.owner"] = "say who will do it"
            if st.due is None:
                problems[f"{at}.due"] = "give the date it is due by"
            elif day_problem(st.due):
                problems[f"{at}.due"] = day_problem(st.due) or ""
    return problems


def _steps(a: AnswerIn) -> list[tuple[str, str, dt.date | None]]:
    return [(" ".join(st.text.split())[:2000], " ".join(st.owner.split())[:128], st.due) for st in a.steps
            if st.text.strip() or st.owner.strip() or st.due]


def _shown(steps: list[tuple[str, str, dt.date | None]]) -> str:
    return "; ".join(f"{t} (owner: {o}; due {d})" for t, o, d in steps)


def save(store: Store, account: Account, case_id: int, draft: Draft) -> int:
    """Save the whole draft if `draft.version` is the stored one; returns the new version
    (the same one when nothing changed). Every change goes into the case's history."""
    with store.transaction() as s:
        case = editable_case(s, account, case_id).case
        if draft.version != case.version:
            raise Stale(case_id, draft.version, case.version)
        stored = {d.number: d for d in s.scalars(select(DraftAnswer).where(DraftAnswer.case_id == case.id))}
        problems = _check(draft, set(stored))
        if problems:
            raise Problems(problems)

        def change(what: str, before: object, after: object) -> None:
            log_change(s, case, account, what, before, after)  # and a new version

        if draft.requested_by is not None and draft.requested_by != case.comments_requested_by:
            change("comments requested by", case.comments_requested_by, draft.requested_by)
            case.comments_requested_by = draft.requested_by
        for name, value in draft.comments.items():
            column = COMMENTS[name]
            value = value.replace("\r\n", "\n")
            if value != getattr(case, column):
                change(TEXT_FIELDS[column], getattr(case, column), value)
                setattr(case, column, value)
        for a in draft.answers:
            row = stored[a.number]
            explanation = a.explanation.replace("\r\n", "\n")
            if a.stance != row.stance:
                change(f"recommendation {a.number} stance", row.stance, a.stance)
                row.stance = a.stance
            if explanation != row.explanation:
                change(f"recommendation {a.number} explanation", row.explanation, explanation)
                row.explanation = explanation
            actions = list(s.scalars(select(Action).where(Action.case_id == case.id, Action.number == a.number)
                                     .order_by(Action.id)))
            before, after = [(x.description, x.owner, x.due) for x in actions], _steps(a)
            if before != after:
                change(f"recommendation {a.number} steps", _shown(before) or None, _shown(after) or None)
                s.execute(delete(Action).where(Action.id.in_([x.id for x in actions])))
                s.add_all(Action(case_id=case.id, number=a.number, description=t, owner=o, due=d,
                                 status=ActionStatus.OPEN, reason="", created_by=account.username, body=case.body)
                          for t, o, d in after)
        return case.version
