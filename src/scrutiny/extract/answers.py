"""How the letter answers each recommendation that applies to forces.

A recommendation is answered where a sentence quotes or paraphrases it (shared word pairs
such as 'unnecessary criminalisation' or 'quality assurance', and words distinctive of it
among the report's recommendations), or where the letter refers to it by number. A
blanket commitment ('accept all of the recommendations', 'these three recommendations have
been incorporated') sets the stance of every one, and counts as answering the ones not
discussed only when the letter answers at least half of them individually: a press
statement that answers none is not made complete by a sentence of goodwill.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from ..catalogue import Report
from ..record import Answer
from .text import Sentence, bigrams, content_stems, lowered, sentences

# Stems that say nothing about which recommendation is meant.
# The two offices every letter names, and the words any letter uses of the inspection itself
# ('will consider the report carefully', 'a full response to HMIC'), name no one recommendation.
_GENERIC = frozenset(content_stems(
    "recommend recommendation chief constables constable force forces police should make sure take steps "
    "ensure could include including part one commissioner commissioners report reports hmic hmicfrs "
    "inspectorate"))



class _Cue:
    """Phrases that state a stance or a status, found at word starts in a lower-case,
    single-spaced passage ('accept', not 'unacceptable'). Each phrase is a pattern beginning
    with literal words: str.find locates them at C speed and the pattern is only tried
    there, instead of an alternation being tried at every position of the passage."""

    def __init__(self, *phrases: str, needs: tuple[str, ...] = ()) -> None:
        self._phrases = [(_literal_start(p), re.compile(p)) for p in phrases]
        self._needs = needs  # words of which every phrase holds one: a passage without them says none

    def _found(self, text: str) -> Iterator[re.Match]:
        """Matches phrase by phrase (not in order of position)."""
        if self._needs and not any(word in text for word in self._needs):
            return
        for word, pattern in self._phrases:
            at = text.find(word)
            while at >= 0:
                if (at == 0 or not text[at - 1].isalpha()) and (m := pattern.match(text, at)):
                    yield m
                at = text.find(word, at + 1)

    def matches(self, text: str) -> list[re.Match]:
        """Every match, in order of position."""
        return sorted(self._found(text), key=lambda m: m.start())

    def said(self, text: str) -> bool:
        """Whether the passage says any of the phrases."""
        return next(self._found(text), None) is not None


def _literal_start(phrase: str) -> str:
    """The words a phrase's pattern begins with. In a single-spaced passage '\\s+' is one
    space, so 'in\\s+place' begins with 'in place', which str.find meets far less often than 'in'."""
    return re.match(r"(?:[a-z]|\\s\+)+", phrase).group().replace(r"\s+", " ")  # type: ignore[union-attr]


# Accepting words: the first cue says it alone; the second only of a recommendation, in the
# same sentence ('support the recommendation', not 'I support a number of projects').
_ACCEPT = _Cue(r"accept(?:s|ed|ing)?\b", r"agree(?:s|d)?\s+with\b", r"welcome[sd]?\b")
_SUPPORT = _Cue(r"support(?:s|ed|ive)?\b", r"endorse[sd]?\b", r"incorporated\b", r"adopt(?:s|ed)?\b",
                r"implement(?:s|ed)?\b")
_WELCOME_GENERAL = re.compile(r"welcome[sd]?\s+(?:the\s+)?(?:report|findings|inspection|publication)")
_PARTIAL = _Cue(r"partial(?:ly)?\s+accept", r"accept\w*\s+(?:in\s+part|partially)", r"accept\w*\s+\w+\s+in\s+part",
               needs=("partial", "in part"))
_REJECT = _Cue(*(rf"{verb}\s*not\s+accept" for verb in ("do", "does", "did", "will", "can")),
               r"not\s+accepted", r"reject(?:s|ed)?", r"decline[sd]?\s+to", needs=("not", "reject", "decline"))
_IN_PROGRESS = _Cue(r"in\s+the\s+process\s+of\b", r"working\s+(?:to|on)\b", r"ongoing\b", r"underway\b",
                    r"progressing\b", r"currently\b")
_DONE = r"(?:established|implemented|introduced|completed|incorporated|put\s+in\s+place|in\s+operation)"
_STATUS = [  # after 'in progress'
    ("implemented", _Cue(rf"has\s+(?:already\s+)?been\s+{_DONE}", rf"have\s+(?:already\s+)?been\s+{_DONE}",
                         r"established\b", r"in\s+place\b", r"went\s+live\b", r"already\s+have\b",
                         needs=("been", "established", "in place", "went live", "already have"))),
    ("planned", _Cue(r"will\b", r"plan(?:s|ned)?\s+to\b", r"intend(?:s)?\s+to\b", r"planned\b")),
]
# A sentence about the recommendations as a whole has a quantifier in the four words before
# 'recommendations' ('all of the', 'these three') or takes them up after ('... they').
_QUANTIFIERS = frozenset("all each every both these those the its two three four five six seven eight nine ten".split())
_TAKEN_UP = frozenset(("these", "them", "they"))
# Run on the lower-cased sentence; literal-first, so the regex engine skips ahead.
_BLANKET_ACTION = re.compile(r"(?:address|accept|implement|incorporat|respond|actioned|actioning|taken?\s+forward"
                             r"|act\s+on|support|agree|review)")
_OTHER_RECS = re.compile(r"(?:remaining|other)\s+recommendations")
# A literal start lets the regex engine jump from one 'ecommendation' to the next.
_BY_NUMBER = re.compile(r"ecommendation\s+(?:[Nn]o\.?\s*|[Nn]umber\s+)?(\d{1,2})\b")

QUOTE_MIN = 0.6  # share of a recommendation's word pairs that makes a sentence a quotation
PARAPHRASE_MIN = 5.0  # score of a sentence that shares a word pair and distinctive words with one
SECTION_SENTENCES = 3  # sentences after the one naming a recommendation read for its stance


@dataclass(frozen=True)
class _Profile:
    """What identifies one recommendation: its word pairs and its distinctive words."""

    bigrams: frozenset[tuple[str, str]]  # the pairs no other recommendation of the report has
    weights: dict[str, float]


@cache
def _profiles(report: Report) -> tuple[_Profile, ...]:
    recs = report.force_recommendations
    # The report's own title words ('child protection inspection') name the report, not one
    # of its recommendations.
    generic = _GENERIC | {s for title in (report.title, *report.title_variants) for s in content_stems(title)}
    stems = [[s for s in content_stems(r.wording or "") if s not in generic] for r in recs]
    df: dict[str, int] = {}
    for words in stems:
        for w in set(words):
            df[w] = df.get(w, 0) + 1
    n = len(recs)
    pairs = [bigrams(words) for words in stems]
    profiles = []
    for i, words in enumerate(stems):
        # A word found in every recommendation weighs a little; one unique to this one, fully.
        weights = {w: 0.25 + math.log(1 + n / df[w]) / math.log(1 + n) * 0.75 for w in set(words)}
        shared = frozenset().union(*(p for j, p in enumerate(pairs) if j != i))
        profiles.append(_Profile(pairs[i] - shared, weights))
    return tuple(profiles)


@dataclass(frozen=True)
class _Lookup:
    """A report's recommendations looked up by word and word pair, computed once per report:
    a sentence is scored against all of them by its own few words, not profile by profile."""

    any_pair: frozenset[tuple[str, str]]  # every word pair that identifies one recommendation
    pair_words: frozenset[str]  # their words
    by_pair: dict[tuple[str, str], int]  # word pair -> the recommendation (position) it identifies
    by_stem: dict[str, tuple[tuple[int, float], ...]]  # distinctive word -> (position, weight) of each holding it
    stems: frozenset[str]  # the keys of `by_stem`
    numbers: dict[int | None, int]  # the report's own number -> position


@cache
def _lookup(report: Report) -> _Lookup:
    profiles = _profiles(report)
    by_pair = {pair: i for i, p in enumerate(profiles) for pair in p.bigrams}
    by_stem: dict[str, list[tuple[int, float]]] = {}
    for i, p in enumerate(profiles):
        for stem, weight in p.weights.items():
            by_stem.setdefault(stem, []).append((i, weight))
    any_pair = frozenset(by_pair)
    return _Lookup(any_pair, frozenset(w for pair in any_pair for w in pair), by_pair,
                   {stem: tuple(found) for stem, found in by_stem.items()}, frozenset(by_stem),
                   {r.number: i for i, r in enumerate(report.force_recommendations)})


def _matches(report: Report, sents: list[Sentence], text: str) -> dict[int, list[int]]:
    """For each recommendation position (0-based), the indices of sentences answering it."""
    lookup = _lookup(report)
    # A sentence answers a recommendation only if it shares one of its word pairs.
    any_pair, pair_words, numbers = lookup.any_pair, lookup.pair_words, lookup.numbers
    n = len(report.force_recommendations)
    starts = [s.start for s in sents]
    cited: dict[int, list[int]] = {}  # sentence -> positions of the recommendations it cites by number
    for m in _BY_NUMBER.finditer(text):
        at, position = m.start(), numbers.get(int(m.group(1)))
        if position is not None and at and text[at - 1] in "Rr":
            si = bisect_right(starts, at) - 1
            if si >= 0 and at < sents[si].end:
                cited.setdefault(si, []).append(position)
    found: dict[int, list[int]] = {}
    for si, sentence in enumerate(sents):
        for position in cited.get(si, ()):
            found.setdefault(position, []).append(si)
        words = sentence.stems
        if len(pair_words.intersection(words)) < 2 or any_pair.isdisjoint(pairwise(words)):
            continue
        # Each recommendation's score: 1.5 for each of its word pairs the sentence holds,
        # plus the weights of its distinctive words the sentence holds.
        shared = [0] * n
        for pair in any_pair.intersection(pairwise(words)):
            shared[lookup.by_pair[pair]] += 1
        weights = [0.0] * n
        for stem in lookup.stems.intersection(words):
            for position, weight in lookup.by_stem[stem]:
                weights[position] += weight
        scores = [count * 1.5 + weight for count, weight in zip(shared, weights)]
        ranked = sorted(scores)
        best = scores.index(ranked[-1])
        runner_up = ranked[-2] if len(ranked) > 1 else 0.0
        quoted = shared[best] >= max(2, QUOTE_MIN * len(_profiles(report)[best].bigrams))
        paraphrased = (shared[best] and scores[best] >= PARAPHRASE_MIN and scores[best] >= 1.5 * runner_up)
        if (quoted or paraphrased) and found.get(best, [-1])[-1] != si:  # sentences come in order
            found.setdefault(best, []).append(si)
    return found


def _stance(text: str) -> str | None:
    """The stance a lower-cased passage states, if any."""
    if _REJECT.said(text):
        return "not accepted"
    if _PARTIAL.said(text):
        return "partially accepted"
    if "welcome" in text:  # a welcome to the report is no stance on its recommendations
        text = " ".join(_WELCOME_GENERAL.sub("", text).split())  # single-spaced again, as cues expect
    if _ACCEPT.said(text):
        return "accepted"
    if "recommendation" not in text:
        return None
    for m in _SUPPORT.matches(text):
        sentence = text[text.rfind(".", 0, m.start()) + 1: text.find(".", m.end()) % (len(text) + 1)]
        if "recommendation" in sentence:
            return "accepted"
    return None


def _in_progress(text: str) -> bool:
    """'is developing', 'are being', 'currently', 'in the process of' ('is going to' is a plan)."""
    if _IN_PROGRESS.said(text):
        return True
    for verb in (" is ", " are "):
        at = text.find(verb)
        while at >= 0:
            following = text[at + len(verb): at + len(verb) + 30].split(None, 1)
            word = following[0].rstrip(",.;:") if following else ""
            if word.endswith("ing") and word != "going":
                return True
            at = text.find(verb, at + 1)
    return False


def _status(text: str) -> str:
    """Where a passage (lower case, single-spaced) says the work stands."""
    if _in_progress(text):
        return "in progress"
    return next((status for status, cue in _STATUS if cue.said(text)), "not stated")


def _passage(text: str, sents: list[Sentence]) -> str:
    """Sentences' text as one lower-case, single-spaced passage: what stance and status read."""
    return " ".join(" ".join(text[s.start:s.end] for s in sents).split()).lower()


