"""Page and API latency on a store of 2,000 letters (the samples varied across forces and dates).

Each page is requested repeatedly in-process; p50 and p95 are reported in milliseconds and
as a ratio to a baseline request (a static file) timed in the same run. Target: every page
under 300 ms.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import letters
from fastapi.testclient import TestClient

from scrutiny.oversight.ingest import ingest_bytes
from scrutiny.store import Store
from scrutiny.web import create_app

PAGES = ["/", "/reports", "/reports/ncpi-2019-thematic", "/reports/ncpi-2019-thematic?sort=days&on_time=no",
         "/forces", "/forces/1", "/documents", "/documents?kind=letter&on_time=no", "/documents/1000", "/review",
         "/search?q=deferred+prosecution", "/search?q=outcome+22&year=2023", "/search?year=2020", "/upload",
         "/reports/serious-youth-violence-2023/briefing", "/api/overview", "/api/reports", "/api/reports/ncpi-2019-thematic",
         "/api/documents/1000", "/api/search?q=Chance+to+Change"]
BASELINE = "/static/app.js"


def timings(client: TestClient, url: str, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return out


def main(n: int = 2000, runs: int = 20) -> None:
    folder = Path(tempfile.mkdtemp())
    store = Store(f"sqlite:///{folder / 'pages.db'}")
    start = time.perf_counter()
    for name, text in letters(n):
        ingest_bytes(store, text.encode(), name, f"bench:{name}")
    print(f"ingested {n} letters in {time.perf_counter() - start:.1f} s")
    client = TestClient(create_app(store))
    base = statistics.median(timings(client, BASELINE, runs))
    print(f"baseline {BASELINE}: p50 {base:.1f} ms")
    print(f"{'page':55s} {'p50 ms':>8s} {'p95 ms':>8s} {'p50/base':>9s}")
    worst = 0.0
    for url in PAGES:
        t = sorted(timings(client, url, runs))
        p50, p95 = statistics.median(t), t[int(0.95 * (len(t) - 1))]
        worst = max(worst, p95)
        print(f"{url:55s} {p50:8.1f} {p95:8.1f} {p50 / base:9.1f}")
    print(f"worst p95: {worst:.1f} ms (target < 300 ms)")


if __name__ == "__main__":
    main()
