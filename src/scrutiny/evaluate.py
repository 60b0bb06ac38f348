"""Score the extractor against hand labels (the shape of shared/gold/seeds.jsonl).

Each gold line names a file and its labels; the file is read and extracted afresh, and each
field is compared. Initiatives are scored by recall and precision, a gold name matching
an extracted one when either contains the other once case and punctuation are ignored.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .catalogue import Report
from .errors import InputError
from .extract import extract
from .read import read_path

FIELDS = ["force", "role", "signatory", "letter_date", "addressees", "report", "report_published",
          "recommendations_addressed", "stance", "deadline", "days_taken", "on_time", "complete"]


@dataclass
class Scores:
    documents: int = 0
    correct: dict[str, int] = field(default_factory=lambda: {f: 0 for f in FIELDS})
    initiatives_gold: int = 0
    initiatives_found: int = 0  # gold initiatives found
    initiatives_extracted: int = 0
    initiatives_right: int = 0  # extracted initiatives that are in the gold
    errors: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.documents if self.documents else 0.0

    @property
    def initiative_recall(self) -> float:
        return self.initiatives_found / self.initiatives_gold if self.initiatives_gold else 1.0

    @property
    def initiative_precision(self) -> float:
        return self.initiatives_right / self.initiatives_extracted if self.initiatives_extracted else 1.0

    @property
    def overall(self) -> float:
        figures = [self.accuracy(f) for f in FIELDS] + [self.initiative_recall]
        return sum(figures) / len(figures)

    def to_dict(self) -> dict:
        return {
            "documents": self.documents,
            "fields": {f: round(self.accuracy(f), 4) for f in FIELDS},
            "initiatives": {"recall": round(self.initiative_recall, 4), "precision": round(self.initiative_precision, 4),
                            "gold": self.initiatives_gold, "extracted": self.initiatives_extracted},
            "overall": round(self.overall, 4),
            "errors": self.errors,
            "mismatches": self.mismatches,
        }


def _norm(name: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", name.lower()))


def same_initiative(a: str, b: str) -> bool:
    a, b = f" {_norm(a)} ", f" {_norm(b)} "
    return a in b or b in a


def _observed(record: dict) -> dict:
    """The record's values in the gold file's vocabulary."""
    def value(key, sub):
        return record[key][sub] if record[key] else None

    answers = record["recommendations"]
    compliance = record["compliance"]
    return {
        "force": value("force", "name"),
        "role": value("policing_body", "role"),
        "signatory": value("signatory", "name"),
        "letter_date": value("letter_date", "date"),
        "addressees": sorted(a["name"] for a in record["addressees"]),
        "report": value("report", "title"),
        "report_published": value("report", "published"),
        "recommendations_addressed": [a["number"] for a in answers if a["addressed"]],
        "stance": {str(a["number"]): a["stance"] for a in answers if a["addressed"]},
        "deadline": compliance["deadline"],
        "days_taken": compliance["days_taken"],
        "on_time": compliance["on_time"],
        "complete": compliance["complete"],
    }


def _expected(gold: dict) -> dict:
    return {
        "force": gold.get("force"),
        "role": gold.get("sender_role"),
        "signatory": gold.get("signatory"),
        "letter_date": gold.get("letter_date"),
        "addressees": sorted(gold.get("addressees") or []),
        "report": gold.get("report_title"),
        "report_published": gold.get("report_published"),
        "recommendations_addressed": sorted(gold.get("recommendations_addressed") or []),
        "stance": {k: v for k, v in (gold.get("stance") or {}).items()
                   if int(k) in (gold.get("recommendations_addressed") or [])},
        "deadline": gold.get("deadline"),
        "days_taken": gold.get("days_taken"),
        "on_time": gold.get("on_time"),
        "complete": gold.get("complete"),
    }


def evaluate(gold_path: str | Path, docs: str | Path, reports: tuple[Report, ...] | None = None) -> Scores:
    """Extract every file the gold file names (from `docs`) and compare field by field."""
    scores = Scores()
    for line in Path(gold_path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        gold = json.loads(line)
        path = Path(docs) / gold["file"]
        try:
            record = extract(read_path(path), reports).to_dict()
        except InputError as exc:  # a file the extractor cannot handle scores zero on every field
            scores.errors.append(str(exc))
            scores.documents += 1
            scores.initiatives_gold += len(gold.get("initiatives") or [])
            continue
        scores.documents += 1
        observed, expected = _observed(record), _expected(gold)
        for name in FIELDS:
            if observed[name] == expected[name]:
                scores.correct[name] += 1
            else:
                scores.mismatches.append(f"{gold['file']}: {name}: expected {expected[name]!r}, got {observed[name]!r}")
        extracted = [i["name"] for i in record["initiatives"]]
        wanted = gold.get("initiatives") or []
        scores.initiatives_gold += len(wanted)
        scores.initiatives_extracted += len(extracted)
        scores.initiatives_found += sum(any(same_initiative(g, e) for e in extracted) for g in wanted)
        scores.initiatives_right += sum(any(same_initiative(g, e) for g in wanted) for e in extracted)
        for g in wanted:
            if not any(same_initiative(g, e) for e in extracted):
                scores.mismatches.append(f"{gold['file']}: initiative missed: {g!r}")
    return scores
