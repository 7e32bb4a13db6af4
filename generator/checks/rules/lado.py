"""S403: "within one working day" for the LADO is the outer limit, never the only route."""

from __future__ import annotations

import re
from typing import Iterator

from generator.load.diagnostics import Diagnostic
from generator.load.models.timing import is_at_once
from generator.checks.rules.registry import rule
from generator.checks.rules.walk import ProjectView, leads

_LADO = re.compile(r"\bLADO\b|\blocal\s+authority\s+designated\s+officer\b|\bdesignated\s+officer\b", re.IGNORECASE)
_ASKS_ABOUT_URGENCY = re.compile(r"\b(?:risk|danger|harm|evidence|urgent\w*|immediate\w*|crime|criminal|"
                                 r"offence)\b", re.IGNORECASE)
# The urgent route beside the working-day one: the LADO or the police at once.
_URGENT_ROUTE = re.compile(rf"{_LADO.pattern}|\bpolice\b|\b999\b", re.IGNORECASE)


@rule(
    code="S403", name="lado-within-a-working-day-is-the-limit",
    summary="An outcome that gives the LADO a later time limit than `immediately` (e.g. `within 1 working day`) "
            "also has an action, `when: immediately`, for the urgent case: the LADO or the police at once when a "
            "child is at risk or evidence could be lost; or is reached from a question whose other answer leads to "
            "that urgent route. The kind of a time limit decides, not its words: "
            "`{kind: working_days, n: 1, says: next working day}` is a later limit, `{kind: immediately, says: at "
            "once}` the urgent one; in an either group every alternative must be the urgent route.",
    why="one working day is the outer limit for telling the LADO, not the norm: a child at risk now, or evidence "
        "that could be destroyed, cannot wait for the next working day",
    source="KCSIE 2025 Part four, 'Duties as an employer and an employee' (inform the LADO within one working "
           "day; the police immediately where a crime may have been committed)",
    failing="""\
  - kind: outcome
    id: concern_about_staff
    title: A concern about a member of staff
    actions:
      - text: >-
          Tell the head teacher now, or the chair of governors if it is about
          the head teacher.
        who: you
        when: immediately
      - text: The head teacher tells the LADO.
        who: head_teacher
        when: within 1 working day
    contacts: [head_teacher, chair_of_governors, lado, dsl]
    related_trees: [dsl-cannot-be-reached]""",
    passing="""\
  - kind: outcome
    id: concern_about_staff
    title: A concern about a member of staff
    actions:
      - text: >-
          Tell the head teacher now, or the chair of governors if it is about
          the head teacher.
        who: you
        when: immediately
      - text: >-
          If a child is at risk now or evidence could be lost, the head teacher
          calls the LADO and the police at once.
        who: head_teacher
        when: immediately
      - text: Otherwise the head teacher tells the LADO.
        who: head_teacher
        when: within 1 working day
    contacts: [head_teacher, chair_of_governors, lado, dsl]
    related_trees: [dsl-cannot-be-reached]""",
    false_alarms=(
        ("the urgent route is the other answer of the question before", """\
  - kind: question
    id: is_a_child_at_risk_now
    question: Is a child at risk now, or could evidence be lost?
    answers:
      - id: "yes"
        label: "Yes"
        next: lado_and_police_now
      - id: "no"
        label: "No"
        next: lado_within_a_day
  - kind: outcome
    id: lado_and_police_now
    title: Call the LADO and the police now
    urgent: true
    actions:
      - text: The head teacher calls the LADO and the police now.
        who: head_teacher
        when: immediately
      - text: Tell the DSL as well.
        who: you
        when: immediately
    contacts: [lado, police_emergency, dsl]
  - kind: outcome
    id: lado_within_a_day
    title: The head teacher tells the LADO
    actions:
      - text: >-
          Tell the head teacher now, or the chair of governors if it is about
          the head teacher.
        who: you
        when: immediately
      - text: The head teacher tells the LADO.
        who: head_teacher
        when: within 1 working day
    contacts: [head_teacher, chair_of_governors, lado, dsl]
    related_trees: [dsl-cannot-be-reached]"""),
    ),
)
def check_lado_timescale(view: ProjectView) -> Iterator[Diagnostic]:
    this = check_lado_timescale.rule
    for step in view.own_steps():
        actions = step.actions
        urgent = _has_urgent_route(step) or _urgent_route_before(step)
        for action in actions:
            names_lado = _LADO.search(action.text.text) or action.who & {"lado", "designated_officer"}
            if names_lado and action.when and not is_at_once(action.limit) and not urgent:
                yield this.diagnostic(
                    step, f"the LADO is given 'when: {action.when}' with no urgent route beside it",
                    loc=action.loc + ("when",),
                    fix="add an action with 'when: immediately': if a child is at risk now or evidence could be "
                        "lost, the LADO and the police are contacted at once")
                break


def _has_urgent_route(step) -> bool:
    """An action, `when: immediately`, to the LADO, the police or 999 (or an urgent 999 outcome)."""
    return step.meets(lambda a: is_at_once(a.limit) and _URGENT_ROUTE.search(a.text.text))


def _urgent_route_before(step) -> bool:
    """Did the question leading here offer the urgent route as another answer? Then this step is the case
    the question has already found not urgent ("Is a child at risk now?" -> no -> the LADO within a day)."""
    steps = step.tree.steps_by_id
    for question, answer in step.incoming:
        asked = " ".join(t.text for t in question.texts() if t.kind in ("question", "help", "criteria"))
        if not _ASKS_ABOUT_URGENCY.search(asked):
            continue  # "What worries you?" leads to many routes; only a question about risk decides urgency
        for other in question.answers:
            for target_id, _ in leads(other.get("next"), ()):
                target = steps.get(target_id)
                if other is not answer and target is not None and target is not step and (
                        _has_urgent_route(target) or target.flag("urgent")):
                    return True
    return False

