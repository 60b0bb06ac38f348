"""What one recommendation's words say: who must act (its addressees) and by when (its due
date), as HMICFRS writes them: 'By 31 March 2024, chief constables should ...', 'Within three
months, the force should ...', 'Immediately, ...', 'The force should immediately ...',
'HMIC recommends the force should ...', 'We expect forces to ...'."""
from __future__ import annotations

import datetime as dt
import re

from ... import catalogue

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DAY_MONTH_YEAR = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH}\s+(?:19|20)\d\d"
_NUMBER_WORD = r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty-four)"
# A due date as a recommendation states it, first at its start, else anywhere in it.
DUE = re.compile(
    rf"\b(?:(?:by|before|no later than|not later than)\s+(?:the end of\s+)?{_DAY_MONTH_YEAR}"
    rf"|within\s+{_NUMBER_WORD}\s+(?:days?|weeks?|months?|years?)(?:\s+of\s+(?:the\s+)?(?:publication|this report)"
    rf"(?:\s+of\s+this\s+report)?)?"
    r"|with immediate effect|immediately|(?:take\s+)?immediate steps|as a matter of urgency)\b",
    re.IGNORECASE)
DUE_FIRST = re.compile(rf"^(?:{DUE.pattern})[,:]?\s*", re.IGNORECASE)
MODAL = re.compile(r"\b(?:should|must)\b")
STRICT_CHARS = 1500  # a recommendation is a sentence or three; a longer paragraph is a finding's narrative
SHOULD = re.compile(r"\bshould\b")  # outside a list of recommendations, what recommends ('must' is the law's)
# Who is addressed: the words naming forces, their chiefs or a national body.
ADDRESSEE_WORD = re.compile(
    r"\b(?:forces?|chief constables?|chief officers?|constabular(?:y|ies)|police service|agenc(?:y|ies)"
    r"|college of policing|home office|home secretary|npcc|national police chiefs'? council|ipcc|iopc"
    r"|national crime agency|nca|commissioners?|policing bodies|local policing body|government|ministry"
    r"|department|directorate|council|police)\b", re.IGNORECASE)
_NAMED_LAST = re.compile(rf"(?:(?:the|all|each|every|those)\s+(?:[\w'-]+\s+){{0,2}}?)?{ADDRESSEE_WORD.pattern}$",
                         re.IGNORECASE)
# The inspectorate is not told what to do, and a clause ending 'that' or 'which' is a relative one.
_NOT_SUBJECT = re.compile(r"^(?:HMICFRS|HMIC|we|I)\b|\b(?:that|which|who|where)$", re.IGNORECASE)
_PRONOUN = re.compile(r"^(?:they|it|he|she|this|these|each|which)$", re.IGNORECASE)
_RECOMMENDS = re.compile(r"^(?:.*?\b)?(?:HMICFRS|HMIC|we|I)\s+(?:therefore\s+)?recommend(?:s|ed)?\s+(?:that\s+)?",
                         re.IGNORECASE)
_EXPECT = re.compile(r"\b(?:we|HMICFRS|HMIC)\s+expects?\s+(?P<who>[\w' ,-]{3,80}?)\s+to\b", re.IGNORECASE)
_PURPOSE = re.compile(r"^(?:in order to|to|where|when|if|as|following|having|in addition|additionally)\b", re.IGNORECASE)
_LEAD = re.compile(r"^[\s\-•◦*▪]*(?:\d{1,2}[.)]\s*)?")


def due_phrase(wording: str) -> str | None:
    """The due date as the recommendation words it: at its start ('By October 2018'), or where
    it says how soon ('the force should immediately')."""
    body = _LEAD.sub("", wording)
    m = DUE_FIRST.match(body) or DUE.search(body)
    return " ".join(m.group(0).strip(" ,:").split()) if m else None


