"""Mirror sites of policing bodies, served on 127.0.0.1 for the collector's tests and benchmark.

Each site is a real HTTP server (http.server, in a thread) on a port of its own, holding pages
in the layouts seen on commissioners' sites, built from real published texts (../shared/corpus/real
and the samples): a dated table of responses (PDF and Word files), a page per year with the
letter inline, one page per response, and a paged news listing that mixes responses with chief
constables' statements and unrelated news. And the traps of the real web: a path robots.txt
disallows, broken links, redirects and a loop, a slow page, an oversized file, a declared type
that lies, one document at two addresses. Every request is logged with its time and headers.
"""
from __future__ import annotations

import hashlib
import html
import io
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLES = Path(__file__).resolve().parents[1] / "src" / "scrutiny" / "samples"
BODY_ROLES = {"PCC", "PFCC", "Mayor", "Deputy Mayor", "Police Authority"}
LAST_MODIFIED = "Mon, 02 Mar 2020 09:00:00 GMT"


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None  # a redirect (302) to this path
    delay: float = 0.0  # seconds before answering
    busy: int = 0  # answer 503 with Retry-After: 1 so many times first


@dataclass
class Request:
    at: float  # time.monotonic() on arrival
    path: str
    user_agent: str
    status: int


@dataclass
class Site:
    """One site on its own port: its routes, and every request it received."""

    name: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                arrived = time.monotonic()
                route = site.routes.get(self.path)
                status = 404 if route is None else 302 if route.location else 200
                if route is not None and route.busy:
                    route.busy -= 1
                    status = 503
                etag = f'"{hashlib.sha256(route.body).hexdigest()[:16]}"' if route else ""
                if status == 200 and (self.headers.get("If-None-Match") == etag
                                      or self.headers.get("If-Modified-Since") == LAST_MODIFIED):
                    status = 304
                site.requests.append(Request(arrived, self.path, self.headers.get("User-Agent", ""), status))
                if route is not None and route.delay:
                    time.sleep(route.delay)
                try:
                    self.send_response(status)
                    if status == 503:
                        self.send_header("Retry-After", "1")
                    if status == 302:
                        self.send_header("Location", route.location)  # type: ignore[union-attr,arg-type]
                    body = route.body if status == 200 and route else b"not found" if status == 404 else b""
                    if status in (200, 304):
                        self.send_header("ETag", etag)
                        self.send_header("Last-Modified", LAST_MODIFIED)
                    if status == 200:
                        self.send_header("Content-Type", route.content_type)  # type: ignore[union-attr]
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout, a size cap)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


# --- documents from texts -------------------------------------------------------------------------

def title_of(text: str) -> str:
    for line in text.splitlines():
        line = re.sub(r"[#*]", "", line).strip()
        if len(line) > 12:
            return line[:120]
    return "Statement"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "item"


def page(title: str, body: str, heading: str | None = None) -> bytes:
    """A page as commissioners' sites have them: navigation, a header and a footer around the content."""
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>"
            "<header><nav><a href='/'>Home</a> <a href='/about/'>About the Commissioner</a> "
            "<a href='/contact/'>Contact</a></nav></header>"
            f"<main><h1>{html.escape(heading or title)}</h1>{body}</main>"
            "<footer><a href='/privacy/'>Privacy</a> <a href='/accessibility/'>Accessibility</a></footer>"
            "</body></html>").encode()


