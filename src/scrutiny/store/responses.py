"""Responses: attaching documents to them, and judging each one (design.md).

A document joins the response of its force and report. The response's statutory document
is the analyst's choice, else its earliest letter or web page; a press statement is kept
but is not the response. On time is judged on the statutory document's date; complete on
every recommendation to forces answered in any of the response's documents.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .schema import Answer, Case, Document, Recommendation, Response

STATUTORY_KINDS = ("letter", "web page")
QUOTE_CHARS = 400


def attach(s: Session, document: Document) -> str | None:
    """Set the document's response from its force and report; returns why it cannot be attached."""
    if document.force_id is None:
        reason = "the force is not identified"
    elif document.report_id is None:
        reason = ("the report is not in the catalogue: " + document.report_title if document.report_title
                  else "no inspection report is identified")
    else:
        document.response_id = response_for(s, document.force_id, document.report_id)
        document.unattached_reason = None
        return None
    document.response_id, document.unattached_reason = None, reason
    return reason


def response_for(s: Session, force_id: int, report_id: str) -> int:
    """The response of this force to this report, made if there is none yet."""
    query = select(Response.id).where(Response.force_id == force_id, Response.report_id == report_id)
    found = s.scalar(query)
    if found is not None:
        return found
    try:
        with s.begin_nested():  # another writer may make the same response at the same moment
            response = Response(force_id=force_id, report_id=report_id, documents=0)
            s.add(response)
        return response.id
    except IntegrityError:
        return s.scalar(query)  # type: ignore[return-value]  # the other writer's row


def _order(document: Document) -> tuple:
    return (document.date is None, document.date, document.id)


def refresh(s: Session, response_id: int, record_of: Callable[[Document], tuple[int, dict]]) -> None:
    """Recompute a response from its documents: statutory document, figures, answers.

    `record_of(document)` gives (version id, record) of a document's current version, its
    corrections applied. A response left with no documents is removed, unless the office
    has a case for it (a response in draft).
    """
    response = s.get(Response, response_id)
    if response is None:
        return
    documents = sorted(s.scalars(select(Document).where(Document.response_id == response_id)), key=_order)
    s.execute(delete(Answer).where(Answer.response_id == response_id))
    if not documents and s.scalar(select(Case.id).where(Case.response_id == response_id)) is None:
        s.delete(response)
        return
    chosen = next((d for d in documents if d.id == response.chosen_document_id), None)
    if chosen is None:
        response.chosen_document_id = response.chosen_by = None
    statutory = chosen or next((d for d in documents if d.kind in STATUTORY_KINDS), None)
    response.statutory_document_id = statutory.id if statutory else None
    response.documents = len(documents)
    positions = dict(s.execute(select(Recommendation.position, Recommendation.id).where(
        Recommendation.report_id == response.report_id, Recommendation.position.is_not(None))).all())
    response.expected = len(positions) or None  # no recommendations catalogued: completeness is unknown
    if statutory is None:
        response.responded = response.date_basis = response.deadline = None
        response.days_taken = response.on_time = response.addressed = response.complete = None
        return
    response.responded, response.date_basis = statutory.date, statutory.date_basis
    response.deadline, response.days_taken, response.on_time = statutory.deadline, statutory.days_taken, statutory.on_time

    # The statutory document answers first; the others fill what it leaves unanswered.
    best: dict[int, tuple[Document, dict, int, str]] = {}
    for document in [statutory, *(d for d in documents if d is not statutory)]:
        if best and all(answer["addressed"] for _, answer, _, _ in best.values()):
            break  # every recommendation answered: the other documents cannot change a cell
        version_id, record = record_of(document)
        for answer in record["recommendations"]:
            kept = best.get(answer["number"])
            if kept is None or (answer["addressed"] and not kept[1]["addressed"]):
                best[answer["number"]] = (document, answer, version_id, record["text"])
    for number, (document, answer, version_id, text) in sorted(best.items()):
        if positions and number not in positions:
            continue  # read against recommendations the catalogue no longer has
        quote = " … ".join(" ".join(text[e["start"]:e["end"]].split()) for e in answer["evidence"][:2])
        s.add(Answer(response_id=response_id, number=number, recommendation_id=positions.get(number),
                     document_id=document.id, version_id=version_id, addressed=answer["addressed"],
                     stance=answer["stance"], status=answer["status"], quote=quote[:QUOTE_CHARS],
                     evidence=answer["evidence"],
                     origin="corrected" if answer.get("verified") else answer.get("origin", "extracted")))
    addressed = sum(1 for _, answer, _, _ in best.values() if answer["addressed"])
    response.addressed = addressed if response.expected else None
    response.complete = addressed >= response.expected if response.expected else None


def choose(s: Session, response: Response, document_id: int | None, author: str) -> None:
    """An analyst names the statutory document (None: back to the earliest letter or page)."""
    response.chosen_document_id = document_id
    response.chosen_by = author if document_id is not None else None
