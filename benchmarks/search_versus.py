"""Search beside datasette's ranked full-text query with a total, on the same SQLite file, and
beside an earlier version of Scrutiny on the same stores: for `bench_national.py --versus`.

datasette's side is its SQL pattern run straight on the file with sqlite3 (no web layer, no
thread hand-off: the strictest form of it, no Python beyond the two calls), a page of 50 and
the total:

    select rowid, snippet(search_index, 0, '<mark>', '</mark>', '…', 24) from search_index
        where search_index match ? order by rank limit 50
    select count(*) from search_index where search_index match ?

and the same with the four facets Scrutiny counts (force, report, kind, year), as datasette's
table page counts them for `?_search=...&_facet=force_id&_facet=report_id&_facet=kind&_facet=year`
(its facet SQL over the documents the search matches, one statement a facet; without the
label lookup of force ids, which would add a statement): a search like for like. And as
datasette itself answers them (0.65, in-process, with its default settings):
the same two queries as its JSON API gives them, `/national.json?sql=...&q=...`, two requests.

Scrutiny's side is the same page of 50 four ways: the store's `search` (the ranked page, its
snippets and the total: datasette's two queries' work, beside them) and `search_with_facets`
(the same and the facets, beside datasette's queries with its facets); `/api/search?facets=false`
and `/api/search` in-process (the whole request: the middleware, the search slot, JSON), beside
datasette's app, through the same client (httpx's ASGI transport, on one event loop). The
earlier version (`--before OLD/src`, a checkout's src folder) runs in a second process that
times the same on the same store, one search at a time when asked, so every figure is taken
interleaved with the others: run by run, query by query, each side in turn. Ratios are of
medians (p50) and of p95s.
"""
from __future__ import annotations

import asyncio
import json
import math
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

PER_PAGE = 50
# A word in nearly every document, a word in a few (twenty documents of 20,000: see
# bench_national's `_document`), and a phrase in about one document in twenty.
QUERIES = {"common word": "police", "rare word": "ombudsman", "phrase": '"chance to change"'}
RANKED = ("select rowid, snippet(search_index, 0, '<mark>', '</mark>', '…', 24) from search_index "
          "where search_index match ? order by rank limit ?")
TOTAL = "select count(*) from search_index where search_index match ?"
FACET = ("select {column} as value, count(*) as count from (select * from documents where id in "
         "(select rowid from search_index where search_index match ?)) where {column} is not null "
         "group by {column} order by count desc, value limit 31")
FACETS = [FACET.format(column=column) for column in ("force_id", "report_id", "kind", "year")]


def fts(q: str) -> str:
    """The words as datasette's escape_fts quotes them (each word a phrase; a phrase kept)."""
    return q if q.startswith('"') else " ".join(f'"{w}"' for w in q.split())


def ms(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


class Client:
    """An ASGI app's answers in-process, through httpx's ASGI transport on an event loop of
    its own (for Scrutiny's app and datasette's alike)."""

    def __init__(self, app: object):
        import httpx

        self.loop = asyncio.new_event_loop()
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50000)),
                                        base_url="http://127.0.0.1")

    def get(self, path: str) -> object:
        answer = self.loop.run_until_complete(self.client.get(path))
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:200])
        return answer.json()

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()


class Timer:
    """Times one search, on one store, by the code imported in this process."""

    def __init__(self, url: str):
        from scrutiny.store import Store
        from scrutiny.store import search as searching
        from scrutiny.web import create_app

        self.store = Store(url)
        self.searching = searching
        self.client = Client(create_app(self.store))

    def times(self, q: str) -> dict[str, float]:
        """ms of each way of searching (WAYS), a page of PER_PAGE."""
        api = "/api/search?" + urlencode({"q": q, "per_page": PER_PAGE})
        return {"store": ms(lambda: self.searching.search(self.store, q, per_page=PER_PAGE)),
                "store+facets": ms(lambda: self.searching.search_with_facets(self.store, q, per_page=PER_PAGE)),
                "api": ms(lambda: self.client.get(api + "&facets=false")),
                "api+facets": ms(lambda: self.client.get(api))}


# Each way of searching, beside what of datasette's does the same work.
WAYS = {"store": ("datasette",), "store+facets": ("faceted",), "api": ("datasette app",),
        "api+facets": ("datasette app",)}


