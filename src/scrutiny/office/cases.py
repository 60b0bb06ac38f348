"""Cases: the office's response to one report, a response in draft until it is published.

A case is opened for a report in the catalogue that expects the force's response (one per
force per report: the response's). The office records the chief constable's comments and,
for every recommendation to forces, a stance and the steps to be taken (each with an owner
and a due date) or the explanation of why no action will be taken (s.55(5B)). A case goes
for approval only when every recommendation has its answer; an approver publishes it,
which renders the letter and stores it as a document of the same response: the oversight
views see it at once, judged on time or late like any other document. Every change is kept
in the case's history.

The rules are here, as data: `TRANSITIONS` says which state a case may go to from which, and
with which permission; `authorize` (office.permissions) is the one check of who may act. Each
step reads, checks and writes in one store transaction, so what was checked is what is
written, and a failure part way leaves nothing done.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import asdict, dataclass
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Conflict, Forbidden, InvalidValue, NotFound
from ..record.vocabulary import ActionStatus, CaseState, Stance
from ..store import Store
from ..store.query import days_left, today_or
from ..store.responses import response_for
from ..store.schema import (
    Action,
    Case,
    CaseChange,
    DraftAnswer,
    Force,
    Recommendation,
    Report,
    ReportForce,
    Response,
    now,
)
from . import letter as letters
from .inputs import checked_day, checked_text
from .opening import open_new
from .permissions import Account, authorize
from .render.pdf import letter_pdf, midday

TEXT_FIELDS = {"body_comments": "the body's comments", "chief_comments": "the chief constable's comments",
               "body_on_chief": "the body's comments on the chief constable's"}
# The draft's names for them (`PUT /api/cases/{id}/draft`'s `comments`, the form's fields).
COMMENTS = {"body": "body_comments", "chief_constable": "chief_comments", "response_to_chief": "body_on_chief"}
MAX_TEXT = 20_000  # characters in one text box: a long letter's section, not a book


class Transition(NamedTuple):
    sources: tuple[CaseState, ...]
    target: CaseState
    permission: str  # who may make it (office.permissions)
    done: str  # how a refusal names it: "only a draft can be <done>"
    complete: bool  # only a case with nothing missing (`CaseView.problems`) may make it
    four_eyes: bool = False  # not by anyone who wrote the draft or sent it


# Four eyes: staff send a draft for approval; an approver who did not write it approves it;
# an approver publishes the approved letter. Returned to draft, a case keeps all its text.
TRANSITIONS = {
    "submit": Transition((CaseState.DRAFT,), CaseState.AWAITING_APPROVAL, "draft", "sent for approval", True),
    "approve": Transition((CaseState.AWAITING_APPROVAL,), CaseState.APPROVED, "publish", "approved", True, True),
    "return": Transition((CaseState.AWAITING_APPROVAL, CaseState.APPROVED), CaseState.DRAFT, "publish", "returned",
                         False),
    "publish": Transition((CaseState.APPROVED,), CaseState.PUBLISHED, "publish", "published", True),
}
EDITABLE = CaseState.DRAFT  # the one state whose comments, answers and steps may change, with "draft"
_ONLY = {CaseState.DRAFT: "a draft", CaseState.AWAITING_APPROVAL: "a case awaiting approval",
         CaseState.APPROVED: "an approved case"}


class NotReady(Conflict):
    """A case that cannot go for approval (or be published): `problems` says why, one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("not ready: " + "; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Step:
    id: int
    number: int
    description: str
    owner: str
    due: dt.date | None
    status: str


@dataclass(frozen=True)
class AnswerDraft:
    number: int  # the contract's number
    label: str  # the report's own number for it
    recommendation_id: str
    wording: str
    stance: str | None
    explanation: str
    steps: list[Step]

    @property
    def problem(self) -> str | None:
        """What this answer still lacks, in the words the page shows."""
        if self.stance is None:
            return f"Recommendation {self.label} has no stance"
        if self.stance == Stance.NOT_ACCEPTED and not self.explanation.strip():
            return f"Recommendation {self.label} is not accepted but has no explanation of why no action will be taken"
        if not self.steps and not self.explanation.strip():
            return f"Recommendation {self.label} has neither steps to be taken nor an explanation"
        return None


@dataclass(frozen=True)
class Change:
    at: dt.datetime
    author: str
    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class CaseView:
    id: int
    response_id: int
    force: str
    report_id: str
    report_title: str
    report_published: dt.date | None
    deadline: dt.date | None  # the last day of the 56-day period
    days_left: int | None
    state: str
    comments_requested_by: dt.date | None
    body_comments: str
    chief_comments: str
    body_on_chief: str
    opened_by: str
    opened_at: dt.datetime
    submitted_by: str | None
    submitted_at: dt.datetime | None
    published_by: str | None
    published_on: dt.date | None
    document_id: int | None
    on_time: bool | None  # once published
    answers: list[AnswerDraft]
    history: list[Change]
    letter: list[dict] | None  # the published letter's blocks
    version: int  # what a save of the whole draft must name (office.draft)
    approved_by: str | None
    approved_at: dt.datetime | None
    body: str  # the policing body whose work it is

    @property
    def problems(self) -> list[str]:
        """Everything that stops the case going for approval, one line each."""
        return [problem for problem, _ in self.problem_fields]

    @property
    def problem_fields(self) -> list[tuple[str, str]]:
        """`problems`, each with the draft's field it concerns (`comments.body`, `answers.0.stance`):
        where the page links it to."""
        out = []
        for key, name in COMMENTS.items():
            if name != "body_on_chief" and not getattr(self, name).strip():
                out.append((f"{TEXT_FIELDS[name][0].upper()}{TEXT_FIELDS[name][1:]} are not recorded", f"comments.{key}"))
        for i, a in enumerate(self.answers):
            if a.problem:
                out.append((a.problem, f"answers.{i}.stance" if a.stance is None else f"answers.{i}.explanation"))
        return out


@dataclass(frozen=True)
class CaseSummary:
    id: int
    force: str
    report_id: str
    report_title: str
    deadline: dt.date | None
    days_left: int | None
    state: str
    published_on: dt.date | None
    on_time: bool | None
    document_id: int | None


class _Found(NamedTuple):
    case: Case
    force: str
    report: Report


def found_case(s: Session, account: Account | None, case_id: int, public: bool = False) -> _Found:
    """The case, its force and report, if `account` may work on the force's cases (or,
    `public`, read it published)."""
    row = s.execute(select(Case, Force.name, Report).join(Response, Response.id == Case.response_id)
                    .join(Force, Force.id == Response.force_id).join(Report, Report.id == Response.report_id)
                    .where(Case.id == case_id)).first()
    if row is None:
        raise NotFound(f"no case with id {case_id}")
    found = _Found(*row)
    if public and found.case.state == CaseState.PUBLISHED:  # it is public, and no longer changes
        if account is not None:  # None: reading needs no sign-in
            authorize(account, "read")
        return found
    authorize(account, "draft", found.force)
    return found


def log_change(s: Session, case: Case, account: Account, field: str, before: object, after: object) -> None:
    def shown(v: object) -> str | None:
        return None if v is None else v.isoformat() if isinstance(v, dt.date) else str(v)
    s.add(CaseChange(case_id=case.id, author=account.username, field=field, before=shown(before), after=shown(after)))
    case.version += 1  # any change makes a page loaded before it stale


def transition(s: Session, account: Account, found: _Found, name: str, note: str = "") -> None:
    """Move the case along TRANSITIONS[name], if the account may and the case is where the
    move starts (and, for a move that needs it, nothing is missing); logged in its history."""
    move = TRANSITIONS[name]
    authorize(account, move.permission, found.force)
    case = found.case
    if case.state not in move.sources:
        only = " or ".join(_ONLY[state] for state in move.sources)
        raise Conflict(f"case {case.id} is {case.state}: only {only} can be {move.done}")
    if move.four_eyes and account.username in authors(s, case):
        raise Forbidden(f"{account.username} wrote or sent this draft: another approver must approve it")
    if move.complete:
        problems = view_of(s, found, today_or(None)).problems
        if problems:
            raise NotReady(problems)
    before, case.state = case.state, move.target
    log_change(s, case, account, "state", before, move.target + (f": {note}" if note else ""))


def authors(s: Session, case: Case) -> set[str]:
    """Who wrote the draft (changed anything but its state) or sent it for approval."""
    wrote = set(s.scalars(select(CaseChange.author).where(CaseChange.case_id == case.id, CaseChange.field != "state")))
    return wrote | {case.submitted_by} if case.submitted_by else wrote


def editable_case(s: Session, account: Account | None, case_id: int) -> _Found:
    """The case, if the account may change it and it is a draft."""
    found = found_case(s, account, case_id)
    if found.case.state != EDITABLE:
        raise Conflict(f"case {case_id} is {found.case.state}: only {_ONLY[EDITABLE]} can be changed")
    return found


def _text(value: str, name: str) -> str:
    checked_text(value, name)
    if len(value) > MAX_TEXT:
        raise InvalidValue(f"{name}: at most {MAX_TEXT} characters")
    return value.replace("\r\n", "\n")


def openable(store: Store, account: Account, force: str) -> list[tuple[str, str, dt.date | None]]:
    """(id, title, published) of the catalogue's reports expecting `force`'s response that
    have no case yet, most recent first."""
    authorize(account, "draft", force)
    with store.session() as s:
        taken = select(Response.report_id).join(Case, Case.response_id == Response.id).join(
            Force, Force.id == Response.force_id).where(Force.name == force)
        rows = s.execute(select(Report.id, Report.title, Report.published).join(
            ReportForce, ReportForce.report_id == Report.id).join(Force, Force.id == ReportForce.force_id)
            .where(Force.name == force, Report.id.not_in(taken))
            .order_by(Report.published.is_(None), Report.published.desc(), Report.id)).all()
    return [(r[0], r[1], r[2]) for r in rows]


def open_case(store: Store, account: Account, force: str, report_id: str) -> int:
    """Open the case of `force`'s response to a report; one per force per report."""
    authorize(account, "draft", force)  # before anything is looked up: another force's cases are not told
    with store.transaction() as s:
        force_id = s.scalar(select(Force.id).where(Force.name == force))
        if force_id is None:
            raise InvalidValue(f"force: no force named {force!r}")
        if s.get(Report, report_id) is None:
            raise InvalidValue(f"report: {report_id!r} is not in the catalogue")
        if s.scalar(select(ReportForce.force_id).where(ReportForce.report_id == report_id,
                                                       ReportForce.force_id == force_id)) is None:
            raise InvalidValue(f"report: {report_id} does not expect a response from {force}")
        response_id = response_for(s, force_id, report_id)
        existing = s.scalar(select(Case.id).where(Case.response_id == response_id))
        if existing is not None:
            raise Conflict(f"{force} already has case {existing} for {report_id}")
        return open_new(s, response_id, report_id, force, account.username).id


def cases(store: Store, account: Account, today: dt.date | None = None) -> list[CaseSummary]:
    """The cases the user may see (their force's, or every force's), nearest deadline first."""
    authorize(account, "draft")
    day = today_or(today)
    query = (select(Case, Force.name, Report, Response.on_time).join(Response, Response.id == Case.response_id)
             .join(Force, Force.id == Response.force_id).join(Report, Report.id == Response.report_id)
             .order_by(Case.state == CaseState.PUBLISHED, Report.deadline.is_(None), Report.deadline, Force.name))
    if account.confined_to is not None:
        query = query.where(Force.name == account.confined_to)
    with store.session() as s:
        return [CaseSummary(c.id, force, r.id, r.title, r.deadline, days_left(r.deadline, day), c.state,
                            c.published_on, on_time if c.state == CaseState.PUBLISHED else None, c.document_id)
                for c, force, r, on_time in s.execute(query)]


def get_case(store: Store, account: Account | None, case_id: int, today: dt.date | None = None) -> CaseView:
    """A case, for a user whose role and force allow it; a published one, for anyone who may
    read (`account` None where reading needs no sign-in): its letter is public."""
    with store.session() as s:
        return view_of(s, found_case(s, account, case_id, public=True), today_or(today))


def view_of(s: Session, found: _Found, day: dt.date) -> CaseView:
    case, force, report = found
    recs = {r.position: r for r in s.scalars(select(Recommendation).where(
        Recommendation.report_id == report.id, Recommendation.position.is_not(None)))}
    steps: dict[int, list[Step]] = {}
    for a in s.scalars(select(Action).where(Action.case_id == case.id).order_by(Action.id)):
        steps.setdefault(a.number, []).append(Step(a.id, a.number, a.description, a.owner, a.due, a.status))
    answers = []
    for d in s.scalars(select(DraftAnswer).where(DraftAnswer.case_id == case.id).order_by(DraftAnswer.number)):
        rec = recs.get(d.number)
        label = str(rec.number if rec and rec.number is not None else d.number)
        answers.append(AnswerDraft(d.number, label, rec.id if rec else f"{report.id}#{d.number}",
                                   (rec.wording or "") if rec else "", d.stance, d.explanation,
                                   steps.get(d.number, [])))
    history = [Change(c.at, c.author, c.field, c.before, c.after) for c in s.scalars(
        select(CaseChange).where(CaseChange.case_id == case.id).order_by(CaseChange.id))]
    on_time = s.scalar(select(Response.on_time).where(Response.id == case.response_id))
    return CaseView(
        id=case.id, response_id=case.response_id, force=force, report_id=report.id, report_title=report.title,
        report_published=report.published, deadline=report.deadline,
        days_left=days_left(report.deadline, day), state=case.state,
        comments_requested_by=case.comments_requested_by, body_comments=case.body_comments,
        chief_comments=case.chief_comments, body_on_chief=case.body_on_chief, opened_by=case.opened_by,
        opened_at=case.opened_at, submitted_by=case.submitted_by, submitted_at=case.submitted_at,
        published_by=case.published_by, published_on=case.published_on, document_id=case.document_id,
        on_time=on_time if case.state == CaseState.PUBLISHED else None, answers=answers, history=history,
        letter=case.letter, version=case.version, approved_by=case.approved_by, approved_at=case.approved_at,
        body=case.body)


def update_case(store: Store, account: Account, case_id: int, *, comments_requested_by: dt.date | None = None,
                **texts: str) -> None:
    """Set the date the chief constable's comments are requested by, and the comments."""
    with store.transaction() as s:
        case = editable_case(s, account, case_id).case
        if comments_requested_by is not None and comments_requested_by != case.comments_requested_by:
            checked_day(comments_requested_by, "comments requested by")
            log_change(s, case, account, "comments requested by", case.comments_requested_by, comments_requested_by)
            case.comments_requested_by = comments_requested_by
        for name, value in texts.items():
            if name not in TEXT_FIELDS:
                raise InvalidValue(f"{name}: not a part of a case")
            value = _text(value, TEXT_FIELDS[name])
            if value != getattr(case, name):
                log_change(s, case, account, TEXT_FIELDS[name], getattr(case, name), value)
                setattr(case, name, value)


def _answer(s: Session, case: Case, number: int) -> DraftAnswer:
    answer = s.scalar(select(DraftAnswer).where(DraftAnswer.case_id == case.id, DraftAnswer.number == number))
    if answer is None:
        raise NotFound(f"case {case.id} has no recommendation {number}")
    return answer


def set_answer(store: Store, account: Account, case_id: int, number: int, stance: str | None,
               explanation: str) -> None:
    if stance is not None and stance not in Stance.drafted():
        raise InvalidValue(f"stance: one of {', '.join(Stance.drafted())}")
    with store.transaction() as s:
        case = editable_case(s, account, case_id).case
        answer = _answer(s, case, number)
        explanation = _text(explanation, "explanation")
        if stance != answer.stance:
            log_change(s, case, account, f"recommendation {number} stance", answer.stance, stance)
            answer.stance = stance
        if explanation != answer.explanation:
            log_change(s, case, account, f"recommendation {number} explanation", answer.explanation, explanation)
            answer.explanation = explanation


def checked_step(text: str, owner: str, due: dt.date | None, name: str) -> tuple[str, str, dt.date]:
    """A step's (or an action's) words, owner and due day, each checked; `name` the words' field."""
    text = " ".join(_text(text, name).split())
    owner = " ".join(_text(owner, "owner").split())
    if not text:
        raise InvalidValue(f"{name}: say what will be done")
    if not owner:
        raise InvalidValue("owner: say who will do it")
    if due is None:
        raise InvalidValue("due: give the date it is due by")
    checked_day(due, "due")
    return text, owner, due


def add_step(store: Store, account: Account, case_id: int, number: int, description: str, owner: str,
             due: dt.date | None) -> int:
    description, owner, due = checked_step(description, owner, due, "step")
    with store.transaction() as s:
        case = editable_case(s, account, case_id).case
        _answer(s, case, number)
        action = Action(case_id=case.id, number=number, description=description[:2000],
                        owner=owner[:128], due=due, status=ActionStatus.OPEN, reason="", created_by=account.username,
                        body=case.body)
        s.add(action)
        s.flush()
        log_change(s, case, account, f"recommendation {number} step", None, f"{description} (owner: {owner}; due {due})")
        return action.id


def submit(store: Store, account: Account, case_id: int) -> None:
    """Send the case for approval; refused, naming each gap, while anything is unanswered."""
    with store.transaction() as s:
        found = found_case(s, account, case_id)
        transition(s, account, found, "submit")
        found.case.submitted_by, found.case.submitted_at = account.username, now()


def approve(store: Store, account: Account, case_id: int) -> None:
    """Approve a case sent for approval: an approver who neither wrote nor sent it (Forbidden otherwise)."""
    with store.transaction() as s:
        found = found_case(s, account, case_id)
        transition(s, account, found, "approve")
        found.case.approved_by, found.case.approved_at = account.username, now()


def return_to_draft(store: Store, account: Account, case_id: int, note: str) -> None:
    """Back to draft for changes, with everything written in it kept."""
    with store.transaction() as s:
        found = found_case(s, account, case_id)
        transition(s, account, found, "return", _text(note, "note").strip())
        found.case.approved_by = found.case.approved_at = None


def content(view: CaseView, day: dt.date, approver: str) -> letters.Content:
    """What the letter says: the case as entered, dated `day`, signed by the force's commissioner."""
    return letters.Content(
        force=view.force, report_id=view.report_id, report_title=view.report_title,
        report_published=view.report_published, date=day, signer=letters.signer(view.force, day, approver),
        body_comments=view.body_comments, chief_comments=view.chief_comments, body_on_chief=view.body_on_chief,
        answers=tuple(letters.Answer(a.number, a.label, a.recommendation_id, a.wording,
                                     a.stance or Stance.ACCEPTED,
                                     tuple(letters.Step(st.description, st.owner, st.due) for st in a.steps),
                                     a.explanation) for a in view.answers))


class Rendered(NamedTuple):
    """The published letter as it is stored: its file, its record, and its blocks for the page."""

    filename: str
    pdf: bytes
    record: dict
    blocks: list[dict]


def render(view: CaseView, day: dt.date, approver: str) -> Rendered:
    """The letter of the case as published on `day` by `approver`: the same case, day and
    approver give the same bytes."""
    what = content(view, day, approver)
    letter = letters.compose(what)
    filename = f"{_slug(view.force)}-{_slug(view.report_id)}-response.pdf"
    pdf = letter_pdf(letter, f"Response to '{view.report_title}'", what.signer.name, midday(day))
    source = {"path": filename, "sha256": hashlib.sha256(pdf).hexdigest(), "media_type": "application/pdf",
              "pages": None}
    return Rendered(filename, pdf, letters.record(what, letter, source, len(view.answers) or None),
                    [asdict(b) for b in letter.blocks])


def publish(store: Store, account: Account, case_id: int, today: dt.date | None = None) -> int:
    """Publish an approved case: the letter, dated today, becomes a document of the case's
    response (its record is the office's own, not re-extracted). Returns the document's id.

    One transaction: the letter is rendered from the case as checked, and stored with the
    case's move to published, or neither happens (AlreadyStored, a 409, if its very bytes are
    stored already as another document)."""
    day = today_or(today)
    with store.transaction() as s:
        found = found_case(s, account, case_id)
        transition(s, account, found, "publish")
        letter = render(view_of(s, found, day), day, account.name)
        document_id = store.save(f"office:case/{case_id}", letter.filename, letter.pdf, letter.record, s)[0]
        case = found.case
        case.published_by, case.published_on = account.username, day
        case.document_id, case.letter = document_id, letter.blocks
    return document_id


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
