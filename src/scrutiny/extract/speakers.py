"""Who speaks in a press statement or a web page: a name introduced by a policing role.

'Commenting on the report, Surrey's Police and Crime Commissioner Kevin Hurley said:' and
'David Lloyd, the Police and Crime Commissioner for Hertfordshire, has welcomed' both name
a speaker and the office they speak from. A letter's signer is found from its sign-off
(parties.find_signatory); a statement's sender is the speaker who holds the policing body's
office, not a chief constable it quotes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import catalogue
from ..record import Span

# Every role phrase ends in one of these words: str.find locates them, and the phrase is
# read back from there (cheaper than a pattern tried at every position of the text).
_ROLE_ENDS = ("Commissioner", "commissioner", "Mayor", "Constable", "PCC", "PFCC", "Chair", "Authority")
_ROLE_ENDING = re.compile(
    r"(?:(?:[Aa]cting|[Ii]nterim|[Tt]emporary|[Dd]eputy)\s+)?"
    r"(?:[Pp]olice,?\s+[Ff]ire(?:\s+(?:and|&)\s+[Rr]escue)?,?\s+(?:and|&)\s+[Cc]rime\s+[Cc]ommissioner"
    r"|[Pp]olice\s+(?:and|&)\s+[Cc]rime\s+[Cc]ommissioner|[Cc]rime\s+[Cc]ommissioner|Police\s+Commissioner"
    r"|Commissioner|PFCC|PCC|Mayor"
    r"|Chief\s+Constable|Police\s+Authority(?:\s+Chair)?)\Z"
)
# What may follow the role's last word and still belong to it: 'Mayor of London',
# 'Deputy Mayor for Policing and Crime', 'Commissioner for West Mercia'.
_ROLE_TAIL = re.compile(
    r"(?:\s*\((?:O?PF?CC)\))?"  # 'Police and Crime Commissioner (PCC) Marc Jones'
    r"(?:\s+of\s+the\s+[A-Z][\w ]{0,40}?Police\s+Authority|\s+of\s+(?:Greater\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?"
    r"|\s+for\s+Policing(?:,?\s+(?:Fire\s+)?(?:and|&)\s+Crime)?"
    r"|\s+for\s+(?:the\s+)?[A-Z][a-z]+(?:(?:\s+and|\s+&)?\s+[A-Z][a-z]+){0,2})?"
)
_HONORIFICS = (r"(?:(?:The\s+)?Rt\.?\s+Hon\.?\s+|Sir\s+|Dame\s+|Dr\.?\s+|Cllr\.?\s+|Councillor\s+|Lord\s+|Lady\s+"
               r"|Baroness\s+|Professor\s+|Prof\.?\s+|Mr\.?\s+|Mrs\.?\s+|Ms\.?\s+|Miss\s+)*")
HONORIFIC = re.compile(_HONORIFICS)
# The words an honorific begins with: a name whose first word is none of them has none.
HONORIFIC_STARTS = frozenset(("The", "Rt", "Sir", "Dame", "Dr", "Cllr", "Councillor", "Lord", "Lady", "Baroness",
                              "Professor", "Prof", "Mr", "Mrs", "Ms", "Miss"))
# A name as letters print it: two to four capitalised words or initials ('J. Smith',
# 'Mark Burns-Williamson', 'Zoë Metcalfe').
_NAME_WORD = r"[A-Z][a-zà-öø-ÿ]+(?:[-'’][A-Z][a-zà-öø-ÿ]+)?|Mc[A-Z][a-z]+|Mac[A-Z][a-z]+|O'[A-Z][a-z]+"
NAME = rf"(?:(?:{_NAME_WORD}|[A-Z]\.) ){{1,3}}(?:{_NAME_WORD})"
# Role, then the name: 'Police and Crime Commissioner Alun Michael has', 'The Mayor of
# London, Sadiq Khan, said', 'PCC Lorne Green, said'. The name must be followed by what
# follows a name in a sentence, not by more of a title ('Commissioner Office').
_NAME_AFTER_ROLE = re.compile(
    rf"(?:,|[ \t]+[-–—])?[ \t]+(?:the[ \t]+)?{_HONORIFICS}(?P<name>{NAME})"
    r"(?=[ \t]*(?:[,:;(–—.]|['’]s\b|-[ \t]|\n|$|(?:said|says|has|have|had|welcomed|welcomes|added|adds|commented|comments"
    r"|responded|responds|who|is|was|will|would|today|also|and|stated|states|MBE|OBE|CBE|QPM|KPM|DL|JP)\b))"
)
# The name, a comma, then the role: 'David Lloyd, the Police and Crime Commissioner for
# Hertfordshire', 'Mark Burns-Williamson, West Yorkshire's Police and Crime Commissioner'.
_NAME_BEFORE_ROLE = re.compile(
    rf"(?<![\w.’']){_HONORIFICS}(?P<name>{NAME}),[ \t]+(?:the[ \t]+)?"
    r"(?:(?:newly[ \t]+elected|former|current|new)[ \t]+)?(?:(?:[A-Z][\w]+|and|&)[ \t]+){0,3}?(?:[A-Z][\w]+[’']s[ \t]+)?\Z"
)
NOT_NAME_WORDS = frozenset(
    """Police Crime Commissioner Office Home Secretary Street House Road Dear Yours Chief Constable
    Force Board Mayor Deputy Fire Rescue Policing Report Inspection Inspectorate Response Hon Rt
    Thank Kind Regards Sincerely Faithfully Please Our Your The My We West East North South Ref
    Reference Tel Email Web Safer Plan Team Unit Service Services Council County Government Acting
    Panel Constabulary Commissioners Assistant Superintendent Inspector Latest News Special Measures
    Her His Majesty Majesty's Majesty’s Royal National Authority Partnership Community Assembly Combined Officer Minister Leader""".split()
)


