"""Score the extractor against hand labels, in either of the two gold shapes.

- The letters' shape (shared/gold/seeds.jsonl): every field is scored on every document,
  a null label included, and named initiatives by recall and precision (a gold name
  matches an extracted one when either contains the other, case and punctuation ignored).
- The published texts' shape (shared/gold/real.jsonl, told apart by its `report_id` key):
  a field is scored where the label states a value, as a label says only what the text
  states. The report is scored twice: its title as the text writes it, and its catalogue
  id (`report_id`), on every document: a null id says the catalogue has not the report the
  text answers, so linking one is a miss (a wrong report means a wrong deadline).
  Recommendations are scored by how many are answered.
- Either shape may say whether the text is a response at all (`response`: true or false,
  as in tests/wild/labels.jsonl). The verdict is scored as a field, and by precision and
  recall (a response is the positive class); a file the extractor refuses (NotALetter) is
  judged not a response, and a record without the field (an older extractor's) a response.
  On a text that is not a response only who speaks is scored (force, role, signatory,
  date): its report and recommendations are nobody's answer.
  Sender role is also reported per role (the label's role), as its own breakdown.

Each file the gold names is read and extracted afresh. The overall figure counts every
scored value once; initiative recall counts as one more field on each document whose
label lists initiatives.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import catalogue
from ..catalogue import Report
from ..errors import InputError
from ..extract import extract
from ..read import read_path

LETTER_FIELDS = ["force", "role", "signatory", "letter_date", "addressees", "report", "report_published",
                 "recommendations_addressed", "stance", "deadline", "days_taken", "on_time", "complete"]
PUBLISHED_FIELDS = ["force", "role", "signatory", "letter_date", "report_title", "report_id", "report_published",
                    "recommendations_answered"]
SCORED_WHEN_NULL = {"report_id"}  # in the published shape, null is a value too (see above)
# What is scored on a text labelled as no response: who speaks, and when.
NON_RESPONSE_FIELDS = {"force", "role", "signatory", "letter_date"}


@dataclass(frozen=True)
class Miss:
    file: str
    field: str
    wanted: Any
    got: Any

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: wanted {self.wanted!r}, got {self.got!r}"


@dataclass
class Scores:
    documents: int = 0
    scored: dict[str, int] = field(default_factory=dict)  # field -> documents where it was scored
    correct: dict[str, int] = field(default_factory=dict)
    initiative_documents: int = 0  # documents whose label lists initiatives
    initiatives_gold: int = 0
    initiatives_found: int = 0  # gold initiatives found
    initiatives_extracted: int = 0
    initiatives_right: int = 0  # extracted initiatives that are in the gold
    errors: list[str] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)
    # The response verdict's confusion counts (a response is the positive class).
    response_counts: dict[str, int] = field(default_factory=lambda: {"tp": 0, "fp": 0, "fn": 0, "tn": 0})
    by_role: dict[str, list[int]] = field(default_factory=dict)  # the label's role -> [right, scored]

    @property
    def fields(self) -> list[str]:
        return list(self.scored)

    def accuracy(self, name: str) -> float:
        return self.correct.get(name, 0) / self.scored[name] if self.scored.get(name) else 0.0

    @property
    def initiative_recall(self) -> float:
        return self.initiatives_found / self.initiatives_gold if self.initiatives_gold else 1.0

    @property
    def initiative_precision(self) -> float:
        return self.initiatives_right / self.initiatives_extracted if self.initiatives_extracted else 1.0

    @property
    def response_precision(self) -> float:
        """Of the texts taken for responses, the share that are."""
        c = self.response_counts
        return c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0

    @property
    def response_recall(self) -> float:
        """Of the responses, the share taken for one."""
        c = self.response_counts
        return c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0

    def breakdown(self) -> list[tuple[str, str, float]]:
        """Rows beside the fields: the verdict's precision and recall, and sender role per role."""
        rows: list[tuple[str, str, float]] = []
        c = self.response_counts
        if sum(c.values()):
            rows.append(("response (precision)", f"{c['tp']}/{c['tp'] + c['fp']}", self.response_precision))
            rows.append(("response (recall)", f"{c['tp']}/{c['tp'] + c['fn']}", self.response_recall))
        for role, (right, scored) in sorted(self.by_role.items()):
            rows.append((f"role: {role}", f"{right}/{scored}", right / scored if scored else 0.0))
        return rows

    @property
    def overall(self) -> float:
        right = sum(self.correct.values()) + self.initiative_recall * self.initiative_documents
        total = sum(self.scored.values()) + self.initiative_documents
        return right / total if total else 0.0

    def to_dict(self) -> dict:
        return {
            "documents": self.documents,
            "fields": {f: round(self.accuracy(f), 4) for f in self.fields},
            "scored": dict(self.scored),
            "correct": {f: self.correct.get(f, 0) for f in self.fields},
            "initiatives": {"recall": round(self.initiative_recall, 4), "precision": round(self.initiative_precision, 4),
                            "gold": self.initiatives_gold, "extracted": self.initiatives_extracted},
            "overall": round(self.overall, 4),
            "response": {"precision": round(self.response_precision, 4), "recall": round(self.response_recall, 4),
                         **self.response_counts},
            "roles": {role: {"right": right, "scored": scored} for role, (right, scored) in sorted(self.by_role.items())},
            "errors": self.errors,
            "misses": [vars(m) for m in self.misses],
        }


