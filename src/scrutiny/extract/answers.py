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
from dataclasses import dataclass
from functools import cache

from ..catalogue import Report
from ..record import Answer
from .text import Sentence, bigrams, content_stems

# Stems that say nothing about which recommendation is meant.
_GENERIC = frozenset(content_stems(
    "recommend recommendation chief constables constable force forces police should make sure take steps "
    "ensure could include including part one"))

# Accepting words: the first group says it alone; the second only of a recommendation
# ('support the recommendation', not 'I support a number of projects').
_ACCEPT = re.compile(r"\b(?:accept(?:s|ed|ing)?|agree(?:s|d)?\s+with|welcome[sd]?)\b")
_ACCEPT_RECOMMENDATION = re.compile(r"\b(?:support(?:s|ed|ive)?|endorse[sd]?|incorporated|adopt(?:s|ed)?|implement(?:s|ed)?)\b"
                                    r"[^.]*\brecommendation|\brecommendation[^.]*\b(?:support(?:s|ed|ive)?|endorse[sd]?"
                                    r"|incorporated|adopted|implemented)\b")
_WELCOME_GENERAL = re.compile(r"\bwelcome[sd]?\s+(?:the\s+)?(?:report|findings|inspection|publication)")
_PARTIAL = re.compile(r"\b(?:partial(?:ly)?\s+accept|accept\w*\s+(?:in\s+part|partially)|accept\w*\s+\w+\s+in\s+part)")
_REJECT = re.compile(r"\b(?:(?:do|does|did|will|can)\s*not\s+accept|not\s+accepted|reject(?:s|ed)?|decline[sd]?\s+to)")
_STATUS = [
    ("in progress", ("ing ", "currently", "process", "ongoing", "underway"), re.compile(r"\b(?:is|are)\s+(?:being|currently|(?!going)\w+ing)\b|\bin\s+the\s+process\s+of\b|\bworking\s+(?:to|on)\b"
                               r"|\bongoing\b|\bunderway\b|\bprogressing\b")),
    ("implemented", ("been", "established", "place", "live", "already"), re.compile(r"\b(?:has|have)\s+(?:already\s+)?been\s+(?:established|implemented|introduced|completed"
                               r"|incorporated|put\s+in\s+place|in\s+operation)|\b(?:established|in\s+place|went\s+live"
                               r"|already\s+have)\b")),
    ("planned", ("will", "plan", "intend"), re.compile(r"\bwill\b|\bplan(?:s|ned)?\s+to\b|\bintend(?:s)?\s+to\b|\bplanned\b")),
]
_BLANKET = re.compile(r"\b(?:all|each|every|both|these|those|the|its|two|three|four|five|six|seven|eight|nine|ten|\d+)"
                      r"\s+(?:\w+\s+){0,3}recommendations\b|\brecommendations\b.{0,80}\b(?:these|them|they)\b",
                      re.IGNORECASE)
_BLANKET_ACTION = re.compile(r"\b(?:address\w*|accept\w*|implement\w*|incorporat\w*|respond\w*|actioned|actioning"
                             r"|taken?\s+forward|act\s+on|support\w*|agree\w*|review\w*)\b", re.IGNORECASE)
_OTHER_RECS = re.compile(r"\b(?:remaining|other)\s+recommendations\b", re.IGNORECASE)
# A literal start lets the regex engine jump from one 'ecommendation' to the next.
_BY_NUMBER = re.compile(r"ecommendation\s+(?:[Nn]o\.?\s*|[Nn]umber\s+)?(\d{1,2})\b")

QUOTE_MIN = 0.6  # share of a recommendation's word pairs that makes a sentence a quotation
PARAPHRASE_MIN = 5.0  # score of a sentence that shares a word pair and distinctive words with one
SECTION_SENTENCES = 3  # sentences after the one naming a recommendation read for its stance


@dataclass(frozen=True)
class _Profile:
    """What identifies one recommendation: its word pairs and its distinctive words."""

    bigrams: frozenset[tuple[str, str]]
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


@cache
def _pairs(report: Report) -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
    """Every word pair that identifies one of the report's recommendations, and their words."""
    any_pair = frozenset().union(*(p.bigrams for p in _profiles(report)))
    return any_pair, frozenset(w for pair in any_pair for w in pair)