def text_page(text: str) -> bytes:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return page(title_of(text), "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs))


def pdf(text: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    y = 800
    for paragraph in text.splitlines():
        words, line = paragraph.split(), ""
        for word in [*words, None]:
            if word is None or len(line) + len(word) > 90:
                sheet.drawString(40, y, line)
                y -= 14
                line = ""
                if y < 50:
                    sheet.showPage()
                    y = 800
            if word is not None:
                line += word + " "
        y -= 6
    sheet.save()
    return buffer.getvalue()


def docx(text: str) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for paragraph in re.split(r"\n\s*\n", text):
        document.add_paragraph(paragraph.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PDF_TYPE, DOCX_TYPE = "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- the texts ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Text:
    key: str
    text: str
    force: str | None
    response: bool  # a policing body's comments: it should be stored
    headline: str  # as a listing shows it


def _headline(label: dict) -> str:
    """The headline a site lists a text under: its address's words, where they are words, else
    the report it answers (what a listing's headline says)."""
    words = re.sub(r"[-_]+", " ", label["url"].rstrip("/").rsplit("/", 1)[-1].split(".")[0])
    if len(words.split()) >= 4:
        return words.capitalize()
    return f"Response to the inspection report: {label.get('report_title_as_labelled') or 'HMICFRS'}"


def texts() -> list[Text]:
    """The real published texts (responses and chief constables' statements) and the sample letters."""
    out = []
    for line in (SHARED / "gold" / "real.jsonl").read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        out.append(Text(label["file"], (SHARED / "corpus" / "real" / label["file"]).read_text(encoding="utf-8"),
                        label["force"], label["sender_role"] in BODY_ROLES, _headline(label)))
    for n, path in enumerate(sorted(SAMPLES.glob("*.txt")), 1):
        out.append(Text(path.name, path.read_text(encoding="utf-8"), None, True,
                        f"Letter to the Home Secretary on an HMICFRS inspection ({n})"))
    return out


UNRELATED = [
    ("Commissioner opens community safety fund",
     "The Police and Crime Commissioner has opened a new community safety fund for local groups. Applications "
     "close at the end of March. \"I am delighted to support projects that keep our neighbourhoods safe,\" the "
     "Commissioner said."),
    ("Fire station open day: inspect the new engines",
     "Visitors can inspect the new fire engines at the open day on Saturday. Families are welcome; there will "
     "be a barbecue and a raffle."),
    ("Budget consultation launched",
     "Residents are invited to give their views on the policing budget for next year. The survey is open for "
     "six weeks, and paper copies are available at libraries."),
    ("Rural crime week of action",
     "Officers and volunteers visited farms across the county during a week of action on rural crime, "
     "offering crime prevention advice and marking equipment."),
]


# --- the mirror ---------------------------------------------------------------------------------

@dataclass
class Mirror:
    sites: list[Site]
    sources: list[tuple[str, str]]  # (force, start page)
    responses: dict[str, str]  # address a response is published at -> its text's key: to be stored
    others: dict[str, str]  # address of a text that is not a response -> its key: never stored as one
    disallowed: dict[str, set[str]]  # site name -> paths robots.txt disallows

    def start(self) -> None:
        for site in self.sites:
            site.start()

    def stop(self) -> None:
        for site in self.sites:
            site.stop()

    def url(self, site: Site, path: str) -> str:
        return site.base + path


def build() -> Mirror:
    """Four sites, one layout each, every real text placed once, and the traps among them."""
    every = texts()
    responses = [t for t in every if t.response]
    others = [t for t in every if not t.response]
    table, years, pages, news = (Site(n) for n in ("table", "years", "pages", "news"))
    placed: dict[tuple[str, str], str] = {}  # (site, path) -> key, for the responses to be stored
    unplaced: dict[tuple[str, str], str] = {}
    traps = responses[:3]  # published where the collector cannot (or must not) get them
    rest = responses[3:]

    # A dated table of responses, PDF and Word files, on a page that says it lists them.
    rows = []
    for i, t in enumerate(rest[:10]):
        kind, body, ctype = ("docx", docx(t.text), DOCX_TYPE) if i % 3 == 2 else ("pdf", pdf(t.text), PDF_TYPE)
        path = f"/media/{slug(t.headline)}.{kind}"
        table.routes[path] = Route(body, ctype)
        placed[("table", path)] = t.key
        rows.append(f"<tr><td>{12 + i} March 20{15 + i % 9}</td><td>{html.escape(t.headline)}</td>"
                    f"<td><a href='{path}'>Response ({kind.upper()})</a></td></tr>")
    # traps: a path robots.txt disallows, a broken link, an oversized file, one document at two addresses
    table.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    table.routes["/private/response.pdf"] = Route(pdf(traps[0].text), PDF_TYPE)
    unplaced[("table", "/private/response.pdf")] = traps[0].key
    table.routes["/media/huge-response.pdf"] = Route(pdf(traps[1].text) + b"%" + b"0" * (3 << 20), PDF_TYPE)
    unplaced[("table", "/media/huge-response.pdf")] = traps[1].key
    first = next(p for (s, p) in placed if s == "table")
    table.routes["/documents/copy-of-response.pdf"] = table.routes[first]
    rows += ["<tr><td>1 May 2021</td><td>Vetting inspection</td><td><a href='/private/response.pdf'>Response (PDF)</a></td></tr>",
             "<tr><td>2 May 2021</td><td>Custody inspection</td><td><a href='/media/removed.pdf'>Response (PDF)</a></td></tr>",
             "<tr><td>3 May 2021</td><td>Joint inspection</td><td><a href='/media/huge-response.pdf'>Response (PDF)</a></td></tr>",
             "<tr><td>4 May 2021</td><td>Same letter again</td><td><a href='/documents/copy-of-response.pdf'>Response (PDF)</a></td></tr>"]
    table.routes["/hmicfrs-reports/"] = Route(page(
        "HMICFRS reports", "<p>HMICFRS reports and the response from the Commissioner are listed below.</p>"
        "<table><tr><th>Published</th><th>Report</th><th>Response</th></tr>" + "".join(rows) + "</table>",
        "HMICFRS inspection reports and responses"))

    # A page per year, the letter inline; the years linked from the first.
    chunk = rest[10:14]
    year_links = "".join(f"<li><a href='/hmic-reports-{2017 + i}/'>HMICFRS reports {2017 + i}</a></li>"
                         for i in range(len(chunk)))
    for i, t in enumerate(chunk):
        path = f"/hmic-reports-{2017 + i}/"
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in re.split(r"\n\s*\n", t.text) if p.strip())
        years.routes[path] = Route(page(f"HMIC reports {2017 + i}", paragraphs + f"<ul>{year_links}</ul>"))
        placed[("years", path)] = t.key
    years.routes["/robots.txt"] = Route(b"User-agent: *\nCrawl-delay: 1\n", "text/plain")

    # One page per response, under a listing; a redirect, a loop, a slow page, a declared type that lies.
    items = []
    for i, t in enumerate(rest[14:24]):
        path = f"/statutory-response/{slug(t.headline)}/"
        lies = i == 0  # an HTML page the server calls an octet stream
        pages.routes[path] = Route(text_page(t.text), "application/octet-stream" if lies else "text/html")
        placed[("pages", path)] = t.key
        link = path
        if i == 1:  # moved: the old address redirects
            link = "/statutory-response/old-address/"
            pages.routes[link] = Route(location=path)
        if i == 2:  # busy at first: 503, Retry-After: 1
            pages.routes[path].busy = 1
        items.append(f"<li><a href='{link}'>{html.escape(t.headline)}</a></li>")
    pages.routes["/statutory-response/loop/"] = Route(location="/statutory-response/loop-2/")
    pages.routes["/statutory-response/loop-2/"] = Route(location="/statutory-response/loop/")
    pages.routes["/statutory-response/slow/"] = Route(text_page(traps[2].text), delay=3.0)
    unplaced[("pages", "/statutory-response/slow/")] = traps[2].key
    items += ["<li><a href='/statutory-response/loop/'>Response to the HMICFRS custody inspection</a></li>",
              "<li><a href='/statutory-response/slow/'>Response to the HMICFRS vetting inspection</a></li>"]
    pdf_lie = rest[24]
    pages.routes["/statutory-response/letter/"] = Route(pdf(pdf_lie.text), "text/html")  # a PDF called HTML
    placed[("pages", "/statutory-response/letter/")] = pdf_lie.key
    items.append(f"<li><a href='/statutory-response/letter/'>{html.escape(pdf_lie.headline)}</a></li>")
    pages.routes["/statutory-response/"] = Route(page(
        "Statutory responses", f"<ul>{''.join(items)}</ul>", "Responses to HMICFRS inspection reports"))

    # A paged news listing: responses, chief constables' statements and unrelated news, five a page.
    entries: list[tuple[str, str]] = []  # (title, path)
    for t in rest[25:]:
        path = f"/news/{slug(t.headline)}/"
        news.routes[path] = Route(text_page(t.text))
        placed[("news", path)] = t.key
        entries.append((t.headline, path))
    for t in others:
        path = f"/news/{slug(t.headline)}-{t.key[:3]}/"
        news.routes[path] = Route(text_page(t.text))
        unplaced[("news", path)] = t.key
        entries.append((t.headline, path))
    for title, body in UNRELATED:
        path = f"/news/{slug(title)}/"
        news.routes[path] = Route(page(title, f"<p>{html.escape(body)}</p>"))
        unplaced[("news", path)] = "unrelated"
        entries.append((title, path))
    entries = entries[::2] + entries[1::2]  # mixed
    per_page = 5
    count = -(-len(entries) // per_page)
    for n in range(count):
        links = "".join(f"<article><h2><a href='{p}'>{html.escape(title)}</a></h2></article>"
                        for title, p in entries[n * per_page:(n + 1) * per_page])
        numbers = " ".join(f"<a href='/news/?page={k + 1}'>{k + 1}</a>" for k in range(count))
        older = f"<a href='/news/?page={n + 2}'>Older posts</a>" if n + 1 < count else ""
        news.routes[f"/news/?page={n + 1}"] = Route(page("News", links + f"<div class='paging'>{numbers} {older}</div>"))
    news.routes["/news/"] = news.routes["/news/?page=1"]

    sites = [table, years, pages, news]
    mirror = Mirror(sites, [], {}, {}, {"table": {"/private/"}})
    mirror.start()
    by_name = {s.name: s for s in sites}
    mirror.sources = [("Dorset", mirror.url(table, "/hmicfrs-reports/")),
                      ("Essex", mirror.url(years, "/hmic-reports-2017/")),
                      ("Surrey", mirror.url(pages, "/statutory-response/")),
                      ("Wiltshire", mirror.url(news, "/news/"))]
    mirror.responses = {mirror.url(by_name[s], p): key for (s, p), key in placed.items()}
    mirror.others = {mirror.url(by_name[s], p): key for (s, p), key in unplaced.items()}
    return mirror


# --- the bundled sources' sites -------------------------------------------------------------------

class Resolve:
    """An httpx transport standing in for DNS and TLS: a request to a mirrored site's host (with or
    without www.) goes, over plain HTTP, to that site's server on 127.0.0.1; any other fails to connect."""

    def __init__(self, ports: dict[str, int]):
        import httpx

        self.ports = ports
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request):
        import httpx

        port = self.ports.get(request.url.host.removeprefix("www."))
        if port is None:
            raise httpx.ConnectError(f"{request.url.host} is not on the mirror", request=request)
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=port)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@dataclass
class Bundled:
    sites: dict[str, Site]  # host without www. -> its site
    reachable: dict[str, str]  # real address of a response linked from its body's bundled source -> its key
    elsewhere: dict[str, str]  # real address of a response on another host than its body's source -> its key
    others: dict[str, str]

    def transport(self) -> Resolve:
        return Resolve({host: site.server.server_address[1] for host, site in self.sites.items()})  # type: ignore[union-attr]

    def stop(self) -> None:
        for site in self.sites.values():
            site.stop()


def bundled(body_sites) -> Bundled:
    """The policing bodies' sites as the bundled sources name them, each text of ../shared/corpus/real
    at the address it was published at (its gold label's), and each body's source page linking its
    body's texts: a list of responses where the source is one, else 'Latest news' on a home page.
    A text published on another host than its body's source (a former site, an archive host, the
    force's own site) is linked from there too, but lies off the source's site."""
    from urllib.parse import urlsplit

    labels = [json.loads(line) for line in (SHARED / "gold" / "real.jsonl").read_text(encoding="utf-8").splitlines()]
    by_force = {site.force: site for site in body_sites}
    sites: dict[str, Site] = {}

    def site_for(url: str) -> Site:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        return sites.setdefault(host, Site(host))

    def path_of(url: str) -> str:
        parts = urlsplit(url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    result = Bundled(sites, {}, {}, {})
    linked: dict[str, list[tuple[str, str]]] = {}  # source url -> (link, headline)
    for label in labels:
        force = next((s for name, s in by_force.items() if name.startswith(label["force"])), None)
        text = (SHARED / "corpus" / "real" / label["file"]).read_text(encoding="utf-8")
        site_for(label["url"]).routes[path_of(label["url"])] = Route(text_page(text))
        response = label["sender_role"] in BODY_ROLES
        if force is None:
            continue
        same = (urlsplit(label["url"]).hostname or "").removeprefix("www.") == (
            urlsplit(force.url).hostname or "").removeprefix("www.")
        target = result.reachable if response and same else result.elsewhere if response else result.others
        target[label["url"]] = label["file"]
        linked.setdefault(force.url, []).append((label["url"], _headline(label)))
    for source in body_sites:
        links = linked.get(source.url, [])
        items = "".join(f"<li><a href='{html.escape(url)}'>{html.escape(headline)}</a></li>" for url, headline in links)
        listing = not source.note.startswith("the home page")
        heading = "HMICFRS inspection reports and responses" if listing else "Latest news"
        path = path_of(source.url)
        here = site_for(source.url)
        inline = here.routes.get(path)  # the source is itself a response's page (a year's letter inline)
        body = inline.body.decode().replace("</main>", f"<h2>{heading}</h2><ul>{items}</ul></main>") if inline else (
            page(heading, f"<ul>{items}</ul>").decode())
        here.routes[path] = Route(body.encode())
    for site in sites.values():
        site.start()
    return result


# --- HMICFRS's publication list -------------------------------------------------------------------

HMICFRS_CORPUS = SHARED / "corpus" / "hmicfrs"


def hmicfrs_page(name: str, as_report: bool = False) -> tuple[str, bytes]:
    """A real HMICFRS page of ../shared/corpus/hmicfrs as its site serves it: its title as the
    heading, each line of its text a paragraph ('Published on: ...', 'Police Forces: ...' among
    them), inside the site's navigation and footer. Its title, and the page. `as_report`: a
    letter's text without its letter block (From, To, Sent on), as a report's HTML version."""
    lines = [line.strip() for line in (HMICFRS_CORPUS / name).read_text(encoding="utf-8").splitlines()[1:]]
    lines = [line for line in lines if line]
    if as_report:
        sent = lines.index("Sent on:")
        del lines[lines.index("Letter information"):sent + 2]
    body = f"<h1>{html.escape(lines[0])}</h1>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines[1:])
    return lines[0], (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(lines[0])} - HMICFRS"
                      "</title></head><body><header><nav><a href='/'>Home</a> <a href='/publications/'>Publications"
                      f"</a></nav></header><main>{body}</main><footer><a href='/privacy/'>Privacy</a></footer>"
                      "</body></html>").encode()


@dataclass
class Inspectorate:
    site: Site
    list_url: str  # the publication list's first page
    new: dict[str, str]  # title -> address, of each report the packaged catalogue lacks
    known: list[str]  # titles of reports the catalogue has
    reports: set[str]  # paths of every report page the list links


def hmicfrs() -> Inspectorate:
    """HMICFRS's publication list over two pages ('Next'), linking real report pages: some the
    catalogue lacks (on a force, one with recommendations; national ones), one it has, a letter
    (no report's page), a report at a second address, one robots.txt disallows, one gone (404)."""
    site = Site("hmicfrs")
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /publications/embargoed-\n", "text/plain")
    placed = {"017.txt": "/publications/nottinghamshire-police-causes-of-concern-march-2024/",
              "029.txt": "/publications/peel-greater-manchester-police-cause-of-concern/",
              "068.txt": "/publications/hmic-approach-to-monitoring-forces-2016/",
              "025.txt": "/publications/terms-of-reference-rapid-review-of-vetting-and-counter-corruption/",
              "035.txt": "/publications/police-performance-getting-a-grip/",
              "028.txt": "/publication-html/greater-manchester-police-peel-cause-of-concern-revisit-letter/",
              "016.txt": "/publication-html/nottinghamshire-police-peel-causes-of-concern-revisit-april-2025/"}
    titles = {}
    for name, path in placed.items():
        titles[name], body = hmicfrs_page(name, as_report=name == "016.txt")  # with its recommendations
        site.routes[path] = Route(body)
    site.routes["/publications/gmp-cause-of-concern-copy/"] = site.routes[placed["029.txt"]]  # a second address
    site.routes["/publications/embargoed-report/"] = Route(hmicfrs_page("023.txt")[1])

    def item(path: str, title: str) -> str:
        return f"<li class='publication'><a href='{path}'>{html.escape(title)}</a> <span>Report</span></li>"

    filters = "<nav><a href='/publications/?type=peel'>PEEL</a> <a href='/publications/?force=kent'>Kent</a></nav>"
    first = [item(placed[n], titles[n]) for n in ("017.txt", "035.txt", "028.txt", "016.txt")]
    first += [item("/publications/embargoed-report/", "An embargoed report"),
              "<li><a href='/wp-content/uploads/police-performance.pdf'>Police performance (PDF)</a></li>"]
    second = [item(placed[n], titles[n]) for n in ("029.txt", "068.txt", "025.txt")]
    second += [item("/publications/gmp-cause-of-concern-copy/", titles["029.txt"]),
               item("/publications/removed-report/", "A report since removed"),
               item(placed["017.txt"], titles["017.txt"])]
    site.routes["/publications/"] = Route(page("Publications", filters + f"<ul>{''.join(first)}</ul>"
                                               "<div class='paging'><a href='/publications/page/2/'>2</a> "
                                               "<a href='/publications/page/2/'>Next</a></div>"))
    site.routes["/publications/page/2/"] = Route(page("Publications", filters + f"<ul>{''.join(second)}</ul>"
                                                      "<a href='/publications/'>Previous</a>"))
    site.start()
    new = {titles[n]: site.base + placed[n] for n in ("017.txt", "016.txt", "029.txt", "068.txt", "025.txt")}
    return Inspectorate(site, site.base + "/publications/", new, [titles["035.txt"]],
                        {p for p in site.routes if p.startswith(("/publications/", "/publication-html/"))
                         and p not in ("/publications/", "/publications/page/2/")} | {"/publications/removed-report/"})
