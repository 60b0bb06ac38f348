"""Exports of stored letters: JSON in the contract's shape, CSV one row per letter."""
from __future__ import annotations

import csv
import io
import json

from . import summary
from .corrections import digest
from .store import StoredLetter

CSV_COLUMNS = ["letter_id", "file", "force", "region", "role", "signatory", "letter_date", "report_id", "report_title",
               "report_published", "deadline", "days_taken", "on_time", "expected", "addressed", "complete",
               "missing", "initiatives", "verified"]


def records_json(letters: list[StoredLetter]) -> str:
    """One JSON array of records in the contract's shape (plus the store's letter id)."""
    return json.dumps([{"letter_id": l.id, **l.record} for l in letters], ensure_ascii=False, indent=1) + "\n"


def records_csv(letters: list[StoredLetter]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for letter in letters:
        r, row = letter.record, summary.row(letter.id, digest(letter.record))
        writer.writerow({
            "letter_id": letter.id, "file": letter.filename, "force": row.force, "region": row.region,
            "role": r["policing_body"]["role"] if r["policing_body"] else None,
            "signatory": r["signatory"]["name"] if r["signatory"] else None,
            "letter_date": row.letter_date, "report_id": row.report_id, "report_title": row.report_title,
            "report_published": r["report"]["published"] if r["report"] else None,
            "deadline": row.deadline, "days_taken": row.days_taken, "on_time": row.on_time,
            "expected": row.expected, "addressed": row.addressed, "complete": row.complete,
            "missing": " ".join(map(str, row.missing)),
            "initiatives": "; ".join(i["name"] for i in r["initiatives"]),
            "verified": " ".join(sorted(letter.verified)),
        })
    return buffer.getvalue()


def matrix_csv(matrix: dict) -> str:
    """A report's matrix: one row per response, one column per recommendation (its stance)."""
    numbers = [r["number"] for r in matrix["report"]["recommendations"]]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["letter_id", "force", "region", "letter_date", "days_taken", "on_time", "complete",
                     *[f"recommendation_{n}" for n in numbers]])
    for row in matrix["rows"]:
        states = {c["number"]: c["state"] for c in row["cells"]}
        writer.writerow([row["letter_id"], row["force"], row["region"], row["letter_date"], row["days_taken"],
                         row["on_time"], row["complete"], *[states.get(n, "") for n in numbers]])
    return buffer.getvalue()
