"""The HMICFRS page reader against the hand labels: `python benchmarks/eval_hmicfrs.py [--misses]`
(from the repository, ../shared present). Prints each figure as right/of and its share."""
from __future__ import annotations

import sys
from pathlib import Path

from scrutiny.oversight.evaluate_hmicfrs import evaluate

SHARED = Path(__file__).resolve().parents[2] / "shared"


def main() -> None:
    scores = evaluate(SHARED / "gold" / "hmicfrs.jsonl", SHARED / "corpus" / "hmicfrs")
    print(f"{scores.files} pages")
    for name, figure in scores.to_dict().items():
        if isinstance(figure, dict):
            print(f"{name:20} {figure['right']:>3}/{figure['of']:<3} {figure['share']:.0%}")
    if "--misses" in sys.argv:
        print("\n".join(scores.misses))


if __name__ == "__main__":
    main()
