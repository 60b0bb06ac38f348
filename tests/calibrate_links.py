"""The table of report-link confidence against accuracy (docs/report-linking.md).

    .venv/bin/python tests/calibrate_links.py

Every labelled response in ../shared/corpus/real and tests/wild is extracted; each link the
extractor considered (made, or held back as a candidate below LINK_SAFE) is set against the
label's report id, and counted in its band of confidence.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from scrutiny.extract import NotALetter, extract
from scrutiny.extract.linking import CALIBRATED_SAFE, LINK_SAFE
from scrutiny.read import read_path

HERE = Path(__file__).parent
SETS = [(HERE.parents[1] / "shared/gold/real.jsonl", HERE.parents[1] / "shared/corpus/real"),
        (HERE / "wild/labels.jsonl", HERE / "wild"), (HERE / "wild/fresh/labels.jsonl", HERE / "wild/fresh")]
BANDS = [(0.0, 0.3), (0.3, 0.4), (0.4, 0.5), (0.5, 0.6), (0.6, 0.8), (0.8, 0.95), (0.95, 1.01)]


def considered(path: Path) -> tuple[str | None, float | None]:
    """The report the extractor considered for the text, linked or not, and its confidence."""
    try:
        record = extract(read_path(path))
    except NotALetter:
        return None, None
    if record.report is not None and record.report.id is not None:
        return record.report.id, record.report.confidence
    if record.report_candidates:
        return record.report_candidates[0].id, record.report_candidates[0].confidence
    return None, None


def main() -> None:
    rows = []
    for gold, docs in SETS:
        if not gold.is_file():
            continue
        for line in gold.read_text().splitlines():
            label = json.loads(line)
            if label.get("response") is False:
                continue
            got, confidence = considered(docs / label["file"])
            if got is not None:
                rows.append((label["file"], got, label.get("report_id"), confidence))
    out = ["| confidence | links considered | right | wrong | accuracy | linked |", "|---|---|---|---|---|---|"]
    for low, high in BANDS:
        band = [r for r in rows if low <= (r[3] or 0) < high]
        right = sum(r[1] == r[2] for r in band)
        accuracy = f"{right / len(band):.0%}" if band else "-"
        out.append(f"| {low:.2f}-{min(high, 1):.2f} | {len(band)} | {right} | {len(band) - right} | {accuracy} | "
                   f"{'yes' if low >= CALIBRATED_SAFE else 'yes, with a warning' if low >= LINK_SAFE else 'no: review'} |")
    sys.stdout.write("\n".join(out) + "\n\n")
    for name, got, wanted, confidence in sorted(rows, key=lambda r: r[3] or 0):
        sys.stdout.write(f"{confidence:.3f} {'right' if got == wanted else 'WRONG'} {name}: {got} (label {wanted})\n")


if __name__ == "__main__":
    main()
