"""The correctable fields of a record: a registry of each field's check, value and setter.

A correction names a field ('letter_date', 'recommendation.2.stance', ...) and a value. It
is overlaid on the extracted record when the record is read; compliance is recomputed from
the corrected values, so a corrected date moves the deadline figures with it.

A value is checked before it is stored, and again whenever it is overlaid: a stored value
that no longer fits (an odd row, a report since changed) is left out, with a warning on the
record and the reason on the correction, and never stops a document being shown.

Naming the report answered means reading the recommendations afresh from the text against
that report: extraction's work, which this package does not import. Whoever applies
corrections hands that reading in (`Reanswer`); without it such a correction is left out.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from .. import catalogue
from ..catalogue import Report
from .compliance import assess, deadline
from .vocabulary import Implementation, SenderRole, Stance

EARLIEST_DATE = dt.date(1990, 1, 1)  # a corrected date is no earlier than this...
YEARS_AHEAD = 5  # ... and no more than this many years after today
MAX_VALUE_CHARS = 128  # a corrected value, and an author's name (its column's size), at most this long
MAX_CORRECTIONS = 200  # corrections one document may have

# A record's text and a report -> how the text answers each of the report's recommendations
# (the contract's `recommendations`, as plain dicts).
Reanswer = Callable[[str, Report], list[dict]]


@dataclass(frozen=True)
class Field:
    """One correctable field: how a value is checked, where it is read, and how it is set."""

    name: str
    check: Callable[[str, object, dict, tuple[Report, ...]], object]  # (name, value, record, reports) -> normalised
    get: Callable[[dict, str], object]  # (record, name) -> current value
    set: Callable[[dict, str, object, tuple[Report, ...], Reanswer | None], None]


# Control characters but tab, line feed and carriage return (a form's lines end in CR LF),
# and surrogates: halves of a character, never whole text (JSON's "\ud800" decodes to one),
# which no engine can store as UTF-8. PostgreSQL cannot store NUL at all.
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def text_problem(text: str) -> str | None:
    """Why `text` is not something a name or value may hold, or None."""
    found = _REFUSED.search(text)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}"
    if "\ud800" <= found.group() <= "\udfff":
        return f"must not hold a lone surrogate ({code}, half of a character)"
    return f"must not hold control characters ({code})"


def has_control_characters(text: str) -> bool:
    """Whether `text` holds characters no name or value should (NUL, escapes, lone surrogates;
    not tabs or line breaks)."""
    return text_problem(text) is not None


def check_author(author: object) -> str:
    """An author's name, as it will be stored."""
    if not isinstance(author, str) or not author.strip():
        raise ValueError("author: say who is making the correction")
    _check_text("author", author.strip())
    return author.strip()


def _check_text(name: str, value: str) -> None:
    if len(value) > MAX_VALUE_CHARS:
        raise ValueError(f"{name}: at most {MAX_VALUE_CHARS} characters")
    problem = text_problem(value)
    if problem:
        raise ValueError(f"{name}: {problem}")


def _text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name}: must be text")
    _check_text(name, value)
    return value


# --- the record's own values ----------------------------------------------------------------------

def _check_report(name: str, value: object, record: dict, reports: tuple[Report, ...]) -> str:
    value = _text(name, value)
    if not any(r.id == value for r in reports):
        raise ValueError(f"report: not a report id in the catalogue: {value!r}")
    return value


def _check_date(name: str, value: object, record: dict, reports: tuple[Report, ...]) -> str:
    value = _text(name, value)
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name}: not a date (YYYY-MM-DD): {value!r}") from None
    latest = dt.date.today() + dt.timedelta(days=365 * YEARS_AHEAD)
    if not EARLIEST_DATE <= date <= latest:
        raise ValueError(f"{name}: a date from {EARLIEST_DATE.isoformat()} to {latest.isoformat()}")
    return date.isoformat()


def _check_force(name: str, value: object, record: dict, reports: tuple[Report, ...]) -> str:
    value = _text(name, value)
    if catalogue.force_named(value) is None:
        raise ValueError(f"force: not one of the 43 forces: {value!r}")
    return value