def due_date(phrase: str | None) -> tuple[dt.date | None, str | None]:
    """The phrase as a day where it names one, else as 'YYYY-MM' where it names a month, else
    as written; (day, note)."""
    from ..dates import find_dates

    if not phrase:
        return None, None
    found = find_dates(phrase)
    if found:
        return found[0].date, None
    m = re.search(rf"({_MONTH})\s+((?:19|20)\d\d)", phrase, re.IGNORECASE)
    if m:
        month = dt.datetime.strptime(m.group(1)[:3].title(), "%b").month
        return None, f"{m.group(2)}-{month:02d}"
    return None, phrase


def _subject(clause: str) -> str | None:
    """The subject of a clause that ends where its 'should' starts."""
    clause = _LEAD.sub("", clause).strip()
    clause = DUE_FIRST.sub("", clause)
    clause = _RECOMMENDS.sub("", clause)
    if ", " in clause and (_PURPOSE.match(clause) or not ADDRESSEE_WORD.search(clause.rsplit(", ", 1)[0])):
        clause = clause.rsplit(", ", 1)[1]  # 'To improve the service ..., the force should'
    clause = clause.strip(" ,;:")
    if _PURPOSE.match(clause) and (end := _NAMED_LAST.search(clause)):  # 'To improve ... the force should'
        clause = end.group(0)
    if not clause or len(clause.split()) > 20 or _NOT_SUBJECT.search(clause) or re.search(r"[.!?]\s", clause):
        return None
    if _PRONOUN.match(clause):
        return None
    return clause if ADDRESSEE_WORD.search(clause) or clause in catalogue.force_names() else None


def _who(sentence: str) -> str | None:
    """Who a sentence addresses: the subject of its first 'should', else whom HMICFRS
    'recommends that' or 'expects' to act."""
    if (m := MODAL.search(sentence)) is not None:
        who = _subject(sentence[:m.start()])
        if who is not None:
            return who
        # A pronoun ('they should') stands for the addressee named before it in the sentence.
        before = list(re.finditer(rf"\b(?:(?:all|the|those)\s+)?(?:police\s+)?{ADDRESSEE_WORD.pattern}",
                                  sentence[:m.start()], re.IGNORECASE))
        words = sentence[:m.start()].split()
        if before and words and _PRONOUN.match(words[-1]):
            return before[-1].group(0)
    if (prefix := _RECOMMENDS.match(sentence)) is not None:  # 'We recommended that the force take ...'
        named = re.match(rf"(?:(?:the|all|each|every)\s+)?(?:[\w'-]+\s+){{0,3}}?{ADDRESSEE_WORD.pattern}",
                         sentence[prefix.end():], re.IGNORECASE)
        if named:
            return named.group(0)
    expect = _EXPECT.search(sentence)
    return expect.group("who") if expect else None


def addressees(wording: str) -> tuple[str, ...]:
    """Who each sentence of the wording addresses, in order, each once: 'chief constables',
    'the force', 'the heads of law enforcement agencies'."""
    out: list[str] = []
    for sentence in re.split(r"(?<=[.;])\s+|\s+[-•◦]\s*(?=[A-Z])|:\s+", _LEAD.sub("", wording)):
        who = _who(sentence)
        for part in re.split(r"\s+and\s+(?=(?:the|all|each|every)\b)", who) if who else []:
            if part.lower() not in {o.lower() for o in out}:
                out.append(part)
    return tuple(out)


def is_recommendation(line: str, strict: bool) -> bool:
    """A sentence that recommends: something should be done (by someone it names, when
    `strict`), HMICFRS recommends it, or expects it of forces."""
    body = _LEAD.sub("", line)
    if _RECOMMENDS.match(body) and re.match(r"^(?:to address [^,]*, )?(?:HMICFRS|HMIC|we)\b", body, re.IGNORECASE):
        return True
    if _EXPECT.search(body):
        return not strict
    m = (SHOULD if strict else MODAL).search(body)
    if m is None:
        return False
    if not strict:
        return True
    if len(body) > STRICT_CHARS or body.startswith("have ", m.end() + 1):  # a finding's narrative: 'should have'
        return False
    return bool(DUE_FIRST.match(body) and m.start() < 200) or _who(body[:m.end()]) is not None
