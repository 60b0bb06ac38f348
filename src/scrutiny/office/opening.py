"""Opening a case: by a member of the office (`cases.open_case`), or by the system for each
in-scope force when an analyst confirms a new report (`open_for_report`). Both open it the same
way: a draft, a draft answer waiting for each recommendation to forces, its opening logged."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalogue import policing
from ..record.vocabulary import CaseState
from ..store.query import today_or
from ..store.responses import response_for
from ..store.schema import Case, CaseChange, DraftAnswer, Force, Recommendation, ReportForce, User
from .permissions import FORCE_SCOPED

OPENED = CaseState.DRAFT  # a case is opened (with "draft") in this state
SYSTEM = "system"  # the author of a case Scrutiny opens on its own (for a report an analyst confirmed)


def open_new(s: Session, response_id: int, report_id: str, force: str, author: str, note: str = "") -> Case:
    """A new case of a response, a draft answer waiting for each recommendation to forces; its
    opening logged."""
    body = policing.body_on(force, today_or(None))
    case = Case(response_id=response_id, state=OPENED, opened_by=author, body_comments="",
                chief_comments="", body_on_chief="", version=1,  # its opening, logged below
                body=body.name if body else "")
    s.add(case)
    s.flush()
    for (position,) in s.execute(select(Recommendation.position).where(
            Recommendation.report_id == report_id, Recommendation.position.is_not(None))
            .order_by(Recommendation.position)):
        s.add(DraftAnswer(case_id=case.id, number=position, stance=None, explanation=""))
    s.add(CaseChange(case_id=case.id, author=author, field="state", before=None,
                     after=OPENED + (f": {note}" if note else "")))
    return case


def open_for_report(s: Session, report_id: str, confirmed_by: str) -> list[int]:
    """Within the caller's transaction (an analyst confirming a new report): a case for each
    force the report expects a response from whose office works here (an active member of its
    staff, or its approver), unless it has one. Opened by the system, not a signed-in user; the
    case's history says who confirmed the report. The new cases' ids."""
    offices = select(User.force_id).where(User.active, User.role.in_(list(FORCE_SCOPED)), User.force_id.is_not(None))
    opened = []
    for force_id, force in s.execute(select(Force.id, Force.name).join(ReportForce, ReportForce.force_id == Force.id)
                                     .where(ReportForce.report_id == report_id, Force.id.in_(offices))
                                     .order_by(Force.name)).all():
        response_id = response_for(s, force_id, report_id)
        if s.scalar(select(Case.id).where(Case.response_id == response_id)) is None:
            opened.append(open_new(s, response_id, report_id, force, SYSTEM,
                                f"{report_id} confirmed by {confirmed_by}").id)
    return opened
