"""A page's recommendations, causes of concern and areas for improvement, found line by line.

HMICFRS writes a recommendation as a sentence ('Within three months, the force should ...'),
as a lead-in with its list ('The force should immediately:' and bullets, one recommendation),
or as a list of recommendations under a heading or a lead-in that announces them ('We made the
following recommendations:', 'HMIC recommends that:', numbered '1.', 'Recommendation 5').
A cause of concern comes under its heading, before 'To address this cause of concern', or as
the list a lead-in announces ('two causes of concern, which were that the force:'). An area
for improvement (no answer required) comes under its own heading, and is kept apart.

A register record is one recommendation as HMICFRS tracks it: its bullets are one, unless the
record numbers its parts or gives each part its own lead-in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .wording import DUE_FIRST, MODAL, is_recommendation

_BULLET = re.compile(r"^[-•◦*▪]\s*")
_NUMBERED = re.compile(r"^(\d{1,2})[.)]\s*(?=[A-Z\"'])")
_REC_HEADING = re.compile(r"^recommendations?(?:\s+(\d{1,3}))?(?:\s+(?:to|for)\s+[^.:]{1,60})?\s*:?$", re.IGNORECASE)
_COC_HEADING = re.compile(r"^(?:accelerated\s+)?causes?\s+of\s+concern\b(?:\s*[:-].{0,80})?$", re.IGNORECASE)
_AFI_HEADING = re.compile(r"^areas?\s+for\s+improvement(?:\s+\d{1,3})?\s*:?$", re.IGNORECASE)
_AFI_LEAD = re.compile(r"\bareas? for improvement\b", re.IGNORECASE)
_COC_LEAD = re.compile(r"\bcauses? of concern\b", re.IGNORECASE)
_RECS_LEAD = re.compile(r"\brecommend(?:ations?|s|ed)?\b", re.IGNORECASE)
_TO_ADDRESS = re.compile(r"^to address (?:this|these|the) causes? of concern", re.IGNORECASE)
_COC_BECAUSE = re.compile(r"\bcauses? of concern\b[^.]{0,120}?\bbecause\s+(?P<what>.+)$", re.IGNORECASE)
_GENERAL = re.compile(r"^(?:if|when|sometimes|in some cases|where)\b", re.IGNORECASE)
_STATING = re.compile(r"^.*?\brecommendations?,?\s+(?:stating|saying)\s+that\s+", re.IGNORECASE)
_ITEM_END = re.compile(r"(?:[;,]?\s+(?:and|or))?\s*[.;,]?$")  # '...; and', 'the last one.'
_LIST_END = re.compile(r"[;,]?\s+(?:and|or)$|;$")


@dataclass
class Found:
    number: int | None
    lines: list[str]
    led: bool = False  # a lead-in and its list
    lead: str | None = None  # the lead-in announcing it, with others: a record's words include it
    cause: int | None = None  # the cause of concern it answers (an index)


@dataclass
class Findings:
    recommendations: list[Found] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)


def _heading(line: str) -> bool:
    """A short line without a sentence's ending: a section's title."""
    return len(line) < 90 and not line.endswith((".", ":", ";", ",")) and not _BULLET.match(line) \
        and len(line.split()) <= 10


def _item(line: str) -> str:
    return _ITEM_END.sub("", _BULLET.sub("", line)).strip()


class _Reader:
    def __init__(self, lines: list[str], register: bool):
        self.lines, self.register = lines, register
        self.out = Findings()
        self.i = 0
        self.context = register  # recommendations are expected here (a record, a heading, a lead-in)
        self.listed = False  # a lead-in announced a list of recommendations
        self.number: int | None = None  # from a 'Recommendation N' heading
        self.cause: int | None = None
        self.prose: list[str] = []  # prose since the last heading or finding: a cause, if one follows

    def add_cause(self, text: str) -> None:
        text = " ".join(text.split())
        if text and text not in self.out.causes:
            self.out.causes.append(text)
        self.cause = self.out.causes.index(text) if text else self.cause

    def run(self) -> Findings:
        while self.i < len(self.lines):
            line = self.lines[self.i]
            self.i += 1
            if self.register and self.out.recommendations and not self._part_of_recommendation(line):
                break  # a record's text after its recommendation is HMICFRS's or the force's comment
            self._line(line)
        return self.out

    def _part_of_recommendation(self, line: str) -> bool:
        return bool(_BULLET.match(line) or _NUMBERED.match(line) or is_recommendation(line, strict=False)
                    or line.endswith(":"))

    def _under(self, kind: str) -> None:
        """The prose under a cause-of-concern or area-for-improvement heading."""
        taken: list[str] = []
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if _REC_HEADING.match(line) or _COC_HEADING.match(line) or _AFI_HEADING.match(line) or (
                    kind == "cause" and (line.endswith(":") or _TO_ADDRESS.match(line)
                                         or is_recommendation(line, strict=True))) or (taken and _heading(line)):
                break
            self.i += 1
            if not _GENERAL.match(line) and not _heading(line) and not (kind != "cause" and line.endswith(":")):
                taken.append(_BULLET.sub("", line) if kind == "cause" else _item(line))
        if kind == "cause" and taken:
            self.add_cause(" ".join(taken))
        elif taken:
            self.out.improvements.extend(taken)

    def _list(self, bullets: bool = False) -> list[str]:
        """The items of a lead-in: its bullets, or (unless `bullets`) the one paragraph under it."""
        items: list[str] = []
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if _BULLET.match(line) or (not items and not bullets and not _NUMBERED.match(line)
                                       and not line.endswith(":") and (line[0].islower() or not _heading(line))
                                       and not is_recommendation(line, strict=True)):
                items.append(line)
                self.i += 1
            else:
                break
        return items

    def _line(self, line: str) -> None:
        if m := _REC_HEADING.match(line):
            self.context, self.number, self.prose = True, int(m.group(1)) if m.group(1) else None, []
            return
        if _COC_HEADING.match(line):
            self.cause = None
            return self._under("cause")
        if _AFI_HEADING.match(line):
            return self._under("improvement")
        if line.endswith(":") and _AFI_LEAD.search(line) and not is_recommendation(line, strict=True):
            self.out.improvements.extend(_item(i) for i in self._list(bullets=True))
            return
        if line.endswith(":") and _COC_LEAD.search(line) and not _RECS_LEAD.search(line):
            self.cause = None
            for item in self._list(bullets=True):
                self.add_cause(_item(item))
            return
        if (because := _COC_BECAUSE.search(line)) is not None:
            return self.add_cause(because.group("what"))
        if _TO_ADDRESS.match(line) and self.prose and self.cause is None:
            self.add_cause(" ".join(self.prose))
        numbered = _NUMBERED.match(line)
        body = _NUMBERED.sub("", _BULLET.sub("", line))
        recommends = is_recommendation(body, strict=not (self.context or self.listed))
        if line.endswith(":") and (recommends or _RECS_LEAD.search(line)):
            return self._lead_in(line, numbered)
        if recommends or (numbered and self.listed):
            number = int(numbered.group(1)) if numbered else self.number
            self.out.recommendations.append(Found(number, [body], cause=self.cause))
            self.number, self.prose = None, []
            return
        if _heading(line):
            self.context, self.listed, self.prose = self.register, False, []
            return
        self.prose.append(_BULLET.sub("", line))
        if not self.register:
            self.context = self.listed = False

    def _lead_in(self, line: str, numbered: re.Match | None) -> None:
        """A lead-in ending with a colon: of one recommendation's list, or of a list of them."""
        body = _NUMBERED.sub("", _BULLET.sub("", line))
        announces = bool(re.search(r"\brecommendations\b", body, re.IGNORECASE)) and not _STATING.match(body) \
            and not DUE_FIRST.match(body)
        recommends = is_recommendation(body, strict=not (self.context or self.listed))
        items = [] if announces or not recommends else self._list()
        if not items or (all(is_recommendation(i, strict=True) for i in items) and not DUE_FIRST.match(body)
                         and not MODAL.search(body)):
            # It announces recommendations: each item after it is one.
            self.context = self.listed = True
            self.prose = []
            for item in items:
                self.out.recommendations.append(Found(None, [_LIST_END.sub("", _BULLET.sub("", item))], lead=body,
                                                      cause=self.cause))
            return
        number = int(numbered.group(1)) if numbered else self.number
        self.out.recommendations.append(Found(number, [_STATING.sub("", body), *items], led=True, cause=self.cause))
        self.number, self.prose = None, []


def find(text: str, register: bool) -> Findings:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    found = _Reader([line for line in lines if line], register).run()
    recs = found.recommendations
    if register and len(recs) > 1 and not any(r.number for r in recs[1:]) and sum(r.led for r in recs) < 2:
        lead = [recs[0].lead] if recs[0].lead else []
        found.recommendations = [Found(recs[0].number, lead + [line for r in recs for line in r.lines],
                                       cause=recs[0].cause)]
    return found
