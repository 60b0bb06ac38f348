"""Word documents: paragraphs and table cells in document order."""
from __future__ import annotations

import io
import zipfile
import zlib

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from lxml.etree import XMLSyntaxError

from ..limits import Limits
from .errors import ReadError
from .text import normalise

# What python-docx lets through from a damaged package: a missing part, a broken zip entry,
# XML that does not parse (libxml2 also refuses XML nested over 256 deep), a bad value.
_DAMAGE = (PackageNotFoundError, KeyError, zipfile.BadZipFile, zlib.error, EOFError, XMLSyntaxError, ValueError)
# XML that parses but is not what python-docx expects (an attribute or namespace bit-flipped:
# Override without PartName, Types in a namespace of its own, a Relationship without Target)
# reaches its code as None or a plain element, which it does not check for.
_MISSHAPEN = (AttributeError, TypeError)


def read_docx(data: bytes, name: str, limits: Limits) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise ReadError(name, "not a valid DOCX (not a zip archive)") from None
    # python-docx inflates every part into memory; zipfile never inflates past a part's
    # declared size, so the declared sizes bound what reading can take.
    if sum(member.file_size for member in archive.infolist()) > limits.inflated_mb << 20:
        raise ReadError(name, f"its parts inflate too far; {limits.beyond('inflated_mb', ' MB')}")
    try:
        return normalise("\n".join(_lines(docx.Document(io.BytesIO(data)))))
    except _DAMAGE as exc:
        raise ReadError(name, f"not a valid DOCX ({' '.join(str(exc).split())[:200]})") from None
    except _MISSHAPEN:
        raise ReadError(name, "not a valid DOCX (a part of its package is damaged)") from None


def _lines(document: DocxDocument) -> list[str]:
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return lines