def _norm(name: str) -> str:
    """Lower case, accents and punctuation dropped: 'Zoë' is 'zoe', 'Everyone’s' is 'everyone s'."""
    plain = unicodedata.normalize("NFKD", name.replace("’", "").replace("'", "")).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", plain.lower()))


def same_initiative(a: str, b: str) -> bool:
    a, b = f" {_norm(a)} ", f" {_norm(b)} "
    return a in b or b in a


def _force(name: str | None) -> str | None:
    """A force as labels write it ('South Wales', 'Metropolitan Police') -> its canonical name."""
    if name is None:
        return None
    names = catalogue.force_names()
    if name in names:
        return names[name]
    core = _force_core(name)
    return next((canonical for alias, canonical in names.items() if _force_core(alias) == core), name)


def _force_core(name: str) -> str:
    return " ".join(w for w in _norm(name).split() if w not in ("police", "constabulary", "service"))


def _value(record: dict, key: str, sub: str) -> Any:
    return record[key][sub] if record[key] else None


# field -> (what the label says, what the record says, whether they agree)
Check = tuple[Callable[[dict], Any], Callable[[dict], Any], Callable[[Any, Any], bool]]


def _equal(a: Any, b: Any) -> bool:
    return a == b


def _same_text(a: Any, b: Any) -> bool:
    return a is not None and b is not None and _norm(a) == _norm(b)


def _is_response(record: dict) -> bool:
    """The record's verdict; a record of an extractor that gave none was taken for a response."""
    verdict = record.get("response")
    return True if verdict is None else bool(verdict["value"])


_RESPONSE_CHECK: Check = (lambda g: g.get("response"), _is_response, _equal)


def _letter_checks() -> dict[str, Check]:
    def addressed(record: dict) -> list[int]:
        return [a["number"] for a in record["recommendations"] if a["addressed"]]

    def stances(gold: dict) -> dict:
        answered = gold.get("recommendations_addressed") or []
        return {k: v for k, v in (gold.get("stance") or {}).items() if int(k) in answered}

    return {
        "force": (lambda g: g.get("force"), lambda r: _value(r, "force", "name"), _equal),
        "role": (lambda g: g.get("sender_role"), lambda r: _value(r, "policing_body", "role"), _equal),
        "signatory": (lambda g: g.get("signatory"), lambda r: _value(r, "signatory", "name"), _equal),
        "letter_date": (lambda g: g.get("letter_date"), lambda r: _value(r, "letter_date", "date"), _equal),
        "addressees": (lambda g: sorted(g.get("addressees") or []), lambda r: sorted(a["name"] for a in r["addressees"]),
                       _equal),
        "report": (lambda g: g.get("report_title"), lambda r: _value(r, "report", "title"), _equal),
        "report_published": (lambda g: g.get("report_published"), lambda r: _value(r, "report", "published"), _equal),
        "recommendations_addressed": (lambda g: sorted(g.get("recommendations_addressed") or []), addressed, _equal),
        "stance": (stances, lambda r: {str(a["number"]): a["stance"] for a in r["recommendations"] if a["addressed"]},
                   _equal),
        "deadline": (lambda g: g.get("deadline"), lambda r: r["compliance"]["deadline"], _equal),
        "days_taken": (lambda g: g.get("days_taken"), lambda r: r["compliance"]["days_taken"], _equal),
        "on_time": (lambda g: g.get("on_time"), lambda r: r["compliance"]["on_time"], _equal),
        "complete": (lambda g: g.get("complete"), lambda r: r["compliance"]["complete"], _equal),
        "response": _RESPONSE_CHECK,
    }


