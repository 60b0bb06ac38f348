"""Forces: the index (`/forces`), each force with its record across reports, and one force's
page (`/forces/{id}`): its response to every report it is expected to answer (days taken,
complete, the document judged), and who held its offices over time. JSON twins under /api."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Optional

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse

from ...record.vocabulary import ResponseStatus
from ...store import checks, forces, reports
from ...store.query import Facet, FacetValue, Page
from ..deps import (
    ERRORS,
    PageNumber,
    PerPage,
    Status,
    StoreDep,
    Today,
    listed,
    templates,
)
from ..schemas import ForceOut, ForcePageOut, Listed
from ..views import date

router = APIRouter()


def forces_index(store: StoreDep, today: Today = None, region: Optional[str] = None) -> dict:
    """The 43 forces, each with how many reports it answered on time, late, or not yet."""
    found = forces.forces_index(store, today=today, region=region)
    items = [asdict(f) for f in found]
    return {"items": items, "total": len(items), "page": 1, "per_page": max(1, len(items)), "pages": 1,
            "facets": [forces.regions(store, region)], "filters": {"region": region}, "statuses": list(ResponseStatus)}


@router.get("/forces", response_class=HTMLResponse, include_in_schema=False)
def forces_page(request: Request, data: dict = Depends(forces_index)):
    return templates.TemplateResponse(request, "forces.html", data)


@router.get("/api/forces", response_model=Listed[ForceOut], responses=ERRORS, tags=["forces"])
def forces_json(data: dict = Depends(forces_index)) -> dict:
    """Every force with its counts of reports by status as of `today`; facet: region (the forces page)."""
    return data


ForceKey = Annotated[str, Path(max_length=128, description="The force's id, or its name")]


def force_detail(force: ForceKey, store: StoreDep, today: Today = None, status: Status = None, page: PageNumber = 1,
                 per_page: PerPage = 25) -> dict:
    found = forces.force_page(store, force, today=today, status_is=status, page=page, per_page=per_page)
    rows = {r.response_id: r for r in reports.responses(store, today=today, force=found.force.name)}
    standings = []
    for s in found.standings.items:
        row = rows.get(s.response_id) if s.response_id is not None else None
        standings.append({**asdict(s), "deadline": date(s.deadline), "responded": date(s.responded), "day": s.day,
                          "letter_id": row.statutory_document_id if row else None,
                          "documents": row.documents if row else 0,
                          "on_time": row.on_time if row else None, "complete": row.complete if row else None,
                          "addressed": row.addressed if row else None, "expected": row.expected if row else None})
    counts = found.force.counts
    log = checks.of_force(store, found.force.id)
    status_facet = Facet("status", [FacetValue(name, counts[name], name == status) for name in ResponseStatus if counts[name]])
    return {
        "force": asdict(found.force),
        "office_holders": [asdict(h) for h in found.office_holders],
        "median_days": found.median_days,
        "complete": found.complete,
        "incomplete": found.incomplete,
        "responses": listed(Page(standings, found.standings.total, page, per_page),
                            [status_facet], {"status": status}),
        "check_log": {**asdict(log), "summary": log.summary},
    }


def _year(value: str | None) -> float | None:
    """A term's start or end as a fractional year: "2021-04-01" -> 2021.25, "2016" -> 2016.0."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    return parts[0] + ((parts[1] - 1) / 12 if len(parts) > 1 else 0.0)


def timeline(holders: list[dict], today: float) -> dict:
    """The office holders as bars on a time axis: one lane per office, a bar per term (a term
    with no end runs to today; one whose start is unknown is left out of the picture)."""
    terms: list[tuple[dict, float, float]] = []
    for h in holders:
        start, end = _year(h["started"]), _year(h["ended"])
        if start is not None:
            terms.append((h, start, end or today))
    if not terms:
        return {"lanes": [], "years": []}
    first, last = int(min(t[1] for t in terms)), int(max(t[2] for t in terms)) + 1
    offices = sorted({h["office"] for h, _, _ in terms}, key=lambda o: (o != "PCC", o))
    span = max(1, last - first)
    return {"lanes": [{"office": office, "bars": [
                {"name": h["name"], "x": (start - first) / span, "width": max(0.004, (end - start) / span),
                 "current": not h["ended"], "label": f"{h['name']}: {h['started']} to {h['ended'] or 'now'}"}
                for h, start, end in terms if h["office"] == office]} for office in offices],
            "years": [(year, (year - first) / span) for year in range(first, last + 1, max(1, span // 10))]}


@router.get("/forces/{force}", response_class=HTMLResponse, include_in_schema=False)
def force_page(request: Request, data: dict = Depends(force_detail), today: Today = None):
    now = today or dt.date.today()
    return templates.TemplateResponse(request, "force.html", {
        **data, "timeline": timeline(data["office_holders"], now.year + (now.month - 1) / 12)})


@router.get("/api/forces/{force}", response_model=ForcePageOut, responses=ERRORS, tags=["forces"])
def force_json(data: dict = Depends(force_detail)) -> dict:
    """One force: its standing with every report it is expected to answer (most recent deadline
    first; filter by status), its median days, how many responses are complete, its office
    holders over time, and the collector's check log of its sources (the force page)."""
    return data