def _check_role(name: str, value: object, record: dict, reports: tuple[Report, ...]) -> str:
    value = _text(name, value)
    if value not in SenderRole:
        raise ValueError(f"policing_body: one of {', '.join(SenderRole)}")
    return value


def _check_signatory(name: str, value: object, record: dict, reports: tuple[Report, ...]) -> str:
    value = _text(name, value)
    if not value.strip():
        raise ValueError("signatory: a name is required")
    return " ".join(value.split())


def _part(key: str) -> tuple[Callable[[dict, str], object], Callable[..., None]]:
    """Getter and setter of a value held as record[name][key] with its evidence."""
    def get(record: dict, name: str) -> object:
        return record[name][key] if record.get(name) else None

    def set_(record: dict, name: str, value: object, reports: tuple[Report, ...], reanswer: Reanswer | None) -> None:
        record[name] = None if value in (None, "") else {
            **(record.get(name) or {"evidence": []}), key: value, "verified": True}
    return get, set_


def _get_report(record: dict, name: str) -> object:
    return (record.get("report") or {}).get("id")


def _set_report(record: dict, name: str, value: object, reports: tuple[Report, ...], reanswer: Reanswer | None,
                ) -> None:
    if reanswer is None:
        raise ValueError("report: the recommendations cannot be read again here (no extractor given)")
    report = next(r for r in reports if r.id == value)
    record["report"] = {"id": report.id, "title": report.title,
                        "published": report.published.isoformat() if report.published else None,
                        "score": 1.0, "evidence": [], "published_stated": False, "verified": True}
    record["recommendations"] = reanswer(record["text"], report)


def _get_published(record: dict, name: str) -> object:
    return (record.get("report") or {}).get("published")


def _set_published(record: dict, name: str, value: object, reports: tuple[Report, ...],
                   reanswer: Reanswer | None) -> None:
    if record.get("report"):
        record["report"] = {**record["report"], "published": value, "verified": True}


_FLAGS = {"true": True, "yes": True, "1": True, "on": True, "false": False, "no": False, "0": False, "off": False}


def _flag(name: str, value: object) -> bool:
    flag = value if isinstance(value, bool) else _FLAGS.get(value.strip().lower() if isinstance(value, str) else "")
    if flag is None:
        raise ValueError(f"{name}: yes or no")
    return flag


def _check_response(name: str, value: object, record: dict, reports: tuple[Report, ...]) -> bool:
    return _flag(name, value)


def _get_response(record: dict, name: str) -> object:
    return (record.get("response") or {}).get("value")


def _set_response(record: dict, name: str, value: object, reports: tuple[Report, ...], reanswer: Reanswer | None,
                  ) -> None:
    """An analyst's verdict that the text is (or is not) a response: it then joins its response
    (or leaves it) like any other document."""
    record["response"] = {**(record.get("response") or {"reason": "", "evidence": []}), "value": value,
                          "verified": True}


# --- how each recommendation is answered: recommendation.N.addressed|stance|status ------------------


def _answer_of(record: dict, name: str) -> tuple[dict, str]:
    """The record's answer that `name` ('recommendation.N.attribute') names, and the attribute."""
    parts = name.split(".")
    if len(parts) == 3 and parts[1].isdecimal():
        for answer in record["recommendations"]:
            if answer["number"] == int(parts[1]):
                return answer, parts[2]
    raise KeyError(name)


def _check_addressed(name: str, value: object, record: dict, reports: tuple[Report, ...]) -> bool:
    _answer_of(record, name)
    return _flag(name, value)


def _check_one_of(vocabulary: type[Stance] | type[Implementation]) -> Callable[..., str]:
    def check(name: str, value: object, record: dict, reports: tuple[Report, ...]) -> str:
        _answer_of(record, name)
        if value not in vocabulary:
            raise ValueError(f"{name}: one of {', '.join(vocabulary)}")
        return str(value)
    return check


def _get_answer(record: dict, name: str) -> object:
    answer, attribute = _answer_of(record, name)
    return answer[attribute]


def _set_answer(record: dict, name: str, value: object, reports: tuple[Report, ...], reanswer: Reanswer | None,
                ) -> None:
    answer, attribute = _answer_of(record, name)
    answer[attribute] = value
    answer["verified"] = True