def _published_checks() -> dict[str, Check]:
    def titles(record: dict) -> list[str]:
        """The title as the text writes it, and the catalogue's: the label writes the title
        as the text states it, which may be the catalogue's own wording."""
        report = record["report"]
        return [t for t in (report.get("title_as_written"), report["title"]) if t] if report else []

    def one_agrees(wanted: str, got: list[str]) -> bool:
        return any(_same_text(wanted, title) for title in got)

    return {
        "force": (lambda g: _force(g.get("force")), lambda r: _value(r, "force", "name"), _equal),
        "role": (lambda g: g.get("sender_role"), lambda r: _value(r, "policing_body", "role"), _equal),
        "signatory": (lambda g: g.get("signatory"), lambda r: _value(r, "signatory", "name"), _same_text),
        "letter_date": (lambda g: g.get("letter_date"), lambda r: _value(r, "letter_date", "date"), _equal),
        "report_title": (lambda g: g.get("report_title"), titles, one_agrees),
        "report_id": (lambda g: g.get("report_id"), lambda r: _value(r, "report", "id"), _equal),
        "report_published": (lambda g: g.get("report_published"), lambda r: _value(r, "report", "published"), _equal),
        "recommendations_answered": (lambda g: g.get("recommendation_count_addressed"),
                                     lambda r: sum(a["addressed"] for a in r["recommendations"]), _equal),
        "response": _RESPONSE_CHECK,
    }


LETTER_CHECKS = _letter_checks()
PUBLISHED_CHECKS = _published_checks()


def is_published_shape(gold: dict) -> bool:
    """Labels of published texts (real.jsonl) name the catalogue report by id."""
    return "report_id" in gold


def evaluate(gold_path: str | Path, docs: str | Path, reports: tuple[Report, ...] | None = None) -> Scores:
    """Extract every file the gold file names (from `docs`) and compare field by field."""
    scores = Scores()
    for gold in _labels(Path(gold_path)):
        _score(scores, gold, Path(docs), reports)
    return scores


def _labels(path: Path) -> list[dict]:
    """The gold file's labels; InputError names the file, or its line, that is not a label."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from None
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text ({exc.reason})") from None
    labels = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            label = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}", f"not JSON ({exc.msg})") from None
        if not isinstance(label, dict) or not isinstance(label.get("file"), str):
            raise InputError(f"{path}:{number}", 'a label is a JSON object naming its "file"')
        labels.append(label)
    return labels


def _score(scores: Scores, gold: dict, docs: Path, reports: tuple[Report, ...] | None) -> None:
    published = is_published_shape(gold)
    checks = PUBLISHED_CHECKS if published else LETTER_CHECKS
    scores.documents += 1
    try:
        record: dict | None = extract(read_path(docs / gold["file"]), reports).to_dict()
    except InputError as exc:  # a file the extractor cannot handle scores zero on every field
        scores.errors.append(str(exc))
        record = None
    not_response = gold.get("response") is False
    got: Any
    for name, (wanted_of, got_of, agree) in checks.items():
        wanted = wanted_of(gold)
        if name == "response":
            if wanted is None:
                continue  # the label does not say: the verdict is not scored
            got = _is_response(record) if record is not None else False  # refused: not a response
            scores.response_counts[("t" if got == wanted else "f") + ("p" if got else "n")] += 1
        elif not_response and name not in NON_RESPONSE_FIELDS:
            continue  # a text that is no response has no report or answers to score
        elif wanted is None and (published or not_response) and name not in SCORED_WHEN_NULL:
            scores.scored.setdefault(name, 0)
            continue  # the text does not state it
        else:
            got = got_of(record) if record is not None else None
        scores.scored[name] = scores.scored.get(name, 0) + 1
        right = bool((record is not None or name == "response") and agree(wanted, got))
        if right:
            scores.correct[name] = scores.correct.get(name, 0) + 1
        else:
            scores.misses.append(Miss(gold["file"], name, wanted, got))
        if name == "role":
            tally = scores.by_role.setdefault(str(wanted), [0, 0])
            tally[0] += right
            tally[1] += 1
    if "initiatives" in gold:
        _score_initiatives(scores, gold, record)


def _score_initiatives(scores: Scores, gold: dict, record: dict | None) -> None:
    wanted = gold.get("initiatives") or []
    extracted = [i["name"] for i in record["initiatives"]] if record else []
    scores.initiative_documents += 1
    scores.initiatives_gold += len(wanted)
    scores.initiatives_extracted += len(extracted)
    scores.initiatives_found += sum(any(same_initiative(g, e) for e in extracted) for g in wanted)
    scores.initiatives_right += sum(any(same_initiative(g, e) for g in wanted) for e in extracted)
    for g in wanted:
        if not any(same_initiative(g, e) for e in extracted):
            scores.misses.append(Miss(gold["file"], "initiatives", g, None))