def answer_recommendations(text: str, report: Report) -> list[Answer]:
    """One Answer per recommendation of `report` that applies to forces, in contract numbering."""
    sents = sentences(text)
    recs = report.force_recommendations
    found = _matches(report, sents, text)
    blanket = [s for s in map(sents.__getitem__, _saying(text, sents, "recommendations"))
               if "recommend" in s.stems and _is_blanket(text, s)]
    blanket_text = _passage(text, blanket)
    blanket_stance = _stance(blanket_text)
    extends = len(found) >= math.ceil(len(recs) / 2)
    starts = sorted(si for sis in found.values() for si in sis)

    answers = []
    for position in range(len(recs)):
        hits = found.get(position, [])
        if hits:
            # The answer is read from the first sentence naming it and the few after it, up to
            # the next recommendation's.
            first = hits[0]
            own = set(hits)
            following = next((si for si in starts[bisect_right(starts, first):] if si not in own), len(sents))
            stop = min(following, first + 1 + SECTION_SENTENCES)
            # Sentences in a row: only whitespace lies between them, so one slice serves.
            section_text = " ".join(text[sents[first].start:sents[stop - 1].end].split()).lower()
            stance = _stance(section_text) or blanket_stance or "not stated"
            status = _status(section_text)
            evidence = [sents[si].span for si in hits]
            # Quoting a recommendation is not answering it: what follows the quotation (or
            # a blanket stance) must answer it.
            # (Cheapest tests first: most answered recommendations are cited more than once,
            # or under a blanket stance, or not quoted at all.)
            addressed = (len(hits) > 1 or bool(blanket_stance)
                         or "should" not in lowered(text)[sents[first].start:sents[first].end]
                         or (stop > first + 1 and answers_it(
                             " ".join(text[sents[first + 1].start:sents[stop - 1].end].split()).lower())))
            if not addressed:  # a quotation's own words ('should implement') state no stance
                evidence, stance, status = [], "not stated", "not stated"
        else:
            # A blanket stance applies to every recommendation, answered or not; it counts as
            # answering the ones not discussed only when most were answered one by one.
            addressed = bool(blanket) and extends
            stance = blanket_stance or "not stated"
            status = _status(blanket_text) if addressed else "not stated"
            evidence = [s.span for s in blanket] if addressed or blanket_stance else []
        answers.append(Answer(position + 1, report.recommendation_id(position + 1), addressed, stance, status, evidence))
    return answers


