"""Search with ten very large letters stored (1.4 MB each, a common word thousands of times in
each; tests/large_letters.py), on SQLite and PostgreSQL, beside datasette's ranked query.

    python benchmarks/bench_search_large.py [--runs 5] [--pg postgresql://server/db] [--before OLD/src]

Three searches, each `runs` times, p50 and p95 in ms: a common word (in every letter, thousands
of times), a rare word (once, at the end of one letter) and a phrase (in every letter). Each is
`search_with_facets`, a page of 20 as the search page asks for it. Beside it on SQLite,
datasette's own (0.65) ranked query with a total, run through datasette on the same file: the
page of 20 by FTS5 `rank` with `snippet()`, and `count(*)` of the matches (its time limit
raised so that it answers at all). With `--before`, the same searches by the code in that
source folder (a checkout of an earlier commit: `git archive <commit> src | tar -x -C OLD`),
on the same stores, in a second process, and the ratios before / after.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
from large_letters import COMMON_WORD, large_letter, rare_word

QUERIES = {"common word": COMMON_WORD, "rare word": rare_word(7), "phrase": f'"{COMMON_WORD} officers"'}


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[math.ceil(0.95 * len(ordered)) - 1] * 1000


def timed(run: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return percentiles(times)


def fill(url: str) -> None:
    """The ten letters, through the ordinary ingest, unless the store has them already."""
    from scrutiny.oversight import open_store
    from scrutiny.oversight.ingest import ingest_bytes

    store = open_store(url)
    for n in range(10):
        ingest_bytes(store, large_letter(n), f"large-{n}.txt", f"upload:large-{n}.txt")
    store.engine.dispose()


def scrutiny_times(url: str, runs: int) -> dict[str, tuple[float, float]]:
    from scrutiny.store import Store
    from scrutiny.store.search import search_with_facets

    store = Store(url)
    found = {label: timed(lambda q=q: search_with_facets(store, q, per_page=20), runs) for label, q in QUERIES.items()}
    store.engine.dispose()
    return found


def datasette_times(path: str, runs: int) -> dict[str, tuple[float, float]]:
    from datasette.app import Datasette

    datasette = Datasette([path], settings={"sql_time_limit_ms": 600_000})
    database = datasette.get_database()
    ranked = ("select rowid, snippet(search_index, 0, '<mark>', '</mark>', '…', 24) as snippet from search_index "
              "where search_index match :q order by rank limit 20")
    total = "select count(*) from search_index where search_index match :q"

    async def both(q: str) -> None:
        await database.execute(ranked, {"q": q})
        await database.execute(total, {"q": q})

    loop = asyncio.new_event_loop()
    fts = {label: " ".join(f'"{w}"' for w in q.split()) if not q.startswith('"') else q for label, q in QUERIES.items()}
    found = {label: timed(lambda q=q: loop.run_until_complete(both(q)), runs) for label, q in fts.items()}
    loop.close()
    return found


def measure(stores: dict[str, str], runs: int) -> dict[str, dict[str, tuple[float, float]]]:
    found = {engine: scrutiny_times(url, runs) for engine, url in stores.items()}
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg", default=os.environ.get("SCRUTINY_TEST_PG_URL"), help="a PostgreSQL server's URL")
    parser.add_argument("--before", help="the src folder of the code to compare with")
    parser.add_argument("--stores", help=argparse.SUPPRESS)  # (the second process: the stores, as JSON)
    args = parser.parse_args()
    if args.stores:
        print(json.dumps(measure(json.loads(args.stores), args.runs)))
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-search-"))
    stores = {"sqlite": f"sqlite:///{folder / 'large.db'}"}
    if args.pg:
        name = f"bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f"CREATE DATABASE {name}"))
        stores["postgresql"] = args.pg.rsplit("/", 1)[0] + "/" + name
    try:
        for url in stores.values():
            fill(url)
        after = measure(stores, args.runs)
        after["datasette"] = datasette_times(str(folder / "large.db"), args.runs)
        before = None
        if args.before:
            env = {**os.environ, "PYTHONPATH": str(Path(args.before).resolve())}
            before = json.loads(subprocess.run([sys.executable, __file__, "--runs", str(args.runs), "--stores",
                                                json.dumps(stores)], env=env, check=True, capture_output=True,
                                               text=True).stdout)
        report(after, before, args.runs)
    finally:
        if args.pg:
            with admin.connect() as c:
                c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            admin.dispose()


def report(after: dict, before: dict | None, runs: int) -> None:
    print(f"ten letters of ~{len(large_letter(0)) / 1e6:.1f} MB; {runs} runs each; p50 / p95 in ms")
    for engine, found in after.items():
        for label, (p50, p95) in found.items():
            line = f"  {engine:10} {label:12} {p50:9.1f} / {p95:9.1f}"
            if before and engine in before:
                b50, b95 = before[engine][label]
                line += f"   before {b50:9.1f} / {b95:9.1f}   before/after x{b50 / p50:.1f} / x{b95 / p95:.1f}"
            if engine == "sqlite" and "datasette" in after:
                d50, d95 = after["datasette"][label]
                line += f"   datasette/after x{d50 / p50:.1f} / x{d95 / p95:.1f}"
            print(line)


if __name__ == "__main__":
    main()
