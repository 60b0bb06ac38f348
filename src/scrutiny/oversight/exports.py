"""Exports: JSON in the contract's shape (one record per document), CSV one row per document
with its response, and a report's matrix one row per response."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from ..store import Store
from ..store.listing import each_document_in_full

CSV_COLUMNS = ["document_id", "file", "kind", "response_id", "statutory", "force", "role", "signatory",
               "letter_date", "report_id", "report_title", "report_published", "deadline", "date_judged",
               "date_basis", "days_taken", "on_time", "expected", "addressed", "complete", "missing", "initiatives",
               "warnings", "verified", "unattached_reason", "source_url"]


CHUNK_CHARS = 1 << 16  # an export comes in pieces of about this size, as it is made


def records_json(store: Store) -> Iterator[str]:
    """Every stored record (`Store.each_record`): one JSON array, a record to a line."""
    buffer = io.StringIO()
    buffer.write("[")
    separator = "\n"
    for batch in store.each_record():
        for record in batch:
            buffer.write(separator + record)
            separator = ",\n"
            if buffer.tell() >= CHUNK_CHARS:
                yield _emptied(buffer)
    buffer.write("\n]\n")
    yield buffer.getvalue()


def document_rows(store: Store) -> Iterator[dict[str, Any]]:
    """Every document: its own values and dates, and the response it belongs to (CSV_COLUMNS)."""
    for batch in each_document_in_full(store):
        for d in batch:
            row = d.row
            yield {
                "document_id": row.id, "file": row.filename, "kind": row.kind, "response_id": row.response_id,
                "statutory": row.statutory, "force": row.force, "role": d.role, "signatory": d.signatory,
                "letter_date": d.letter_date, "report_id": row.report_id, "report_title": row.report_title,
                "report_published": d.report_published, "deadline": d.deadline, "date_judged": row.date,
                "date_basis": row.date_basis, "days_taken": row.days_taken, "on_time": row.on_time,
                "expected": d.expected, "addressed": d.addressed, "complete": row.complete,
                "missing": " ".join(map(str, d.missing)), "initiatives": "; ".join(d.initiatives),
                "warnings": "; ".join(d.warnings), "verified": " ".join(sorted(d.verified)),
                "unattached_reason": row.unattached_reason, "source_url": d.source_url,
            }


def records_csv(store: Store) -> Iterator[str]:
    """Every document, one row each (`document_rows`)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in document_rows(store):
        writer.writerow(row)
        if buffer.tell() >= CHUNK_CHARS:
            yield _emptied(buffer)
    yield buffer.getvalue()


def _emptied(buffer: io.StringIO) -> str:
    """What the buffer holds; it is emptied for what comes next."""
    held = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return held


def matrix_csv(matrix: dict) -> str:
    """A report's matrix: one row per response, one column per recommendation (its stance)."""
    numbers = [r["number"] for r in matrix["report"]["recommendations"]]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["response_id", "statutory_document_id", "force", "region", "status", "date", "days_taken",
                     "on_time", "complete", "documents", *[f"recommendation_{n}" for n in numbers]])
    for row in matrix["rows"]:
        states = {c["number"]: c["state"] for c in row["cells"]}
        writer.writerow([row["response_id"], row["letter_id"], row["force"], row["region"], row["status"],
                         row["letter_date"], row["days_taken"], row["on_time"], row["complete"], row["letters"],
                         *[states.get(n, "") for n in numbers]])
    return buffer.getvalue()
