"""PDF text through pdfium, with paragraph breaks recovered from the layout.

pdfium returns one line per text line and no blank lines; a vertical gap larger than the
line spacing marks a paragraph, which the extractor relies on as it does in text files.
"""
from __future__ import annotations

import pypdfium2 as pdfium

from .errors import ReadError
from .text import normalise


def _page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        lines: list[tuple[float, float, str]] = []  # (top, bottom, text)
        for i in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(i)
            text = textpage.get_text_bounded(left, bottom, right, top).strip()
            if not text:
                continue
            if lines and abs(lines[-1][0] - top) < 0.5 * (top - bottom):
                prev = lines[-1]
                lines[-1] = (prev[0], min(prev[1], bottom), prev[2] + " " + text)
            else:
                lines.append((top, bottom, text))
    finally:
        textpage.close()
    out: list[str] = []
    for i, (top, _, text) in enumerate(lines):
        if i:
            prev_top, prev_bottom, _ = lines[i - 1]
            height = prev_top - prev_bottom
            gap = prev_bottom - top
            out.append("\n\n" if gap > 0.6 * height else "\n")
        out.append(text)
    return "".join(out)


def read_pdf(data: bytes, name: str) -> tuple[str, int]:
    """Return (text, pages); a PDF without a text layer is an error, not empty text."""
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise ReadError(name, "encrypted PDF: needs a password to read") from None
        raise ReadError(name, f"not a readable PDF ({message.rstrip('.')})") from None
    try:
        pages = len(doc)
        texts = [_page_text(doc[i]) for i in range(pages)]
    finally:
        doc.close()
    text = normalise("\n\n".join(texts))
    if not text:
        raise ReadError(name, f"scanned PDF with no text layer ({pages} page{'s' if pages != 1 else ''}): OCR it first")
    return text, pages
