"""S301: no text promises a child secrecy or confidentiality."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from generator.load.diagnostics import Diagnostic
from generator.checks.rules.language import NEGATION, segments, sentences
from generator.checks.rules.registry import outcome_example, rule
from generator.checks.rules.walk import ProjectView

# Promises made to the child, in the words a reader might be told to say. Each pattern's own
# "not"/"won't" belongs to the promise ("I promise not to tell"): only a negation *before* the
# promise ("Never say 'I won't tell'") makes it a prohibition.
_PROMISES = [
    re.compile(r"\bpromise\b[^.;]{0,60}?\b(?:secret|confidential|private|not\s+(?:to\s+)?tell|won't\s+tell|"
               r"tell\s+no\s*one|between|no\s*one\s+(?:else\s+)?will\s+know|nobody|anyone)", re.IGNORECASE),
    re.compile(r"\b(?:keep|kept|stay|stays|remain|remains|it's|it\s+is|is|be)\b[^.;]{0,40}?\bbetween\s+(?:us|"
               r"you\s+and\s+me|ourselves|the\s+two\s+of\s+(?:you|us)|you\s+two)\b", re.IGNORECASE),
    re.compile(r"\b(?:I|we)\s+(?:won't|will\s+not|shan't|am\s+not\s+going\s+to|are\s+not\s+going\s+to)\s+tell\b",
               re.IGNORECASE),
    re.compile(r"\b(?:won't|will\s+not)\s+go\s+any\s+further\b|\bgo\s+no\s+further\b", re.IGNORECASE),
]
# Telling (or assuring) the child that it stays secret: here a negation elsewhere in the sentence
# ("tell the child you cannot keep it secret") turns it into the safe message; the promise's own
# words ("you won't tell anyone") do not.
_ASSURANCE = re.compile(
    r"\b(?:tell|assure|reassure|agree\s+with|say\s+to|explain\s+to|let)\s+(?:the\s+|your\s+|a\s+)?"
    r"(?:child|children|pupil|pupils|young\s+person|them|him|her)\b[^.;]{0,60}?"
    r"(?P<tail>\b(?:secret|confidential|private|between\s+(?:you|us)|no\s*one\s+(?:else\s+)?(?:will\s+)?know|"
    r"(?:you|I|we)\s+(?:won't|will\s+not|shan't)\s+tell))", re.IGNORECASE)
# A promise in the speaker's words ("say you'll keep it secret"): an order to staff to keep a record
# confidential ("Keep it confidential: share it only with the DSL") is not a promise to a child.
_KEEP_SECRET = re.compile(
    r"(?:\b(?:I|we|you)(?:\s+(?:will|can|shall)|'ll|’ll)\s+|\b(?:agree|offer|promise)\w*\s+to\s+)"
    r"keep\s+(?:it|this|that|the\s+secret|their\s+secret|his\s+secret|her\s+secret|what\s+(?:they|he|she)\s+"
    r"(?:say|said|tell|told)\w*)(?:\s+(?:a\s+)?(?:secret|confidential|private|to\s+(?:yourself|myself|ourselves)))?",
    re.IGNORECASE)


@rule(
    code="S301", waivable=False, name="no-promise-of-secrecy",
    summary="No text promises, or tells anyone to promise, a child that what they say will be kept secret or "
            "confidential, unless it is negated (\"Never promise to keep it secret\").",
    why="a child who is promised secrecy and then hears it was passed on may not tell anyone again; staff must "
        "share a concern with the DSL, so they can never keep that promise",
    source="KCSIE 2025 Part one and Part five (never promise a child that you will not tell anyone)",
    failing=outcome_example(
        "pupil_tells_you", "A pupil tells you something worrying",
        "Reassure the child and promise not to tell anyone what they said."),
    passing=outcome_example(
        "pupil_tells_you", "A pupil tells you something worrying",
        ("Reassure the child. Explain that you cannot keep it secret: you have",
         "to tell the DSL, so that they get help.")),
)
def check_secrecy(view: ProjectView) -> Iterator[Diagnostic]:
    this = check_secrecy.rule
    for text in view.texts():
        for offset, sentence in sentences(text.text):
            found = _promise(sentence, prohibition=text.kind == "never")
            if found is not None:
                yield this.diagnostic(
                    text, f"promises a child secrecy: '{' '.join(sentence.split())}'",
                    fix="say the opposite: explain that you cannot keep it secret and will tell the DSL; "
                        "or put the warning in the step's `never` list",
                    offset=offset + found[0])
                break


@lru_cache(maxsize=1 << 16)
def _promise(sentence: str, prohibition: bool = False) -> tuple[int, int] | None:
    """Where the sentence promises secrecy, or None. In a `never` item the first part is a prohibition.
    Cached: `serve` and the editor ask again of the same sentences at every save."""
    parts = segments(sentence)
    if prohibition and len(parts) == 1:
        return None
    for pattern in _PROMISES:
        for match in pattern.finditer(sentence):
            part = next(p for p in reversed(parts) if p.start <= match.start())
            if prohibition and part is parts[0]:
                continue
            if not part.negated_at(match.start() - part.start):
                return match.start(), match.end()
    for pattern in (_ASSURANCE, _KEEP_SECRET):
        for match in pattern.finditer(sentence):
            tail = match.span("tail") if "tail" in pattern.groupindex else (match.end(), match.end())
            rest = sentence[: tail[0]] + " " * (tail[1] - tail[0]) + sentence[tail[1]:]
            if not NEGATION.search(rest) and not (prohibition and match.start() < parts[1].start):
                return match.start(), match.end()
    return None
