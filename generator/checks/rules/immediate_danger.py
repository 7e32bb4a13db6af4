"""S101, S102: a safeguarding guide asks "is a child in immediate danger?" first, and "yes" means 999."""

from __future__ import annotations

import re
from typing import Iterator

from generator.load.diagnostics import Diagnostic
from generator.checks.rules.context import DSL
from generator.checks.rules.registry import rule
from generator.checks.rules.walk import DSL_ROLES, ProjectView

GROUP = "immediate-danger"
"""The usual id of the shared group; a school may name its own (e.g. 'danger'), as long as it asks about danger."""
_NINE_NINE_NINE = re.compile(r"(?<!\d)999(?!\d)")
_DANGER = re.compile(r"\bdanger\b|\b(?:immediate|imminent)(?:ly)?\b[^?]{0,40}\b(?:risk|harm|threat)|"
                     r"\b(?:risk|harm|threat)\b[^?]{0,40}\b(?:immediate|imminent|right\s+now)\b", re.IGNORECASE)


@rule(
    code="S101", name="immediate-danger-first",
    summary="A safeguarding guide starts with the shared immediate-danger step (`use: immediate-danger`, or a "
            "shared group of another name whose first question asks whether a child is in immediate danger), or "
            "with its own question about immediate danger (a procedure's own wording and criteria), whose 'yes' "
            "then leads to 999 as S102 requires.",
    why="a reader with a child in danger must be sent to 999 before reading anything else, in every guide alike",
    source="KCSIE 2025 Part one: if a child is in immediate danger, refer to the police at once",
    failing="""\
safeguarding: true
nodes:
  - kind: question
    id: what_worries_you
    question: What worries you?""",
    passing="""\
safeguarding: true
nodes:
  - use: immediate-danger
    continue: what_worries_you
  - kind: question
    id: what_worries_you
    question: What worries you?""",
    example_in="tree-start",
    false_alarms=(
        ("a procedure's own immediate-danger question, with its own criteria", """\
safeguarding: true
nodes:
  - kind: question
    id: is_there_immediate_risk
    question: Is there an immediate risk of harm to the pupil or to others?
    criteria:
      - A planned attack or travel to a conflict zone
    answers:
      - id: "yes"
        label: "Yes"
        next: call_999
      - id: "no"
        label: "No"
        next: what_worries_you
  - kind: outcome
    id: call_999
    title: Call 999 now, then tell the DSL
    summary: Someone is at immediate risk.
    urgent: true
    actions:
      - text: Call **999** and ask for the police.
        who: you
        when: immediately
      - text: Then tell the DSL what has happened.
        who: you
        when: immediately
    contacts: [police_emergency, dsl]
    cites: [child-protection#report-to-dsl]
  - kind: question
    id: what_worries_you
    question: What worries you?"""),
    ),
)
def check_immediate_danger_first(view: ProjectView) -> Iterator[Diagnostic]:
    for guide in view.guides:
        if not guide.safeguarding:
            continue
        first = guide.first_entry
        used = view.groups.get(str(first.get("use"))) if isinstance(first, dict) and "use" in first else None
        if used is not None and _asks_about_danger(used):
            continue
        if used is None and own_danger_question(guide) is not None:
            continue  # the procedure's own immediate-danger question (S102 checks that "yes" means 999)
        loc = ("nodes", 0) if first is not None else ("safeguarding",)
        message = f"safeguarding guide '{guide.id}' does not start with the shared immediate-danger step"
        if used is not None:
            message = (f"safeguarding guide '{guide.id}' starts with shared group '{used.id}', which does not ask "
                       "whether a child is in immediate danger")
        yield check_immediate_danger_first.rule.diagnostic(
            guide.source, message, loc=loc,
            fix=f"make the first entry of nodes '- use: {GROUP}' with 'continue:' naming your first step")


def danger_groups(view: ProjectView) -> list:
    """The shared groups that guides rely on to ask about immediate danger: 'immediate-danger', and any group a
    safeguarding guide starts with."""
    found = {GROUP: view.groups[GROUP]} if GROUP in view.groups else {}
    for guide in view.guides:
        first = guide.first_entry
        if guide.safeguarding and isinstance(first, dict) and str(first.get("use")) in view.groups:
            found.setdefault(str(first["use"]), view.groups[str(first["use"])])
    return [found[key] for key in sorted(found)]


