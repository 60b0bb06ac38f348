"""Exports: JSON in the contract's shape (one record per document), CSV one row per document
with its response, and a report's matrix one row per response."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from .store import Store, StoredDocument
from .store.listing import documents_list
from .store.query import MAX_PER_PAGE

CSV_COLUMNS = ["document_id", "file", "kind", "response_id", "statutory", "force", "role", "signatory",
               "letter_date", "report_id", "report_title", "report_published", "deadline", "date_judged",
               "date_basis", "days_taken", "on_time", "expected", "addressed", "complete", "missing", "initiatives",
               "warnings", "verified", "unattached_reason"]


def records_json(documents: list[StoredDocument]) -> str:
    """One JSON array of records in the contract's shape (plus the store's document id)."""
    return json.dumps([{"document_id": d.id, **d.record} for d in documents], ensure_ascii=False, indent=1) + "\n"


def document_rows(store: Store) -> Iterator[dict[str, Any]]:
    """Every document: its own values and dates, and the response it belongs to (CSV_COLUMNS)."""
    page = 1
    while True:
        listed = documents_list(store, sort="id", page=page, per_page=MAX_PER_PAGE).documents
        records = {d.id: d for d in store.documents([row.id for row in listed.items])}
        for row in listed.items:
            r, c = records[row.id].record, records[row.id].record["compliance"]
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
                "warnings": "; ".join(r["warnings"]), "verified": " ".join(sorted(records[row.id].verified)),
                "unattached_reason": row.unattached_reason,
            }
        if page >= listed.pages:
            return
        page += 1


def records_csv(store: Store) -> str:
    """Every document, one row each (`document_rows`)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(document_rows(store))
    return buffer.getvalue()


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
