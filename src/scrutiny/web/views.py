"""What each page shows, as plain data: the HTML pages render it, the JSON API returns it."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from .. import catalogue
from ..store import Store, StoredDocument, reports, review
from ..store.query import MAX_PER_PAGE
from ..store.reports import Figures, RecommendationInfo, ReportSummary

CELL_STATES = ("accepted", "partially accepted", "not accepted", "not stated", "not addressed")


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _report_info(summary: ReportSummary, recommendations: list[RecommendationInfo] | None = None) -> dict:
    return {
        "id": summary.id,
        "title": summary.title,
        "publisher": summary.publisher,
        "published": _date(summary.published),
        "deadline": _date(summary.deadline),
        "days_left": summary.days_left,
        "recommendations": [
            {"number": r.number, "report_number": r.report_number, "wording": r.wording, "due": _date(r.due)}
            for r in recommendations or []
        ],
    }


def _figures(f: Figures, missing: list[str]) -> dict:
    return {
        "responses": f.responded,
        "expected": f.expected,
        "on_time": f.on_time,
        "late": f.late,
        "overdue": f.overdue,
        "not_yet_due": f.not_yet_due,
        "unknown": f.unknown,
        "on_time_rate": f.on_time_rate,
        "complete_rate": f.complete_rate,
        "median_days": f.median_days,
        "missing_forces": missing,
    }


def overview(store: Store, today: dt.date | None = None) -> dict:
    """Overdue now first; then every report with its figures, and each response's days taken
    (for the chart). The same figures as the matrix and `scrutiny check`."""
    index = reports.reports_index(store, today=today, per_page=MAX_PER_PAGE)  # newest first
    summaries = sorted(index.reports.items, key=lambda r: -r.figures.responded)  # answered ones first
    missing = reports.forces_without_response(store, [r.id for r in summaries])
    now = reports.compliance_now(store, today=today, status_is="overdue", per_page=OVERDUE_SHOWN)
    return {
        "today": now.today.isoformat(),
        "counts": now.counts,
        "overdue": [{**asdict(o), "deadline": _date(o.deadline), "responded": _date(o.responded)}
                    for o in now.standings.items],
        "overdue_total": now.standings.total,
        "reports": [{**_report_info(r), **_figures(r.figures, missing[r.id])} for r in summaries],
        "responses": [
            {"response_id": r.response_id, "letter_id": r.statutory_document_id, "force": r.force,
             "report_id": r.report_id, "days_taken": r.days_taken, "on_time": r.on_time}
            for r in reports.responses(store, today=today) if r.statutory_document_id is not None
        ],
        "unmatched": review.review_queue(store, per_page=1).unattached.total,
    }


OVERDUE_SHOWN = 20
SORTS = ("force", "region", "days", "date", "status")


def report_matrix(store: Store, report_id: str, sort: str = "force", region: str | None = None,
                  on_time: bool | None = None, complete: bool | None = None, force: str | None = None,
                  today: dt.date | None = None) -> dict:
    """Forces x recommendations for one report: one row per response, each cell the stance
    (or 'not addressed'), every document of the response listed."""
    m = reports.report_matrix(store, report_id, today=today, sort=sort, region=region, on_time=on_time,
                              complete=complete, force=force, per_page=MAX_PER_PAGE)
    return {
        "report": _report_info(m.report, m.recommendations),
        "figures": _figures(m.report.figures, [s.force for s in m.not_responded]),
        "rows": [{
            "response_id": r.response_id, "letter_id": r.statutory_document_id, "force": r.force,
            "region": r.region, "status": r.status, "letter_date": _date(r.responded), "date_basis": r.date_basis,
            "days_taken": r.days_taken, "on_time": r.on_time, "complete": r.complete, "letters": len(r.attached),
            "cells": [{"number": c.number, "state": c.state, "status": c.status, "document_id": c.document_id,
                       "origin": c.origin} for c in r.cells],
            "documents": [{"id": d.id, "kind": d.kind, "file": d.filename, "date": _date(d.date),
                           "statutory": d.statutory} for d in r.attached],
        } for r in m.rows.items],
        "filters": {"sort": sort, "region": region, "on_time": on_time, "complete": complete, "force": force},
        "regions": sorted({f.region for f in catalogue.forces()}),
    }


def letter(letter: StoredDocument) -> dict:
    return {
        "id": letter.id,
        "version": letter.version,
        "kind": letter.kind,
        "response_id": letter.response_id,
        "unattached_reason": letter.unattached_reason,
        "file": letter.filename,
        "media_type": letter.media_type,
        "sha256": letter.sha256,
        "ingested_at": letter.ingested_at.isoformat(),
        "verified": sorted(letter.verified),
        "record": letter.record,
        "corrections": letter.corrections,
    }


def segments(text: str, items: list[dict]) -> list[dict]:
    """The text cut at every span boundary; each piece lists the values whose evidence covers it."""
    cuts = {0, len(text)}
    for item in items:
        for s in item["spans"]:
            cuts.update((s["start"], s["end"]))
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    covering = []
    for start, end in zip(bounds, bounds[1:]):
        keys = [i["key"] for i in items if any(s["start"] <= start and end <= s["end"] for s in i["spans"])]
        covering.append({"text": text[start:end], "fields": keys})
    return covering