def _saying(text: str, sents: list[Sentence], word: str) -> list[int]:
    """The sentences (their indices, in order) whose lower-cased text holds `word`."""
    low = lowered(text)
    starts = [s.start for s in sents]
    out: list[int] = []
    at = low.find(word)
    while at >= 0:
        si = bisect_right(starts, at) - 1
        if si >= 0 and at + len(word) <= sents[si].end and (not out or out[-1] != si):
            out.append(si)
        at = low.find(word, at + len(word))
    return out


def _is_blanket(text: str, s: Sentence) -> bool:
    """Whether a sentence that mentions recommendations is about them as a whole ('accept
    all of the recommendations')."""
    low = lowered(text)[s.start:s.end]
    at = low.find("recommendations")
    if at < 0:
        return False
    before = low[max(0, at - 60):at].replace(",", " ").split()[-4:]
    after = set(low[at: at + 100].replace(",", " ").replace(".", " ").split())
    if _QUANTIFIERS.isdisjoint(before) and not any(w.isdigit() for w in before) and _TAKEN_UP.isdisjoint(after):
        return False
    return _BLANKET_ACTION.search(low) is not None and _OTHER_RECS.search(low) is None


# 'recommendation 10 and 22', 'Recommendations 3, 4 and 7', 'Recommendation No. 2', 'Recommendation 3a'
_CITED = re.compile(r"ecommendations?\s+(?:[Nn]o\.?\s*|[Nn]umbers?\s+)?"
                    r"(?P<numbers>\d{1,2}[a-z]?\b(?:\s*(?:,|and|&)\s*\d{1,2}[a-z]?\b)*)")
