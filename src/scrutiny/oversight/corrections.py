"""Analysts' corrections: one value of one document, checked and kept in one transaction.

The check reads the document inside the transaction that keeps the correction, so two
analysts correcting one document at once are judged each on what the other left.
"""
from __future__ import annotations

from ..errors import InvalidValue, NotFound
from ..record.fields import MAX_CORRECTIONS, check_author, check_value, get_field
from ..store import Store, StoredDocument


def correct(store: Store, document_id: int, name: str, value: object, author: str) -> StoredDocument:
    """Record an analyst's correction of one value; the document and its response follow it.

    Raises NotFound for an unknown document, InvalidValue for a field, value or author that
    cannot be accepted, or when the document has MAX_CORRECTIONS already.
    """
    with store.transaction() as s:
        current = store.document(document_id, s)
        if current is None:
            raise NotFound(f"no document with id {document_id}")
        try:
            value = check_value(name, value, current.record, store.reports(s))
            author = check_author(author)
        except KeyError:
            raise InvalidValue(f"field: {name!r} cannot be corrected") from None
        except ValueError as exc:
            raise InvalidValue(str(exc)) from None
        if store.corrections_of(s, document_id) >= MAX_CORRECTIONS:
            raise InvalidValue(f"document {document_id} has {MAX_CORRECTIONS} corrections, the most one may have")
        store.add_correction(s, document_id, name, get_field(current.record, name), value, author)
    result = store.document(document_id)
    assert result is not None  # stored a moment ago; documents are never deleted
    return result
