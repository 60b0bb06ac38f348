"""Budgets for reading untrusted files: what one file may cost before it is refused.

A file over a budget gets a one-line error naming the limit. The readers check the size
budgets (pages, characters, inflated bytes, nesting); the worker process that reads and
extracts each file (isolate.py) enforces time and memory, which no parser can escape.
Each budget can be changed with an environment variable: SCRUTINY_LIMIT_ and its name in
capitals (SCRUTINY_LIMIT_SECONDS=10). The README lists them.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any


# A worker holds ~100 MB of interpreter and libraries before it reads anything.
_LEAST = {"memory_mb": 256}


@dataclass(frozen=True)
class Limits:
    file_mb: int = 32  # a file's size, before anything is read
    pages: int = 2_000  # pages of a PDF
    characters: int = 2_000_000  # text read from one file (~600 pages of letters)
    page_characters: int = 50_000  # text on one PDF page (a dense A4 page holds ~5,000)
    page_runs: int = 5_000  # separately placed pieces of text on one PDF page
    inflated_mb: int = 128  # everything compressed inside a PDF or DOCX, once inflated
    html_depth: int = 512  # elements nested inside each other in an HTML page
    seconds: float = 30.0  # wall-clock time to read and extract one file
    memory_mb: int = 1_024  # address space of the worker process that reads a file

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Limits:
        """The defaults, overridden by any SCRUTINY_LIMIT_<NAME> set in `environ`."""
        changes: dict[str, Any] = {}
        for f in fields(cls):
            value = environ.get(f"SCRUTINY_LIMIT_{f.name.upper()}")
            if value is not None:
                kind = float if f.type == "float" else int
                try:
                    number = kind(value)
                except ValueError:
                    raise ValueError(f"SCRUTINY_LIMIT_{f.name.upper()}={value!r}: not a number") from None
                least = _LEAST.get(f.name, 0)
                if number <= least:
                    raise ValueError(f"SCRUTINY_LIMIT_{f.name.upper()}={value!r}: must be above {least}")
                changes[f.name] = number
        return replace(cls(), **changes)

    def beyond(self, name: str, unit: str = "") -> str:
        """How an error names the budget a file went over: 'the limit is 2,000 (SCRUTINY_LIMIT_PAGES)'."""
        return f"the limit is {getattr(self, name):,}{unit} (SCRUTINY_LIMIT_{name.upper()})"


try:
    LIMITS = Limits.from_env()
except ValueError as exc:  # a mistyped setting stops the program at once, with one line
    raise SystemExit(f"scrutiny: {exc}") from None
