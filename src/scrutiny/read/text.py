"""Plain text and Markdown: decode the bytes, then strip markup into normalised text."""
from __future__ import annotations

import re
import unicodedata

from .errors import ReadError

_SUPERSCRIPT_DIGITS = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079]+")
# Every pattern below is linear in its input: a repeated part never runs past the character
# that must end it (a bracket, parenthesis, or the emphasis mark itself), so a file of 200,000
# "[" or "*a " is scanned once, not once per mark.
_FOOTNOTE_REF = re.compile(r"\[\^[^\[\]]*\]:?")
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\((?:[^()\s]*)(?:\s+\"[^\"]*\")?\)")
_ANGLE_URL = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M)
_EMPHASIS = re.compile(r"(\*\*|__|\*|(?<![\w])_)(?=\S)((?:(?!\1)[^\n]|\n(?!\n))+?)(?<=\S)\1")
_RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.M)
# Replaced one by one: str.replace on the few present is much faster than str.translate.
_ASCII_LOOKALIKES = (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u00a0", " "),
                     ("\u2013", "-"), ("\u2014", "-"), ("\u2022", "-"), ("\t", " "), ("\r\n", "\n"), ("\r", "\n"))
_SPACES = re.compile(r"  +")
_BLANK_LINES = re.compile(r"\n\n\n+")


def decode(data: bytes, name: str) -> str:
    """Bytes to str: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")  # an odd last byte becomes U+FFFD
    if b"\x00" in data[:4096]:
        raise ReadError(name, "binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Letters saved from Word on Windows are cp1252; its five unmapped bytes become U+FFFD.
        return data.decode("cp1252", errors="replace")


def normalise(text: str) -> str:
    """Unicode and whitespace normalisation shared by every reader.

    Curly quotes and dashes become ASCII so that patterns stay simple; runs of spaces
    collapse; at most one blank line separates paragraphs.
    """
    if not text.isascii():
        text = _SUPERSCRIPT_DIGITS.sub("", text)  # footnote markers, before NFKC turns them into digits
        text = unicodedata.normalize("NFKC", text)
    for char, replacement in _ASCII_LOOKALIKES:
        if char in text:
            text = text.replace(char, replacement)
    if "  " in text:
        text = _SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = "\n".join(line.strip(" ") for line in text.split("\n"))
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def strip_markup(text: str) -> str:
    """Remove the markdown and HTML artefacts a PDF-to-text converter leaves behind.

    Each pattern runs only if its tell-tale character occurs: most letters have few artefacts.
    """
    if "[" in text:
        text = _MD_LINK.sub(r"\1", _FOOTNOTE_REF.sub("", text))
    if "<" in text:
        text = _HTML_TAG.sub("", _ANGLE_URL.sub(r"\1", text))
    if "#" in text:
        text = _HEADING.sub("", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub(r"\2", _RULE.sub("", text))
    elif "---" in text:
        text = _RULE.sub("", text)
    return text.replace("\\*", "*").replace("\\_", "_").replace("&amp;", "&")


def read_text(markup: str) -> str:
    """Decoded plain text or Markdown -> normalised text."""
    return normalise(strip_markup(markup))
