"""Discovery: from a fetched page, the links worth following.

A link is one of three things, or nothing:
- a **candidate**: an HTML page, PDF or Word document that looks like a response or statement
  on an inspection, by its link text, its address, and the words around it (the table row or
  list item it sits in, the heading above it), or a headline of a verdict on the force that
  names no inspection ('PCC praises force after ...'). On a page that lists responses (its
  title or a heading speaks of inspections and of responses or reports), every PDF or Word
  document it links is one;
- a **listing**: a page that lists more of them, a year at a time ('HMICFRS reports 2019');
- **paging**: the next page of a listing ('Next', 'Older posts', a page number, `rel=next`).

The page is parsed with the standard library's parser, in pure Python: a page from the web
is untrusted, and the collector may run inside the web app (`serve`'s schedule), where no
compiled parser reads untrusted input outside a worker process. Pages are size-capped before.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from .fetch import canonical

CANDIDATE, LISTING, PAGING = "candidate", "listing", "paging"

_INSPECTION = re.compile(r"\bHMIC(?:FRS)?\b|\bHMI\b|inspect|inspectorate|\bPEEL\b|super-?complaint|"
                         r"state of policing|crime data integrity", re.IGNORECASE)
_RESPONSE = re.compile(r"respon|statement|comment|letter|reacts?\b|welcomes?|says|section 55|\bs\.?\s?55\b|"
                       r"home secretary|verdict|findings|report", re.IGNORECASE)
# A headline about a force's verdict that names no inspection: 'PCC praises force after ...',
# 'Report shows constabulary performing well'. Read, and skipped if it is not a response.
_VERDICT = re.compile(r"prais|report|rating|rated|graded|grade\b|performing|improvement", re.IGNORECASE)
_ACTOR = re.compile(r"\bP?F?CC\b|commissioner|mayor|\bforce\b|police|constabulary", re.IGNORECASE)
_LIST_OF_RESPONSES = re.compile(r"respon|reports", re.IGNORECASE)
_LISTS = re.compile(r"\b(?:reports|responses|inspections)\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_NEXT = re.compile(r"^\s*(?:next(?: page)?|older(?: posts| entries| news| items)?|more(?: news| posts)?|"
                   r"load more|previous (?:posts|entries)|[»›>]+|next\s*[»›>]+|older\s*[»›>]+)\s*$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
_PAGED_URL = re.compile(r"(?:[?&](?:page|p|pg|paged|start|offset)=\d+|/page/\d+/?$|/p\d+/?$)", re.IGNORECASE)
DOCUMENT_SUFFIXES = (".pdf", ".docx")
_SKIPPED_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".css", ".js", ".ico", ".zip", ".mp3",
                     ".mp4", ".xlsx", ".xls", ".pptx", ".ics", ".xml", ".rss", ".doc")
_CONTEXT = {"tr", "li", "article", "dd", "p"}  # a link's surroundings: the row or item it sits in
_HEADINGS = {"h1", "h2", "h3", "h4"}
_IGNORED = {"script", "style", "noscript", "template", "svg", "nav", "header", "footer"}
PROSE = 300  # characters of its own, outside links: fewer, and a page is a list, not a text to read


@dataclass
class Link:
    url: str
    text: str
    rel: str
    context: str = ""  # the words of the row or item around it
    heading: str = ""  # the nearest heading above it


@dataclass
class Parsed:
    title: str = ""
    headings: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    next_links: list[str] = field(default_factory=list)  # <link rel="next">
    prose: int = 0  # characters of text outside links (and navigation, headers, footers)


class _Parser(HTMLParser):
    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.out = Parsed()
        self.ignored = 0
        self.in_title = False
        self.heading: list[str] | None = None
        self.last_heading = ""
        self.anchor: Link | None = None
        self.contexts: list[tuple[str, list[str], list[Link]]] = []  # open rows and items: tag, words, links

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in _IGNORED:
            self.ignored += 1
        elif tag == "base" and values.get("href"):
            self.base = urljoin(self.base, values["href"])
        elif tag == "title":
            self.in_title = True
        elif tag in _HEADINGS:
            self.heading = []
        elif tag == "link" and "next" in values.get("rel", "").lower().split() and values.get("href"):
            self.out.next_links.append(urljoin(self.base, values["href"]))
        elif tag == "a" and values.get("href") and not self.ignored:
            self.anchor = Link(urljoin(self.base, values["href"]), "", values.get("rel", "").lower(),
                               heading=self.last_heading)
        if tag in _CONTEXT:
            self.contexts.append((tag, [], []))

    def handle_endtag(self, tag: str) -> None:
        if tag in _IGNORED:
            self.ignored = max(0, self.ignored - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in _HEADINGS and self.heading is not None:
            self.last_heading = " ".join(" ".join(self.heading).split())
            self.out.headings.append(self.last_heading)
            self.heading = None
        elif tag == "a" and self.anchor is not None:
            self.anchor.text = " ".join(self.anchor.text.split())
            self.out.links.append(self.anchor)
            if self.contexts:
                self.contexts[-1][2].append(self.anchor)
            self.anchor = None
        if tag in _CONTEXT and any(t == tag for t, _, _ in self.contexts):
            while self.contexts:  # close up to the matching one (HTML leaves some unclosed)
                opened, words, links = self.contexts.pop()
                text = " ".join(" ".join(words).split())[:500]
                for link in links:
                    link.context = link.context or text
                if self.contexts:  # its words and links belong to the enclosing row or item too
                    self.contexts[-1][1].extend(words)
                    self.contexts[-1][2].extend(links)
                if opened == tag:
                    break

    def handle_data(self, data: str) -> None:
        if self.ignored:
            return
        if self.in_title:
            self.out.title += data
        if self.heading is not None:
            self.heading.append(data)
        if self.anchor is not None:
            self.anchor.text += data
        elif not self.in_title:
            self.out.prose += len(data.strip())
        if self.contexts:
            self.contexts[-1][1].append(data)


def parse(content: bytes, url: str) -> Parsed:
    parser = _Parser(url)
    parser.feed(content.decode("utf-8", "replace"))
    parser.close()
    parser.out.title = " ".join(parser.out.title.split())
    return parser.out


def _words(url: str) -> str:
    """An address's path as words: '/news/pcc-responds-to-hmicfrs-report/' -> ' news pcc responds to hmicfrs report '."""
    parts = urlsplit(url)
    return re.sub(r"[-_/.+%=&?]+", " ", parts.path + " " + parts.query)


