"""Synthetic corpora for benchmarks: the sample letters varied across forces and dates.

Each variant swaps the letter's force (every place the extractor found it) for another of
the 43, and moves the letter's date, so a store of thousands of letters has the spread of
forces, dates and compliance a real one has.
"""
from __future__ import annotations

import datetime as dt
import random
from importlib import resources

from scrutiny import catalogue
from scrutiny.extract import extract
from scrutiny.read import read_bytes


def samples() -> list[str]:
    folder = resources.files("scrutiny").joinpath("samples")
    return [f.read_text(encoding="utf-8") for f in sorted(folder.iterdir(), key=lambda f: f.name) if f.name.endswith(".txt")]


def _variant(text: str, record, force: str, shift: int) -> str:
    replacements = [(s.start, s.end, force) for s in record.force.evidence]
    if record.letter_date:
        new_date = dt.date.fromisoformat(record.letter_date.date) + dt.timedelta(days=shift)
        span = record.letter_date.evidence[0]
        replacements.append((span.start, span.end, f"{new_date.day} {new_date:%B %Y}"))
    for start, end, value in sorted(replacements, reverse=True):
        text = text[:start] + value + text[end:]
    return text


def letters(n: int, seed: int = 55) -> list[tuple[str, str]]:
    """n (file name, text) pairs varied from the sample letters."""
    rng = random.Random(seed)
    bases = []
    for i, raw in enumerate(samples()):
        doc = read_bytes(raw.encode(), f"sample{i}.txt")
        bases.append((doc.text, extract(doc)))
    forces = [f.name for f in catalogue.forces()]
    out = []
    for i in range(n):
        text, record = bases[i % len(bases)]
        out.append((f"letter{i:05d}.txt", _variant(text, record, rng.choice(forces), rng.randint(0, 100))))
    return out
