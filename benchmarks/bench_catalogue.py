"""Extraction against a growing report catalogue: the bundled 198 reports (~200) and 1,000.

Users add reports (`scrutiny reports add`) and HMICFRS publishes dozens a year; every text is
matched against every report's title, and a text that does not write the title is matched
by clues (its subject words, dates, force). This times extraction of the same texts with
the bundled catalogue and with 802 more reports (HMICFRS-shaped titles, national and
per-force), item by item in the same process, for two kinds of text:
- letters varied from the sample letters, which write their report's title;
- press statements that name their report only by subject and day ('the HMICFRS report on
  vetting published today (4 May 2021)'), which go through the clues.
"""
from __future__ import annotations

import datetime as dt
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
        shape = rng.randrange(3)
        title = [f"An inspection of {theme} in {force}", f"PEEL {year}: an inspection of {force}",
                 f"{theme.capitalize()}: a national thematic inspection {year}"][shape]
        out.append(catalogue.parse_report({
            "id": f"synthetic-{i}", "title": title, "published": f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "kind": "thematic" if shape == 2 else "force" if shape == 0 else "peel",
            "forces": [force] if shape < 2 else [],
            "recommendations": [{"number": 1, "addressees": ["chief constables"],
                                 "wording": f"Chief constables should review their approach to {theme}."}]}))
    return out


def statements(count: int) -> list[tuple[str, str]]:
    """Press statements naming a bundled report by a few of its words and its day."""
    rng = random.Random(11)
    dated = [r for r in catalogue.reports() if r.published and len(r.title.split()) > 3]
    forces = catalogue.forces()
    out = []
    for i in range(count):
        report, force = rng.choice(dated), rng.choice(forces)
        words = [w.strip(":,–") for w in report.title.split() if len(w) > 5][:3]
        day: dt.date = report.published  # type: ignore[assignment]
        out.append((f"statement{i:04d}.txt",
                    f"{force.name} Police and Crime Commissioner welcomes inspection\n\n"
                    f"{force.name} Police and Crime Commissioner Jane Example has welcomed the inspectorate's report on "
                    f"{' '.join(words).lower()} published today ({day.day} {day:%B %Y}).\n\n"
                    "Police and Crime Commissioner Jane Example said: \"I will hold the Chief Constable to "
                    "account for the improvements the inspectors ask for.\"\n"))
    return out


def per_text(documents: list, runs: list[tuple[catalogue.Report, ...]]) -> list[float]:
    """Mean milliseconds per text for each catalogue, each text's best of five passes."""
    best = [[float("inf")] * len(documents) for _ in runs]
    for document in documents[:5]:
        for reports in runs:
            extract(document, reports)  # warm caches (the catalogue's matching tables)
    for _ in range(5):
        for i, document in enumerate(documents):
            for k, reports in enumerate(runs):
                start = time.perf_counter()
                extract(document, reports)
                best[k][i] = min(best[k][i], time.perf_counter() - start)
    return [sum(b) / len(documents) * 1000 for b in best]


def main() -> None:
    bundled = catalogue.reports()
    large = catalogue.reports(synthetic_reports(1000 - len(bundled)))
    for kind, texts in (("letters", letters(300)), ("statements", statements(300))):
        documents = [read_bytes(text.encode(), name) for name, text in texts]
        small, big = per_text(documents, [bundled, large])
        print(f"{kind}: extraction {small:.2f} ms per text with {len(bundled)} reports, "
              f"{big:.2f} ms with {len(large)}: x{big / small:.2f}")


if __name__ == "__main__":
    main()
