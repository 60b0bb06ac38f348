"""Hostile input, measured: every file of ../shared/fuzz and of the generated fuzz cases
(tests/fuzz_cases.py), read and extracted in the worker process as `scrutiny ingest` does.

For each corpus: files tried, records, one-line errors (and how many of those were the
worker stopped for time or memory, or an internal error), crashes (an exception reaching
the batch: want 0), and the worst time and memory per file. Each file is sent on its own,
so its time is its own, and its memory is the worker's peak resident set while reading it
(Linux: /proc/<pid>/status VmHWM, reset before each file through /proc/<pid>/clear_refs),
shown with how far the file raised it above what the worker held before. A file whose
worker had to be stopped (over the memory cap, or crashed) counts as using the cap.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from fuzz_cases import cases  # noqa: E402

from scrutiny.errors import InputError  # noqa: E402
from scrutiny.read import expand  # noqa: E402
from scrutiny.isolate import Pool  # noqa: E402
from scrutiny.limits import LIMITS  # noqa: E402

SHARED_FUZZ = Path(__file__).resolve().parents[2] / "shared" / "fuzz"


def worker() -> str:
    pid = os.getpid()
    [child] = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return child


def resident_mb(pid: str, field: str) -> float:
    return int(Path(f"/proc/{pid}/status").read_text().split(f"{field}:")[1].split()[0]) / 1024


def reset_peak(pid: str) -> float:
    """Start the worker's peak afresh from what it holds now; returns that, in MB."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return resident_mb(pid, "VmRSS")


def measure(label: str, files: list[Path], pool: Pool) -> None:
    counts = dict.fromkeys(("records", "errors", "over time", "worker stopped", "internal errors", "crashes"), 0)
    timings: list[tuple[float, str]] = []
    memory: list[tuple[float, float, str]] = []  # (peak, rise above what it held before, file)
    start = time.perf_counter()
    for path in files:
        pid = worker()
        held = reset_peak(pid)
        began = time.perf_counter()
        try:
            result = pool.read(str(path))
        except Exception as exc:  # noqa: BLE001 - what the batch must never see
            counts["crashes"] += 1
            print(f"CRASH {path}: {exc!r}")
            continue
        timings.append((time.perf_counter() - began, path.name))
        if worker() == pid:
            peak = resident_mb(pid, "VmHWM")
            memory.append((peak, peak - held, path.name))
        else:
            memory.append((pool.limits.memory_mb, pool.limits.memory_mb - held, path.name))
        if isinstance(result, InputError):
            counts["errors"] += 1
            problem = result.problem
            counts["over time"] += "took too long" in problem
            counts["worker stopped"] += "the reader crashed" in problem or "more memory" in problem
            counts["internal errors"] += problem.startswith("internal error")
        else:
            counts["records"] += 1
    total = time.perf_counter() - start
    print(f"{label}: {len(files)} files in {total:.1f} s; " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    print("  worst time: " + "; ".join(f"{s:.2f} s {name}" for s, name in sorted(timings, reverse=True)[:3]))
    print(f"  worst memory: peak {max(m[0] for m in memory):.0f} MB; the files that raised it most: "
          + "; ".join(f"+{rise:.0f} MB {name}" for _, rise, name in sorted(memory, key=lambda m: -m[1])[:3]))


def main() -> None:
    print(f"limits: {LIMITS}")
    with Pool() as pool, tempfile.TemporaryDirectory() as folder:
        pool.read(str(next(iter(expand([Path(__file__).parents[1] / "src/scrutiny/samples"])))))  # start the worker
        if SHARED_FUZZ.is_dir():
            measure("../shared/fuzz", expand([SHARED_FUZZ]), pool)
        generated = []
        for case in cases():
            generated.append(Path(folder) / case.name)
            generated[-1].write_bytes(case.data)
        measure("generated cases", generated, pool)


if __name__ == "__main__":
    main()
