"""Start-up: `scrutiny --help` and `scrutiny extract` of one text letter, as a user runs them.

Each command is run RUNS times in a fresh process; the best and the median wall time are
reported, and their ratio to a baseline run in the same loop (`python -c pass`, the
interpreter's own start), since this shared machine's speed drifts. Target: each under 0.3 s.
With hyperfine installed (`apt-get install hyperfine`) its figures are printed too.

`scrutiny extract` runs two processes: the command, and the worker it forks to read the file
(isolate.py), which imports the readers and the extractor and loads the catalogue (its parsed
YAML kept in the user's cache folder, so made at the first run only).

Python compiles a module that has no compiled bytecode at every start, unless it may write
it (this environment sets PYTHONDONTWRITEBYTECODE): an installed package has it, a checkout
gets it from `python -m compileall src`. Whether it is there is printed first.
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

RUNS = 15
SCRUTINY = str(Path(sys.executable).parent / "scrutiny")


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    compiled = (Path(str(resources.files("scrutiny"))) / "__pycache__").is_dir()
    print(f"scrutiny's compiled bytecode: {'present' if compiled else 'absent (each start compiles it)'}")
    letter = next(p for p in Path(str(resources.files("scrutiny").joinpath("samples"))).iterdir()
                  if p.suffix == ".txt")
    commands = {
        "python -c pass (baseline)": [sys.executable, "-c", "pass"],
        "scrutiny --help": [SCRUTINY, "--help"],
        "scrutiny extract letter.txt --json": [SCRUTINY, "extract", str(letter), "--json"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(RUNS):  # interleaved, so that drifts in the machine's speed fall on all alike
        for name, command in commands.items():
            times[name].append(wall(command))
    base = statistics.median(times["python -c pass (baseline)"])
    print(f"{'command':40s} {'best s':>8s} {'median s':>9s} {'median/base':>12s}")
    for name, t in times.items():
        print(f"{name:40s} {min(t):8.3f} {statistics.median(t):9.3f} {statistics.median(t) / base:12.1f}")
    if shutil.which("hyperfine"):
        subprocess.run(["hyperfine", "--warmup", "2", "-N", " ".join(commands["scrutiny --help"]),
                        " ".join(commands["scrutiny extract letter.txt --json"])], check=False)


if __name__ == "__main__":
    main()
