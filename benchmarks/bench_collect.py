"""The collector's wall time against the polite minimum: 43 mirrored sites of 50 pages each at a
1 s delay (`--quick`: 8 sites of 20 pages at 0.2 s, for a run on a shared machine).

Each site is a real HTTP server on 127.0.0.1 (tests/mirror.py): a paged news listing, ten
entries a page, of response pages built from the sample letters varied across forces and dates
(benchmarks/corpus.py), every one distinct. One request at a time per host, `delay` apart, so a
site of P requests takes at least (P - 1) x delay however fast everything else is: that is the
polite minimum, and sites run in parallel, so it is the whole run's too. The ratio wall /
minimum says what fetching, extracting and storing add to the waiting. A second run (every
page unchanged, asked for conditionally) is timed too.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
from corpus import letters
from mirror import Route, Site, page, text_page

from scrutiny.collect import Source, collect_sources
from scrutiny.settings import Settings
from scrutiny.store import Store
from scrutiny.store.sources import force_ids

PER_PAGE = 10


def site(number: int, pages: int, texts: list[str]) -> Site:
    """A site of `pages` requests: its listing pages and the responses they list (robots.txt aside)."""
    mirror = Site(f"site-{number}")
    listings = -(-pages // (PER_PAGE + 1))
    documents = pages - listings
    mirror.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    entries = []
    for i in range(documents):
        path = f"/news/response-to-hmicfrs-inspection-report-{i}/"
        mirror.routes[path] = Route(text_page(texts[i] + f"\nOur reference: {number}-{i}\n"))
        entries.append(f"<article><h2><a href='{path}'>Commissioner responds to HMICFRS inspection report ({i})</a>"
                       "</h2></article>")
    for n in range(listings):
        older = f"<a href='/news/?page={n + 2}'>Older posts</a>" if n + 1 < listings else ""
        body = "".join(entries[n * PER_PAGE:(n + 1) * PER_PAGE]) + older
        mirror.routes[f"/news/?page={n + 1}"] = Route(page("News", body))
    return mirror


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="8 sites of 20 pages at 0.2 s")
    args = parser.parse_args()
    sites_n, pages, delay = (8, 20, 0.2) if args.quick else (43, 50, 1.0)
    os.environ.setdefault("SCRUTINY_COLLECT_CONTACT", "bench@example.org")
    texts = [text for _, text in letters(pages)]
    mirrors = [site(n, pages, texts) for n in range(sites_n)]
    for m in mirrors:
        m.start()
    folder = Path(tempfile.mkdtemp())
    store = Store(f"sqlite:///{folder / 'collect.db'}")
    force_id, force = force_ids(store, ["Kent"])["Kent"]
    sources = [Source(force_id, force, f"{m.base}/news/?page=1") for m in mirrors]
    settings = Settings(collect_sites=sites_n, collect_max_pages=pages + 10)
    minimum = pages * delay  # robots.txt and the pages: pages + 1 requests, pages gaps between them
    print(f"{sites_n} sites x {pages} pages at {delay} s: polite minimum {minimum:.1f} s")
    for run in ("first", "second"):
        start = time.perf_counter()
        report = collect_sources(store, sources, settings, delay=delay)
        wall = time.perf_counter() - start
        print(f"{run} run: {wall:.1f} s, {wall / minimum:.2f} x the minimum ({report.total})")
    for m in mirrors:
        m.stop()
    store.engine.dispose()


if __name__ == "__main__":
    main()
