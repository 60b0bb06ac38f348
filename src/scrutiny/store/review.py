"""The review queue: what an analyst should look at. Documents the extractor warned about,
documents that could not be attached to a response (with the reason), and files that
failed to read or extract (with the reason). Each list is paged on its own."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from . import Store
from .listing import ROW_COLUMNS, DocumentRow, document_row, documents_query
from .query import Page, check_page, paged
from .schema import Document, Failure, Version


@dataclass(frozen=True)
class Warned:
    document: DocumentRow
    warnings: list[str]


@dataclass(frozen=True)
class FailedFile:
    id: int
    source_key: str
    sha256: str
    reason: str
    at: dt.datetime


@dataclass(frozen=True)
class ReviewQueue:
    warnings: Page[Warned]
    unattached: Page[DocumentRow]  # each with its `unattached_reason`
    failed: Page[FailedFile]


def review_queue(store: Store, *, page: int = 1, per_page: int = 50) -> ReviewQueue:
    """The three lists, newest first; `page` applies to each."""
    check_page(page, per_page)
    base = documents_query().with_only_columns(*ROW_COLUMNS)
    with store.session() as s:
        warned_total, warned = paged(s, base.where(Document.warnings > 0).order_by(Document.id.desc()), page, per_page)
        records: dict[int, dict] = dict(s.execute(select(Version.document_id, Version.record).where(
            Version.is_current, Version.document_id.in_([r[0] for r in warned]))).all())
        unattached_total, unattached = paged(s, base.where(Document.response_id.is_(None))
                                             .order_by(Document.id.desc()), page, per_page)
        failed_total = s.scalar(select(func.count()).select_from(Failure)) or 0
        failed = s.scalars(select(Failure).order_by(Failure.at.desc(), Failure.id.desc())
                           .limit(per_page).offset((page - 1) * per_page)).all()
        failures = [FailedFile(f.id, f.source_key, f.sha256, f.reason, f.at) for f in failed]
    return ReviewQueue(
        Page([Warned(document_row(r), records[r[0]]["warnings"]) for r in warned], warned_total, page, per_page),
        Page([document_row(r) for r in unattached], unattached_total, page, per_page),
        Page(failures, failed_total, page, per_page),
    )
