"""The overview (`/`, JSON at /api/overview): what is known (coverage: the pairs of report and
force in scope, responses found, checked and not found, not collected), every status's count,
what is overdue now, then the reports most recently due that have responses, with their
figures and each response's days taken."""
from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from ...record.vocabulary import ResponseStatus
from ...store import national, reports, review
from ...store.query import today_or
from ...store.reports import column_name
from ..deps import ERRORS, StoreDep, Today, templates
from ..schemas import Overview
from ..views import date, figures, report_info

router = APIRouter()

OVERDUE_SHOWN = 10  # reports, the most recently due; the rest are on the reports index
REPORTS_SHOWN = 10


def overview(store: StoreDep, today: Today = None) -> dict:
    """The same figures as the report pages and `scrutiny check`: one status SQL for all, its
    national counts in one aggregate statement."""
    day = today_or(today)
    counts, each = national.by_report(store, today=day)
    overdue = national.overdue_by_report(store, today=day, per_page=OVERDUE_SHOWN, counted=each)
    index = reports.reports_index(store, today=day, responded=True, sort="deadline", per_page=REPORTS_SHOWN)
    shown = index.reports.items
    missing = national.forces_without_response(store, [r.id for r in shown])
    queue = review.review_queue(store, per_page=1)
    return {
        "today": day.isoformat(),
        "in_scope": counts.expected,
        "coverage": counts.coverage,
        "counts": {word.value: getattr(counts, column_name(word)) for word in ResponseStatus},
        "overdue": [{**asdict(o), "deadline": date(o.deadline)} for o in overdue.items],
        "overdue_total": counts.overdue,
        "overdue_reports": overdue.total,
        "reports": [{**report_info(r), **figures(r.figures, missing[r.id])} for r in shown],
        "reports_total": index.reports.total,
        "responses": [
            {"response_id": r.response_id, "letter_id": r.statutory_document_id, "force": r.force,
             "report_id": r.report_id, "days_taken": r.days_taken, "day": r.day, "on_time": r.on_time}
            for r in reports.responses(store, today=day, report_ids=[summary.id for summary in shown])
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
    """Coverage (pairs in scope; found, statement only, checked and not found, not collected),
    counts of every status, what is overdue now (by report, the most recently due ten), and the
    ten reports with responses most recently due, with their figures (the overview page)."""
    return data
