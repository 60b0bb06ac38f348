"""PDF text through pdfium, with paragraph breaks recovered from the layout.

pdfium returns one line per text line and no blank lines; a vertical gap larger than the
line spacing marks a paragraph, which the extractor relies on as it does in text files.
"""
from __future__ import annotations

import re
import zlib

import pypdfium2 as pdfium

from ..limits import Limits
from .errors import ReadError
from .text import normalise

_STREAM = re.compile(rb"stream\r?\n")
_CHUNK = 1 << 16


def _page_text(page: pdfium.PdfPage, number: int, name: str, limits: Limits) -> str:
    textpage = page.get_textpage()
    try:
        # Each run's text is looked up across the whole page: time grows with runs x characters.
        characters, runs = textpage.count_chars(), textpage.count_rects()
        if characters > limits.page_characters:
            raise ReadError(name, f"page {number} holds too much text ({characters:,} characters); "
                                  f"{limits.beyond('page_characters')}")
        if runs > limits.page_runs:
            raise ReadError(name, f"page {number} has too many separate pieces of text ({runs:,}); "
                                  f"{limits.beyond('page_runs')}")
        lines: list[tuple[float, float, str]] = []  # (top, bottom, text)
        for i in range(runs):
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


def inflated_within(data: bytes, budget: int) -> bool:
    """Whether the compressed streams in `data` inflate to no more than `budget` bytes in all.

    pdfium inflates a page's streams whole, so a small file can ask it for gigabytes. Each
    stream is inflated here a slice at a time and thrown away, stopping once over budget.
    Streams that are not zlib data (images, encrypted content) fail at once and count nothing.
    """
    total = 0
    view = memoryview(data)
    for match in _STREAM.finditer(data):
        if data[match.start() - 3:match.start()] == b"end":
            continue
        inflater = zlib.decompressobj()
        fed = match.end() + _CHUNK
        pending: bytes | memoryview = view[match.end():fed]
        try:
            while total <= budget:
                total += len(inflater.decompress(pending, _CHUNK * 16))
                if inflater.eof:
                    break
                pending = inflater.unconsumed_tail
                if not pending:
                    if fed >= len(data):
                        break
                    pending = view[fed:fed + _CHUNK]
                    fed += _CHUNK
        except zlib.error:
            pass
        if total > budget:
            return False
    return True


def read_pdf(data: bytes, name: str, limits: Limits) -> tuple[str, int]:
    """Return (text, pages); a PDF without a text layer is an error, not empty text."""
    if not inflated_within(data, limits.inflated_mb << 20):
        raise ReadError(name, f"compressed content inflates too far; {limits.beyond('inflated_mb', ' MB')}")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise ReadError(name, "encrypted PDF: needs a password to read") from None
        raise ReadError(name, f"not a readable PDF ({message.rstrip('.')})") from None
    try:
        pages = len(doc)
        if pages > limits.pages:
            raise ReadError(name, f"too many pages ({pages:,}); {limits.beyond('pages')}")
        texts = []
        characters = 0
        for i in range(pages):
            try:
                page = doc[i]
            except pdfium.PdfiumError as exc:
                raise ReadError(name, f"page {i + 1} cannot be read ({str(exc).rstrip('.')})") from None
            try:
                texts.append(_page_text(page, i + 1, name, limits))
            finally:
                page.close()
            characters += len(texts[-1])
            if characters > limits.characters:
                raise ReadError(name, f"too much text by page {i + 1}; {limits.beyond('characters', ' characters')}")
    finally:
        doc.close()
    text = normalise("\n\n".join(texts))
    if not text:
        raise ReadError(name, f"scanned PDF with no text layer ({pages} page{'s' if pages != 1 else ''}): OCR it first")
    return text, pages