FIELDS: dict[str, Field] = {f.name: f for f in (
    Field("force", _check_force, *_part("name")),
    Field("policing_body", _check_role, *_part("role")),
    Field("signatory", _check_signatory, *_part("name")),
    Field("letter_date", _check_date, *_part("date")),
    Field("report", _check_report, _get_report, _set_report),
    Field("report_published", _check_date, _get_published, _set_published),
    Field("response", _check_response, _get_response, _set_response),
    Field("recommendation.N.addressed", _check_addressed, _get_answer, _set_answer),
    Field("recommendation.N.stance", _check_one_of(Stance), _get_answer, _set_answer),
    Field("recommendation.N.status", _check_one_of(Implementation), _get_answer, _set_answer),
)}


def field(name: object) -> Field:
    """The registry's entry for a correction's field name (recommendation.2.stance is
    recommendation.N.stance); KeyError for a name that cannot be corrected."""
    if not isinstance(name, str) or len(name) > 64:
        raise KeyError(name)
    return FIELDS[re.sub(r"^recommendation\.\d+\.", "recommendation.N.", name)]


def check_value(name: str, value: object, record: dict, reports: tuple[Report, ...] = ()) -> object:
    """Validate a correction's value for field `name`; returns it normalised.

    Raises KeyError for a field that cannot be corrected, ValueError for a bad value.
    """
    return field(name).check(name, value, record, reports)


def get_field(record: dict, name: str) -> Any:
    """The current value of a correctable field."""
    return field(name).get(record, name)


def apply_corrections(record: dict, corrections: list[dict], reports: tuple[Report, ...] = (),
                      reanswer: Reanswer | None = None) -> dict:
    """Overlay corrections (oldest first) on a record and recompute its compliance.

    `reports` is the catalogue, needed where a correction names the report answered: the
    recommendations are then read afresh from the text by `reanswer`. A correction that fails
    its check is left out and marked with the reason ('not_applied').
    """
    if not corrections:
        return record
    for c in corrections:
        try:
            entry = field(c["field"])
            entry.set(record, c["field"], entry.check(c["field"], c["value"], record, reports), reports, reanswer)
        except (KeyError, ValueError) as exc:
            c["not_applied"] = str(exc) if isinstance(exc, ValueError) else f"{c['field']}: not a correctable field"
            record["warnings"] = [*record.get("warnings", []),
                                  f"correction {c['id']} left out: {c['not_applied']}"]
    return recompute_compliance(record)


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


def judged_on(record: dict, report: Report | None) -> dict:
    """The record with its deadline, days taken and on time judged on its catalogue report's
    publication date: the catalogue may have corrected the date since the record was extracted,
    and the date decides whether any period applies (`compliance.RULE_START`). Unchanged (the
    same dict) where nothing differs; otherwise a copy, the stored record untouched."""
    if report is None:
        return record
    published = report.published.isoformat() if report.published else None
    last_day = deadline(report.published)
    c = record["compliance"]
    if (record.get("report") or {}).get("published") == published and c["deadline"] == (
            last_day.isoformat() if last_day else None):
        return record
    responded = _date_or_none(c.get("responded") or (record.get("letter_date") or {}).get("date"))
    judged = assess(report.published, responded, [], None, c.get("date_basis") or "letter date")
    return {**record, "report": {**record["report"], "published": published},
            "compliance": {**c, "deadline": judged.deadline, "days_taken": judged.days_taken,
                           "on_time": judged.on_time}}


def _date_or_none(value: object) -> dt.date | None:
    """A stored date, or None where what is stored is not a date in the range corrections allow
    (so the deadline arithmetic cannot overflow): compliance is then unknown, not an error."""
    try:
        date = dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return date if date and catalogue.PUBLISHED_FROM <= date.year <= catalogue.PUBLISHED_TO else None


__all__ = ["EARLIEST_DATE", "FIELDS", "MAX_CORRECTIONS", "Field", "Reanswer", "apply_corrections", "check_author",
           "check_value", "get_field", "has_control_characters", "judged_on", "recompute_compliance",
           "text_problem"]
