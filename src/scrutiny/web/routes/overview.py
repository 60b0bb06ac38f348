"""The overview (`/`, JSON at /api/overview): what is overdue now, then the reports most
recently due that have responses, with their figures and each response's days taken."""
from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from ...store import reports, review
from ..deps import ERRORS, StoreDep, Today, templates
from ..schemas import Overview
from ..views import date, figures, report_info

router = APIRouter()

OVERDUE_SHOWN = 10  # reports, the most recently due; the rest are on the reports index
REPORTS_SHOWN = 10


def overview(store: StoreDep, today: Today = None) -> dict:
    """The same figures as the report pages and `scrutiny check`: one query shape for all."""
    now = reports.compliance_now(store, today=today, status_is="overdue", per_page=1)
    overdue = reports.overdue_by_report(store, today=today, per_page=OVERDUE_SHOWN)
    index = reports.reports_index(store, today=today, responded=True, sort="deadline", per_page=REPORTS_SHOWN)
    shown = index.reports.items
    missing = reports.forces_without_response(store, [r.id for r in shown])
    queue = review.review_queue(store, per_page=1)
    return {
        "today": now.today.isoformat(),
        "counts": now.counts,
        "overdue": [{**asdict(o), "deadline": date(o.deadline)} for o in overdue.items],
        "overdue_total": now.standings.total,
        "overdue_reports": overdue.total,
        "reports": [{**report_info(r), **figures(r.figures, missing[r.id])} for r in shown],
        "reports_total": index.reports.total,
        "responses": [
            {"response_id": r.response_id, "letter_id": r.statutory_document_id, "force": r.force,
             "report_id": r.report_id, "days_taken": r.days_taken, "on_time": r.on_time}
            for summary in shown for r in reports.responses(store, today=today, report_id=summary.id)
            if r.statutory_document_id is not None
        ],
        "unattached": queue.unattached.total,
        "failed": queue.failed.total,
    }


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def overview_page(request: Request, data: dict = Depends(overview)):
    return templates.TemplateResponse(request, "overview.html", data)


@router.get("/api/overview", response_model=Overview, responses=ERRORS, tags=["overview"])
def overview_json(data: dict = Depends(overview)) -> dict:
    """What is overdue now (the most recent 20), counts of every status, and the ten reports
    with responses most recently due, with their figures (the overview page)."""
    return data