def _score(profile: _Profile, sentence: Sentence, pairs_in: frozenset) -> float:
    pairs = len(profile.bigrams & pairs_in)
    weights = profile.weights
    return pairs * 1.5 + sum(weights[w] for w in sentence.stems & weights.keys())


def _matches(report: Report, sents: list[Sentence], text: str) -> dict[int, list[int]]:
    """For each recommendation position (0-based), the indices of sentences answering it."""
    profiles = _profiles(report)
    # A sentence answers a recommendation only if it shares one of its word pairs.
    any_pair, pair_words = _pairs(report)
    numbers = {r.number: i for i, r in enumerate(report.force_recommendations)}
    found: dict[int, list[int]] = {}
    by_number = [(m.start(), numbers.get(int(m.group(1)))) for m in _BY_NUMBER.finditer(text)
                 if m.start() and text[m.start() - 1] in "Rr"]
    for si, sentence in enumerate(sents):
        for at, position in by_number:
            if position is not None and sentence.start <= at < sentence.end:
                found.setdefault(position, []).append(si)
        if len(sentence.stems & pair_words) < 2:
            continue
        pairs_in = bigrams(sentence.words)
        if any_pair.isdisjoint(pairs_in):
            continue
        scores = [_score(p, sentence, pairs_in) for p in profiles]
        best = max(range(len(scores)), key=scores.__getitem__)
        profile = profiles[best]
        quoted = len(profile.bigrams & pairs_in) >= max(2, QUOTE_MIN * len(profile.bigrams))
        runner_up = max((s for i, s in enumerate(scores) if i != best), default=0.0)
        paraphrased = (profile.bigrams & pairs_in and scores[best] >= PARAPHRASE_MIN
                       and scores[best] >= 1.5 * runner_up)
        if (quoted or paraphrased) and found.get(best, [-1])[-1] != si:  # sentences come in order
            found.setdefault(best, []).append(si)
    return found


def _stance(text: str) -> str | None:
    """The stance a passage states; `text` is lower-cased. Each pattern runs only where a
    word it needs occurs."""
    if ("not" in text or "reject" in text or "decline" in text) and _REJECT.search(text):
        return "not accepted"
    if "part" in text and _PARTIAL.search(text):
        return "partially accepted"
    if "welcome" in text:
        text = _WELCOME_GENERAL.sub("", text)
    if ("accept" in text or "agree" in text or "welcome" in text) and _ACCEPT.search(text):
        return "accepted"
    if "recommendation" in text and _ACCEPT_RECOMMENDATION.search(text):
        return "accepted"
    return None


def _status(text: str) -> str:
    return next((status for status, cues, pattern in _STATUS
                 if any(c in text for c in cues) and pattern.search(text)), "not stated")


def answer_recommendations(text: str, sents: list[Sentence], report: Report) -> list[Answer]:
    """One Answer per recommendation of `report` that applies to forces, in contract numbering."""
    recs = report.force_recommendations
    found = _matches(report, sents, text)
    blanket = [s for s in sents if _is_blanket(text, s)]
    blanket_text = " ".join(text[s.start:s.end] for s in blanket).lower()
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
            section_text = " ".join(text[s.start:s.end] for s in sents[first:stop]).lower()
            stance = _stance(section_text) or blanket_stance or "not stated"
            status = _status(section_text)
            evidence = [sents[si].span for si in hits]
            addressed = True
        else:
            # A blanket stance applies to every recommendation, answered or not; it counts as
            # answering the ones not discussed only when most were answered one by one.
            addressed = bool(blanket) and extends
            stance = blanket_stance or "not stated"
            status = _status(blanket_text) if addressed else "not stated"
            evidence = [s.span for s in blanket] if addressed or blanket_stance else []
        answers.append(Answer(position + 1, report.recommendation_id(position + 1), addressed, stance, status, evidence))
    return answers


def _is_blanket(text: str, s: Sentence) -> bool:
    """A sentence about the recommendations as a whole ('accept all of the recommendations')."""
    return ("recommend" in s.stems and _BLANKET.search(text, s.start, s.end) is not None
            and _BLANKET_ACTION.search(text, s.start, s.end) is not None
            and _OTHER_RECS.search(text, s.start, s.end) is None)
