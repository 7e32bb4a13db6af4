"""Reading guide text the way a worried reader would: sentences, negation, instructions.

The safety rules look for instructions ("Take a screenshot of the image") and must not fire on
warnings ("Never take a screenshot of the image"). These helpers keep that reading in one place:

* a *sentence* is split into *segments* at ``;``, ``:``, brackets, dashes, "but", "then" and
  "instead", because a negation only reaches to the end of its own part of the sentence
  ("Describe it in words: don't copy it" — the second part is negated, the first is not);
* a segment is *negated* from the first negation word (never, not, don't, without, stop…) on;
* a verb is an *instruction* when it starts a clause ("…, then forward it"), follows a modal
  addressed to the reader ("you could forward it") or follows "ask/help/let/get someone (to)"
  ("ask the pupil to send it"). A description ("someone asked your child to send a photo")
  uses another form of the verb and is not an instruction.

The heuristics prefer a false alarm an author can fix by rewording (each message says how) to a
missed instruction that could lead a reader to copy an image of a child.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

# Words that turn what follows them (in the same segment) into a prohibition or a non-action.
NEGATION = re.compile(
    r"\b(?:never|not|no|nor|none|nothing|without|stop|stopping|avoid|refuse|cannot|mustn't|shouldn't|"
    r"don't|doesn't|didn't|won't|can't|isn't|aren't|rather\s+than|instead\s+of)\b|n't\b|\bno\s+one\b",
    re.IGNORECASE)

# Where a negation's reach ends: punctuation that starts a new statement, and the words that
# turn from what not to do to what to do ("Don't reply, but screenshot the message").
_SEGMENT_BREAK = re.compile(r"[;:()\[\]—–]|\s-\s|\bbut\b|\bthen\b|\binstead\b|\bhowever\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n\s*\n|\n\s*(?:[-*+]|\d+[.)])\s+")

# A clause starts at the start of a segment, after a comma or "and"/"or", optionally followed by
# adverbs that still leave the verb an order ("and then also quickly forward it").
_CLAUSE_START = (r"(?:^|,|\band\b|\bor\b|\bif\s+you\s+can\b|\bplease\b)\s*"
                 r"(?:(?:then|also|first|please|immediately|quickly|now|just|always|carefully|"
                 r"straight\s+away|at\s+once|simply|still)\s+)*")
# Someone is told to do it: "you could …", "ask the pupil to …", "help them …", "it's fine to …".
_ADDRESSED = (r"(?:\b(?:you|staff|we|teachers?|adults?)\s+(?:should|must|can|could|may|might|need\s+to|have\s+to|"
              r"ought\s+to|will|are\s+to|want\s+to)\s+(?:\w+\s+)?(?:to\s+)?"
              r"|\b(?:ask|tell|get|help|let|allow|encourage|make|have|remind|invite|support)\s+"
              r"(?:[\w'’]+\s+){0,4}?(?:to\s+)?"
              r"|\b(?:try|remember|be\s+sure|make\s+sure|it(?:'s|\s+is)\s+(?:ok|okay|fine|best|wise|important|useful|"
              r"helpful|advisable|necessary|a\s+good\s+idea))"
              r"\s+(?:to\s+|you\s+)?)")


# A negation inside a condition ("if you cannot reach the DSL, …", "no matter how small, …")
# describes the situation, not the action: it reaches only to the next comma.
_CONDITION = re.compile(r"\b(?:if|when|unless|whether|in\s+case|where|while)\b|\bno\s+matter\b", re.IGNORECASE)


@dataclass(frozen=True)
class Segment:
    """A part of a sentence, with where it starts in the sentence and which parts are prohibitions."""

    text: str
    start: int
    negated: tuple[tuple[int, int], ...]
    """(start, end) offsets within the segment that are under a negation."""

    def negated_at(self, offset: int) -> bool:
        """Is the word at this offset (within the segment) under a negation?"""
        return any(start <= offset < end for start, end in self.negated)

    @property
    def positive_text(self) -> str:
        """The segment without its negated parts: what it actually asks for or states."""
        kept, last = [], 0
        for start, end in self.negated:
            kept.append(self.text[last:start])
            last = max(last, end)
        kept.append(self.text[last:])
        return " ".join(kept)


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) for each sentence or list item of a text."""
    return iter(_sentences(text))


