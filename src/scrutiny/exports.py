"""Exports: JSON in the contract's shape (one record per document), CSV one row per document
with its response, and a report's matrix one row per response."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from .store import Store, StoredDocument
from .store.listing import documents_by_id

CSV_COLUMNS = ["document_id", "file", "kind", "response_id", "statutory", "force", "role", "signatory",
               "letter_date", "report_id", "report_title", "report_published", "deadline", "date_judged",
               "date_basis", "days_taken", "on_time", "expected", "addressed", "complete", "missing", "initiatives",
               "warnings", "verified", "unattached_reason"]


CHUNK_CHARS = 1 << 16  # an export comes in pieces of about this size, as it is made


def records_json(documents: Iterable[StoredDocument]) -> Iterator[str]:
    """One JSON array of records in the contract's shape (plus the store's document id), a
    record to a line."""
    buffer = io.StringIO()
    buffer.write("[")
    separator = "\n"
    for d in documents:
        buffer.write(separator + json.dumps({"document_id": d.id, **d.record}, ensure_ascii=False))
        separator = ",\n"
        if buffer.tell() >= CHUNK_CHARS:
            yield _emptied(buffer)
    buffer.write("\n]\n")
    yield buffer.getvalue()


def document_rows(store: Store) -> Iterator[dict[str, Any]]:
    """Every document: its own values and dates, and the response it belongs to (CSV_COLUMNS)."""
    for batch in store.each_document():
        listed = {row.id: row for row in documents_by_id(store, [d.id for d in batch])}
        for document in batch:
            row, r = listed.get(document.id), document.record
            if row is None:
                continue  # removed since the batch was read
            c = r["compliance"]
            yield {
                "document_id": row.id, "file": row.filename, "kind": row.kind, "response_id": row.response_id,
                "statutory": row.statutory, "force": row.force,
                "role": r["policing_body"]["role"] if r["policing_body"] else None,
                "signatory": r["signatory"]["name"] if r["signatory"] else None,
                "letter_date": r["letter_date"]["date"] if r["letter_date"] else None,
                "report_id": row.report_id, "report_title": row.report_title,
                "report_published": r["report"]["published"] if r["report"] else None,
                "deadline": c["deadline"], "date_judged": c["responded"], "date_basis": c["date_basis"],
                "days_taken": c["days_taken"], "on_time": c["on_time"], "expected": c["recommendations_expected"],
                "addressed": c["recommendations_addressed"], "complete": c["complete"],
                "missing": " ".join(map(str, c["missing"])),
                "initiatives": "; ".join(i["name"] for i in r["initiatives"]),
                "warnings": "; ".join(r["warnings"]), "verified": " ".join(sorted(document.verified)),
                "unattached_reason": row.unattached_reason,
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
