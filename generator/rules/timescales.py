"""S402: a concern about a child reaches the DSL at once, never "the same day" or later."""

from __future__ import annotations

import re
from typing import Iterator

from generator.diagnostics import Diagnostic
from generator.rules.context import DSL
from generator.rules.language import instructions, sentences
from generator.rules.registry import rule
from generator.rules.walk import ProjectView

PROMPT = ("immediately", "within 1 hour")
"""The only `when` values for telling the DSL (the trees v2 timescales; v1 wrote 'immediately' too)."""

_TELLING = (r"tell|report|inform|speak|talk|contact|let|alert|pass|find|get\s+hold\s+of|get|call|ring|phone|email|"
            r"message|share|raise|refer|go\s+to")
# Delays written into the wording itself ("Tell the DSL the same day").
_LATER = re.compile(r"\b(?:(?:the\s+)?same\s+day|by\s+the\s+end\s+of\s+the\s+(?:day|week)|end\s+of\s+the\s+day|"
                    r"tomorrow|next\s+(?:working\s+|school\s+)?day|within\s+(?:\d+|one|two|a\s+few|24|48)\s+"
                    r"(?:working\s+|school\s+)?(?:hours?|days?)|when\s+you\s+(?:can|get\s+a\s+chance|have\s+time)|"
                    r"at\s+the\s+next|this\s+week|later)\b", re.IGNORECASE)


@rule(
    code="S402", name="tell-the-dsl-at-once",
    summary="An action that tells someone to tell or report to the DSL has `when: immediately` (or "
            "`within 1 hour`), and no text says to tell the DSL \"the same day\" or later.",
    why="a concern about a child is acted on at once: at 3:15 on a Friday \"the same day\" can mean after the "
        "DSL has gone home for the weekend",
    source="KCSIE 2025 para 70 (if staff have any concerns about a child's welfare, they should act on them "
           "immediately)",
    failing="""\
      - text: Tell the DSL the same day.
        who: you
        when: same day""",
    passing="""\
      - text: Tell the DSL now, in person or by phone.
        who: you
        when: immediately""",
)
def check_timescales(view: ProjectView) -> Iterator[Diagnostic]:
    this = check_timescales.rule
    for guide in list(view.guides) + [_GroupAsGuide(g) for g in view.groups.values()]:
        for step in guide.steps:
            if step.group is not None and guide.id != step.group:
                continue  # a shared step is checked once, in its group
            for action in step.actions:
                if not _tells_dsl(action.text.text):
                    continue
                when = " ".join((action.when or "").lower().replace("the same day", "same day").split())
                if when not in PROMPT:
                    shown = f"'when: {action.when}'" if action.when else "no 'when'"
                    yield this.diagnostic(step, f"telling the DSL has {shown}", loc=action.loc + (
                        ("when",) if action.when else ("text",)),
                        fix="write 'when: immediately' (or 'within 1 hour'), and say so in the text")
    for text in view.texts():
        if text.kind == "never":
            continue
        for offset, sentence in sentences(text.text):
            if _tells_dsl(sentence):
                later = _LATER.search(sentence)
                if later:
                    yield this.diagnostic(text, f"'{later.group()}' is too late to tell the DSL about a child",
                                          fix="tell the DSL immediately (\"straight away\", \"now\")",
                                          offset=offset + later.start())
                    break


def _tells_dsl(text: str) -> bool:
    """Does the text instruct someone to tell, report to or reach the DSL?"""
    for _, sentence in sentences(text):
        for where, verb in instructions(sentence, _TELLING):
            if _EXPLAINING.search(sentence[:where]):
                continue  # "Explain to the child that you have to tell the DSL" is not the report itself
            if DSL.search(" ".join(verb.after.split()[:8])):
                return True
    return False


_EXPLAINING = re.compile(r"\b(?:explain|say|says|reassure|tell\s+(?:the\s+)?(?:child|pupil|them|him|her))\b.*\bthat\b",
                         re.IGNORECASE)


class _GroupAsGuide:
    def __init__(self, group):
        self.id = group.id
        self.steps = group.steps
