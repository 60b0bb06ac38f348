"""Polite, bounded fetching: robots.txt obeyed, one request at a time per host with a delay
between them (the longer of ours and the site's Crawl-delay; Retry-After honoured), a
User-Agent that names Scrutiny and a contact, conditional requests, timeouts and a size cap.
Only http and https, no credentials, and only the site a source leads to: a redirect is
followed within that site, a few times at most, and a loop is said to be one.
"""
from __future__ import annotations

import contextlib
import threading
import time
import urllib.robotparser
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 120.0  # seconds: a server asking for a longer wait is tried again on the next run
ROBOTS_BYTES = 512 << 10
_NOTHING = ["User-agent: *", "Disallow: /"]  # robots.txt that cannot be read: nothing is fetched this run


class FetchError(Exception):
    """One address that could not be fetched, and why (one line). `refused`: not asked for at all
    (robots.txt disallows it, or it leads off the site), which is no failure of the site's."""

    def __init__(self, url: str, problem: str, refused: bool = False):
        super().__init__(f"{url}: {problem}")
        self.url, self.problem, self.refused = url, problem, refused


def site_of(url: str) -> str:
    """The site an address belongs to: its host without a leading 'www.' (sites answer on both),
    and its port where it names one."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        return host
    return f"{host}:{port}" if port else host


def canonical(url: str) -> str:
    """The address without its fragment (a page's parts are the page)."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def refusal(url: str, site: str) -> str | None:
    """Why `url` is not fetched for `site`, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"not http or https ({parts.scheme or 'no scheme'})"
    if parts.username or parts.password:
        return "it carries a user name or password"
    if site_of(url) != site:
        return f"another site ({parts.hostname}), not {site}"
    return None


@dataclass(frozen=True)
class Page:
    """What one fetch got: the final address (after redirects), the status (200, or 304: not
    modified), the body, the declared media type and the server's validators."""

    url: str
    status: int
    content: bytes
    media_type: str
    etag: str | None
    last_modified: str | None


class Gate:
    """One request at a time per host, each starting at least the host's delay after the last ended."""

    def __init__(self, delay: float):
        self.delay = delay
        self._lock = threading.Lock()
        self._hosts: dict[str, tuple[threading.Lock, list[float]]] = {}  # host -> (its lock, [next allowed, delay])

    def _host(self, host: str) -> tuple[threading.Lock, list[float]]:
        with self._lock:
            return self._hosts.setdefault(host, (threading.Lock(), [0.0, self.delay]))

    def slow_down(self, host: str, seconds: float) -> None:
        """The host's own Crawl-delay, where it asks for more than ours."""
        state = self._host(host)[1]
        state[0] = max(state[0], time.monotonic() + seconds)
        state[1] = max(state[1], seconds)

    def wait_at_least(self, host: str, seconds: float) -> None:
        """Retry-After: no request to the host for `seconds` from now."""
        state = self._host(host)[1]
        state[0] = max(state[0], time.monotonic() + seconds)

    @contextlib.contextmanager
    def turn(self, host: str) -> Iterator[None]:
        lock, state = self._host(host)
        with lock:
            pause = state[0] - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            try:
                yield
            finally:
                state[0] = max(state[0], time.monotonic() + state[1])


class Fetcher:
    """Fetches for every site of a run: shared by the sites' threads, polite per host."""

    def __init__(self, user_agent: str, delay: float, timeout: float, max_bytes: int,
                 transport: httpx.BaseTransport | None = None):
        self.user_agent, self.max_bytes = user_agent, max_bytes
        self.gate = Gate(delay)
        self.requests = 0
        self.client = httpx.Client(headers={"User-Agent": user_agent}, timeout=timeout, follow_redirects=False,
                                   transport=transport, trust_env=False)
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def allowed(self, url: str) -> bool:
        """Whether the site's robots.txt lets Scrutiny fetch `url` (fetched once per origin)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            robots = self._robots.get(origin)
        if robots is None:
            robots = self._read_robots(origin)
            with self._robots_lock:
                self._robots[origin] = robots
        return robots.can_fetch(self.user_agent, url)

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser:
        """robots.txt as RFC 9309 reads it: none (4xx) allows everything; one that cannot be
        fetched (5xx, no answer) allows nothing, this run."""
        robots = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        host = urlsplit(origin).netloc
        try:
            with self.gate.turn(host):
                self.requests += 1
                response = self.client.get(origin + "/robots.txt")
                body = response.content[:ROBOTS_BYTES]
        except httpx.HTTPError:
            robots.parse(_NOTHING)
            return robots
        if 300 <= response.status_code < 500:
            robots.parse([])
        elif response.status_code >= 500:
            robots.parse(_NOTHING)
        else:
            robots.parse(body.decode("utf-8", "replace").splitlines())
            delay = robots.crawl_delay(self.user_agent)
            if delay:
                self.gate.slow_down(host, float(delay))
        return robots

    def get(self, url: str, site: str, etag: str | None = None, last_modified: str | None = None) -> Page:
        """Fetch `url` of `site`, conditionally where validators are given; FetchError says why not."""
        seen = {url}
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            if problem := refusal(current, site):
                raise FetchError(current, f"not followed: {problem}", refused=True)
            if not self.allowed(current):
                raise FetchError(current, "robots.txt disallows it", refused=True)
            response = self._request(current, etag, last_modified)
            if response is None:
                continue  # it asked us to wait, and we did: once more
            if response.status_code in (301, 302, 303, 307, 308):
                target = response.headers.get("location")
                if not target:
                    raise FetchError(current, f"HTTP {response.status_code} with no Location")
                target = canonical(urljoin(current, target))
                if target in seen:
                    raise FetchError(url, f"a redirect loop ({current} -> {target})")
                seen.add(target)
                current = target
                continue
            return self._page(current, response)
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    def _request(self, url: str, etag: str | None, last_modified: str | None) -> _Response | None:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = urlsplit(url).netloc
        try:
            with self.gate.turn(host):
                self.requests += 1
                with self.client.stream("GET", url, headers=headers) as response:
                    if response.status_code in (429, 503) and "retry-after" in response.headers:
                        wait = _retry_after(response.headers["retry-after"])
                        if wait is None or wait > MAX_RETRY_AFTER:
                            raise FetchError(url, f"HTTP {response.status_code}: the server asks to wait "
                                                  f"{response.headers['retry-after']}; tried again next run")
                        self.gate.wait_at_least(host, wait)
                        return None
                    return _Response(response.status_code, response.headers, self._body(url, response))
        except httpx.TimeoutException:
            raise FetchError(url, "no answer in time") from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"cannot be fetched ({type(exc).__name__})") from None

    def _body(self, url: str, response: httpx.Response) -> bytes:
        if response.status_code != 200:
            return b""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(url, f"too large ({int(declared) / 2**20:.1f} MB); the limit is "
                                  f"{self.max_bytes / 2**20:g} MB (SCRUTINY_COLLECT_MAX_MB)")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(url, f"too large (over {self.max_bytes / 2**20:g} MB, "
                                      "SCRUTINY_COLLECT_MAX_MB)")
            chunks.append(chunk)
        return b"".join(chunks)

    def _page(self, url: str, response: _Response) -> Page:
        if response.status not in (200, 304):
            raise FetchError(url, f"HTTP {response.status}")
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return Page(url, response.status, response.body, media_type, response.headers.get("etag"),
                    response.headers.get("last-modified"))


@dataclass(frozen=True)
class _Response:
    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def status_code(self) -> int:
        return self.status


def _retry_after(value: str) -> float | None:
    """Retry-After's seconds: a number, or an HTTP date."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