class Datasette:
    """datasette's own app on the SQLite file: the ranked query and the total as its JSON API
    answers them, two requests."""

    def __init__(self, sqlite_file: str):
        from datasette.app import Datasette

        self.name = Path(sqlite_file).stem
        self.client = Client(Datasette([sqlite_file]).app())

    def search(self, q: str) -> None:
        for sql, limit in ((RANKED, f"{PER_PAGE}"), (TOTAL, None)):
            named = sql.replace("match ?", "match :q").replace("limit ?", f"limit {limit}")
            self.client.get(f"/{self.name}.json?" + urlencode({"sql": named, "q": fts(q), "_shape": "array"}))


class Before:
    """The same Timer, in a second process running the code in `src` (this file, `serve`)."""

    def __init__(self, src: str, url: str):
        env = {**os.environ, "PYTHONPATH": str(Path(src).resolve())}
        self.process = subprocess.Popen([sys.executable, __file__, url], env=env, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)

    def times(self, q: str) -> dict[str, float]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(q) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait()


SIDES = {"datasette": "datasette's two queries, sqlite3", "faceted": "the same and its four facets",
         "datasette app": "datasette's JSON API, two requests"}


def serve(url: str) -> None:
    """The second process: a search's times for each query read from stdin."""
    timer = Timer(url)
    for line in sys.stdin:
        print(json.dumps(timer.times(json.loads(line))), flush=True)


def p50_p95(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[math.ceil(0.95 * len(ordered)) - 1]


def compare(url: str, sqlite_file: str, runs: int, before_src: str | None) -> None:
    """Print, for each query, p50 / p95 of each side and the ratios to datasette's."""
    timer = Timer(url)
    before = Before(before_src, url) if before_src else None
    baseline = sqlite3.connect(sqlite_file)
    app = Datasette(sqlite_file)
    found: dict[str, dict[str, list[float]]] = {label: {} for label in QUERIES}

    def datasette(q: str) -> None:
        baseline.execute(RANKED, (fts(q), PER_PAGE)).fetchall()
        baseline.execute(TOTAL, (fts(q),)).fetchone()

    def faceted(q: str) -> None:
        datasette(q)
        for facet in FACETS:
            baseline.execute(facet, (fts(q),)).fetchall()

    try:
        for q in QUERIES.values():  # once each, unmeasured: caches and imports warmed
            datasette(q)
            app.search(q)
            timer.times(q)
            if before:
                before.times(q)
        for _ in range(runs):
            for label, q in QUERIES.items():
                sides = found[label]
                sides.setdefault("datasette", []).append(ms(lambda q=q: datasette(q)))
                sides.setdefault("faceted", []).append(ms(lambda q=q: faceted(q)))
                sides.setdefault("datasette app", []).append(ms(lambda q=q: app.search(q)))
                timed = {"after": timer.times(q)} | ({"before": before.times(q)} if before else {})
                for name, times in timed.items():
                    for way, took in times.items():
                        sides.setdefault(f"{name} {way}", []).append(took)
        matches = {label: baseline.execute(TOTAL, (fts(q),)).fetchone()[0] for label, q in QUERIES.items()}
    finally:
        baseline.close()
        app.client.close()
        timer.client.close()
        timer.store.engine.dispose()
        if before:
            before.close()
    print(f"  search beside datasette ({', '.join(f'{side}: {what}' for side, what in SIDES.items())}) on the same "
          f"data (SQLite), {runs} runs each, interleaved; p50 / p95 ms, and datasette's time / this one's (above 1: "
          "faster than datasette); each way beside the same work of datasette's: the store's search beside its "
          "two queries, with facets beside its faceted queries, /api/search beside its app")
    for label, sides in found.items():
        baselines = {side: p50_p95(sides[side]) for side in SIDES}
        print(f"  {label} ({QUERIES[label]}, {matches[label]:,} documents): "
              + ", ".join(f"{side} {p50:.1f} / {p95:.1f}" for side, (p50, p95) in baselines.items()))
        for side, times in sides.items():
            if side in SIDES:
                continue
            p50, p95 = p50_p95(times)
            against = WAYS[side.split(" ", 1)[1]]
            print(f"    {side:20s} {p50:8.1f} / {p95:8.1f}   " + "   ".join(
                f"{name} x{baselines[name][0] / p50:.2f} / x{baselines[name][1] / p95:.2f}" for name in against))

if __name__ == "__main__":
    serve(sys.argv[1])
