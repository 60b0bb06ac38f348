"""PDFs of the office's documents, with reportlab: the published letter and the
holding-to-account pack. Every piece of text entered by a user is escaped: reportlab reads
its paragraphs as markup, and a '<' typed into a comment must print as '<'."""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..letter import Letter

_BASE = getSampleStyleSheet()["Normal"]
_STYLES = {
    "letterhead": ParagraphStyle("letterhead", _BASE, fontName="Times-Bold", fontSize=15, leading=19,
                                 alignment=TA_CENTER, spaceAfter=4),
    "address": ParagraphStyle("address", _BASE, fontName="Times-Roman", fontSize=11, leading=14, spaceAfter=10),
    "date": ParagraphStyle("date", _BASE, fontName="Times-Roman", fontSize=11, leading=14, spaceAfter=10),
    "salutation": ParagraphStyle("salutation", _BASE, fontName="Times-Roman", fontSize=11, leading=14, spaceAfter=8),
    "title": ParagraphStyle("title", _BASE, fontName="Times-Bold", fontSize=12, leading=15, spaceAfter=8),
    "para": ParagraphStyle("para", _BASE, fontName="Times-Roman", fontSize=11, leading=14.5, spaceAfter=7,
                           alignment=TA_JUSTIFY),
    "heading": ParagraphStyle("heading", _BASE, fontName="Times-Bold", fontSize=12, leading=15, spaceBefore=8,
                              spaceAfter=6),
    "subheading": ParagraphStyle("subheading", _BASE, fontName="Times-Bold", fontSize=11, leading=14,
                                 spaceBefore=4, spaceAfter=6),
    "rec": ParagraphStyle("rec", _BASE, fontName="Times-Bold", fontSize=11, leading=14, spaceBefore=6, spaceAfter=3),
    "quote": ParagraphStyle("quote", _BASE, fontName="Times-Italic", fontSize=10.5, leading=13.5, leftIndent=8 * mm,
                            rightIndent=8 * mm, spaceAfter=5, textColor=colors.HexColor("#333333")),
    "label": ParagraphStyle("label", _BASE, fontName="Times-Roman", fontSize=11, leading=14, spaceAfter=2),
    "step": ParagraphStyle("step", _BASE, fontName="Times-Roman", fontSize=11, leading=14, leftIndent=8 * mm,
                           bulletIndent=3 * mm, spaceAfter=3),
    "closing": ParagraphStyle("closing", _BASE, fontName="Times-Roman", fontSize=11, leading=14, spaceBefore=10,
                              spaceAfter=28),
    "signature": ParagraphStyle("signature", _BASE, fontName="Times-Bold", fontSize=11, leading=14),
    "signature-title": ParagraphStyle("signature-title", _BASE, fontName="Times-Roman", fontSize=11, leading=14),
}
_SMALL = ParagraphStyle("small", _BASE, fontName="Helvetica", fontSize=8.5, leading=10.5)
_SMALL_BOLD = ParagraphStyle("small-bold", _SMALL, fontName="Helvetica-Bold")


def _markup(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def _document(buffer: io.BytesIO, title: str, author: str) -> SimpleDocTemplate:
    # invariant: no creation time or random id in the file, so the same letter is the same bytes
    return SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=20 * mm,
                             bottomMargin=20 * mm, title=title, author=author, invariant=1)


def letter_pdf(letter: Letter, title: str, author: str) -> bytes:
    story: list = []
    for block in letter.blocks:
        style = _STYLES[block.kind]
        if block.kind == "step":
            story.append(Paragraph(_markup(block.text), style, bulletText="•"))
        else:
            story.append(Paragraph(_markup(block.text), style))
        if block.kind == "letterhead":
            story += [HRFlowable(width="100%", thickness=0.8, color=colors.HexColor("#14213d")), Spacer(1, 8 * mm)]
    # The signature stays on one page with 'Yours faithfully'.
    story[-3:] = [KeepTogether(story[-3:])]
    buffer = io.BytesIO()
    _document(buffer, title, author).build(story)
    return buffer.getvalue()


OVERDUE = "(overdue)"  # how a pack row's status ends when the action is overdue


def pack_pdf(title: str, subtitle: str, sections: list[tuple[str, list[list[str]]]], header: list[str]) -> bytes:
    """A table per section (a report), one row per action; every cell is plain text, and a row
    whose status ends with OVERDUE is shaded."""
    story: list = [Paragraph(_markup(title), _STYLES["letterhead"]),
                   Paragraph(_markup(subtitle), ParagraphStyle("sub", _STYLES["para"], alignment=TA_CENTER)),
                   HRFlowable(width="100%", thickness=0.8, color=colors.HexColor("#14213d")), Spacer(1, 5 * mm)]
    widths = [11 * mm, 52 * mm, 27 * mm, 20 * mm, 21 * mm, 29 * mm]
    for heading, rows in sections:
        story.append(Paragraph(_markup(heading), _STYLES["heading"]))
        cells = [[Paragraph(_markup(h), _SMALL_BOLD) for h in header]]
        cells += [[Paragraph(_markup(v), _SMALL) for v in row] for row in rows]
        table = Table(cells, colWidths=widths, repeatRows=1)
        style = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b8bfc8")),
                 ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        style += [("BACKGROUND", (0, i), (-1, i), colors.HexColor("#fdecea"))
                  for i, row in enumerate(rows, 1) if row[4].endswith(OVERDUE)]
        table.setStyle(TableStyle(style))
        story += [table, Spacer(1, 4 * mm)]
    if not sections:
        story.append(Paragraph("No open actions.", _STYLES["para"]))
    buffer = io.BytesIO()
    _document(buffer, title, "Scrutiny").build(story)
    return buffer.getvalue()
