"""Data shapes more than one router shows: a report's facts and its figures, as plain values."""
from __future__ import annotations

import datetime as dt

from ..store.reports import Figures, RecommendationInfo, ReportSummary


def date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def report_info(summary: ReportSummary, recommendations: list[RecommendationInfo] | None = None) -> dict:
    return {
        "id": summary.id,
        "title": summary.title,
        "publisher": summary.publisher,
        "published": date(summary.published),
        "deadline": date(summary.deadline),
        "days_left": summary.days_left,
        "origin": summary.origin,
        "recommendations_to_forces": summary.recommendations,
        "scope": {"applies": summary.scope.applies, "confidence": summary.scope.confidence,
                  "sources": list(summary.scope.sources), "note": summary.scope.note,
                  "duplicate_of": summary.scope.duplicate_of},
        "recommendations": [
            {"number": r.number, "report_number": r.report_number, "wording": r.wording, "due": date(r.due)}
            for r in recommendations or []
        ],
    }


def figures(f: Figures, missing: list[str]) -> dict:
    """A report's figures; `missing`: the expected forces with no response stored."""
    return {
        "responses": f.responded,
        "expected": f.expected,
        "on_time": f.on_time,
        "late": f.late,
        "overdue": f.overdue,
        "not_yet_due": f.not_yet_due,
        "statement_only": f.statement_only,
        "no_deadline": f.no_deadline,
        "not_collected": f.not_collected,
        "coverage": f.coverage,
        "on_time_rate": f.on_time_rate,
        "complete_rate": f.complete_rate,
        "median_days": f.median_days,
        "missing_forces": missing,
    }
