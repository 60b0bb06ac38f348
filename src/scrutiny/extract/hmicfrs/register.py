"""The recommendation register's history: HMICFRS keeps, per force and recommendation, dated
entries that set a status (awaiting-review, being-progressed, complete,
no-further-action-needed) or add a comment.

Stored copies of its pages show the history three ways: the site's raw markup
('[on]3rd March 2017 [status]awaiting-review[/status][/on][on]22nd October 2018 [comment]...'),
plain lines ('3rd March 2017 awaiting-review', or a date alone on its line with the comment in
the paragraphs after it), or not at all. The history starts at its first dated entry; what is
before it is the recommendation.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..dates import find_dates

STATUSES = ("awaiting-review", "being-progressed", "complete", "no-further-action-needed")
# As the markup codes them, or in words ('Being progressed', 'No further action needed').
_STATUS = "|".join(s.replace("-", "[- ]") for s in STATUSES)
_DATE = r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+(?:19|20)\d\d"
# A history entry's start: the markup's '[on]', or a line that is a date, alone or with a status.
_ENTRY = re.compile(rf"\[on\]|^(?={_DATE}[ \t]*(?:{_STATUS})?[ \t]*$)", re.MULTILINE | re.IGNORECASE)
_MARKUP = re.compile(r"\[/?(?:on|comment|status)\]")
_STATUS_MARK = re.compile(rf"\[status\]\s*({_STATUS})\s*\[/status\]", re.IGNORECASE)
_PLAIN_STATUS = re.compile(rf"^({_DATE})[ \t]+({_STATUS})[ \t]*$", re.IGNORECASE)
# Where the page has no dated status, a comment that says so in words is the status.
_COMPLETE_IN_WORDS = re.compile(r"\bthis recommendation (?:is|has been)\s+(?:therefore\s+|now\s+)?"
                                r"(?:complete|completed|closed)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    """One dated entry: a status set, or a comment (`status` None)."""

    on: dt.date | None
    status: str | None = None
    comment: str | None = None

    def to_dict(self) -> dict:
        out: dict = {"on": self.on.isoformat() if self.on else None}
        if self.status:
            out["status"] = self.status
        if self.comment is not None:
            out["comment"] = self.comment
        return out


def _code(status: str) -> str:
    return status.lower().replace(" ", "-")


def history_start(text: str) -> int | None:
    """Where the dated history begins, if the text has one."""
    m = _ENTRY.search(text)
    return m.start() if m else None


def _date(text: str) -> dt.date | None:
    found = find_dates(text[:40])
    return found[0].date if found and found[0].start < 3 else None


def parse_history(text: str) -> list[Entry]:
    """The entries of a history that starts at the start of `text`."""
    starts = [m.start() for m in _ENTRY.finditer(text)]
    entries: list[Entry] = []
    for start, end in zip(starts, [*starts[1:], len(text)]):
        chunk = text[start:end]
        chunk = chunk[4:] if chunk.startswith("[on]") else chunk
        on = _date(chunk)
        status = _STATUS_MARK.search(chunk)
        if status is None and (plain := _PLAIN_STATUS.match(chunk.split("\n", 1)[0])):
            entries.append(Entry(on, _code(plain.group(2))))
            chunk = chunk.split("\n", 1)[1] if "\n" in chunk else ""
            if not chunk.strip():
                continue
        if status is not None:
            entries.append(Entry(on, _code(status.group(1))))
            continue
        comment = _MARKUP.sub(" ", chunk)
        if on is not None:
            first = find_dates(comment[:40])
            if first and first[0].start < 3:
                comment = comment[first[0].end:]
        entries.append(Entry(on, None, " ".join(comment.split())))
    return entries


def latest_status(entries: list[Entry], prose: str = "") -> str | None:
    """The status the history leaves: its last status entry; where it has none, 'complete'
    if a comment (or the page's prose) says the recommendation is complete."""
    statuses = [e.status for e in entries if e.status]
    if statuses:
        return statuses[-1]
    said = " ".join([prose, *(e.comment or "" for e in entries)])
    return "complete" if _COMPLETE_IN_WORDS.search(said) else None
