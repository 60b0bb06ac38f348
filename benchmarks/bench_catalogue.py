"""Extraction against a large report catalogue, as a ratio to the bundled one.

Users add reports (`scrutiny reports add`) and HMICFRS publishes dozens a year; every letter
is matched against every report's title. This times extraction of the same letters with
100 more reports in the catalogue (national thematic ones and per-force PEEL ones, whose
titles share words with the letters) and without them, item by item in the same process.
"""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import letters  # noqa: E402

from scrutiny import catalogue  # noqa: E402
from scrutiny.extract import extract  # noqa: E402
from scrutiny.read import read_bytes  # noqa: E402

THEMES = ["custody", "vetting, misconduct and misogyny", "counter-corruption", "fraud", "cyber crime",
          "stalking and harassment", "neighbourhood policing", "digital forensics", "disclosure",
          "race disparity in stop and search", "firearms licensing", "roads policing", "workforce wellbeing",
          "leadership", "violence against women and girls", "child sexual exploitation", "modern slavery",
          "hate crime", "missing children", "criminal justice case files", "serious and organised crime"]


def synthetic_reports(count: int) -> list[catalogue.Report]:
    """`count` reports with titles in HMICFRS's shapes, the same every run."""
    rng = random.Random(7)
    forces = [f.name for f in catalogue.forces()]
    out = []
    for i in range(count):
        year, theme, force = 2014 + i % 12, rng.choice(THEMES), rng.choice(forces)
        title = rng.choice([f"An inspection of {theme} in {force}", f"PEEL {year}: an inspection of {force}",
                            f"{theme.capitalize()}: a national thematic inspection {year}"])
        out.append(catalogue.parse_report({
            "id": f"synthetic-{i}", "title": title, "published": f"{year}-06-01",
            "recommendations": [{"number": 1, "addressees": ["chief constables"],
                                 "wording": f"Chief constables should review their approach to {theme}."}]}))
    return out


def main() -> None:
    documents = [read_bytes(text.encode(), name) for name, text in letters(300)]
    bundled = catalogue.reports()
    large = catalogue.reports(synthetic_reports(100))
    runs = [bundled, large]
    best = [[float("inf")] * len(documents) for _ in runs]
    for document in documents[:5]:
        for reports in runs:
            extract(document, reports)  # warm caches
    for _ in range(5):
        for i, document in enumerate(documents):
            for k, reports in enumerate(runs):
                start = time.perf_counter()
                extract(document, reports)
                best[k][i] = min(best[k][i], time.perf_counter() - start)
    small, big = (sum(b) / len(documents) * 1000 for b in best)
    print(f"extraction per letter: {small:.2f} ms with the bundled {len(bundled)} reports, "
          f"{big:.2f} ms with {len(large)}: x{big / small:.2f}")


if __name__ == "__main__":
    main()
