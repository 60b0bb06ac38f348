"""Extraction throughput, and its cost relative to reading PDFs' text.

1. Text letters per second through read + extract + JSON (what `scrutiny extract --json`
   does per file), start-up excluded, on one core, over 2,000 varied letters.
2. The same work on PDFs: time to read their text alone (the baseline, same process), then
   the time extraction adds, reported as a ratio. Target: extraction adds <= 25%.

Both are timed as `extract_paths` runs: a batch of files is read, then its letters are
extracted. The PDF ratio is also shown for files taken one at a time, each extracted
straight after its own read, when the PDF reader has just evicted the extractor's code and
data from the CPU caches.

3. What the worker process costs: `scrutiny extract --json` reads and extracts each file
   in a worker (scrutiny.isolate) and writes its JSON here. The same text letters, as files,
   through the worker and in this process (`extract_paths`), each the best of three passes.
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from corpus import letters  # noqa: E402
from documents import make_pdf  # noqa: E402

from scrutiny.extract import BATCH_FILES, extract, extract_paths  # noqa: E402
from scrutiny.isolate import Job, Pool  # noqa: E402
from scrutiny.read import read_bytes  # noqa: E402


def best_times(items: list[Any], read: Callable, work: Callable, batch: int, runs: int = 5) -> tuple[float, float]:
    """Total seconds of `read` and of `work` over `items`, taking for every item the fastest of
    `runs` passes (the minimum discards bursts of load on this shared machine). Items are
    taken a batch at a time: each of the batch is read, then each document is worked on."""
    best_read = [float("inf")] * len(items)
    best_work = [float("inf")] * len(items)
    for _ in range(runs):
        for first in range(0, len(items), batch):
            documents = []
            for i in range(first, min(first + batch, len(items))):
                start = time.perf_counter()
                documents.append(read(items[i]))
                best_read[i] = min(best_read[i], time.perf_counter() - start)
            for i, document in enumerate(documents, first):
                start = time.perf_counter()
                work(document)
                best_work[i] = min(best_work[i], time.perf_counter() - start)
    return sum(best_read), sum(best_work)


def read(item: tuple[str, bytes]):
    return read_bytes(item[1], item[0])


def main() -> None:
    corpus = [(name, text.encode()) for name, text in letters(2000)]
    extract(read(corpus[0]))  # warm caches (catalogue, compiled patterns)
    isolation_cost(corpus)

    seconds = sum(best_times(corpus, read, lambda document: json.dumps(extract(document).to_dict()), BATCH_FILES))
    print(f"text: {len(corpus)} letters in {seconds:.2f} s = {len(corpus) / seconds:.0f} letters/s "
          f"(read + extract + JSON, one core; target >= 500)")

    pdfs = [(name.replace(".txt", ".pdf"), make_pdf(data.decode())) for name, data in corpus[:300]]
    pages = sum(read(item).pages for item in pdfs)
    for batch, how in ((BATCH_FILES, f"in batches of {BATCH_FILES}, as extract_paths runs"),
                       (1, "one file at a time")):
        read_seconds, extract_seconds = best_times(pdfs, read, extract, batch)
        print(f"pdf, {how}: read text of {len(pdfs)} PDFs ({pages} pages) in {read_seconds:.2f} s "
              f"({pages / read_seconds:.0f} pages/s); extraction {extract_seconds:.2f} s, "
              f"adding {extract_seconds / read_seconds:.1%}" + (" (target <= 25%)" if batch > 1 else ""))


def best_pass(work: Callable[[], None], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def isolation_cost(corpus: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as folder, Pool() as pool:
        paths = []
        for name, data in corpus:
            paths.append(f"{folder}/{name}")
            Path(paths[-1]).write_bytes(data)
        next(pool.map([Job(paths[0])]))  # start the worker before timing

        def in_worker() -> None:
            for _, result in pool.map(Job(path) for path in paths):
                json.dumps(result)

        def in_process() -> None:
            for _, record in extract_paths(paths):
                json.dumps(record.to_dict())  # type: ignore[union-attr]

        worker, local = best_pass(in_worker), best_pass(in_process)
    print(f"text files, as scrutiny extract --json: through the worker {len(paths) / worker:.0f} letters/s, "
          f"in this process {len(paths) / local:.0f} letters/s (worker / in process: {worker / local:.2f}x the time)")


if __name__ == "__main__":
    main()
