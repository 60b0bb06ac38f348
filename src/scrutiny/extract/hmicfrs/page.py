"""What an HMICFRS page says about itself: its address, what kind of page it is, the report's
title, the day it was published, and the forces it is about.

Stored copies start with a 'URL: ...' line; a page read from HTML or a PDF has none, and is
known by its own fields ('Published on:', a letter's 'Sent on:', the register's record line
'<report title> (<record number>)').
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import unquote

from ... import catalogue
from ..dates import find_dates
from ..parties import find_force
from .register import history_start

_URL_LINE = re.compile(r"\AURL:\s*(\S+)[ \t]*\n?")
_NOT_A_TITLE = re.compile(r"^(?:404\b|page not found|contents$|print this document$|skip to)", re.IGNORECASE)
_RECORD_LINE = re.compile(r"^(?P<title>[^\n]{8,300}?)\s+\((?P<record>\d{2,7})\)[ \t]*$", re.MULTILINE)
_PUBLISHED = re.compile(r"^[ \t]*Published(?:\s+on)?\s*:?\s*\n?[ \t]*(?=\d)", re.IGNORECASE | re.MULTILINE)
_SENT = re.compile(r"^[ \t]*Sent on\s*:?\s*\n?[ \t]*(?=\d)", re.IGNORECASE | re.MULTILINE)
_FORCES_FIELD = re.compile(r"^[ \t]*Police Forces?\s*:\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_TO_BLOCK = re.compile(r"^[ \t]*To:?[ \t]*\n(?P<block>(?:.+\n){1,6}?)[ \t]*(?:Cc|Sent on)\b", re.IGNORECASE | re.MULTILINE)
_FORCE_PAGE = re.compile(r"/recommendation/(?P<force>[a-z-]+)/\d+")
_REGISTER_URL = re.compile(r"/recommendation/|[?&]recommendation-theme=")
_REPORT_URL = re.compile(r"/publications?/|/publication-html/")


@dataclass(frozen=True)
class Header:
    url: str | None
    kind: str  # recommendation (a register record), report, letter, other
    title: str | None
    record: str | None  # the register's number for the record
    published: dt.date | None
    sent: dt.date | None
    forces: tuple[str, ...]
    body_start: int  # where the page's own text starts (after its address and title lines)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def force_by_slug(slug: str) -> str | None:
    """The force an address names ('devon-and-cornwall', 'metropolitan'): a force whose name or
    alias, as an address writes it, is the slug, or the slug and the word for a force."""
    for alias, name in catalogue.force_names().items():
        written = _slug(alias)
        if written == slug or re.fullmatch(rf"{re.escape(slug)}-(?:police|constabulary|police-service)", written):
            return name
    return None


def _date_after(text: str, pattern: re.Pattern) -> dt.date | None:
    m = pattern.search(text)
    if m is None:
        return None
    found = find_dates(text[m.end():m.end() + 40])
    return found[0].date if found and found[0].start == 0 else None


def _first_line(text: str) -> tuple[str | None, int]:
    """The page's first line that can be a title, and where the text after it starts."""
    at = 0
    for line in text.split("\n"):
        end = at + len(line) + 1
        stripped = line.strip()
        if stripped and not _NOT_A_TITLE.match(stripped):
            if len(stripped) > 250 or stripped.endswith((".", ":", ";")):
                return None, at  # a sentence: the page has no title line
            return stripped, end
        at = end
    return None, at


def read_header(text: str) -> Header:
    m = _URL_LINE.match(text)
    url = unquote(m.group(1)) if m else None  # an address inside a redirector's is written %-encoded
    body = m.end() if m else 0
    history = history_start(text)
    # A record of the register: by its address, the register's markup, or its record line
    # ('<report title> (<number>)') first with a dated history after it.
    register = bool(url and _REGISTER_URL.search(url)) or "[on]" in text or "[status]" in text
    record = _RECORD_LINE.search(text, body, history if history is not None else len(text))
    if record is not None and not register and (text[body:record.start()].strip() or history is None):
        record = None
    published, sent = _date_after(text, _PUBLISHED), _date_after(text, _SENT)
    if record is not None:
        title, start, register = record.group("title").strip(), record.end(), True
    elif register:
        title, start = None, body  # a record's own page does not name its report
    else:
        title, start = _first_line(text[body:])
        start += body
    kind = ("recommendation" if register else "letter" if sent or re.search(r"^Letter information", text, re.M)
            else "report" if published or (url and _REPORT_URL.search(url)) else "other")
    forces: list[str] = []
    if url and (page := _FORCE_PAGE.search(url)) and (name := force_by_slug(page.group("force"))):
        forces.append(name)
    # Named in the title, the page's field of forces (one per comma), or a letter's addressee.
    named = [title or ""] + [piece for m in _FORCES_FIELD.finditer(text) for piece in m.group(1).split(",")]
    named += [m.group("block") for m in _TO_BLOCK.finditer(text)] if kind == "letter" else []
    for part in named:
        force = find_force(part)
        if force is not None and force.name not in forces:
            forces.append(force.name)
    return Header(url, kind, title, record.group("record") if record else None, published, sent, tuple(forces),
                  start)


def records(text: str, header: Header) -> list[tuple[str | None, str | None, int, int]]:
    """A register page's records: (report title, record number, start, end) of each. A theme's
    listing has several, each under its record line; a record's own page has one."""
    lines = [m for m in _RECORD_LINE.finditer(text, header.body_start)]
    out = [(header.title, header.record, header.body_start, lines[0].start() if lines else len(text))]
    for m, after in zip(lines, [*lines[1:], None]):
        out.append((m.group("title").strip(), m.group("record"), m.end(), after.start() if after else len(text)))
    return out
