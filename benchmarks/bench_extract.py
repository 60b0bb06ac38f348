"""Extraction throughput, and its cost relative to reading PDFs' text.

1. Text letters per second through read + extract + JSON (what `scrutiny extract --json`
   does per file), start-up excluded, on one core, over 2,000 varied letters.
2. The same work on PDFs: time to read their text alone (the baseline, same process), then
   the time extraction adds, reported as a ratio. Target: extraction adds <= 25%.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from corpus import letters  # noqa: E402
from documents import make_pdf  # noqa: E402

from scrutiny.extract import extract  # noqa: E402
from scrutiny.read import read_bytes  # noqa: E402


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    corpus = [(name, text.encode()) for name, text in letters(2000)]
    extract(read_bytes(*reversed(corpus[0])))  # warm caches (catalogue, compiled patterns)

    def text_pipeline():
        for name, data in corpus:
            json.dumps(extract(read_bytes(data, name)).to_dict())

    seconds = best_of(3, text_pipeline)
    print(f"text: {len(corpus)} letters in {seconds:.2f} s = {len(corpus) / seconds:.0f} letters/s (target >= 500)")

    pdfs = [(name.replace(".txt", ".pdf"), make_pdf(data.decode())) for name, data in corpus[:300]]
    documents = []

    def read_only():
        documents.clear()
        documents.extend(read_bytes(data, name) for name, data in pdfs)

    def extract_only():
        for doc in documents:
            extract(doc)

    read_seconds = best_of(3, read_only)
    extract_seconds = best_of(3, extract_only)
    pages = sum(d.pages for d in documents)
    print(f"pdf: read text of {len(pdfs)} PDFs ({pages} pages) in {read_seconds:.2f} s "
          f"({pages / read_seconds:.0f} pages/s); extraction {extract_seconds:.2f} s")
    print(f"pdf: extraction adds {extract_seconds / read_seconds:.0%} to reading the text (target <= 25%)")


if __name__ == "__main__":
    main()
