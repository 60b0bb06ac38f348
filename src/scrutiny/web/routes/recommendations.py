"""A report's recommendations from its own text: on the report page an analyst pastes the
report's recommendations section, sees what was read (`/reports/{id}/recommendations/parse`),
corrects it and confirms (`/reports/{id}/recommendations`); the list joins the report in the
catalogue, the change logged with their name. The JSON twins are under /api. The text is read
in a worker process, as an uploaded file is."""
from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from ...errors import InvalidValue
from ...oversight import recommendations
from ...store import Store
from ...store import reports as queries
from ..deps import WRITE_ERRORS, Analyst, FormText, StoreDep, Text, templates
from ..schemas import ParsedRecommendations, RecommendationsKept

router = APIRouter()


class PastedIn(BaseModel):
    text: Annotated[Text, Field(max_length=recommendations.MAX_PASTED_CHARS,
                                description="The report's recommendations section, as text")]


class RecommendationIn(BaseModel):
    number: Optional[int] = Field(None, ge=1, le=999, description="The report's own number, if it gives one")
    addressees: list[Annotated[Text, Field(max_length=recommendations.MAX_SHORT_CHARS)]] = Field(
        default=[], max_length=20)
    due: Optional[Annotated[Text, Field(max_length=recommendations.MAX_SHORT_CHARS)]] = Field(
        None, description="A day (YYYY-MM-DD) or as the report words it ('Within three months')")
    wording: Annotated[Text, Field(max_length=recommendations.MAX_WORDING_CHARS)]


class RecommendationsIn(BaseModel):
    recommendations: list[RecommendationIn] = Field(max_length=500)


def _report(store: Store, report_id: str) -> dict:
    summary = queries.report_summary(store, report_id)  # NotFound for an unknown id
    return {"id": summary.id, "title": summary.title}


def parse(report_id: str, store: Store, text: str) -> dict:
    report = _report(store, report_id)
    page = recommendations.parse_text(text)
    return {"report": report, "recommendations": page["recommendations"],
            "causes_of_concern": page["causes_of_concern"], "areas_for_improvement": page["areas_for_improvement"]}


def keep(report_id: str, store: Store, recs: list[dict], author: str) -> dict:
    _report(store, report_id)
    outcome = recommendations.confirm(store, report_id, recs, author)
    report = next(r for r in store.reports() if r.id == report_id)
    return {"report_id": report_id, "status": outcome.status, "message": outcome.message.removeprefix("the form: "),
            "recommendations": [{"number": r.number, "addressees": list(r.addressees),
                                 "due": r.due.isoformat() if r.due else r.due_note, "wording": r.wording}
                                for r in report.recommendations]}


@router.post("/reports/{report_id}/recommendations/parse", response_class=HTMLResponse, include_in_schema=False)
def parse_form(request: Request, report_id: str, account: Analyst, store: StoreDep, text: FormText = ""):
    return templates.TemplateResponse(request, "recommendations.html", parse(report_id, store, text))


@router.post("/api/reports/{report_id}/recommendations/parse", response_model=ParsedRecommendations,
             responses=WRITE_ERRORS, tags=["reports"])
def parse_json(report_id: str, pasted: PastedIn, account: Analyst, store: StoreDep) -> dict:
    """Read a report's recommendations from pasted text (an analyst, signed in; the header
    X-CSRF-Token carries the session's token), storing nothing: each with its number, addressees,
    due date and wording; the causes of concern, and the areas for improvement (which need no answer)."""
    return parse(report_id, store, pasted.text)


def _number(value: str, i: int) -> int | None:
    if not value.strip():
        return None
    if not value.strip().isdigit():
        raise InvalidValue(f"recommendations[{i}].number: a whole number from 1 to 999, or none")
    return int(value)


@router.post("/reports/{report_id}/recommendations", include_in_schema=False)
def keep_form(report_id: str, account: Analyst, store: StoreDep,
              wording: Annotated[list[str], Form()], number: Annotated[list[str], Form()],
              addressees: Annotated[list[str], Form()], due: Annotated[list[str], Form()]):
    if not len(wording) == len(number) == len(addressees) == len(due):
        raise InvalidValue("recommendations: each needs its number, addressees, due date and wording fields")
    recs = [{"number": _number(n, i), "addressees": [a for a in who.split(";") if a.strip()], "due": d, "wording": w}
            for i, (n, who, d, w) in enumerate(zip(number, addressees, due, wording), 1)]
    keep(report_id, store, recs, account.username)
    return RedirectResponse(f"/reports/{report_id}#recommendations", status_code=303)


@router.post("/api/reports/{report_id}/recommendations", response_model=RecommendationsKept, responses=WRITE_ERRORS,
             tags=["reports"])
def keep_json(report_id: str, confirmed: RecommendationsIn, account: Analyst, store: StoreDep) -> dict:
    """Add recommendations to a report (an analyst, signed in): those it has already (the same
    words) stay as they are, the others are added after them, the change logged with the analyst's
    name. A recommendation with empty wording is left out. Answers the report's recommendations now."""
    return keep(report_id, store, [r.model_dump() for r in confirmed.recommendations], account.username)
