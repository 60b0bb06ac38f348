"""Reports: the index (`/reports`) and one report's matrix (`/reports/{id}`): forces down,
recommendations across, one row per response. Each page has its JSON twin under /api, made
by the same call; the matrix also comes as CSV, and as a printable briefing."""
from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal, Optional
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field, StringConstraints, ValidationError

from ... import catalogue
from ...errors import InvalidValue
from ...office.permissions import Account
from ...oversight import exports
from ...store import Store, national, register, reports, scope
from ...store.query import Page
from ...store.scope import MAX_REASON_CHARS
from ..deps import (
    CSV_ERRORS,
    ERRORS,
    WRITE_ERRORS,
    Analyst,
    CSVResponse,
    FormText,
    PageNumber,
    PerPage,
    Status,
    StoreDep,
    Text,
    Today,
    XLSXResponse,
    Year,
    attachment,
    listed,
    templates,
)
from ..schemas import Listed, MatrixOut, ReportOut, ScopeChangeOut
from ..views import date, figures, report_info

router = APIRouter()

CELL_STATES = ("accepted", "partially accepted", "not accepted", "not stated", "not addressed")


def reports_index(store: StoreDep, today: Today = None,
                  q: Annotated[Optional[str], Query(max_length=200, description="Words in the title")] = None,
                  year: Year = None, origin: Optional[Literal["catalogue", "user"]] = None,
                  responded: Annotated[Optional[bool], Query(description="Only reports with (or without) a response stored")] = None,
                  sort: Literal["published", "title", "deadline", "overdue", "responses"] = "published",
                  page: PageNumber = 1, per_page: PerPage = 50) -> dict:
    index = reports.reports_index(store, today=today, q=q, year=year, origin=origin, responded=responded,
                                  sort=sort, page=page, per_page=per_page)
    missing = national.forces_without_response(store, [r.id for r in index.reports.items])
    items = [{**report_info(r), **figures(r.figures, missing[r.id])} for r in index.reports.items]
    return listed(Page(items, index.reports.total, page, per_page), index.facets,
                  {"q": q, "year": year, "origin": origin, "responded": responded, "sort": sort})


@router.get("/reports", response_class=HTMLResponse, include_in_schema=False)
def reports_page(request: Request, data: dict = Depends(reports_index)):
    return templates.TemplateResponse(request, "reports.html", data)


@router.get("/api/reports", response_model=Listed[ReportOut], responses=ERRORS, tags=["reports"])
def reports_json(data: dict = Depends(reports_index)) -> dict:
    """Every report in the catalogue with its figures as of `today`: filtered, sorted and paged,
    with facet counts by year and origin (the reports index page)."""
    return data


def report_matrix(report_id: str, store: StoreDep, today: Today = None,
                  sort: Literal["force", "region", "days", "date", "status"] = "force",
                  force: Annotated[Optional[str], Query(max_length=200, description="Part of a force's name")] = None,
                  region: Optional[str] = None, status: Status = None, on_time: Optional[bool] = None,
                  complete: Optional[bool] = None, page: PageNumber = 1, per_page: PerPage = 100) -> dict:
    """One report: a row per response (force), each cell the stance on a recommendation (or
    'not addressed'), every document of the response; then the forces with no response."""
    m = reports.report_matrix(store, report_id, today=today, sort=sort, force=force, region=region,
                              status_is=status, on_time=on_time, complete=complete, page=page, per_page=per_page)
    return {
        "report": report_info(m.report, m.recommendations),
        "figures": figures(m.report.figures, [s.force for s in m.not_responded]),
        "rows": [{
            "response_id": r.response_id, "letter_id": r.statutory_document_id, "force": r.force,
            "region": r.region, "status": r.status, "letter_date": date(r.responded), "date_basis": r.date_basis,
            "days_taken": r.days_taken, "day": r.day, "on_time": r.on_time, "complete": r.complete,
            "letters": len(r.attached), "in_scope": r.in_scope,
            "addressed": r.addressed, "expected": r.expected, "missing": list(r.missing), "chosen_by": r.chosen_by,
            "cells": [{"number": c.number, "state": c.state, "status": c.status, "document_id": c.document_id,
                       "origin": c.origin} for c in r.cells],
            "documents": [{"id": d.id, "kind": d.kind, "file": d.filename, "date": date(d.date),
                           "statutory": d.statutory} for d in r.attached],
        } for r in m.rows.items],
        "total": m.rows.total, "page": m.rows.page, "per_page": m.rows.per_page, "pages": m.rows.pages,
        "not_responded": [{**asdict(s), "deadline": date(s.deadline), "responded": date(s.responded), "day": s.day}
                          for s in m.not_responded],
        "scope_changes": [asdict(c) for c in scope.scope_changes(store, report_id)],
        "facets": m.facets,
        "filters": {"sort": sort, "force": force, "region": region, "status": status, "on_time": on_time,
                    "complete": complete},
        "regions": sorted({f.region for f in catalogue.forces()}),
        "forces": [f.name for f in catalogue.forces()],
        "named_forces": scope.expected_forces_of(store, report_id) if m.report.scope.applies == "named-forces" else [],
        "register_statuses": _register(store, report_id),
    }