_LABEL = re.compile(r"(\d{1,2})([a-z]?)")
# What answers a recommendation beyond quoting it: steps taken or to be taken, or reasons.
_ACTS = _Cue(r"steps?\b", r"action\b", r"actions\b", r"has\s+(?:been\s+)?\w+ed\b", r"have\s+(?:been\s+)?\w+ed\b",
             r"reasons?\b", r"because\b", r"no\s+action\b", r"complete[d]?\b")
# A recommendation's own modal: a sentence holding it quotes the recommendation, not its answer.
_QUOTED_MODAL = re.compile(r"\bshould\b")


def answers_it(passage: str) -> bool:
    """Whether a lower-cased, single-spaced passage answers a recommendation: a stance, where
    the work stands, steps, or reasons (s.55(5B)); quoting it is not answering it."""
    return _stance(passage) is not None or _status(passage) != "not stated" or _ACTS.said(passage)


def answer_cited(text: str, report_id: str | None) -> list[Answer]:
    """Recommendations the text answers by number, numbered as the text numbers them: for a
    report whose recommendations' wording the catalogue lacks, or that it lacks altogether.
    A sub-number ('3a') is kept as the answer's label (its number stays the integer, 3). A
    recommendation only quoted is listed as not addressed."""
    sents = sentences(text)
    starts = [s.start for s in sents]
    first: dict[str, int] = {}  # label -> the sentence that first cites it
    for m in _CITED.finditer(text):
        if not m.start() or text[m.start() - 1] not in "Rr":
            continue
        si = bisect_right(starts, m.start()) - 1
        for label in re.findall(r"\d{1,2}[a-z]?", m.group("numbers")):
            if int(_LABEL.match(label).group(1)) and si >= 0:  # type: ignore[union-attr]
                first.setdefault(label, si)
    cited = sorted(set(first.values()))
    answers = []
    for label, si in sorted(first.items(), key=lambda item: (int(_LABEL.match(item[0]).group(1)),  # type: ignore[union-attr]
                                                              item[0])):
        # Its answer: up to the next recommendation cited; the citing sentence itself only
        # where it does not quote the recommendation ('Recommendation 1 is accepted').
        following = next((c for c in cited if c > si), len(sents))
        stop = min(following, si + 1 + SECTION_SENTENCES)
        own = _passage(text, sents[si:si + 1])
        start = si + 1 if _QUOTED_MODAL.search(own) else si
        section_text = _passage(text, sents[start:stop])
        number = int(_LABEL.match(label).group(1))  # type: ignore[union-attr]
        addressed = answers_it(section_text)
        answers.append(Answer(number, f"{report_id}#{label}" if report_id else None, addressed,
                              (_stance(section_text) or "not stated") if addressed else "not stated",
                              _status(section_text) if addressed else "not stated",
                              [sents[si].span] if addressed else [],  # (a quotation alone states nothing)
                              label=label if not label.isdigit() else None))
    return answers
