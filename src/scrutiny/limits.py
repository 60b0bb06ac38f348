"""Budgets for reading untrusted files: what one file may cost before it is refused.

A file over a budget gets a one-line error naming the limit. The readers check the size
budgets (pages, characters, inflated bytes, nesting); the worker process that reads and
extracts each file (isolate/) enforces time and memory, which no parser can escape.
Each budget is a setting, `SCRUTINY_LIMIT_` and its name in capitals (SCRUTINY_LIMIT_SECONDS=10),
read with the other settings (`scrutiny.settings.Settings.limits`); docs/settings.md lists them.

A plain dataclass, not a pydantic model: the readers and the worker process import it, and
pydantic would add a fifth to the worker's start. Pydantic validates it all the same, from
each field's metadata (`description`, and `gt`, the least value it must exceed).
"""
from __future__ import annotations

from dataclasses import dataclass, field


def _budget(description: str, above: int = 0) -> dict[str, object]:
    return {"description": description, "gt": above}


@dataclass(frozen=True)
class Limits:
    file_mb: int = field(default=32, metadata=_budget("a file's size, checked before it is loaded"))
    pages: int = field(default=2_000, metadata=_budget("pages of a PDF"))
    characters: int = field(default=2_000_000,
                            metadata=_budget("text read from one file (about 600 pages of letters)"))
    page_characters: int = field(default=50_000,
                                 metadata=_budget("text on one PDF page (a dense A4 page holds ~5,000)"))
    page_runs: int = field(default=5_000, metadata=_budget(
        "separately placed pieces of text on one PDF page (reading a page takes time in proportion to its runs "
        "times its characters)"))
    inflated_mb: int = field(default=128, metadata=_budget(
        "everything compressed inside a PDF (its zlib streams) or a DOCX (its zip parts), once inflated"))
    html_depth: int = field(default=512, metadata=_budget(
        "elements nested inside each other in an HTML page, counted before it is parsed"))
    seconds: float = field(default=30.0, metadata=_budget(
        "wall-clock time to read and extract one file; the worker is killed past it"))
    # above 256: a worker holds ~100 MB of interpreter and libraries before it reads anything.
    memory_mb: int = field(default=1_024, metadata=_budget(
        "the worker process's address space (`RLIMIT_AS`); a file that needs more fails, the worker is replaced",
        above=256))

    def beyond(self, name: str, unit: str = "") -> str:
        """How an error names the budget a file went over: 'the limit is 2,000 (SCRUTINY_LIMIT_PAGES)'."""
        return f"the limit is {getattr(self, name):,}{unit} (SCRUTINY_LIMIT_{name.upper()})"