def lists_responses(parsed: Parsed) -> bool:
    """The page speaks of inspections and of responses or reports in its title or a heading."""
    return any(_INSPECTION.search(h) and _LIST_OF_RESPONSES.search(h) for h in [parsed.title, *parsed.headings])


def classify(link: Link, page_lists_responses: bool) -> str | None:
    """What a link is (CANDIDATE, LISTING, PAGING), or None: not followed."""
    path = urlsplit(link.url).path.lower()
    if path.endswith(_SKIPPED_SUFFIXES):
        return None
    if "next" in link.rel.split() or _NEXT.match(link.text):
        return PAGING
    if _PAGE_NUMBER.match(link.text) and _PAGED_URL.search(link.url):
        return PAGING
    own = f"{link.text} {_words(link.url)}"
    around = f"{own} {link.context} {link.heading}"
    if path.endswith(DOCUMENT_SUFFIXES):
        return CANDIDATE if page_lists_responses or _INSPECTION.search(around) else None
    if not _INSPECTION.search(own) and not (_INSPECTION.search(around) and _RESPONSE.search(own)) and not (
            _VERDICT.search(link.text) and _ACTOR.search(link.text)):
        return None
    if _YEAR.search(link.text) and _LISTS.search(link.text) and len(link.text.split()) <= 8:
        return LISTING  # 'HMICFRS reports 2019', 'Inspection responses 2018': more of them, a year at a time
    return CANDIDATE


@dataclass(frozen=True)
class Found:
    url: str
    role: str


def links(content: bytes, url: str) -> tuple[list[Found], bool]:
    """The links of the page at `url` worth following, each with its role, in page order, each
    address once (one seen as paging or a listing stays one: its links are what matter); and
    whether the page has text of its own to read (PROSE characters outside its links)."""
    parsed = parse(content, url)
    listing = lists_responses(parsed)
    found: dict[str, str] = {}
    for href in parsed.next_links:
        found.setdefault(canonical(href), PAGING)
    here = canonical(url)
    for link in parsed.links:
        if not link.url.startswith(("http://", "https://")):
            continue
        role = classify(link, listing)
        target = canonical(link.url)
        if role is None or target == here:
            continue
        if found.get(target) in (PAGING, LISTING):
            continue
        found[target] = role
    return [Found(u, r) for u, r in found.items()], parsed.prose >= PROSE


# A report's own page on HMICFRS's site, as its publication lists link it: '/publications/<name>/'
# or '/publication-html/<name>/' (under '/hmicfrs/' on the older site); not a list's filter
# ('/publications/?type=...') or its paging ('/publications/page/2/').
_REPORT_PAGE = re.compile(r"/publications?/(?!page/)[^/?#]+/?$|/publication-html/[^/?#]+/?$", re.IGNORECASE)


def report_pages(content: bytes, url: str) -> tuple[list[str], list[str]]:
    """From a page of HMICFRS's publication list at `url`: the addresses of the report pages it
    lists, and of the list's next pages, each once, in page order."""
    parsed = parse(content, url)
    here = canonical(url)
    reports: dict[str, None] = {}
    paging: dict[str, None] = dict.fromkeys(canonical(href) for href in parsed.next_links)
    for link in parsed.links:
        target = canonical(link.url)
        if not target.startswith(("http://", "https://")) or target == here:
            continue
        if classify(link, False) == PAGING:
            paging.setdefault(target)
        elif _REPORT_PAGE.search(urlsplit(target).path) and not urlsplit(target).path.lower().endswith(
                DOCUMENT_SUFFIXES):
            reports.setdefault(target)
    return list(reports), [p for p in paging if p not in reports]
