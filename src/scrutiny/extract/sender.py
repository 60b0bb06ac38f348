"""Who speaks, and whether the text is a response at all.

A response is a local policing body's comments on an inspection report (a letter, a
statutory page, a press statement). Texts found in the wild that are not responses share
its words: a Home Secretary's letter, an election candidate's release, a panel's minutes,
a fire service's page, an MP's column, the Victims' Commissioner's statement, a chief
constable's own statement. What tells them apart is who speaks: the person whose words the
text is (its sign-off, its byline, the first quotation's speaker, its first person), not
every office it mentions ('I and the Chief Constable', 'the Commissioner will publish his
own response', 'candidate to be the new Police and Crime Commissioner').
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .. import catalogue
from ..record import Force, PolicingBody, ResponseVerdict, Span
from .parties import valediction_at
from .speakers import _ROLE_ENDING, _ROLE_ENDS, _ROLE_TAIL, NAME, _met_chief, is_name, role_of, role_phrases
from .text import lowered, word_positions

# Offices outside the policing bodies, each with the reason a text it speaks is no response.
# Chief officers first among them: a force's own statement is the commonest look-alike.
_CHIEF = r"(?:(?:Deputy|Assistant|Acting|Temporary)\s+)?Chief\s+Constable"
_OTHER_OFFICES: list[tuple[str, re.Pattern, str]] = [
    ("Chief Constable", re.compile(_CHIEF + r"\b"), "a chief constable's statement"),
    ("Chief Constable", re.compile(r"Commissioner\s+of\s+(?:Police\s+of\s+)?the\s+Metropolis|Met\s+Commissioner"),
     "a chief constable's statement"),
    ("Home Secretary", re.compile(r"Home\s+Secretary|Secretary\s+of\s+State\s+for\s+the\s+Home\s+Department"
                                  r"|(?:Policing|Home\s+Office)\s+Minister|Minister\s+(?:of\s+State\s+)?for\s+(?:Policing|Crime)"),
     "a Home Office minister's letter"),
    # (Not the end of a commissioner's own style: 'Police, Crime and Victims' Commissioner'.)
    ("Victims' Commissioner", re.compile(r"(?<!and )(?<!& )Victims['’]?\s+Commissioner"),
     "the Victims' Commissioner's statement"),
    ("Commissioner", re.compile(r"(?:Domestic\s+Abuse|Children['’]?s|Information|Anti-Slavery|Biometrics)\s+Commissioner"),
     "a national commissioner's statement"),
    ("MP", re.compile(r"\bMP\b(?:\s+for\s+[A-Z]\w+)?|Member\s+of\s+Parliament"), "an MP's column or statement"),
    ("Fire and Rescue Service", re.compile(r"Chief\s+Fire\s+Officer|Fire\s+and\s+Rescue\s+Service"),
     "a fire and rescue service's page"),
    ("HMICFRS", re.compile(r"(?:HM|Her\s+Majesty['’]s|His\s+Majesty['’]s)\s+(?:Chief\s+)?Inspector\s+of\s+Constabulary"
                           r"|(?:Chief\s+)?Inspector\s+of\s+Constabulary"),
     "the inspectorate's own publication"),
    ("Police and Crime Panel", re.compile(r"Police,?\s+(?:Fire\s+)?(?:and|&)\s+Crime\s+Panel|Panel\s+Chair"),
     "a police and crime panel's publication"),
]
_OFFICE_WORDS = [("Constable",), ("Metropolis", "Met "), ("Secretary", "Minister"), ("Victims",),
                 ("Commissioner",), ("MP", "Parliament"), ("Fire",), ("Inspector",), ("Panel",)]
# Standing for an office is not holding it.
_CANDIDATE_AFTER = re.compile(r"[ \t]+(?:candidate|hopeful)\b", re.IGNORECASE)
_CANDIDATE = re.compile(r"\b(?:candidate|hopeful|would-be|prospective|standing\s+(?:to\s+be|for|as))\b", re.IGNORECASE)
_MINUTES = re.compile(r"(?:^|\n)[ \t#*]*(?i:(?:draft\s+|confirmed\s+)?minutes(?:\s+of\s+(?:the\s+)?(?:\w+\s+){0,6}?"
                      r"(?:meeting|proceedings)|[ \t]*:?[ \t]*(?=\n)))"  # or 'Minutes' as a heading of its own
                      r"|(?:^|\n)[ \t]*RESOLVED\b")
_MINUTES_HEAD = 1000  # minutes say so in their heading
# A peer's or knight's style is a whole name: 'Baroness Newlove', 'Lord Hogan-Howe'.
_STYLED = r"(?:Baroness|Lord|Lady|Dame|Sir)\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?:\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?)?"
_HONOURS = r"(?:(?:The\s+)?Rt\.?\s+Hon\.?\s+|Cllr\.?\s+|Councillor\s+|Dr\.?\s+|Mr\.?\s+|Mrs\.?\s+|Ms\.?\s+)*"
_PERSON = re.compile(rf"{_HONOURS}(?P<name>{_STYLED}|{NAME})")
_CLAUSE = 200  # characters before 'said' in which its subject is written
_SPEAKERS_READ = 64  # a sender is quoted early: a text of endless 'said' is not read to its end
_SAID_WORDS = ("said", "says", "commented", "comments", "added", "adds", "responded", "stated", "warned", "welcomed",
               "welcomes")


_CLAUSE_ENDS = (".", "\n", '"', "“", "”", ":")
_PRONOUN = re.compile(r"^\s*(?:he|she|they|it|we)\b", re.IGNORECASE)
_BYLINE = re.compile(rf"(?:^|\n)[ \t]*(?:By|Written\s+by)\s+{_HONOURS}(?P<name>{_STYLED}|{NAME})(?P<rest>[^\n]{{0,80}})")
_FIRST_PERSON = re.compile(r"\b(?:I|my|me)\b")
_BARE_COMMISSIONER = re.compile(r"\bCommissioner['’]s\b|\bthe\s+Commissioner\b|\bCommissioner\b")
# A service, not the inspectorate's own name ('... Constabulary and Fire & Rescue Services').
_FIRE_SERVICE = re.compile(r"Fire\s+(?:and|&)\s+Rescue\s+Service(?!s)")
_INSPECTION_WORDS = ("HMIC", "nspect", "PEEL", "State of Policing")  # found by str.find, not a regex scan


def _inspection_at(text: str) -> Span | None:
    """The first word that speaks of an inspection: 'HMICFRS', 'inspection', 'PEEL'."""
    found = [(at, word) for word in _INSPECTION_WORDS if (at := text.find(word)) >= 0]
    if not found:
        return None
    at, word = min(found)
    start = at - 1 if word == "nspect" and at and text[at - 1] in "Ii" else at
    end = at + len(word)
    while end < len(text) and text[end].isalpha():
        end += 1
    return Span(start, end)


@dataclass(frozen=True)
class Sender:
    """The person whose words the text is: the office they speak from, and their name."""

    role: str  # a policing body's role, 'Chief Constable', or 'Other'
    office: str  # the office as known: 'Police and Crime Commissioner', 'Home Secretary', ...
    reason: str | None  # why a text this person speaks is no response (None for a policing body)
    name: str | None
    office_span: Span
    name_span: Span | None
    how: str  # 'sign-off', 'byline', 'attribution'


def _standing(text: str, start: int, end: int, floor: int = 0) -> bool:
    """Whether the office at text[start:end] is stood for, not held ('candidate to be the new
    Police and Crime Commissioner', 'Conservative PCC candidate')."""
    return (_CANDIDATE.search(text, max(floor, start - 60), start) is not None
            or _CANDIDATE_AFTER.match(text, end) is not None)


def _office_at(text: str, start: int, end: int) -> tuple[str, str, str | None, Span] | None:
    """The office named in text[start:end]: (role, office, reason, span). A policing body's
    office preceded by a candidacy is no office held ('candidate to be the new Police and
    Crime Commissioner'); the candidacy is then the office."""
    found: list[tuple[int, tuple[str, str, str | None, Span]]] = []
    for role_start, role_end, role in _roles_in(text, start, end):
        if _standing(text, role_start, role_end, start):
            return "Other", "candidate", "an election candidate's release", Span(role_start, role_end)
        if role == "Chief Constable":
            continue  # read with its deputies below
        found.append((role_start, (role, text[role_start:role_end], None, Span(role_start, role_end))))
    region = text[start:end]
    for (office, pattern, reason), needs in zip(_OTHER_OFFICES, _OFFICE_WORDS):
        if not any(word in region for word in needs):
            continue  # (each office's pattern holds one of these words: most texts skip the regex)
        for m in pattern.finditer(text, start, end):
            role = "Chief Constable" if office == "Chief Constable" else "Other"
            written = " ".join(m.group().split())
            found.append((m.start(), (role, written if role == "Chief Constable" else office, reason,
                                      Span(m.start(), m.end()))))
            break
    if not found:
        return None
    # 'Rt Hon Jane Doe MP, Home Secretary': a member who holds an office speaks from the office.
    held = [f for f in found if f[1][1] != "MP"] or found
    return min(held, key=lambda f: f[0])[1]


def _roles_in(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """role_phrases for text[start:end] alone: a sign-off or a clause, without reading the
    whole text (which a letter's extraction otherwise never needs)."""
    out = []
    for last in _ROLE_ENDS:
        at = text.find(last, start, end)
        while at >= 0:
            stop = at + len(last)
            if stop == len(text) or not text[stop].isalnum():
                m = _ROLE_ENDING.search(text, max(0, at - 60), stop)
                if m and (m.start() == 0 or not text[m.start() - 1].isalnum()):
                    role = role_of(m.group())
                    if role is not None and not _met_chief(text, m.start(), m.group()):
                        tail = _ROLE_TAIL.match(text, stop)
                        out.append((m.start(), tail.end() if tail else stop, role))
            at = text.find(last, stop, end)
    out.sort()
    return [p for i, p in enumerate(out) if not (i and out[i - 1][1] >= p[1] and out[i - 1][0] <= p[0])]


def _person_in(text: str, start: int, end: int) -> tuple[str, Span] | None:
    """The first person's name written in text[start:end] (tried at each capitalised word:
    'Chief Fire Officer Gavin Ellis' holds a name after its office's words)."""
    for word in re.finditer(r"\b[A-Z]", text[start:end]):
        m = _PERSON.match(text, start + word.start(), end)
        if m is None:
            continue
        name = m.group("name")
        if re.match(_STYLED, name) or is_name(name):
            return name, Span(m.start("name"), m.end("name"))
    return None


def _signed(text: str) -> Sender | None:
    """The sender a letter's sign-off names: the office in the lines after its valediction."""
    at = valediction_at(text)
    if at is None:
        return None
    end = _sign_off_end(text, at)
    # A letter signed jointly by the commissioner and the chief constable is the commissioner's.
    joint = next(((role, text[a:b], None, Span(a, b)) for a, b, role in _roles_in(text, at, end)
                  if role in _POLICING and not _CANDIDATE_AFTER.match(text, b)), None)
    office = joint or _office_at(text, at, end)
    if office is None:
        return None
    role, name, reason, span = office
    if role in _POLICING:  # the signer's name is read by parties.find_signatory
        return Sender(role, name, reason, None, span, None, "sign-off")
    person = _person_in(text, text.find("\n", at) + 1 or at, end)
    return Sender(role, name, reason, person[0] if person else None, span, person[1] if person else None,
                  "sign-off")


_SIGN_OFF_LINES = 5  # the valediction, the signature, the name and its office
_NOT_SIGNATURE = re.compile(r"[ \t]*(?:cc|copy|enc|encl|attach|p\.?s\.?)\b", re.IGNORECASE)


def _sign_off_end(text: str, at: int) -> int:
    """Where the sign-off after a valediction ends: a few lines on, and before any 'cc' or
    enclosure line (a copy to the Chief Constable does not make him the sender)."""
    lines = 0
    pos = at
    while pos < len(text) and lines < _SIGN_OFF_LINES and pos - at < 400:
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        if text[pos:end].strip():
            if lines and _NOT_SIGNATURE.match(text, pos):
                return pos
            lines += 1
        pos = end + 1
    return min(pos, len(text))


_AUTHOR_NOTE = re.compile(rf"(?:^|\n)[ \t*_]*{_HONOURS}(?P<name>{_STYLED}|{NAME})\s+is\s+(?:the\s+|a\s+)?(?P<rest>[^\n]{{0,80}})")
_AUTHOR_TAIL = 400  # a column's note on its author comes last


def _author_note(text: str) -> Sender | None:
    """'Jane Smith is the MP for Anytown.' closing a column: its author, in an office."""
    tail = max(0, len(text) - _AUTHOR_TAIL)
    if " is " not in text[tail:]:
        return None
    m = _AUTHOR_NOTE.search(text, tail)
    if m is None or not (re.match(_STYLED, m.group("name")) or is_name(m.group("name"))):
        return None
    office = _office_at(text, m.start("rest"), m.end("rest"))
    if office is None or office[0] in _POLICING:
        return None  # (a commissioner's note on themself: their words, read as the rest are)
    role, name, reason, span = office
    return Sender(role, name, reason, m.group("name"), span, Span(m.start("name"), m.end("name")), "byline")


def _byline(text: str) -> Sender | None:
    """'By Jane Smith, MP for Anytown' at the head of a column."""
    head = text[:600]
    if "By " not in head and "by " not in head:
        return None  # (no byline's words: the pattern is not tried)
    m = _BYLINE.search(text, 0, min(len(text), 600))
    if m is None:
        return None
    office = _office_at(text, m.start("rest"), m.end("rest"))
    if office is None:
        return None
    role, name, reason, span = office
    return Sender(role, name, reason, m.group("name"), span, Span(m.start("name"), m.end("name")), "byline")


@lru_cache(maxsize=4)
def attributions(text: str) -> tuple[Sender, ...]:
    """The speakers of 'said' (and the like), in order: the office and name in the clause
    before the verb ('Chief Constable Jane Doe said', 'Jane Doe, the Victims' Commissioner,
    said'), or just after it ('", said the Commissioner'). A pronoun's clause names nobody."""
    return tuple(_speakers(text))


def _speakers(text: str) -> Iterator[Sender]:
    """attributions, one at a time: the first is often all a statement needs."""
    for verb, verb_end, _ in word_positions(text, _SAID_WORDS)[:_SPEAKERS_READ]:  # (the word index: no regex scan)
        floor = max(0, verb - _CLAUSE)  # no further back than a clause goes
        clause_start = max(text.rfind(c, floor, verb) for c in _CLAUSE_ENDS) + 1 or floor
        clause_start = max(clause_start, floor)
        if _PRONOUN.match(text, clause_start, verb) or not text[clause_start:verb].strip():
            after_end = min(len(text), verb_end + 80)
            stop = min((i for i in (text.find(c, verb_end, after_end) for c in ".\n:") if i >= 0), default=after_end)
            start, end = verb_end, stop
        else:
            start, end = clause_start, verb
        office = _office_at(text, start, end)
        person = _person_in(text, start, end)
        if office is None:
            if person is not None:
                yield Sender("", "", None, person[0], Span(verb, verb_end), person[1], "attribution")
            continue
        role, name, reason, span = office
        yield Sender(role, name, reason, person[0] if person else None, span, person[1] if person else None,
                     "attribution")


def find_sender(text: str) -> Sender | None:
    """The person whose words these are: a letter's sign-off, a column's byline, else the
    first speaker quoted with an office (a speaker quoted by name alone takes the office the
    text gives that name elsewhere)."""
    minutes = minutes_at(text)
    if minutes is not None:  # a meeting's record speaks for the meeting, whoever it quotes
        return Sender("Other", "meeting", "minutes of a meeting (a panel's or a board's), not the body's response",
                      None, minutes, None, "minutes")
    signed = _signed(text)
    if signed is not None:
        return signed
    if valediction_at(text) is not None:
        return None  # a signed letter speaks for its signer: whom it quotes is not the sender
    byline = _byline(text) or _author_note(text)
    if byline is not None:
        return byline
    for speaker in _speakers(text):
        if speaker.role and speaker.name is not None:
            return speaker
        said = attributions(text)  # (all of them, only where the first does not settle it)
        if speaker.role:  # 'Chief Constable welcomes report': the name is given when they speak
            named = next((s for s in said if s.role == speaker.role and s.office == speaker.office and s.name), None)
            return named or speaker
        # A name alone: the office it is given elsewhere in the text, if any.
        for other in said:
            if other.role and other.name == speaker.name:
                return other
        for at in _occurrences(text, speaker.name or ""):
            office = _office_at(text, max(0, at - 100), min(len(text), at + len(speaker.name or "") + 100))
            if office is not None:
                role, name, reason, span = office
                return Sender(role, name, reason, speaker.name, span, speaker.name_span, "attribution")
        # A named speaker in a text that names no policing body's office at all speaks for
        # someone else ('Councillor Jane Doe, Leader of the County Council, said').
        if speaker.name_span is not None and not any(role in _POLICING for _, _, role in role_phrases(text)):
            return Sender("Other", "", "the speaker holds no local policing body's office", speaker.name,
                          speaker.name_span, speaker.name_span, "attribution")
    return None


def _occurrences(text: str, name: str, most: int = 16) -> list[int]:
    """Where the name is written (its first few places: an office is given with it early)."""
    out: list[int] = []
    at = text.find(name) if name else -1
    while at >= 0 and len(out) < most:
        out.append(at)
        at = text.find(name, at + 1)
    return out


@lru_cache(maxsize=4)
def minutes_at(text: str) -> Span | None:
    """Where the text says it is a meeting's minutes."""
    if "minutes" not in lowered(text)[:_MINUTES_HEAD] and "RESOLVED" not in text:
        return None  # (the pattern is tried only where its words are)
    m = _MINUTES.search(text)
    return Span(m.start() + (text[m.start()] == "\n"), m.end()) if m else None


_BODY_ROLE = re.compile(r"PFCC|PCC|Mayor|Police Authority")


def body_of(force: str | None, when: dt.date | None = None) -> str | None:
    """The force's local policing body's role on a day, by the reference ('PCC; PFCC from
    2023', 'PFCC from 2017 (PCC before)'); the latest one without a day."""
    if force is None:
        return None
    body = next((f.body for f in catalogue.forces() if f.name == force), None)
    if body is None:
        return None
    terms: list[tuple[str, int, int]] = []  # role, first year, year after the last
    for segment in body.split(";"):
        found = _BODY_ROLE.search(segment)
        if found is None:
            continue
        start = re.search(r"from (\d{4})", segment)
        until = re.search(r"until (\d{4})", segment)
        span = re.search(r"(\d{4})-(\d{4})", segment)
        first = int(start.group(1)) if start else int(span.group(1)) if span else 0
        after = int(until.group(1)) if until else int(span.group(2)) if span else 9999
        if "(PCC before)" in segment:
            terms.append(("PCC", 0, first))
        terms.append((found.group(), first, after))
    for i, (held, first, after) in enumerate(terms):  # a later term begins where an open one stops
        if after == 9999 and i + 1 < len(terms) and terms[i + 1][1] > first:
            terms[i] = (held, first, terms[i + 1][1])
    if not terms:
        return None
    if when is None:
        return terms[-1][0]
    if when.year < min(first for _, first, _ in terms):
        return "PCC"  # before the reference's first body: commissioners, as every such force had from 2012
    return next((held for held, first, after in terms if first <= when.year < after), terms[-1][0])


def first_person_commissioner(text: str, force: str | None, when: dt.date | None = None) -> PolicingBody | None:
    """A text in the first person under a bare 'Commissioner' ('Commissioner's Response',
    'I and the Chief Constable met'): the force's own commissioner speaks, in whichever
    office the reference gives that force's body. (A Metropolitan 'Commissioner' is the
    force's chief officer: the Mayor's office is its body.)"""
    body = body_of(force, when)
    if body not in ("PCC", "PFCC") or not _FIRST_PERSON.search(text):
        return None
    m = _BARE_COMMISSIONER.search(text)
    return PolicingBody(body, [Span(m.start(), m.end())]) if m else None


def _police_named(text: str, force: Force | None) -> bool:
    """Whether the text names a police force: a place named only as its fire and rescue
    service's ('Cheshire Fire and Rescue Service') is not the force."""
    return force is not None and any(not _FIRE_AFTER.match(text, span.end) for span in force.evidence)


_FIRE_AFTER = re.compile(r"[ \t]*(?:Fire|FRS\b)")


def judge_response(text: str, sender: Sender | None, role: PolicingBody | None, has_report: bool,
                   force: Force | None = None) -> ResponseVerdict:
    """Is the text a local policing body's comments on an inspection report? The verdict,
    its reason and the words that decided."""
    minutes = minutes_at(text)
    if minutes is not None:
        return ResponseVerdict(False, "minutes of a meeting (a panel's or a board's), not the body's response",
                               [minutes])
    if sender is not None and sender.reason is not None:
        spans = [sender.office_span] + ([sender.name_span] if sender.name_span else [])
        return ResponseVerdict(False, sender.reason, spans)
    if "Rescue" in text and not _police_named(text, force) and (fire := _FIRE_SERVICE.search(text)) is not None:
        # An inspection of a fire and rescue service, and no police force named: no section 55 response.
        return ResponseVerdict(False, "about a fire and rescue service, not a police force",
                               [Span(fire.start(), fire.end())])
    if role is None:
        return ResponseVerdict(False, "no local policing body speaks", [])
    if role.role in ("Chief Constable", "Other"):
        return ResponseVerdict(False, "a chief constable's statement" if role.role == "Chief Constable"
                               else "not a local policing body's text", list(role.evidence))
    inspection = _inspection_at(text)
    if inspection is None and not has_report:
        return ResponseVerdict(False, "not about an inspection report", list(role.evidence))
    spans = list(role.evidence) + ([inspection] if inspection else [])
    return ResponseVerdict(True, f"the {role.role}'s comments on an inspection report", spans)


_POLICING = frozenset(("PCC", "PFCC", "Deputy PCC", "Mayor", "Deputy Mayor", "Police Authority"))
_STYLE = re.compile(r"(?:Sir|Dame)\s+(?=\S+\s+\S)")


def policing_body_speaks(text: str) -> bool:
    """Whether someone speaking from a policing body's office is quoted ('Police and Crime
    Commissioner Jane Doe said'), or the page's heading names the body, or the text speaks
    from it ('As your Police and Crime Commissioner, I'): then a chief constable or anyone
    else quoted beside them is not the sender. (Being named with the office is not speaking:
    'the Commissioner will receive updates'.)"""
    if any(s.role in _POLICING and s.reason is None for s in attributions(text)):
        return True
    # The page's heading names the body: its page, whoever it quotes ('Commissioner response
    # to HMICFRS PEEL report', 'PCC Clare Moody held Police Question Time').
    head = _heading(text)
    if any(role in _POLICING and any(a <= start < b and not _quoting(text, a, start) for a, b in head)
           and not _standing(text, start, end)
           for start, end, role in role_phrases(text)):
        return True
    return any(role in _POLICING and _AS_OFFICE.search(text, max(0, start - 40), start)
               for start, _, role in role_phrases(text))


_HEADING_LINES = 4  # a page's banner, title and stamp come first
_HEADING_CHARS = 150  # of each line: a paragraph's tail is no heading


def _quoting(text: str, line_start: int, at: int) -> bool:
    """Whether `at` lies inside a quotation opened on its line: words someone said, not a heading."""
    before = text[line_start:at]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def _heading(text: str) -> list[tuple[int, int]]:
    """The first non-blank lines (their first characters): where a page names its publisher."""
    out: list[tuple[int, int]] = []
    at = 0
    while at < len(text) and len(out) < _HEADING_LINES:
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        if text[at:end].strip():
            out.append((at, min(end, at + _HEADING_CHARS)))
        at = end + 1
    return out


_AS_OFFICE = re.compile(r"\b[Aa]s\s+(?:the\s+|your\s+)?(?:[A-Z][\w&]*\s+){0,3}?$")


def without_style(name: str) -> str:
    """'Sir Graham Bright' is Graham Bright; a peer's style stays ('Baroness Newlove': no other name is given)."""
    return _STYLE.sub("", name, count=1)