@dataclass(frozen=True)
class Speaker:
    name: str
    role: str  # the contract's role: PCC, PFCC, Mayor, Deputy Mayor, Police Authority, Chief Constable
    name_span: Span
    role_span: Span


def role_of(phrase: str) -> str | None:
    """A role phrase as the contract's role; None for an office that does not send responses
    (a deputy commissioner, a bare 'Commissioner' that may be a force's chief officer)."""
    words = " ".join(phrase.replace(",", " ").split())
    words = words[0].upper() + words[1:] if words else words
    words = words.replace("commissioner", "Commissioner").replace("crime", "Crime").replace("fire", "Fire")
    if words.startswith("Deputy Mayor"):
        return "Deputy Mayor"
    if words.startswith("Deputy"):
        # A deputy commissioner speaks for the body; a deputy chief constable for the force (sender.py).
        return "Deputy PCC" if "Crime Commissioner" in words or words.endswith("PCC") else None
    if "Fire" in words or "PFCC" in words:
        return "PFCC"
    if "Crime Commissioner" in words or words.endswith(("PCC", "Police Commissioner")):
        return "PCC"
    if "Mayor" in words:
        return "Mayor"
    if "Constable" in words:
        return "Chief Constable"
    if "Authority" in words:
        return "Police Authority"
    return None


def is_name(candidate: str) -> bool:
    """Two or more words, none of them a title's, and not a force or place ('Thames Valley')."""
    words = candidate.replace(".", " ").split()
    return (len(words) >= 2 and not any(w in NOT_NAME_WORDS for w in words)
            and candidate not in catalogue.force_names())


@lru_cache(maxsize=4)
def role_phrases(text: str) -> list[tuple[int, int, str]]:
    """(start, end, contract role) of each role phrase in the text, its tail included."""
    out = []
    for last in _ROLE_ENDS:
        at = text.find(last)
        while at >= 0:
            end = at + len(last)
            if end == len(text) or not text[end].isalnum():
                m = _ROLE_ENDING.search(text, max(0, at - 60), end)
                if m and (m.start() == 0 or not text[m.start() - 1].isalnum()):
                    role = role_of(m.group())
                    if role is not None and not _met_chief(text, m.start(), m.group()):
                        tail = _ROLE_TAIL.match(text, end)
                        out.append((m.start(), tail.end() if tail else end, role))
            at = text.find(last, end)
    out.sort()
    # A phrase inside a longer one ('Commissioner' in 'Police and Crime Commissioner') is dropped.
    return [p for i, p in enumerate(out) if not (i and out[i - 1][1] >= p[1] and out[i - 1][0] <= p[0])]


def _met_chief(text: str, start: int, phrase: str) -> bool:
    """'Metropolitan Police Commissioner' and 'the Commissioner' name a chief officer, not a
    commissioner of a policing body."""
    if phrase.startswith("Commissioner"):
        return True
    return phrase.startswith("Police Commissioner") and text[max(0, start - 14):start].rstrip().endswith(
        ("Metropolitan", "Met", "London"))


@lru_cache(maxsize=4)
def find_speakers(text: str) -> tuple[Speaker, ...]:
    """Every name the text introduces with a policing role, in order of appearance."""
    out = []
    for start, end, role in role_phrases(text):
        after = _NAME_AFTER_ROLE.match(text, end)
        if after and is_name(after.group("name")):
            out.append(Speaker(after.group("name"), role, Span(after.start("name"), after.end("name")),
                               Span(start, end)))
            continue
        comma = text.rfind(",", max(0, start - 60), start)  # the name is followed by a comma
        before = _NAME_BEFORE_ROLE.search(text, max(0, comma - 60), start) if comma >= 0 else None
        if before and is_name(before.group("name")):
            out.append(Speaker(before.group("name"), role, Span(before.start("name"), before.end("name")),
                               Span(start, end)))
    return tuple(out)
