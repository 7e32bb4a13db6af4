"""S402: a concern about a child reaches the DSL at once, never "the same day" or later."""

from __future__ import annotations

import re
from typing import Iterator

from generator.load.diagnostics import Diagnostic
from generator.load.models.timing import is_at_once
from generator.checks.rules.context import tells_dsl
from generator.checks.rules.language import sentences
from generator.checks.rules.registry import rule
from generator.checks.rules.walk import ProjectView


# Delays written into the wording itself ("Tell the DSL the same day").
_LATER = re.compile(r"\b(?:(?:the\s+)?same\s+day|by\s+the\s+end\s+of\s+the\s+(?:day|week)|end\s+of\s+the\s+day|"
                    r"tomorrow|next\s+(?:working\s+|school\s+)?day|within\s+(?:\d+|one|two|a\s+few|24|48)\s+"
                    r"(?:working\s+|school\s+)?(?:hours?|days?)|when\s+you\s+(?:can|get\s+a\s+chance|have\s+time)|"
                    r"at\s+the\s+next|this\s+week|later|today|tonight|this\s+(?:afternoon|evening))\b", re.IGNORECASE)


# The statutory guidance's own wording for "at once": an action that says it needs no `when` of its own.
_STATUTORY_PROMPTNESS = re.compile(
    r"\bas\s+soon\s+as\s+(?:is\s+)?(?:reasonably\s+)?(?:practicabl[ey]|practically\s+possible|possible)\b|"
    r"\bwithout\s+delay\b|\bimmediately\b|\bstraight\s+away\b|\bat\s+once\b", re.IGNORECASE)


@rule(
    code="S402", name="tell-the-dsl-at-once",
    summary="An action telling someone to inform the DSL has `when: immediately` (or `within 1 hour`), or says "
            "so in the statutory wording (\"as soon as is practically possible\", \"without delay\"), or gives "
            "the source's words a kind that is at once (`{kind: immediately, says: at once}`, or "
            "`as_soon_as_practicable`). Wording that puts it off (\"the same day\", \"by the end of the day\", "
            "\"tomorrow\") is refused, in a note or a question's action as anywhere else.",
    why="a concern about a child is acted on at once: at 3:15 on a Friday \"the same day\" can mean after the "
        "DSL has gone home for the weekend",
    source="KCSIE 2025 Part one (if staff have any concerns about a child's welfare, they should act on them "
           "immediately)",
    failing="""\
  - kind: outcome
    id: extremist_video
    title: A pupil shares an extremist video
    actions:
      - text: Tell the DSL the same day.
        who: you
        when: same day
    contacts: [dsl]
    related_trees: [dsl-cannot-be-reached]""",
    passing="""\
  - kind: outcome
    id: extremist_video
    title: A pupil shares an extremist video
    actions:
      - text: Tell the DSL now, in person or by phone.
        who: you
        when: immediately
    contacts: [dsl]
    related_trees: [dsl-cannot-be-reached]""",
    false_alarms=(
        ("the statutory wording for telling the DSL promptly", """\
  - kind: outcome
    id: tell_the_dsl
    title: Tell the DSL
    actions:
      - text: Tell the DSL as soon as is practically possible.
        who: you
    contacts: [dsl]
    related_trees: [dsl-cannot-be-reached]"""),
    ),
)
def check_timescales(view: ProjectView) -> Iterator[Diagnostic]:
    this = check_timescales.rule
    for step in view.own_steps():
        for action in step.actions:
            if not tells_dsl(action.text.text):
                continue
            if not action.when and _STATUTORY_PROMPTNESS.search(action.text.text):
                continue  # the statutory wording ("as soon as is practically possible") says it; no `when` needed
            # The kind, not the words: "at once" in a source's words is `kind: immediately`, and "the same day"
            # is late whatever it is called.
            prompt = is_at_once(action.limit) or (action.limit is not None
                                                   and action.limit.kind == "as_soon_as_practicable")
            if not prompt:
                shown = f"'when: {action.when}'" if action.when else "no 'when'"
                where = action.loc + (("when",) if action.when else ("text",))
                yield this.diagnostic(step, f"telling the DSL has {shown}", loc=where,
                                      fix="write 'when: immediately' (or 'within 1 hour'), and say so in the text")
    for text in view.texts():
        if text.kind == "never":
            continue
        for offset, sentence in sentences(text.text):
            if tells_dsl(sentence):
                later = _LATER.search(sentence)
                if later:
                    yield this.diagnostic(text, f"'{later.group()}' is too late to tell the DSL about a child",
                                          fix="tell the DSL immediately (\"straight away\", \"now\")",
                                          offset=offset + later.start())
                    break

