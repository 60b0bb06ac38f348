"""The HMICFRS page reader scored against hand labels (`gold/hmicfrs.jsonl`): the
recommendations' wording (precision and recall), and of those found, their register status,
number, addressees and due date; the dated statuses of each history; the page's kind,
publication day and forces; its causes of concern.

A found wording matches a labelled one when most of its words, in order, are the same
(`SAME_WORDING`): labels keep a page's truncation marks and bullets, which the reader does not."""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from ..record import wording

SAME_WORDING = 0.8
STATUSES = ("awaiting-review", "being-progressed", "complete", "no-further-action-needed")
_DATED_STATUS = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+(\w+)\s+(\d{{4}}):\s*({'|'.join(STATUSES)})$")


def words(text: str | None) -> list[str]:
    """The words, without a label's notes ('[truncated]', '(record 4822)')."""
    return wording.words(re.sub(r"\[[^\]]*\]|\([^)]*\)", " ", text or ""))


def same(found: str | None, label: str | None, threshold: float = SAME_WORDING) -> bool:
    """Most words alike, in order; where the label elides ('...'), most of its words found."""
    x, y = words(found), words(label)
    if not (x and y):
        return False
    matcher = SequenceMatcher(None, x, y, autojunk=False)
    if "..." in (label or ""):
        return sum(block.size for block in matcher.get_matching_blocks()) >= threshold * len(y)
    return matcher.ratio() >= threshold


@dataclass
class Scores:
    files: int = 0
    counts: Counter = field(default_factory=Counter)  # name -> right, of name_total
    misses: list[str] = field(default_factory=list)

    def tally(self, name: str, right: bool, miss: str = "") -> None:
        self.counts[name + "_total"] += 1
        self.counts[name] += right
        if not right and miss:
            self.misses.append(f"{name}: {miss}")

    def share(self, name: str) -> float | None:
        total = self.counts[name + "_total"]
        return self.counts[name] / total if total else None

    def to_dict(self) -> dict:
        names = sorted({k.removesuffix("_total") for k in self.counts})
        return {"files": self.files, **{n: {"right": self.counts[n], "of": self.counts[n + "_total"],
                                            "share": self.share(n)} for n in names}}


def _gold_status(value: str | None) -> str | None:
    first = (value or "").split(" ")[0]
    return first if first in STATUSES else None


def _gold_day(value: str | None) -> str | None:
    try:
        return dt.datetime.strptime(value or "", "%d %B %Y").date().isoformat()
    except ValueError:
        return None


def _dated(entries: list[str]) -> set[tuple[str, str]]:
    out = set()
    for entry in entries:
        if m := _DATED_STATUS.match(entry):
            day = dt.datetime.strptime(f"{m.group(1)} {m.group(2)} {m.group(3)}", "%d %B %Y").date().isoformat()
            out.add((day, m.group(4)))
    return out


def _gold_forces(names: list[str]) -> set[str]:
    from .. import catalogue
    from ..extract.hmicfrs.page import force_by_slug
    from ..extract.parties import find_force

    out = set()
    for name in names:
        plain = name.split(" (")[0].strip()
        found = force_by_slug(plain) or (f.name if (f := find_force(plain)) else None)
        out.add(found or catalogue.force_names().get(plain, plain))
    return out


def score_page(scores: Scores, gold: dict, page: dict) -> None:
    name = gold["file"]
    scores.tally("kind", page["kind"] == gold["page_kind"], f"{name} {page['kind']} for {gold['page_kind']}")
    if gold["published"]:
        scores.tally("published", page["published"] == _gold_day(gold["published"]),
                     f"{name} {page['published']} for {gold['published']}")
    scores.tally("forces", set(page["forces"]) == _gold_forces(gold["forces"]),
                 f"{name} {page['forces']} for {gold['forces']}")
    wanted = [g for g in gold["recommendations"] if words(g["wording"])]
    found = list(page["recommendations"])
    pairs = []
    for g in wanted:
        match = next((f for f in found if same(f["wording"], g["wording"])), None)
        scores.tally("wording_recall", match is not None, f"{name} {g['wording'][:90]!r}")
        if match is not None:
            found.remove(match)
            pairs.append((g, match))
    for f in found:
        scores.tally("wording_precision", False, f"{name} extra {f['wording'][:90]!r}")
    for _ in pairs:
        scores.tally("wording_precision", True)
    for g, f in pairs:
        status = _gold_status(g["status"])
        if status or g["status"] is None:
            scores.tally("status", f["status"] == status, f"{name} {f['status']} for {g['status']}")
        if number := re.match(r"^(?:recommendation\s+)?(\d+)\b", (g["number"] or "").lower()):
            scores.tally("number", f["number"] == int(number.group(1)), f"{name} {f['number']} for {g['number']}")
        if g["addressees"] is not None:
            scores.tally("addressees", [a.lower() for a in f["addressees"]] == [a.lower() for a in g["addressees"]],
                         f"{name} {f['addressees']} for {g['addressees']}")
        if g["due"]:
            ours, theirs = " ".join(words(f["due"])), " ".join(words(g["due"].split("...")[0]))
            scores.tally("due", bool(ours) and (ours in theirs or theirs in ours), f"{name} {f['due']!r} for {g['due']!r}")
        wanted_history = _dated(g["status_history"])
        ours_history = {(e["on"], e["status"]) for e in f["status_history"] if e.get("status")}
        for entry in wanted_history:
            scores.tally("history_recall", entry in ours_history, f"{name} {entry}")
        for entry in ours_history:
            scores.tally("history_precision", entry in wanted_history, f"{name} extra {entry}")
    causes = list(page["causes_of_concern"])
    for cause in gold["causes_of_concern"]:
        match = next((c for c in causes if same(c, cause, 0.6)), None)
        scores.tally("causes_recall", match is not None, f"{name} {cause[:80]!r}")
        if match:
            causes.remove(match)
            scores.tally("causes_precision", True)
    for cause in causes:
        scores.tally("causes_precision", False, f"{name} extra {cause[:80]!r}")
    scores.files += 1


def evaluate(gold: Path, folder: Path) -> Scores:
    """Read each labelled page from `folder` and score it."""
    from ..extract.hmicfrs import parse
    from ..read import read_path

    scores = Scores()
    for line in gold.read_text(encoding="utf-8").splitlines():
        if line.strip():
            labels = json.loads(line)
            score_page(scores, labels, parse(read_path(folder / labels["file"])).to_dict())
    return scores
