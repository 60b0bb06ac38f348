"""A record's values for reading: each with its label and evidence (`scrutiny show`, the
document page). Compliance figures are the store's (`store.reports`), not computed here."""
from __future__ import annotations

from collections.abc import Iterable


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
