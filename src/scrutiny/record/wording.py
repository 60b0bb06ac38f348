"""Recommendations compared by their words: the same recommendation copied from two pages
differs in bullets, quotes, spacing and the odd word run together ('andensure')."""
from __future__ import annotations

import hashlib
import re
from difflib import SequenceMatcher

SAME = 0.85  # the share of words alike, in order, above which two wordings are one recommendation


def words(text: str | None) -> list[str]:
    """Lower-case words and numbers, nothing else."""
    return re.findall(r"[a-z0-9]+", (text or "").lower())


def key(text: str) -> str:
    """A short fingerprint of the words (what a store indexes a wording by)."""
    return hashlib.sha256(" ".join(words(text)).encode()).hexdigest()


def similar(a: str | None, b: str | None, threshold: float = SAME) -> bool:
    x, y = words(a), words(b)
    if not (x and y):
        return False
    if x == y:
        return True
    return SequenceMatcher(None, x, y, autojunk=False).ratio() >= threshold
