"""Readers: bytes of a letter in any supported format -> a normalised `Document`.

One reader per format; the format is chosen by extension and confirmed by content, so a
file named .pdf that is not a PDF gets a clear error rather than garbage text.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..record import Document
from .docx import read_docx
from .errors import ReadError
from .html import read_html
from .pdf import read_pdf
from .text import decode, read_text

__all__ = ["ReadError", "load", "read_bytes", "read_path", "MAX_BYTES", "MEDIA_TYPES"]

MAX_BYTES = 32 * 1024 * 1024
MEDIA_TYPES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def media_type_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in MEDIA_TYPES:
        shown = suffix or "no extension"
        raise ReadError(name, f"unsupported format ({shown}); expected one of {', '.join(sorted(MEDIA_TYPES))}")
    return MEDIA_TYPES[suffix]


def _check_size(name: str, size: int) -> None:
    if size > MAX_BYTES:
        raise ReadError(name, f"file too large ({size / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB)")


def read_bytes(data: bytes, name: str) -> Document:
    """Read one file's bytes; `name` gives the format (by extension) and names errors."""
    media_type = media_type_of(name)
    if not data.strip():
        raise ReadError(name, "empty file")
    _check_size(name, len(data))
    pages = published = None
    if media_type == "application/pdf":
        if not data.startswith(b"%PDF"):
            raise ReadError(name, "not a PDF (no %PDF header)")
        text, pages = read_pdf(data, name)
    elif media_type.endswith("wordprocessingml.document"):
        text = read_docx(data, name)
    elif media_type == "text/html":
        text, published = read_html(decode(data, name))
    else:
        text = read_text(data, name)
    if not text:
        raise ReadError(name, "no text in the file")
    return Document(
        path=name,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=media_type,
        text=text,
        pages=pages,
        published=published,
    )


def load(path: str | os.PathLike) -> bytes:
    """A file's bytes, refusing one over the size limit before loading it into memory."""
    name = str(path)
    try:
        _check_size(name, os.path.getsize(path))
        return Path(path).read_bytes()
    except OSError as exc:
        raise ReadError(name, exc.strerror or str(exc)) from None


def read_path(path: str | os.PathLike) -> Document:
    """Read a file from disk."""
    media_type_of(str(path))
    return read_bytes(load(path), str(path))
