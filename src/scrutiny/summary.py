"""Compliance across stored letters: one row per response, figures per report, who is missing.

Shared by `scrutiny check`, the exports and the web pages, so they always agree.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Iterable

from . import catalogue
from .catalogue import Report
from .store import Store


@dataclass(frozen=True)
class Row:
    letter_id: int
    report_id: str | None
    report_title: str
    force: str | None
    region: str | None
    letter_date: str | None
    deadline: str | None
    days_taken: int | None
    on_time: bool | None
    expected: int | None
    addressed: int | None
    complete: bool | None
    missing: tuple[int, ...]


def row(letter_id: int, d: dict) -> Row:
    """A compliance row from a stored letter's digest."""
    c = d["compliance"]
    return Row(
        letter_id=letter_id,
        report_id=d["report_id"],
        report_title=d["report_title"] or "(no report identified)",
        force=d["force"],
        region=d["region"],
        letter_date=d["letter_date"],
        deadline=c["deadline"],
        days_taken=c["days_taken"],
        on_time=c["on_time"],
        expected=c["recommendations_expected"],
        addressed=c["recommendations_addressed"],
        complete=c["complete"],
        missing=tuple(c["missing"]),
    )


def rows(store: Store) -> list[Row]:
    """Every stored response's row, by report then force."""
    out = (row(letter_id, d) for letter_id, _, d in store.digests())
    return sorted(out, key=lambda r: (r.report_title, r.force or "", r.letter_id))


@dataclass(frozen=True)
class ReportFigures:
    report: Report
    title: str
    responses: int
    on_time_rate: float | None
    complete_rate: float | None
    median_days: float | None
    missing_forces: tuple[str, ...]


def _rate(flags: list[bool | None]) -> float | None:
    known = [f for f in flags if f is not None]
    return sum(known) / len(known) if known else None


def figures(report: Report, report_rows: list[Row]) -> ReportFigures:
    """Headline figures for one catalogue report over its stored responses."""
    days = [r.days_taken for r in report_rows if r.days_taken is not None]
    answered = {r.force for r in report_rows}
    return ReportFigures(
        report=report,
        title=report.title,
        responses=len(report_rows),
        on_time_rate=_rate([r.on_time for r in report_rows]),
        complete_rate=_rate([r.complete for r in report_rows]),
        median_days=statistics.median(days) if days else None,
        missing_forces=tuple(f.name for f in catalogue.forces() if f.name not in answered),
    )


def by_report(all_rows: list[Row], reports: tuple[Report, ...]) -> list[ReportFigures]:
    """Figures for every catalogue report, those with responses first."""
    out = [figures(rep, [r for r in all_rows if r.report_id == rep.id]) for rep in reports]
    return sorted(out, key=lambda f: (-f.responses, f.title))


def values(record: dict) -> list[dict]:
    """Every value of a record, in reading order, with a key, a label and its evidence spans:
    what `scrutiny show` and the letter page list. A value not found is None."""
    items = []

    def add(key: str, label: str, value: str | None, spans: list[dict]) -> None:
        items.append({"key": key, "label": label, "value": value, "spans": spans})

    for name, sub, label in (("force", "name", "Force"), ("policing_body", "role", "Body"),
                             ("signatory", "name", "Signatory"), ("letter_date", "date", "Letter date")):
        item = record[name]
        add(name, label, item[sub] if item else None, item["evidence"] if item else [])
    for i, a in enumerate(record["addressees"]):
        add(f"addressee-{i}", "Addressee", a["name"], a["evidence"])
    report = record["report"]
    add("report", "Report", report["title"] if report else None, report["evidence"] if report else [])
    for a in record["recommendations"]:
        value = f"{a['stance']}; {a['status']}" if a["addressed"] else f"not addressed; {a['stance']}"
        add(f"rec-{a['number']}", f"Recommendation {a['number']}", value, a["evidence"])
    for i, initiative in enumerate(record["initiatives"]):
        add(f"init-{i}", "Initiative", initiative["name"], initiative["evidence"])
    return items


def verified_keys(verified: Iterable[str]) -> set[str]:
    """Which of `values()`'s keys hold a value a human has set (corrected field names in)."""
    keys = set()
    for name in verified:
        if name.startswith("recommendation."):
            keys.add("rec-" + name.split(".")[1])
        else:
            keys.add("report" if name.startswith("report") else name)
    return keys
