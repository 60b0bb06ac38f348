"""Exports: JSON in the contract's shape (one record per document), CSV one row per document
with its response, and a report's matrix one row per force it expects to answer (responders
or not), as CSV or a spreadsheet. CSV starts with a byte-order mark: without it Excel reads
UTF-8 as its own code page, and garbles dashes and apostrophes."""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..store import Store
from ..store.listing import each_document_in_full
from ..store.national import PairTable

BOM = "\ufeff"

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
    buffer.write(BOM)
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


MATRIX_COLUMNS = ["response_id", "statutory_document_id", "force", "region", "in_scope", "status", "date", "day",
                  "deadline", "days_taken", "on_time", "complete", "documents"]


def matrix_rows(table: PairTable) -> tuple[list[str], list[list[Any]]]:
    """A report's table: a row per force it expects to answer (and per response outside its
    scope), a column per recommendation to forces (the response's stance; empty without one)."""
    numbers = [r.number for r in table.recommendations]
    rows = []
    for r in table.rows:
        states = {n: c.state for n, c in table.cells.get(r.response_id or 0, {}).items()}
        rows.append([r.response_id, r.statutory_document_id, r.force, r.region, r.in_scope, r.status, r.responded,
                     r.day, r.deadline, r.days_taken, r.on_time, r.complete, r.documents,
                     *[states.get(n, "" if r.response_id is None else "not addressed") for n in numbers]])
    return MATRIX_COLUMNS + [f"recommendation_{n}" for n in numbers], rows


def _text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def table_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A header and rows as CSV, with the byte-order mark Excel needs to read it as UTF-8."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([_text(v) for v in row] for row in rows)
    return buffer.getvalue()


def table_xlsx(columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Scrutiny") -> bytes:
    """A header and rows as an Excel workbook of one sheet: dates as dates, numbers as numbers."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

    def cell(value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            value = ", ".join(map(str, value))
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value  # (a sheet refuses them)

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="".join(c for c in title if c not in "[]:*?/\\")[:31] or "Scrutiny")
    sheet.append([cell(c) for c in columns])
    for row in rows:
        sheet.append([cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
