"""Analysts' corrections of extracted values, and the record they produce.

A correction names a field ('letter_date', 'recommendation.2.stance', ...) and a value. It
is overlaid on the extracted record when the record is read; compliance is recomputed from
the corrected values, so a corrected date moves the deadline figures with it.

A value is checked before it is stored, and again whenever it is overlaid: a stored value
that no longer fits (an odd row, a report since changed) is left out, with a warning on the
record and the reason on the correction, and never stops a letter being shown.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict

from .. import catalogue
from ..catalogue import Report
from ..extract.answers import answer_recommendations
from . import plain
from .compliance import assess

EARLIEST_DATE = dt.date(1990, 1, 1)  # a corrected date is no earlier than this...
YEARS_AHEAD = 5  # ... and no more than this many years after today
MAX_VALUE_CHARS = 128  # a corrected value, and an author's name (its column's size), at most this long
MAX_CORRECTIONS = 200  # corrections one letter may have


def apply_corrections(record: dict, corrections: list[dict], reports: tuple[Report, ...] = ()) -> dict:
    """Overlay corrections (oldest first) on a record and recompute its compliance.

    `reports` is the catalogue, needed where a correction names the report answered: the
    recommendations are then read afresh from the letter's text against that report. A
    correction that fails its check is left out and marked with the reason ('not_applied').
    """
    if not corrections:
        return record
    for c in corrections:
        try:
            set_field(record, c["field"], check_value(c["field"], c["value"], record, reports), reports)
        except (KeyError, ValueError) as exc:
            c["not_applied"] = str(exc) if isinstance(exc, ValueError) else f"{c['field']}: not a correctable field"
            record["warnings"] = [*record.get("warnings", []),
                                  f"correction {c['id']} left out: {c['not_applied']}"]
    return recompute_compliance(record)


STANCES = ("accepted", "partially accepted", "not accepted", "not stated")
STATUSES = ("implemented", "in progress", "planned", "not stated")
ROLES = ("PCC", "PFCC", "Mayor", "Deputy Mayor", "Police Authority", "Chief Constable", "Other")


def has_control_characters(text: str) -> bool:
    """Whether `text` holds characters no name or value should (NUL, escapes, ...; not tabs or
    line breaks). PostgreSQL cannot store NUL at all."""
    return re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text) is not None


def check_author(author: object) -> str:
    """An author's name, as it will be stored."""
    if not isinstance(author, str) or not author.strip():
        raise ValueError("author: say who is making the correction")
    _check_text("author", author.strip())
    return author.strip()


def _check_text(name: str, value: str) -> None:
    if len(value) > MAX_VALUE_CHARS:
        raise ValueError(f"{name}: at most {MAX_VALUE_CHARS} characters")
    if has_control_characters(value):
        raise ValueError(f"{name}: must not hold control characters")


def check_value(name: str, value: object, record: dict, reports: tuple[Report, ...] = ()) -> object:
    """Validate a correction's value for field `name`; returns it normalised.

    Raises KeyError for a field that cannot be corrected, ValueError for a bad value.
    """
    if not isinstance(name, str) or len(name) > 64:
        raise KeyError(name)
    if name.startswith("recommendation."):
        return _check_answer(name, value, record)
    if not isinstance(value, str):
        raise ValueError(f"{name}: must be text")
    _check_text(name, value)
    if name == "report":
        if not any(r.id == value for r in reports):
            raise ValueError(f"report: not a report id in the catalogue: {value!r}")
        return value
    if name in ("letter_date", "report_published"):
        return _check_date(name, value)
    if name == "force":
        if catalogue.force_named(value) is None:
            raise ValueError(f"force: not one of the 43 forces: {value!r}")
        return value
    if name == "policing_body":
        if value not in ROLES:
            raise ValueError(f"policing_body: one of {', '.join(ROLES)}")
        return value
    if name == "signatory":
        if not value.strip():
            raise ValueError("signatory: a name is required")
        return " ".join(value.split())
    raise KeyError(name)


def _check_answer(name: str, value: object, record: dict) -> object:
    """A correction of how a recommendation is answered: recommendation.N.addressed|stance|status."""
    parts = name.split(".")
    numbers = {a["number"] for a in record["recommendations"]}
    if len(parts) != 3 or not parts[1].isdecimal() or int(parts[1]) not in numbers:
        raise KeyError(name)
    if parts[2] == "addressed":
        flag = value if isinstance(value, bool) else {
            "true": True, "yes": True, "1": True, "on": True, "false": False, "no": False, "0": False, "off": False,
        }.get(value.strip().lower() if isinstance(value, str) else "")
        if flag is None:
            raise ValueError(f"{name}: yes or no")
        return flag
    allowed = {"stance": STANCES, "status": STATUSES}.get(parts[2])
    if allowed is None:
        raise KeyError(name)
    if value not in allowed:
        raise ValueError(f"{name}: one of {', '.join(allowed)}")
    return value


def _check_date(name: str, value: str) -> str:
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name}: not a date (YYYY-MM-DD): {value!r}") from None
    latest = dt.date.today() + dt.timedelta(days=365 * YEARS_AHEAD)
    if not EARLIEST_DATE <= date <= latest:
        raise ValueError(f"{name}: a date from {EARLIEST_DATE.isoformat()} to {latest.isoformat()}")
    return date.isoformat()


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
    published = _date_or_none(report.get("published"))
    basis = record["compliance"].get("date_basis") or "letter date"
    if basis == "letter date":
        responded = _date_or_none((record.get("letter_date") or {}).get("date"))
    else:
        responded = _date_or_none(record["compliance"].get("responded"))
    expected = len(record["recommendations"]) if report.get("id") else None
    addressed = [a["number"] for a in record["recommendations"] if a["addressed"]]
    record["compliance"] = asdict(assess(published, responded, addressed, expected, basis))
    return record


def _date_or_none(value: object) -> dt.date | None:
    """A stored date, or None where what is stored is not a date in the range corrections allow
    (so the deadline arithmetic cannot overflow): compliance is then unknown, not an error."""
    try:
        date = dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return date if date and catalogue.PUBLISHED_FROM <= date.year <= catalogue.PUBLISHED_TO else None
