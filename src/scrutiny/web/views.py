"""What each page shows, as plain data: the HTML pages render it, the JSON API returns it."""
from __future__ import annotations

from typing import Any

from .. import catalogue, summary
from ..catalogue import Report
from ..compliance import deadline
from ..store import Store, StoredLetter

CELL_STATES = ("accepted", "partially accepted", "not accepted", "not stated", "not addressed")


def _report_info(report: Report) -> dict:
    return {
        "id": report.id,
        "title": report.title,
        "publisher": report.publisher,
        "published": report.published.isoformat() if report.published else None,
        "deadline": deadline(report.published).isoformat() if report.published else None,
        "recommendations": [
            {"number": i, "report_number": r.number, "wording": r.wording, "due": r.due.isoformat() if r.due else None}
            for i, r in enumerate(report.force_recommendations, 1)
        ],
    }


def _figures(fig: summary.ReportFigures) -> dict:
    return {
        "responses": fig.responses,
        "on_time_rate": fig.on_time_rate,
        "complete_rate": fig.complete_rate,
        "median_days": fig.median_days,
        "missing_forces": list(fig.missing_forces),
    }


def overview(store: Store) -> dict:
    """Every catalogue report with its figures, and each response's days taken (for the chart)."""
    rows = summary.rows(store)
    reports = store.reports()
    return {
        "reports": [{**_report_info(f.report), **_figures(f)} for f in summary.by_report(rows, reports)],
        "responses": [
            {"letter_id": r.letter_id, "force": r.force, "report_id": r.report_id, "days_taken": r.days_taken,
             "on_time": r.on_time}
            for r in rows
        ],
        "unmatched": sum(1 for r in rows if r.report_id is None),
    }


SORTS = {
    "force": lambda r: (r["force"] or "",),
    "region": lambda r: (r["region"] or "", r["force"] or ""),
    "days": lambda r: (r["days_taken"] is None, r["days_taken"] or 0),
    "date": lambda r: (r["letter_date"] or "9999",),
}


def report_matrix(store: Store, report: Report, sort: str = "force", region: str | None = None,
                  on_time: bool | None = None, complete: bool | None = None, force: str | None = None) -> dict:
    """Forces x recommendations for one report, each cell the stance (or 'not addressed').

    One row per force: its latest response (by letter date); `letters` counts all of that
    force's stored responses to the report. Letters whose force is unknown get a row each.
    """
    latest: dict[str, dict] = {}
    rows = []
    report_rows = []  # every response, unfiltered: the report's figures
    for letter_id, filename, d in store.digests():
        if d["report_id"] != report.id:
            continue
        r = summary.row(letter_id, d)
        report_rows.append(r)
        row: dict[str, Any] = {
            "letter_id": letter_id, "file": filename, "force": r.force, "region": r.region,
            "letter_date": r.letter_date, "days_taken": r.days_taken, "on_time": r.on_time, "complete": r.complete,
            "cells": [{"number": a["number"], "state": a["stance"] if a["addressed"] else "not addressed",
                       "status": a["status"] if a["addressed"] else None} for a in d["answers"]],
        }
        if region and row["region"] != region:
            continue
        if on_time is not None and row["on_time"] is not on_time:
            continue
        if complete is not None and row["complete"] is not complete:
            continue
        if force and force.lower() not in (row["force"] or "").lower():
            continue
        if row["force"] is None:
            rows.append({**row, "letters": 1})
            continue
        kept = latest.get(row["force"])
        count = (kept["letters"] if kept else 0) + 1
        if kept is None or (row["letter_date"] or "") >= (kept["letter_date"] or ""):
            kept = row
        latest[row["force"]] = {**kept, "letters": count}
    rows.extend(latest.values())
    rows.sort(key=SORTS.get(sort, SORTS["force"]))
    return {
        "report": _report_info(report),
        "figures": _figures(summary.figures(report, report_rows)),
        "rows": rows,
        "filters": {"sort": sort, "region": region, "on_time": on_time, "complete": complete, "force": force},
        "regions": sorted({f.region for f in catalogue.forces()}),
    }


def letter(letter: StoredLetter) -> dict:
    return {
        "id": letter.id,
        "version": letter.version,
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
