"""HTML pages: the main text only (no navigation, scripts or footers), and the page's date."""
from __future__ import annotations

import datetime as dt
import re

from selectolax.lexbor import LexborHTMLParser

from ..limits import Limits
from .errors import ReadError
from .text import normalise

_DROP = "script, style, noscript, nav, header, footer, aside, form, template, svg, iframe"
_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
          "ol", "table", "tr", "blockquote", "pre", "address", "dl", "dt", "dd", "figure", "hr"}
_DATE_META = ("article:published_time", "datePublished", "date", "dcterms.created", "DC.date.issued")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
_TAG_END = re.compile(r"[^<>]*>")
_RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "plaintext"}
_FOREIGN = {"svg", "math"}  # inside these, <path/> closes itself, as it does not in HTML
# Elements that never hold others, or that the next of their kind closes, add no depth.
_FLAT = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody",
         "tfoot", "colgroup", "caption", "rb", "rp", "rt", "rtc"}


def _depth_within(markup: str, limit: int) -> bool:
    """Whether elements nest no deeper than `limit`, counting tags in one pass.

    The HTML parser looks down its stack of open elements for each new block, so a page of
    many thousands of nested <div>s takes it minutes; this count is linear, and comes first.
    """
    depth = foreign = 0
    position = 0
    while match := _TAG.search(markup, position):
        closing, tag = match.group(1), match.group(2).lower()
        position = match.end()
        if tag in _FLAT:
            continue
        if closing:
            depth = max(0, depth - 1)
            foreign = max(0, foreign - (tag in _FOREIGN))
        elif tag in _RAW_TEXT:  # its text is not markup: skip to its end tag
            end = re.compile(f"</{tag}", re.IGNORECASE).search(markup, position)
            if end is None:
                break
            position = end.end()
        elif (foreign or tag in _FOREIGN) and (end := _TAG_END.match(markup, position)) and end.group().endswith("/>"):
            position = end.end()
        else:
            depth += 1
            foreign += tag in _FOREIGN
            if depth > limit:
                return False
    return True


def _walk(root, out: list[str]) -> None:
    """The text under `root` with paragraph breaks at blocks; a stack, not recursion, since
    the page decides how deep it goes."""
    stack = [(root.iter(include_text=True), "")]  # (children left to visit, text after them)
    while stack:
        children, after = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            out.append(after)
            continue
        tag = child.tag
        if tag == "-text":
            out.append(child.text_content or "")
        elif tag == "br":
            out.append("\n")
        elif tag in _BLOCK:
            out.append("\n\n")
            stack.append((child.iter(include_text=True), "\n\n"))
        elif tag in ("td", "th"):
            stack.append((child.iter(include_text=True), " "))
        elif not tag.startswith("-"):
            stack.append((child.iter(include_text=True), ""))


def _calendar_date(value: str | None) -> str | None:
    """The ISO date `value` starts with, if it is a real day (not 2023-02-30)."""
    if m := _ISO_DATE.match(value or ""):
        try:
            return dt.date.fromisoformat(m.group()).isoformat()
        except ValueError:
            return None
    return None


def _published(tree: LexborHTMLParser) -> str | None:
    for key in _DATE_META:
        node = tree.css_first(f'meta[property="{key}"], meta[name="{key}"], meta[itemprop="{key}"]')
        if node and (date := _calendar_date(node.attributes.get("content"))):
            return date
    node = tree.css_first("time[datetime]")
    return _calendar_date(node.attributes.get("datetime")) if node else None


def read_html(markup: str, name: str, limits: Limits) -> tuple[str, str | None]:
    """Return (main text, the page's publication date or None)."""
    if not _depth_within(markup, limits.html_depth):
        raise ReadError(name, f"elements nested too deeply; {limits.beyond('html_depth', ' levels')}")
    tree = LexborHTMLParser(markup)
    published = _published(tree)
    for node in tree.css(_DROP):
        node.decompose()
    root = tree.css_first("main") or tree.css_first("article") or tree.css_first('[role="main"]') or tree.body
    out: list[str] = []
    if root is not None:
        _walk(root, out)
    text = "".join(out)
    text = re.sub(r"[ \t\r\f\v]*\n[ \t\r\f\v]*", "\n", re.sub(r"[ \t\r\f\v]+", " ", text))
    return normalise(text), published
