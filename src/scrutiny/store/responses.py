"""Responses: attaching documents to them, and judging each one (design.md).

A document joins the response of its force and report. The response's statutory document
is the analyst's choice, else its earliest letter or web page; a press statement is kept
but is not the response. On time is judged on the statutory document's date; complete on
every recommendation to forces answered in any of the response's documents.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Row, delete, insert, select
from sqlalchemy.orm import Session

from ..record.vocabulary import STATUTORY_KINDS
from .documents import Records
from .schema import Answer, Case, Document, Recommendation, Response

QUOTE_CHARS = 400


def attach(s: Session, documents: Iterable[Document], known: dict[tuple[int, str], int] | None = None,
           held: dict[int, str] | None = None) -> None:
    """Set each document's response from its force and report, or why it cannot be attached.
    `known` holds (force id, report id) -> response id of responses looked up or made already;
    the others are looked up in one query, and made where there is none yet. `held` gives the
    documents (by id) that wait for an analyst whatever their force and report, with the reason."""
    held = held or {}
    documents = list(documents)
    known = {} if known is None else known
    wanted = list(dict.fromkeys((d.force_id, d.report_id) for d in documents  # (in order, once each)
                                if d.force_id is not None and d.report_id is not None and d.id not in held
                                and (d.force_id, d.report_id) not in known))
    if wanted:
        for response_id, force_id, report_id in s.execute(
                select(Response.id, Response.force_id, Response.report_id)
                .where(Response.report_id.in_({report_id for _, report_id in wanted}))):
            known.setdefault((force_id, report_id), response_id)
        known.update(_made(s, [key for key in wanted if key not in known]))
    for document in documents:
        if document.id in held:
            reason: str | None = held[document.id]
        elif document.force_id is None:
            reason = "the force is not identified"
        elif document.report_id is None:
            reason = ("the report is not in the catalogue: " + document.report_title if document.report_title
                      else "no inspection report is identified")
        else:
            reason = None
        document.unattached_reason = reason
        document.response_id = None if reason else known[(document.force_id, document.report_id)]  # type: ignore[index]


def response_for(s: Session, force_id: int, report_id: str) -> int:
    """The response of this force to this report, made if there is none yet. (The caller holds
    the store's write lock, so no other writer can make it meanwhile.)"""
    found = s.scalar(select(Response.id).where(Response.force_id == force_id, Response.report_id == report_id))
    return found if found is not None else _made(s, [(force_id, report_id)])[(force_id, report_id)]


def _made(s: Session, keys: list[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """New responses, with no documents yet, for these (force id, report id); their ids."""
    made = {key: Response(force_id=key[0], report_id=key[1], documents=0) for key in keys}
    if made:
        s.add_all(made.values())
        s.flush()
    return {key: response.id for key, response in made.items()}


# What judging a response reads of its documents: a few columns, not whole rows and objects.
_JUDGED = (Document.id, Document.response_id, Document.kind, Document.date, Document.date_basis, Document.deadline,
           Document.days_taken, Document.on_time)


def _order(document: Row) -> tuple:
    return (document.date is None, document.date, document.id)


def refresh(s: Session, response_ids: Iterable[int], records: Records) -> None:
    """Recompute responses from their documents: statutory document, figures, answers.

    `records` gives (version id, record) of a document's current version, its corrections
    applied. A response left with no documents is removed, unless the office has a case for it
    (a response in draft). Each table is read once for all the responses (the records of their
    statutory documents too), so refreshing a batch costs little more than refreshing one.
    """
    ids = sorted(set(response_ids))
    found = {r.id: r for r in s.scalars(select(Response).where(Response.id.in_(ids)))}
    documents: dict[int, list[Row]] = {response_id: [] for response_id in ids}
    for document in s.execute(select(*_JUDGED).where(Document.response_id.in_(ids))):
        documents[document.response_id].append(document)
    for in_order in documents.values():
        in_order.sort(key=_order)
    s.execute(delete(Answer).where(Answer.response_id.in_(ids)))
    drafting = set(s.scalars(select(Case.response_id).where(Case.response_id.in_(ids))))
    positions: dict[str, dict[int, str]] = {}
    for report_id, position, recommendation_id in s.execute(
            select(Recommendation.report_id, Recommendation.position, Recommendation.id).where(
                Recommendation.report_id.in_({r.report_id for r in found.values()}),
                Recommendation.position.is_not(None))):
        assert position is not None  # filtered in the query
        positions.setdefault(report_id, {})[position] = recommendation_id
    records.load(statutory.id for response in found.values()
                 if (statutory := _statutory(response, documents[response.id])) is not None)
    answers = []
    for response_id in ids:
        if response_id in found:
            answers += _judge(s, found[response_id], documents[response_id],
                              positions.get(found[response_id].report_id, {}), records, response_id in drafting)
    if answers:  # rows, not objects: nothing reads them back in this session
        s.execute(insert(Answer), answers)


def _statutory(response: Response, documents: list[Row]) -> Row | None:
    """The document a response is judged on: the analyst's choice, else the earliest letter or page."""
    chosen = next((d for d in documents if d.id == response.chosen_document_id), None)
    return chosen or next((d for d in documents if d.kind in STATUTORY_KINDS), None)


def _judge(s: Session, response: Response, documents: list[Row], positions: dict[int, str],
           records: Records, has_case: bool = False) -> list[dict]:
    """One response's figures from its documents (in date order) and its report's
    recommendations to forces (position -> id); returns its answers' rows. A response with no
    documents is removed, unless the office has a case for it."""
    if not documents and not has_case:
        s.delete(response)
        return []
    if not any(d.id == response.chosen_document_id for d in documents):
        response.chosen_document_id = response.chosen_by = None
    statutory = _statutory(response, documents)
    response.statutory_document_id = statutory.id if statutory else None
    response.documents = len(documents)
    response.expected = len(positions) or None  # no recommendations catalogued: completeness is unknown
    if statutory is None:
        response.responded = response.date_basis = response.deadline = None
        response.days_taken = response.on_time = response.addressed = response.complete = None
        return []
    response.responded, response.date_basis = statutory.date, statutory.date_basis
    response.deadline, response.days_taken, response.on_time = statutory.deadline, statutory.days_taken, statutory.on_time

    # The statutory document answers first; the others fill what it leaves unanswered.
    best: dict[int, tuple[Row, dict, int, str]] = {}
    for document in [statutory, *(d for d in documents if d is not statutory)]:
        if best and all(answer["addressed"] for _, answer, _, _ in best.values()):
            break  # every recommendation answered: the other documents cannot change a cell
        version_id, record = records(document.id)
        for answer in record["recommendations"]:
            kept = best.get(answer["number"])
            if kept is None or (answer["addressed"] and not kept[1]["addressed"]):
                best[answer["number"]] = (document, answer, version_id, record["text"])
    rows = []
    for number, (document, answer, version_id, text) in sorted(best.items()):
        if positions and number not in positions:
            continue  # read against recommendations the catalogue no longer has
        quote = " … ".join(" ".join(text[e["start"]:e["end"]].split()) for e in answer["evidence"][:2])
        rows.append({"response_id": response.id, "number": number, "recommendation_id": positions.get(number),
                     "document_id": document.id, "version_id": version_id, "addressed": answer["addressed"],
                     "stance": answer["stance"], "status": answer["status"], "quote": quote[:QUOTE_CHARS],
                     "evidence": answer["evidence"],
                     "origin": "corrected" if answer.get("verified") else answer.get("origin", "extracted")})
    addressed = sum(1 for _, answer, _, _ in best.values() if answer["addressed"])
    response.addressed = addressed if response.expected else None
    response.complete = addressed >= response.expected if response.expected else None
    return rows


def choose(s: Session, response: Response, document_id: int | None, author: str) -> None:
    """An analyst names the statutory document (None: back to the earliest letter or page)."""
    response.chosen_document_id = document_id
    response.chosen_by = author if document_id is not None else None
