"""Named initiatives the letter cites as action: boards, teams, plans, programmes, campaigns.

Three shapes are recognised:
- a capitalised name ending in an organisational noun: 'Strategic Safeguarding Board',
  'Child Abuse, Trafficking and Exploitation (CATE) team', '4Ps plan';
- a quoted name followed by an acronym or a carrier noun: "'Chance to Change' (C2C)",
  "'Domestic Abuse Hurts Your Children Too' campaign";
- a described tool: 'a monthly outcome performance dashboard', 'a serious violence needs
  assessment'.
"""
from __future__ import annotations

import re

from .. import catalogue
from ..record import Initiative, Span
from .text import squash, word_positions

_HEADS = ("Board|Boards|Panel|Panels|Team|Teams|Group|Groups|Unit|Units|Plan|Plans|Programme|Programmes|Program"
          "|Strategy|Partnership|Partnerships|Forum|Hub|Meeting|Meetings|Week|Review|Campaign|Project|Projects"
          "|Initiative|Scheme|Network|Model|Dashboard|Committee|Policy|Centre|Academy|Taskforce|Framework"
          "|Pathway|Protocol|Toolkit|Charter|Service|Conference|Animation|App|Hubs|Cell|Desk")
_HEAD_WORDS = tuple(_HEADS.lower().split("|"))
_HEAD_CAPITAL_ONLY = frozenset(("Service", "Conference", "Desk", "Cell", "App"))
_CARRIERS = frozenset(("animation", "campaign", "app"))
# Tokens of a name, read right to left from its head noun.
_TOKEN = re.compile(r"\([A-Z][A-Za-z0-9&]{1,9}\)|[A-Z]{2,}\d*[A-Za-z]*|Mr\.|Mrs\.|Dr\.|St\.|[A-Z][\w\-]*(?:'s)?|\d+[A-Z][A-Za-z]*"
                    r"|&|,|[a-z]+|\S")
_CONNECTORS = frozenset(("and", "&", "of", "for", "to", "on", "in", ","))
_NOT_NAME = frozenset("""The This That These Those A An Our My Their Its His Her Your We I In On At For By To Of And
                      With From As Within Through Also Finally Dear Recommendation Recommendations""".split())
_ACRONYM_AFTER = re.compile(r"[ \n]?\((?P<acronym>[A-Z][A-Za-z0-9&]{1,9})\)")
_QUOTED = re.compile(r"'(?P<name>[A-Z][^'\n]{2,60}?)'\s*(?:\((?P<acronym>[A-Z][A-Za-z0-9]{1,9})\)|(?P<carrier>campaign|programme"
                     r"|scheme|initiative|project|model|app|animation|pilot)\b)")
_TOOL_HEADS = ("dashboard", "needs assessment", "action plan", "delivery plan", "improvement plan", "tracker",
               "toolkit")
# Read backwards from a tool's head noun: a determiner, then one to four lower-case words.
_TOOL_BEFORE = re.compile(r"\b(?:a|an|the|our|my|their)\s+(?P<words>(?:[a-z][a-z\-]+\s){1,4})$")
_SPACE = re.compile(r"\s")
_ROLE_NAMES = re.compile(r"Commissioner|Constable|Secretary|Home Office|Police and Crime Panel|Inspectorate")


def _heads(text: str) -> list[tuple[int, int]]:
    """(start, end) of every head noun that follows a capitalised word, digit or acronym:
    after a lower-case word a head noun ('the plan') names nothing."""
    out = []
    for start, end, _ in word_positions(text, _HEAD_WORDS):
        before = text[max(0, start - 60):start].rstrip()
        if before and (before[-1] == ")" or before[-1].isdigit() or _last_word_capitalised(before)):
            out.append((start, end))
    return out


def _last_word_capitalised(before: str) -> bool:
    cut = max(before.rfind(" "), before.rfind("\n"))
    word = before[cut + 1:].lstrip("'\"(")
    return bool(word) and (word[0].isupper() or word[0].isdigit() or word in _CONNECTORS)


def _next_space(text: str, start: int, end: int) -> int:
    m = _SPACE.search(text, start, end)
    return m.start() if m else end


def _name_before(text: str, head_start: int, head_end: int) -> Span | None:
    """Walk back from a head noun over capitalised words and connectors to the name's start
    (which is always a capitalised word, a digit or an acronym, never a connector). Most
    names fit in 60 characters; a longer one is read again from 120 back."""
    for width in (60, 120):
        floor = max(head_start - width, 0)
        blank = text.rfind("\n\n", floor, head_start)
        whole = blank >= 0 or floor == 0  # the window holds the paragraph's start
        if blank >= 0:
            window_start = blank + 1
        else:  # begin at a word boundary, never inside a word
            window_start = floor if floor == 0 or text[floor - 1].isspace() else _next_space(text, floor, head_start)
        start, capitals, stopped = None, 0, False
        for tok in reversed(list(_TOKEN.finditer(text, window_start, head_start))):
            word = tok.group()
            if word in _NOT_NAME or word.endswith("'s") or word in ".;:!?\"'":
                stopped = True
                break
            if word[0].isupper() or word[0].isdigit() or word[0] == "(":
                start = tok.start()
                capitals += word[0] != "("
            elif word not in _CONNECTORS:
                stopped = True
                break
        if stopped or whole:
            break
    if start is None or capitals == 0:
        return None
    return Span(start, head_end)


def find_initiatives(text: str) -> list[Initiative]:
    """Every named initiative, once, with all the places it is named."""
    found: dict[str, Initiative] = {}

    def add(span: Span, name: str | None = None) -> None:
        name = squash(name or text[span.start:span.end])
        if _ROLE_NAMES.search(name) or len(name) < 4 or name in catalogue.force_names():  # forces are not initiatives
            return
        key = name.lower()
        if key in found:
            found[key].evidence.append(span)
        else:
            found[key] = Initiative(name, [span])

    for head_start, head_end in _heads(text):
        word = text[head_start:head_end]
        if word[0].islower() and word.capitalize() in _HEAD_CAPITAL_ONLY:
            continue
        span = _name_before(text, head_start, head_end)
        if span is None:
            continue
        if word.lower() in _CARRIERS and word[0].islower():
            span = Span(span.start, len(text[span.start:head_start].rstrip()) + span.start)  # not 'animation'
        elif (acronym := _ACRONYM_AFTER.match(text, head_end)) is not None:
            span = Span(span.start, acronym.end())
        add(span)
    for m in _QUOTED.finditer(text):
        end = m.end() if m.group("acronym") else m.end("name")
        name = m.group("name") + (f" ({m.group('acronym')})" if m.group("acronym") else "")
        add(Span(m.start("name"), end), name)
    for start, end, _ in word_positions(text, _TOOL_HEADS):
        tool = _TOOL_BEFORE.search(text, max(0, start - 60), start)
        if tool:
            add(Span(tool.start("words"), end))
    return sorted(found.values(), key=lambda i: i.evidence[0].start)
