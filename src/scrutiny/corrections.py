"""Analysts' corrections of extracted values, and the record they produce.

A correction names a field ('letter_date', 'recommendation.2.stance', ...) and a value. It
is overlaid on the extracted record when the record is read; compliance is recomputed from
the corrected values, so a corrected date moves the deadline figures with it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from . import catalogue
from .catalogue import Report
from .compliance import assess
from .extract.answers import answer_recommendations
from .record import plain

def apply_corrections(record: dict, corrections: list[dict], reports: tuple[Report, ...] = ()) -> dict:
    """Overlay corrections (oldest first) on a record and recompute its compliance.

    `reports` is the catalogue, needed where a correction names the report answered: the
    recommendations are then read afresh from the letter's text against that report.
    """
    if not corrections:
        return record
    for c in corrections:
        set_field(record, c["field"], c["value"], reports)
    return recompute_compliance(record)


STANCES = ("accepted", "partially accepted", "not accepted", "not stated")
STATUSES = ("implemented", "in progress", "planned", "not stated")
ROLES = ("PCC", "PFCC", "Mayor", "Deputy Mayor", "Police Authority", "Chief Constable", "Other")


def check_value(name: str, value, record: dict, reports: tuple[Report, ...] = ()):
    """Validate a correction's value for field `name`; returns it normalised."""
    if name == "report":
        if not any(r.id == value for r in reports):
            raise ValueError(f"report: not a report id in the catalogue: {value!r}")
        return value
    if name in ("letter_date", "report_published"):
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValueError(f"{name}: not a date (YYYY-MM-DD): {value!r}") from None
    if name == "force":
        if catalogue.force_named(str(value)) is None:
            raise ValueError(f"force: not one of the 43 forces: {value!r}")
        return str(value)
    if name == "policing_body":
        if value not in ROLES:
            raise ValueError(f"policing_body: one of {', '.join(ROLES)}")
        return value
    if name == "signatory":
        if not str(value).strip():
            raise ValueError("signatory: a name is required")
        return " ".join(str(value).split())
    if name.startswith("recommendation."):
        parts = name.split(".")
        numbers = {a["number"] for a in record["recommendations"]}
        if len(parts) != 3 or not parts[1].isdigit() or int(parts[1]) not in numbers:
            raise KeyError(name)
        allowed = {"addressed": (True, False), "stance": STANCES, "status": STATUSES}.get(parts[2])
        if allowed is None:
            raise KeyError(name)
        if parts[2] == "addressed" and isinstance(value, str):
            value = value.lower() in ("true", "yes", "1", "on")
        if value not in allowed:
            raise ValueError(f"{name}: one of {', '.join(map(str, allowed))}")
        return value
    raise KeyError(name)


def get_field(record: dict, name: str):
    """The current value of a correctable field."""
    simple = {"force": "name", "policing_body": "role", "signatory": "name", "letter_date": "date"}
    if name in simple:
        return record[name][simple[name]] if record.get(name) else None
    if name == "report_published":
        return (record.get("report") or {}).get("published")
    if name == "report":
        return (record.get("report") or {}).get("id")
    _, number, attribute = name.split(".")
    return next(a[attribute] for a in record["recommendations"] if a["number"] == int(number))


def set_field(record: dict, name: str, value, reports: tuple[Report, ...] = ()) -> None:
    """Set one correctable field. Names: force, policing_body, signatory, letter_date,
    report_published, recommendation.N.addressed|stance|status."""
    simple = {"force": "name", "policing_body": "role", "signatory": "name", "letter_date": "date"}
    if name in simple:
        key = simple[name]
        if value in (None, ""):
            record[name] = None
        else:
            record[name] = {**(record.get(name) or {"evidence": []}), key: value, "verified": True}
    elif name == "report":
        report = next(r for r in reports if r.id == value)
        record["report"] = {"id": report.id, "title": report.title, "published": report.published.isoformat() if report.published else None,
                            "score": 1.0, "evidence": [], "published_stated": False, "verified": True}
        record["recommendations"] = [plain(a) for a in answer_recommendations(record["text"], report)]
    elif name == "report_published":
        if record.get("report"):
            record["report"] = {**record["report"], "published": value, "verified": True}
    elif name.startswith("recommendation."):
        _, number, attribute = name.split(".")
        for answer in record["recommendations"]:
            if answer["number"] == int(number):
                answer[attribute] = value
                answer["verified"] = True
    else:
        raise KeyError(name)


def recompute_compliance(record: dict) -> dict:
    report = record.get("report") or {}
    published = dt.date.fromisoformat(report["published"]) if report.get("published") else None
    basis = record["compliance"].get("date_basis") or "letter date"
    if basis == "letter date":
        responded = dt.date.fromisoformat(record["letter_date"]["date"]) if record.get("letter_date") else None
    else:
        responded = dt.date.fromisoformat(record["compliance"]["responded"]) if record["compliance"].get("responded") else None
    expected = len(record["recommendations"]) if report.get("id") else None
    addressed = [a["number"] for a in record["recommendations"] if a["addressed"]]
    record["compliance"] = asdict(assess(published, responded, addressed, expected, basis))
    return record