def _register(store: Store, report_id: str) -> list[dict]:
    """HMICFRS's register: each recommendation's status per force, where it was imported."""
    with store.session() as s:
        statuses = register.register_status(s, report_id)
    return [{"number": t.number, "force": t.force, "status": t.status, "on": date(t.status_on), "record": t.record,
             "wording": t.wording, "history": t.history, "source": t.source} for t in statuses]


@router.get("/reports/{report_id}", response_class=HTMLResponse, include_in_schema=False)
def report_page(request: Request, data: dict = Depends(report_matrix)):
    return templates.TemplateResponse(request, "report.html", {**data, "states": CELL_STATES})


@router.get("/api/reports/{report_id}", response_model=MatrixOut, responses=ERRORS, tags=["reports"])
def report_json(data: dict = Depends(report_matrix)) -> dict:
    """One report's matrix: a row per response with its cells and documents, recommendations
    across, and the forces with no response; facet counts by status and region (the report page)."""
    return data


Table = tuple[list[str], list[list[Any]]]  # columns, rows


def report_table(report_id: str, store: StoreDep, today: Today = None) -> Table:
    return exports.matrix_rows(national.pair_table(store, report_id, today))


@router.get("/api/reports/{report_id}/matrix.csv", response_class=CSVResponse, responses=CSV_ERRORS,
            tags=["reports"])
def report_matrix_csv(report_id: str, table: Table = Depends(report_table)) -> CSVResponse:
    """The report as CSV: one row per force it expects to answer, responders or not (and per
    response outside its scope), with its status and the day of the period it answered on; one
    column per recommendation to forces (the stance). UTF-8 with a byte-order mark (for Excel)."""
    return CSVResponse(exports.table_csv(*table), headers=attachment(f"{report_id}-matrix.csv"))


@router.get("/api/reports/{report_id}/matrix.xlsx", response_class=XLSXResponse, responses=CSV_ERRORS,
            tags=["reports"])
def report_matrix_xlsx(report_id: str, table: Table = Depends(report_table)) -> XLSXResponse:
    """The same rows and columns as the CSV, as an Excel workbook."""
    columns, rows = table
    return XLSXResponse(exports.table_xlsx(columns, rows, title=report_id),
                        headers=attachment(f"{report_id}-matrix.xlsx"))


class ScopeIn(BaseModel):
    scope: Literal["all-forces", "named-forces", "none"]
    forces: list[Annotated[str, StringConstraints(max_length=128)]] = Field(
        default=[], max_length=43, description="The forces, for named-forces only")
    duplicate_of: Optional[Annotated[str, StringConstraints(max_length=128)]] = Field(
        default=None, description="The report whose response answers this one (scope none)")
    reason: Annotated[Text, StringConstraints(max_length=MAX_REASON_CHARS)] = ""


def _change(report_id: str, change: ScopeIn, account: Account, store: Store) -> dict:
    done = scope.change_scope(store, report_id, change.scope, change.forces, account.username, change.reason,
                              change.duplicate_of)
    return asdict(done)


@router.post("/reports/{report_id}/scope", include_in_schema=False)
def scope_form(report_id: str, account: Analyst, store: StoreDep, scope_: str = Form(alias="scope"),
               forces: list[str] = Form([]), duplicate_of: str = Form(""), reason: FormText = ""):
    try:
        change = ScopeIn(scope=scope_, forces=forces, duplicate_of=duplicate_of or None, reason=reason)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise InvalidValue(f"{'.'.join(map(str, exc.errors()[0]['loc']))}: {exc.errors()[0]['msg']}") from None
    _change(report_id, change, account, store)
    return RedirectResponse(f"/reports/{quote(report_id)}#scope", status_code=303)


@router.post("/api/reports/{report_id}/scope", response_model=ScopeChangeOut, responses=WRITE_ERRORS,
             tags=["reports"])
def scope_json(report_id: str, change: ScopeIn, account: Analyst, store: StoreDep) -> dict:
    """Change whose body must answer the report (an analyst, signed in; the header X-CSRF-Token
    carries the session's token): all forces, the named ones, or none (a duplicate of another
    report: none of its own). Kept with who, when, why, before and after; the statuses and
    figures follow at once. Answers the change."""
    return _change(report_id, change, account, store)


@router.get("/reports/{report_id}/briefing", response_class=HTMLResponse, include_in_schema=False)
def briefing_page(request: Request, store: StoreDep, data: dict = Depends(report_matrix)):
    """A printable briefing: figures, the matrix, and what each force says per recommendation."""
    quotes: dict[int, list[dict]] = {r["number"]: [] for r in data["report"]["recommendations"]}
    statutory = [row for row in data["rows"] if row["letter_id"] is not None]
    records = {letter.id: letter.record for letter in store.documents([row["letter_id"] for row in statutory])}
    for row in statutory:
        record = records[row["letter_id"]]
        for answer in record["recommendations"]:
            if answer["addressed"] and answer["number"] in quotes:
                text = " ".join(record["text"][s["start"]:s["end"]] for s in answer["evidence"][:2])
                quotes[answer["number"]].append({"force": row["force"], "letter_id": row["letter_id"],
                                                 "stance": answer["stance"], "status": answer["status"],
                                                 "quote": " ".join(text.split())})
    return templates.TemplateResponse(request, "briefing.html", {**data, "quotes": quotes})
