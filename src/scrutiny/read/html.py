"""HTML pages: the main text only (no navigation, scripts or footers), and the page's date."""
from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from .text import normalise

_DROP = "script, style, noscript, nav, header, footer, aside, form, template, svg, iframe"
_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
          "ol", "table", "tr", "blockquote", "pre", "address", "dl", "dt", "dd", "figure", "hr"}
_DATE_META = ("article:published_time", "datePublished", "date", "dcterms.created", "DC.date.issued")


def _walk(node, out: list[str]) -> None:
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            out.append(child.text_content or "")
        elif tag == "br":
            out.append("\n")
        elif tag in _BLOCK:
            out.append("\n\n")
            _walk(child, out)
            out.append("\n\n")
        elif tag in ("td", "th"):
            _walk(child, out)
            out.append(" ")
        elif not tag.startswith("-"):
            _walk(child, out)


def _published(tree: LexborHTMLParser) -> str | None:
    for key in _DATE_META:
        node = tree.css_first(f'meta[property="{key}"], meta[name="{key}"], meta[itemprop="{key}"]')
        if node and (m := re.match(r"\d{4}-\d{2}-\d{2}", node.attributes.get("content") or "")):
            return m.group()
    node = tree.css_first("time[datetime]")
    if node and (m := re.match(r"\d{4}-\d{2}-\d{2}", node.attributes.get("datetime") or "")):
        return m.group()
    return None


def read_html(markup: str) -> tuple[str, str | None]:
    """Return (main text, the page's publication date or None)."""
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