def _asks_about_danger(group) -> bool:
    questions = [s for s in group.steps if s.kind == "question"]
    return bool(questions) and bool(_DANGER.search(str(questions[0].data.get("question", ""))))


def own_danger_question(guide):
    """The guide's own first step, when it is a question about immediate danger with a 'yes' answer (a
    procedure that asks it in its own words, with its own criteria), else None."""
    first = guide.first_entry
    if not isinstance(first, dict) or first.get("kind") != "question" or not guide.steps:
        return None
    step = guide.steps[0]
    asks = _DANGER.search(str(step.data.get("question", "")))
    return step if asks and any(str(a.get("id")) == "yes" for a in step.answers) else None


@rule(
    code="S102", waivable=False, name="immediate-danger-means-999",
    reads="project",  # which shared groups the safeguarding guides start with
    summary='In the shared immediate-danger group (or a guide\'s own immediate-danger question), "yes" leads '
            'to an urgent outcome whose first action is to '
            'call 999 and which then tells the DSL.',
    why="every safeguarding guide relies on this one group: a child in immediate danger needs the police first, "
        "then the DSL",
    source="KCSIE 2025 Part one (a child in immediate danger); Working together to safeguard children 2023, chapter 2",
    failing="""\
  - kind: outcome
    id: call_999_now
    title: Tell the DSL
    summary: A child is in immediate danger.
    urgent: true
    actions:
      - text: Tell the DSL straight away.
        who: you
        when: immediately
    contacts: [dsl]""",
    passing="""\
  - kind: outcome
    id: call_999_now
    title: Call 999 now, then tell the DSL
    summary: A child is in immediate danger.
    urgent: true
    actions:
      - text: Call **999** and ask for the police.
        who: you
        when: immediately
      - text: Then tell the DSL what has happened.
        who: you
        when: immediately
    contacts: [police_emergency, dsl]""",
    example_in="group-outcome",
)
def check_immediate_danger_group(view: ProjectView) -> Iterator[Diagnostic]:
    for group in danger_groups(view):
        yield from _check_group(group)
    for guide in view.guides:
        first = guide.first_entry
        if guide.safeguarding and not (isinstance(first, dict) and "use" in first) and own_danger_question(guide):
            yield from _check_group(guide)  # its own question: "yes" leads to 999 just the same


def _check_group(group) -> Iterator[Diagnostic]:
    this = check_immediate_danger_group.rule
    questions = [s for s in group.steps if s.kind == "question"]
    if not questions:
        yield this.diagnostic(group.source, "the immediate-danger group has no question",
                              fix="start it with the question 'Is a child in immediate danger?'", loc=("nodes",))
        return
    first = questions[0]
    yes = [(i, a) for i, a in enumerate(first.answers) if str(a.get("id")) == "yes"]
    if not yes:
        yield this.diagnostic(first, "the immediate-danger question has no 'yes' answer",
                              fix="add an answer with id \"yes\" leading to the 999 outcome", loc=("answers",))
        return
    index, answer = yes[0]
    # Straight to it: the answer's one target, or its first strand, written without a condition.
    first_strand = answer.get("next")[0] if isinstance(answer.get("next"), list) and answer.get("next") else \
        answer.get("next")
    target = {s.id: s for s in group.steps}.get(first_strand) if isinstance(first_strand, str) else None
    where = ("answers", index, "next")
    if target is None or target.kind != "outcome" or not target.flag("urgent"):
        yield this.diagnostic(first, "'yes' to immediate danger does not lead straight to an urgent outcome",
                              fix="make 'yes' lead to an outcome with 'urgent: true'", loc=where)
        return
    actions = target.actions
    # An either group first counts only if every alternative is the call.
    first = target.entries[0] if actions else []
    if not first or not all(_NINE_NINE_NINE.search(action.text.text) for action in first):
        yield this.diagnostic(target, f"the first action of '{target.id}' is not to call 999",
                              fix="make calling 999 the first action", loc=("actions", 0) if actions else ("actions",))
    # The DSL is told after the call: in a later action, or in the same one ("Call 999, then tell the DSL").
    tells_dsl = target.meets(lambda a: DSL.search(a.text.text) or a.who & DSL_ROLES) or target.contacts & DSL_ROLES
    if not tells_dsl:
        yield this.diagnostic(target, f"'{target.id}' does not go on to tell the DSL",
                              fix="add an action after the 999 call: tell the DSL, and list 'dsl' in contacts",
                              loc=("id",))
