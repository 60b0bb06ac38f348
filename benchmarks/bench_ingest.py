"""Ingest throughput on SQLite, with 1 and 2 worker processes: letters stored per second.

A folder of N text letters (the samples varied across forces and dates, benchmarks/corpus.py)
is ingested into a fresh store, as `scrutiny ingest --workers N` does it (`ingest_paths` with
a pool). In the same run, for each worker count, the same files go through the pool alone
(read and extract, nothing stored): the ratio ingest / extraction shows what storing costs,
whatever this shared machine's speed. The CPU time of this process (the one writer) per
letter is given too (the writer, and the gathering of answers): it bounds throughput however
many workers read.

Target: at least 200 letters/s with 2 workers on 2 cores (~45/s before the batch writer).
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import letters

from scrutiny.isolate import Job, Pool
from scrutiny.oversight.ingest import ingest_paths
from scrutiny.read import expand
from scrutiny.store import Store


def cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def main(n: int = 2000) -> None:
    folder = Path(tempfile.mkdtemp())
    for name, text in letters(n):
        (folder / name).write_text(text, encoding="utf-8")
    files = expand([folder])
    print(f"{len(files)} letters; ingest into a fresh SQLite store each time")
    print(f"{'workers':>7s} {'extract /s':>11s} {'ingest /s':>10s} {'ingest/extract':>15s} {'this process CPU ms/letter':>27s}")
    for workers in (1, 2):
        with Pool(workers=workers) as pool:
            for _ in pool.map([Job(str(f)) for f in files[:workers]]):  # the workers started
                pass
            start = time.perf_counter()
            for _ in pool.map(Job(str(f)) for f in files):
                pass
            extract_rate = len(files) / (time.perf_counter() - start)
            store = Store(f"sqlite:///{folder / f'ingest-{workers}.db'}")
            start, used = time.perf_counter(), cpu()
            outcomes = list(ingest_paths(store, files, pool=pool))
            seconds, used = time.perf_counter() - start, cpu() - used
            store.engine.dispose()
        stored = sum(o.status == "stored" for o in outcomes)
        assert stored + sum(o.status == "unchanged" for o in outcomes) == len(files), "a letter failed"
        rate = len(files) / seconds
        print(f"{workers:7d} {extract_rate:11.0f} {rate:10.0f} {rate / extract_rate:15.2f} {1000 * used / len(files):27.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
