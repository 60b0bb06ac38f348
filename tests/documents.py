"""Turn letter text into real PDF and DOCX files for tests and benchmarks (nothing binary is committed)."""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

import docx
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer


def _font() -> str:
    """A TrueType font with the £ sign and accents if the machine has one, else Helvetica."""
    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",):
        try:
            pdfmetrics.registerFont(TTFont("DejaVu", path))
            return "DejaVu"
        except Exception:  # noqa: BLE001 - font missing or unreadable: fall back
            continue
    return "Helvetica"


def make_pdf(text: str, password: str | None = None) -> bytes:
    """One reportlab Paragraph per paragraph of `text`; single newlines become line breaks."""
    style = getSampleStyleSheet()["BodyText"]
    style.fontName = _font()
    story = []
    for paragraph in text.split("\n\n"):
        story.append(Paragraph("<br/>".join(escape(line) for line in paragraph.split("\n")), style))
        story.append(Spacer(1, 8))
    buffer = io.BytesIO()
    encrypt = StandardEncryption(password, canPrint=0) if password else None
    SimpleDocTemplate(buffer, pagesize=A4, encrypt=encrypt).build(story)
    return buffer.getvalue()


def make_docx(text: str) -> bytes:
    """One Word paragraph per line of `text` (blank lines become empty paragraphs)."""
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def statement(day: str) -> bytes:
    """A press statement by Warwickshire's commissioner about the child protection report."""
    return (f"Warwickshire Police and Crime Commissioner welcomes HMICFRS report\n\n{day}\n\n"
            "The Police and Crime Commissioner for Warwickshire, Philip Seccombe, has welcomed the HMICFRS "
            "National Child Protection Inspections 2019 thematic report. He said: 'We accept all of the "
            "recommendations and will work with the Chief Constable to deliver them.'").encode()
