"""Readers: bytes of a letter in any supported format -> a normalised `Document`.

One reader per format; the format is chosen by extension and confirmed by content, so a
file named .pdf that is not a PDF gets a clear error rather than garbage text. Every reader
keeps within the budgets in `scrutiny.limits` (pages, characters, inflated bytes, nesting): those
given, else the settings' (SCRUTINY_LIMIT_*).
"""
from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from ..limits import Limits
from ..record import Document
from .errors import ReadError
from .text import decode, read_text

__all__ = ["MEDIA_TYPES", "ReadError", "expand", "load", "read_bytes", "read_path", "unsupported"]

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


def _inside(folder: Path) -> list[Path]:
    return sorted(f for f in folder.rglob("*") if f.is_file())


def expand(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Files named, and the supported files inside folders named (recursively, sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(f for f in _inside(p) if f.suffix.lower() in MEDIA_TYPES)
        else:
            out.append(p)
    return out


def unsupported(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The files inside folders named that `expand` leaves out, being of no supported format
    (a file named on its own is read, and fails with its reason)."""
    return [f for p in map(Path, paths) if p.is_dir() for f in _inside(p) if f.suffix.lower() not in MEDIA_TYPES]


def _check_size(name: str, size: int, limits: Limits) -> None:
    if size > limits.file_mb << 20:
        raise ReadError(name, f"file too large ({size / 2**20:.1f} MB); {limits.beyond('file_mb', ' MB')}")


def _check_text(name: str, text: str, limits: Limits) -> None:
    if len(text) > limits.characters:
        raise ReadError(name, f"too much text ({len(text):,} characters); {limits.beyond('characters', ' characters')}")


def _budgets(given: Limits | None) -> Limits:
    """The budgets given, else those the settings give. (Imported here, not at the top: the worker
    is always given its limits, and so never pays for pydantic-settings.)"""
    if given is not None:
        return given
    from ..settings import get_settings

    return get_settings().limits


def read_bytes(data: bytes, name: str, limits: Limits | None = None) -> Document:
    """Read one file's bytes; `name` gives the format (by extension) and names errors."""
    limits = _budgets(limits)
    media_type = media_type_of(name)
    if not data.strip():
        raise ReadError(name, "empty file")
    _check_size(name, len(data), limits)
    pages = published = None
    # Each reader's library is imported when a file of its format comes (a process reading
    # text files never loads pdfium, python-docx or the HTML parser).
    if media_type == "application/pdf":
        if not data.startswith(b"%PDF"):
            raise ReadError(name, "not a PDF (no %PDF header)")
        from .pdf import read_pdf
        text, pages = read_pdf(data, name, limits)
    elif media_type.endswith("wordprocessingml.document"):
        from .docx import read_docx
        text = read_docx(data, name, limits)
    elif media_type == "text/html":
        from .html import read_html
        text, published = read_html(decode(data, name), name, limits)
    else:
        markup = decode(data, name)
        _check_text(name, markup, limits)  # before the markup is stripped: that takes time too
        text = read_text(markup)
    if not text:
        raise ReadError(name, "no text in the file")
    _check_text(name, text, limits)
    return Document(
        path=name,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=media_type,
        text=text,
        pages=pages,
        published=published,
    )


def load(path: str | os.PathLike, limits: Limits | None = None) -> bytes:
    """A file's bytes, refusing one over the size limit before loading it into memory."""
    limits = _budgets(limits)
    name = str(path)
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):  # a named pipe or a device would never end
            raise ReadError(name, "not a regular file")
        _check_size(name, status.st_size, limits)
        return Path(path).read_bytes()
    except OSError as exc:
        raise ReadError(name, exc.strerror or str(exc)) from None


def read_path(path: str | os.PathLike, limits: Limits | None = None) -> Document:
    """Read a file from disk."""
    limits = _budgets(limits)
    media_type_of(str(path))
    return read_bytes(load(path, limits), str(path), limits)
