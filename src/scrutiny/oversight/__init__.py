"""The oversight side: documents come in (ingest), are corrected by analysts, scored against
hand labels (evaluate) and go out (exports).

`open_store` opens the store with what only this side knows how to do: read a text's answers to
a report's recommendations again, when an analyst corrects which report a document answers.
"""
from __future__ import annotations

from ..catalogue import Report
from ..record import plain
from ..store import Store


def reanswer(text: str, report: Report) -> list[dict]:
    """How `text` answers each of `report`'s recommendations, as the contract's plain dicts."""
    from ..extract.answers import answer_recommendations  # the extractor loads only where a report is corrected

    return [plain(a) for a in answer_recommendations(text, report)]


def open_store(url: str | None = None, *, create: bool = True) -> Store:
    """The store at `url` (default: the settings'), able to apply every correction."""
    return Store(url, create=create, reanswer=reanswer)
