"""PDFs of the office's documents, with WeasyPrint: the letter (published or draft) and the
holding-to-account pack. Each is HTML and CSS rendered to a tagged PDF (PDF/UA-1: headings,
paragraphs, lists and tables in its structure tree) carrying its language, title, author,
creation date and "Page n of N" on every page, as the Public Sector Bodies Accessibility
Regulations 2018 ask of a public body's documents. The letter's blocks go through the same
template as its web page (`templates/letter_blocks.html`), and Jinja escapes every piece of
text a user entered.

A letter's creation date is the day it is dated, so the same letter is the same bytes.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import NamedTuple

from jinja2 import Environment, PackageLoader, select_autoescape

from ..letter import Letter

LANGUAGE = "en-GB"
TEMPLATES = Environment(loader=PackageLoader(__package__, "templates"), autoescape=select_autoescape(default=True))


def _pdf(template: str, title: str, author: str, created: dt.datetime, **values: object) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]  # loaded on first use: it brings pango along

    html = TEMPLATES.get_template(template).render(language=LANGUAGE, title=title, author=author,
                                                   created=created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                                   **values)
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def midday(day: dt.date) -> dt.datetime:
    """A published letter's creation time: midday of the day it is dated."""
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)


def letter_pdf(letter: Letter, title: str, author: str, created: dt.datetime) -> bytes:
    """The letter, created at `created` (a published letter: `midday(its date)`; a draft: now)."""
    return _pdf("letter.html", title, author, created, blocks=[asdict(b) for b in letter.blocks])


class PackRow(NamedTuple):
    cells: list[str]
    late: bool  # overdue, or done after its due date: shaded, and said in words in a cell


class PackSection(NamedTuple):
    heading: str
    figures: str
    rows: list[PackRow]


def pack_pdf(title: str, subtitle: str, sections: list[PackSection], header: list[str],
             created: dt.datetime) -> bytes:
    """A table per section (a report), one row per action; every cell is plain text."""
    return _pdf("pack.html", title, "Scrutiny", created, subtitle=subtitle, sections=sections, header=header)