@lru_cache(maxsize=1 << 16)
def _sentences(text: str) -> tuple[tuple[int, str], ...]:
    # Cached: every rule splits the same texts (600,000 calls for 115,000 texts at 55x the real data).
    found = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[start: match.start()].strip():
            found.append((start, text[start: match.start()]))
        start = match.end()
    if text[start:].strip():
        found.append((start, text[start:]))
    return tuple(found)


@lru_cache(maxsize=1 << 16)
def segments(sentence: str) -> tuple[Segment, ...]:
    """The sentence's parts (cached: every rule reads the same sentences)."""
    found = []
    start = 0
    for match in list(_SEGMENT_BREAK.finditer(sentence)) + [None]:
        end = match.start() if match else len(sentence)
        part = sentence[start:end]
        found.append(Segment(part, start, _negated_spans(part)))
        start = match.end() if match else end
    return tuple(found)


def _negated_spans(part: str) -> tuple[tuple[int, int], ...]:
    spans = []
    position = 0
    while True:
        negation = NEGATION.search(part, position)
        if negation is None:
            return tuple(spans)
        clause_start = part.rfind(",", 0, negation.start()) + 1
        comma = part.find(",", negation.end())
        if comma != -1 and _CONDITION.search(part, clause_start, negation.end() + len(" matter")):
            spans.append((negation.start(), comma))
            position = comma
        else:
            spans.append((negation.start(), len(part)))
            return tuple(spans)


@lru_cache(maxsize=1 << 14)
def positive_text(text: str) -> str:
    """Only what a text asks for or states, without its prohibitions and negated parts."""
    return " ".join(segment.positive_text for _, sentence in sentences(text) for segment in segments(sentence))


def instructions(sentence: str, verbs: str, prohibition: bool = False) -> Iterator[tuple[int, "_VerbMatch"]]:
    """Every place a sentence tells someone to do one of `verbs` (a regex of base forms), not negated.

    With `prohibition` (a `never` item, shown under "Never…"), the sentence's first part is a
    prohibition even without "never"; only what follows it ("…: screenshot it instead") can be an
    instruction. Yields (offset in the sentence, the verb and the words after it).
    """
    return iter(_instructions(sentence, verbs, prohibition))


@lru_cache(maxsize=1 << 17)
def _instructions(sentence: str, verbs: str, prohibition: bool) -> tuple[tuple[int, "_VerbMatch"], ...]:
    # Cached (issue 30): every rule asks of the same sentences again and again, and `serve` and the editor check
    # the same texts at every save; what it gives back is only read.
    verb_only, pattern = _instruction_pattern(verbs)
    if not verb_only.search(sentence):
        return ()  # the verb is not there at all: the common case, checked cheaply
    found = []
    for index, segment in enumerate(segments(sentence)):
        if prohibition and index == 0:
            continue
        for match in pattern.finditer(segment.text):
            if not segment.negated_at(match.start("verb")):
                found.append((segment.start + match.start("verb"), _VerbMatch(match, segment.text)))
    return tuple(found)


@lru_cache(maxsize=64)
def _instruction_pattern(verbs: str) -> tuple[re.Pattern, re.Pattern]:
    return (re.compile(rf"\b(?:{verbs})\b", re.IGNORECASE),
            re.compile(rf"(?:{_CLAUSE_START}|{_ADDRESSED})(?P<verb>{verbs})\b", re.IGNORECASE))


class _VerbMatch:
    """The verb found and the words after it in its segment (where its object is)."""

    def __init__(self, match: re.Match, segment: str):
        self.verb = match.group("verb")
        self.after = segment[match.end("verb"):]
        self.start = match.start("verb")

    def object_within(self, pattern: re.Pattern, words: int = 8) -> bool:
        window = " ".join(self.after.split()[:words])
        return bool(pattern.search(window))


def mentions(pattern: re.Pattern, text: str) -> bool:
    """Does the text state (not merely forbid) something matching the pattern?"""
    return bool(pattern.search(positive_text(text)))
