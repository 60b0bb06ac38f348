"""Responses: an analyst chooses the document a response is judged on (its statutory document),
or sends it back to the default, the earliest letter or web page. The form is on the report
page, in each matrix row's documents; its JSON twin is under /api."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any, Optional

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from ...office.permissions import Account
from ...store import Store, reports
from ..deps import WRITE_ERRORS, Analyst, Id, StoreDep, Today
from ..schemas import ResponseOut
from ..views import date

router = APIRouter()


class StatutoryIn(BaseModel):
    document_id: Optional[Id] = Field(description="One of the response's documents; null: back to the earliest "
                                                   "letter or web page")


def choose(response_id: int, document_id: int | None, account: Account, store: Store,
           today: dt.date | None = None) -> dict[str, Any]:
    """Record the choice, then the response as it is now judged."""
    store.choose_statutory(response_id, document_id, account.username)
    [row] = reports.responses(store, today=today, response_id=response_id)
    return {**asdict(row), "responded": date(row.responded), "deadline": date(row.deadline)}


@router.post("/responses/{response_id}/statutory", include_in_schema=False)
def statutory_form(response_id: Id, account: Analyst, store: StoreDep, document_id: Optional[Id] = Form(None)):
    row = choose(response_id, document_id, account, store)
    return RedirectResponse(f"/reports/{row['report_id']}#response-{response_id}", status_code=303)


@router.post("/api/responses/{response_id}/statutory", response_model=ResponseOut, responses=WRITE_ERRORS,
             tags=["reports"])
def statutory_json(response_id: Id, choice: StatutoryIn, account: Analyst, store: StoreDep,
                   today: Today = None) -> dict:
    """Judge a response on another of its documents (an analyst, signed in; the header
    X-CSRF-Token carries the session's token), or on the default again (`document_id` null).
    The choice is kept with who made it; answers the response as now judged: status, date,
    days taken, on time, `statutory_document_id`, `chosen_by`."""
    return choose(response_id, choice.document_id, account, store, today)
