"""Who wrote the letter and to whom: force, policing body's role, signatory, addressees."""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right, insort
from collections import defaultdict
from functools import cache, lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz

from .. import catalogue
from ..record import Addressee, Force, PolicingBody, Signatory, Span
from .speakers import (
    HONORIFIC,
    HONORIFIC_STARTS,
    NAME,
    find_speakers,
    is_name,
    role_phrases,
)
from .text import lowered, spans_of, whole_word, words_in

# --- force --------------------------------------------------------------------------------

_POSTCODE_AFTER = re.compile(r"[\s,]{1,3}[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_ROLE_BEFORE = re.compile(r"(?:Commissioner|Mayor|PCC|PFCC|Constable|Authority)\s+(?:for|of)?\s*(?:the\s+)?$")
_FORCE_WORD_AFTER = re.compile(r"\s*(?:Police|Constabulary|PCC|OPCC|Police and Crime|'s)")


@cache
def _force_names() -> tuple[dict[str, str], dict[bytes, list[str]], frozenset[bytes], dict[bytes, bytes]]:
    """Every force name and alias -> canonical name; the names by their first word (lower
    case, as the word index holds it); the set of those first words; and those words with
    a possessive ('surrey's', which the word index keeps whole) -> the word."""
    canonical = catalogue.force_names()
    by_first: dict[bytes, list[str]] = defaultdict(list)
    for name in canonical:
        by_first[name.split()[0].lower().replace("-", " ").split()[0].encode("ascii")].append(name)
    return canonical, dict(by_first), frozenset(by_first), {first + b"'s": first for first in by_first}


def _mentions(text: str, names: list[str]) -> list[tuple[int, int]]:
    """Whole-word occurrences of `names` (longest first), none inside a longer one found."""
    found: list[tuple[int, int]] = []  # kept sorted, so containment is a bisection
    for name in names:
        at = text.find(name)
        while at >= 0:
            end = at + len(name)
            i = bisect_right(found, (at, len(text) + 1))
            if whole_word(text, at, end, "-") and not (i and found[i - 1][1] > at):
                insort(found, (at, end))
            at = text.find(name, end)
    return found


def find_force(text: str) -> Force | None:
    """The force the letter is about: the one named most, weighted by how it is named.

    A full force name or a place followed by 'Police' counts more than a bare place name;
    'Commissioner for X' and mentions in the letterhead or sign-off count double; a place
    inside a postal address (the Home Office's 'London SW1P 4DF') does not count.
    """
    canonical, by_first, firsts, possessives = _force_names()
    # Only the names whose first word occurs are searched for: a handful, not all 120.
    words = words_in(text)
    present = firsts & words
    if "'s" in text:  # the word index keeps a possessive whole: 'Surrey's Police and Crime Commissioner'
        present |= {possessives[w] for w in words.intersection(possessives)}
    names = sorted((n for first in present for n in by_first[first]), key=len, reverse=True)
    scores: dict[str, float] = defaultdict(float)
    spans: dict[str, list[Span]] = defaultdict(list)
    edge = min(600, len(text) // 4)
    for start, end in _mentions(text, names):
        written = text[start:end]
        name = canonical[written]
        if _POSTCODE_AFTER.match(text, end):
            continue
        weight = 2.0 if (written == name or _FORCE_WORD_AFTER.match(text, end)) else 1.0
        before = text[max(0, start - 40):start]
        if ("Commissioner" in before or "Mayor" in before or "PCC" in before or "Constable" in before
                or "Authority" in before) and _ROLE_BEFORE.search(before):
            weight *= 2
        if start < edge or start > len(text) - edge:
            weight *= 2
        scores[name] += weight
        spans[name].append(Span(start, end))
    if not scores:
        return None
    best = max(scores, key=scores.__getitem__)
    return Force(best, spans[best])


# --- policing body ------------------------------------------------------------------------

# Each pattern starts with a literal word (no look-behind or \b), so the regex engine skips
# ahead to it; a match inside a longer word ('OPCC') or after 'Deputy' is rejected in code.
_ROLES = [
    ("PFCC", re.compile(r"(?:Police,? Fire(?:\s+(?:and|&)\s+Rescue)?,?\s+(?:and|&)\s+Crime\s+Commissioner|PFCC)\b")),
    ("Deputy Mayor", re.compile(r"Deputy\s+Mayor(?:\s+for\s+Policing\s+and\s+Crime)?")),
    ("Mayor", re.compile(r"(?:Mayor(?:\s+of\s+[A-Z][\w ]+)?|MOPAC)\b")),
    ("PCC", re.compile(r"(?:Police\s+(?:and|&)\s+Crime\s+Commissioner|PCC)\b")),
    # The newspapers' shorthand, in lower case ('crime commissioner Jane Doe'); _role_at
    # rejects it at the end of a longer title ('police and crime commissioner').
    ("PCC", re.compile(r"crime\s+commissioner\b")),
    ("Police Authority", re.compile(r"Police\s+Authority|Police\s+Committee")),
    ("Chief Constable", re.compile(r"Chief\s+Constable\b")),
]


def _role_at(text: str, pattern: re.Pattern, start: int, end: int) -> re.Match | None:
    for m in pattern.finditer(text, start, end):
        before = text[max(0, m.start() - 7): m.start()]
        if (not before or not before[-1].isalnum()) and not before.endswith("Deputy ") and not (
                text.startswith("crime", m.start()) and before.endswith(("and ", "& ", ", "))):
            return m
    return None


# Confirmed in the lower-cased text where str.rfind finds its first word; it must begin its line.
_VALEDICTION = re.compile(r"(?:yours\s+(?:sincerely|faithfully|truly)|kind\s+regards|best\s+wishes|regards)\b")


@lru_cache(maxsize=4)
def valediction_at(text: str) -> int | None:
    """Where the last valediction's line begins (looked for in the last 3,000 characters)."""
    low = lowered(text)
    floor = max(0, len(text) - 3000)
    best = -1
    for starter in ("yours", "kind regards", "best wishes", "regards"):  # str.rfind, then confirm
        at = low.rfind(starter, floor)
        while at > best:
            line_start = low.rfind("\n", 0, at) + 1
            if not low[line_start:at].strip() and _VALEDICTION.match(low, at):
                best = line_start
                break
            at = low.rfind(starter, floor, at)
    return best if best >= 0 else None


def _sign_off_start(text: str) -> int:
    """Where the sign-off begins: the last valediction, else the last 500 characters."""
    at = valediction_at(text)
    return at if at is not None else max(0, len(text) - 500)


# Speaking in the first person from an office: 'As the Police and Crime Commissioner for
# West Mercia, I', 'My role as PCC'.
_AS_ROLE = re.compile(r"\b[Aa]s\s+(?:the\s+|your\s+)?(?:[A-Z][\w&]*\s+){0,3}?$")


def find_role(text: str, signer_role: PolicingBody | None = None) -> PolicingBody | None:
    """The sender's role: from a letter's sign-off; else the role the signer is introduced
    with; else a policing body named in the last lines; else an office the text speaks from
    ('as PCC'); else the letterhead's, then any policing body named. A chief constable named elsewhere is the person whose comments
    the body reports, so 'Chief Constable' counts only when no policing body is named: a
    force's own news release."""
    valediction = valediction_at(text)
    if valediction is not None:
        # Up to a 'cc' line: a copy to the Chief Constable is not the sender's office.
        cc = _CC_AFTER_NEWLINE.search(lowered(text), valediction)
        for role, pattern in _ROLES:
            m = _role_at(text, pattern, valediction, cc.start() if cc else len(text))
            if m:
                return PolicingBody(role, [Span(m.start(), m.end())])
    if signer_role is not None:
        return signer_role
    found = _body_role(text, max(0, len(text) - 500), len(text))  # an unsigned letter's sign-off
    if found is not None:
        return found
    for start, end, role in role_phrases(text):
        if role != "Chief Constable" and _AS_ROLE.search(text, max(0, start - 40), start):
            return PolicingBody(role, [Span(start, end)])
    found = _body_role(text, 0, min(len(text), 800)) or _body_role(text, 0, len(text))
    if found is not None:
        return found
    m = _role_at(text, _ROLES[-1][1], 0, len(text))
    return PolicingBody("Chief Constable", [Span(m.start(), m.end())]) if m else None


def _body_role(text: str, start: int, end: int) -> PolicingBody | None:
    """The first policing body's role (by _ROLES' order) named in text[start:end]."""
    for role, pattern in _ROLES[:-1]:  # all but 'Chief Constable'
        m = _role_at(text, pattern, start, end)
        if m:
            return PolicingBody(role, [Span(m.start(), m.end())])
    return None


# --- signatory ----------------------------------------------------------------------------

_POSTNOMINALS = r"(?:TD|OBE|MBE|CBE|KBE|DBE|KC|QC|QPM|KPM|MP|DL|JP|BEM|PhD|MA|MSc|BA|LLB|FRSA)"
_SIGNER_ROLE = (r"(?:Police,? Fire\s+(?:and|&)\s+Crime\s+Commissioner|Police\s+(?:and|&)\s+Crime\s+Commissioner"
                r"|Deputy\s+Mayor|Mayor|Chief\s+Constable|Commissioner)")
_SIGNER_ROLE_ENDING = re.compile(rf"{_SIGNER_ROLE}\Z")
# What stands before a role: a name, its post-nominals, then at most one blank line and a place.
_NAME_BEFORE_ROLE = re.compile(
    rf"(?<![\w.])(?P<name>{NAME})(?:[ .,]+{_POSTNOMINALS}\b)*[ .,]*\n?\s*(?:[A-Z][a-z]+ ){{0,2}}$"
)
_NAME_LINE = re.compile(rf"(?P<name>{NAME})[ .,]*(?:{_POSTNOMINALS}\b)?\.?$")
_HANDWRITING = re.compile(rf"appear(?:s|ing)? to read\s+\"(?P<name>{NAME})\.?\"")


def _previous_line_start(text: str, pos: int) -> int:
    """Start of the last non-blank line before the one holding `pos` (at most 90 characters
    back): a signer's name stands on the role's line or just above it."""
    floor = max(0, pos - 90)
    line_start = text.rfind("\n", floor, pos) + 1 or floor
    back = text[floor:line_start].rstrip()
    if not back:
        return max(line_start, floor)
    return max(text.rfind("\n", floor, floor + len(back)) + 1, floor)


def _signer_roles(text: str) -> list[int]:
    """Where each policing role named in the letter begins. Every role ends in 'Commissioner',
    'Mayor' or 'Constable': str.find locates those and the role is read back from there,
    which costs less than a pattern tried at every position of the letter."""
    out = []
    for last in ("Commissioner", "Mayor", "Constable"):
        at = text.find(last)
        while at >= 0:
            end = at + len(last)
            m = _SIGNER_ROLE_ENDING.search(text, max(0, at - 60), end)
            if m:
                out.append(m.start())
            at = text.find(last, end)
    return sorted(out)


class _Reading(NamedTuple):
    name: str
    weight: float
    role: PolicingBody | None  # the office the name is given with, where the text gives one


def find_signatory(text: str, force: str | None = None) -> tuple[Signatory | None, PolicingBody | None]:
    """The best reading of the sender's name, and the role the text gives it.

    Readings come from a name printed above a policing role in the letterhead (weight 3) or
    the sign-off (2), the name line after the valediction (2), a speaker the text introduces
    with a policing body's office (2: 'Police and Crime Commissioner Alun Michael said'),
    the force's office-holders in the reference whose names the text holds (1), and an
    image description of the handwritten signature (0.5). A chief constable speaks for the
    sender only in a text that names no policing body (a force's news release). Readings
    that are the same name damaged by OCR or by a typo are grouped; the group with most
    weight wins, and within it the best-supported spelling: a typeset letterhead outranks a
    scanned signature.
    """
    valediction = valediction_at(text)
    date_line = min(len(text) // 3, 1000)
    readings: list[_Reading] = []
    for role in _signer_roles(text):
        before = text[max(0, role - 40):role].rstrip(" .,\n\t").rsplit(None, 1)
        if not before or not before[-1][:1].isupper():
            continue  # 'as the Police and Crime Commissioner': no name can end right here
        m = _NAME_BEFORE_ROLE.search(text, _previous_line_start(text, role), role)
        if m and is_name(m.group("name")):
            readings.append(_Reading(m.group("name"), 3.0 if m.start() < date_line else 2.0, None))
    if valediction is not None:
        for line in text[valediction:].splitlines()[1:]:  # the first line holds the valediction
            valediction_name = _NAME_LINE.match(line.strip())
            if valediction_name:
                if is_name(valediction_name.group("name")):
                    readings.append(_Reading(valediction_name.group("name"), 2.0, None))
                break
    signed = bool(readings)  # a name printed with its office, or signed off: no need to look further
    for m in _HANDWRITING.finditer(text):
        readings.append(_Reading(m.group("name"), 0.5, None))
    if not signed:
        from_force = not any(role != "Chief Constable" for _, _, role in role_phrases(text))
        for speaker in find_speakers(text):
            if speaker.role != "Chief Constable" or from_force:
                readings.append(_Reading(speaker.name, 2.0, PolicingBody(speaker.role, [speaker.role_span])))
        for holder in _holders(force):
            if (holder.sender_role != "Chief Constable" or from_force) and spans_of(text, holder.name):
                readings.append(_Reading(holder.name, 1.0, None))
    if not readings:
        return None, None

    groups: list[dict[str, float]] = []
    roles: dict[str, PolicingBody] = {}
    for reading in map(_without_honorific, readings):
        group = next((g for g in groups if any(fuzz.ratio(reading.name.lower(), n.lower()) >= 80 for n in g)), None)
        if group is None:
            groups.append(group := {})
        group[reading.name] = group.get(reading.name, 0.0) + reading.weight
        if reading.role is not None:
            roles.setdefault(reading.name, reading.role)
    best_group = max(groups, key=lambda g: sum(g.values()))
    name = max(best_group, key=best_group.__getitem__)
    given = next((roles[n] for n in sorted(best_group, key=best_group.__getitem__, reverse=True) if n in roles),
                 None) if roles else None
    return Signatory(name, spans_of(text, name)), given


def _without_honorific(reading: _Reading) -> _Reading:
    """'Sir Graham Bright' is Graham Bright: the title is not part of the name."""
    if reading.name.split(None, 1)[0].rstrip(".") not in HONORIFIC_STARTS:
        return reading
    at = HONORIFIC.match(reading.name).end()  # type: ignore[union-attr]  # it may match nothing, never fail
    name = reading.name[at:]
    return reading._replace(name=name) if at and len(name.split()) >= 2 else reading


def _holders(force: str | None) -> tuple[catalogue.OfficeHolder, ...]:
    return _holders_by_force().get(force, ()) if force else ()


@cache
def _holders_by_force() -> dict[str, tuple[catalogue.OfficeHolder, ...]]:
    out: dict[str, list[catalogue.OfficeHolder]] = defaultdict(list)
    for holder in catalogue.office_holders():
        out[holder.force].append(holder)
    return {force: tuple(holders) for force, holders in out.items()}


def check_signatory(signatory: Signatory, role: PolicingBody | None, force: str | None,
                    when: dt.date | None) -> list[str]:
    """Cross-check the signer against the reference: confirm the office (setting
    `signatory.reference` to the source), or warn where the reference says the named person
    did not hold it then. A name the reference lacks (a newly elected commissioner) stands
    as the text gives it."""
    holders = holders_named(signatory.name)
    if not holders:
        return []
    wanted = role.role if role else None
    fitting = [h for h in holders if (force is None or h.force == force)
               and (wanted is None or h.sender_role == wanted)]
    if fitting and when is not None:
        in_office = [h for h in fitting if h.held_on(when)]
        if not in_office:
            terms = "; ".join(f"{h.role} of {h.force} {h.start or '?'} to {h.end or 'now'}" for h in fitting)
            return [f"{signatory.name} did not hold this office on {when.isoformat()} by the reference ({terms})"]
        fitting = in_office
    if not fitting:
        offices = "; ".join(sorted({f"{h.role} of {h.force}" for h in holders}))
        office = f"{wanted or 'the sender'}{' of ' + force if force else ''}"
        return [f"{signatory.name} is recorded in the reference as {offices}, not as {office}"]
    signatory.reference = fitting[0].source
    return []


@lru_cache(maxsize=64)
def holders_named(name: str, force: str | None = None) -> tuple[catalogue.OfficeHolder, ...]:
    """The reference's office-holders of that name (spelt alike), of `force` if given. Those
    compared are the ones sharing the name's last word: a name damaged there is not confirmed."""
    low = name.lower()
    return tuple(h for h in _holders_by_surname().get(low.rsplit(None, 1)[-1], ())
                 if (force is None or h.force == force) and fuzz.ratio(h.name.lower(), low) >= 90)


@cache
def _holders_by_surname() -> dict[str, tuple[catalogue.OfficeHolder, ...]]:
    out: dict[str, list[catalogue.OfficeHolder]] = defaultdict(list)
    for holder in catalogue.office_holders():
        out[holder.name.lower().rsplit(None, 1)[-1]].append(holder)
    return {surname: tuple(holders) for surname, holders in out.items()}


# --- addressees ---------------------------------------------------------------------------

# Matched against the lower-cased text: case-insensitive patterns are much slower.
_ADDRESSEES = [
    ("Home Secretary", re.compile(r"home\s+secretary|secretary\s+of\s+state\s+for\s+the\s+home\s+(?:office|department)"
                                  r"|home\s+office|homeoffice\.gov\.uk")),
    ("HMICFRS", re.compile(r"(?:hmicfrs|hmic|inspectorate\s+of\s+constabulary|hm\s+inspector|dear\s+inspector)\b")),
]
# A 'cc' line, from its line's start: the text's first line, or just after a newline (a
# pattern that begins with the newline itself is found at C speed, unlike '^' in MULTILINE).
_CC = r"[ \t]*(?:cc|copy(?:\s+to)?)\b[:.]?.*$"
_CC_LINE = re.compile(_CC, re.MULTILINE)
_CC_AFTER_NEWLINE = re.compile(r"\n" + _CC, re.MULTILINE)


def find_addressees(text: str, salutation: int | None) -> list[Addressee]:
    """Who the letter is sent to under section 55: the Home Secretary and HMICFRS, as named
    in the address block, the salutation or a 'cc' line (not in the body, where they are
    merely mentioned)."""
    low = lowered(text)
    # Without a salutation there is no address block (a press statement, a web page): only
    # 'cc' lines name recipients, and a heading that mentions HMICFRS is not an address.
    header_end = low.find("\n", salutation) if salutation is not None else 0
    regions = [(0, len(text) if header_end < 0 else header_end)]
    if "\ncc" in low or "\ncopy" in low or low.startswith(("cc", "copy")):
        first = _CC_LINE.match(low)
        regions += [(m.start(), m.end()) for m in (first,) if m]
        regions += [(m.start() + 1, m.end()) for m in _CC_AFTER_NEWLINE.finditer(low, first.end() if first else 0)]
    out = []
    for name, pattern in _ADDRESSEES:
        spans = [Span(m.start(), m.end()) for start, end in regions for m in pattern.finditer(low, start, end)]
        if spans:
            out.append(Addressee(name, spans))
    out.sort(key=lambda a: a.evidence[0].start)
    return out
