"""S501: a concern about an adult who works with children goes to the head teacher and/or the LADO."""

from __future__ import annotations

import re
from typing import Iterator

from generator.load.diagnostics import Diagnostic
from generator.checks.rules.context import SENIOR_LEADERSHIP, about_adult_at_school, concern_about, step_subject
from generator.checks.rules.language import positive_text
from generator.checks.rules.registry import rule
from generator.checks.rules.walk import ProjectView, leads

ADULT_ROUTES = frozenset({"head_teacher", "chair_of_governors", "lado", "designated_officer", "case_manager"})
SLT_ROLES = frozenset({"slt", "senior_leader", "senior_leadership"})
# "the head" is the head teacher; "Head of Human Resources", "head of year" are not.
_HEAD = re.compile(r"\bhead\s*teacher\b|\bheadteacher\b|\bhead\b(?!\s+of\b)", re.IGNORECASE)
_CHAIR = re.compile(r"\bchair\s+of\s+(?:the\s+)?governors\b", re.IGNORECASE)
_LADO = re.compile(r"\bLADO\b|\blocal\s+authority\s+designated\s+officer\b|\bdesignated\s+officer\b", re.IGNORECASE)


@rule(
    code="S501", name="concerns-about-adults-go-to-the-head",
    summary="An outcome about a concern with an adult who works or volunteers with children (staff, supply staff, "
            "volunteers, governors, contractors) routes it to the head teacher, with the chair of governors when "
            "it is about the head, and/or the LADO; never to senior leadership alone.",
    why="allegations and low-level concerns about adults are handled by the head teacher (the chair of governors "
        "if about the head) and the LADO, outside line management, so that a pattern is seen and nobody "
        "protects a colleague",
    source="KCSIE 2025 Part four, sections one and two (the case manager, the LADO within one working day, "
           "low-level concerns)",
    failing="""\
  - kind: outcome
    id: colleague_befriending_pupils
    title: A member of staff is befriending pupils online
    actions:
      - text: Tell a member of SLT.
        who: you
        when: immediately
    contacts: [senior_leadership, dsl]
    related_trees: [dsl-cannot-be-reached]""",
    passing="""\
  - kind: outcome
    id: colleague_befriending_pupils
    title: A member of staff is befriending pupils online
    actions:
      - text: >-
          Tell the head teacher now, or the chair of governors if it is about
          the head teacher. They talk to the LADO.
        who: you
        when: immediately
    contacts: [head_teacher, chair_of_governors, lado, dsl]
    related_trees: [dsl-cannot-be-reached]""",
    false_alarms=(
        ("staff named as the people who respond, not as the subject", """\
  - kind: outcome
    id: first_response
    title: First response (any staff member)
    summary: After the staff member has listened, the DSL takes it from there.
    actions:
      - text: Tell the DSL now, in person or by phone.
        who: you
        when: immediately
    contacts: [dsl]
    related_trees: [dsl-cannot-be-reached]"""),
        ("the LADO is contacted in the procedure's next step", """\
  - kind: outcome
    id: report_it_immediately
    title: A volunteer may have harmed a child
    actions:
      - text: >-
          Report it immediately to the DSL and the Head of Human Resources.
        who: you
        when: immediately
    contacts: [dsl, head_of_human_resources]
    related_trees: [dsl-cannot-be-reached]
    next_step:
      text: They decide what happens next.
      next: does_it_meet_the_threshold
  - kind: question
    id: does_it_meet_the_threshold
    question: Does the matter meet the threshold for significant harm?
    decided_by: dsl
    answers:
      - id: "no"
        label: "No"
        next: lado_advice
      - id: "yes"
        label: "Yes"
        next: lado_advice
  - kind: outcome
    id: lado_advice
    title: The LADO advises
    actions:
      - text: The LADO advises on how to manage the allegation.
        who: lado
    contacts: [lado]"""),
        ("a step that says who the concern is about: a volunteer's own child", """\
  - kind: outcome
    id: volunteer_worried_about_own_child
    title: A volunteer tells you their own child is being hurt at home
    concern_about: child
    actions:
      - text: Tell the DSL now, in person or by phone.
        who: you
        when: immediately
    contacts: [dsl]
    related_trees: [dsl-cannot-be-reached]"""),
    ),
)
def check_adults(view: ProjectView) -> Iterator[Diagnostic]:
    this = check_adults.rule
    for step in view.own_steps():
        if step.kind != "outcome" or not _about_adult(step):
            continue
        wording = positive_text(" ".join(t.text for t in step.texts() if t.kind != "never"))
        names = step.contacts | frozenset().union(*(a.who for a in step.actions)) if step.actions else step.contacts
        to_head = bool(names & {"head_teacher", "case_manager"} or _HEAD.search(wording))
        to_chair = bool(names & {"chair_of_governors"} or _CHAIR.search(wording))
        to_lado = bool(names & {"lado", "designated_officer"} or _LADO.search(wording)) or _lado_next(step)
        to_slt = bool(names & SLT_ROLES or SENIOR_LEADERSHIP.search(wording))
        if to_head or to_chair or to_lado:
            if to_head and not (to_chair or to_lado):
                yield this.diagnostic(
                    step, f"outcome '{step.id}' sends a concern about an adult to the head teacher but says nothing "
                          "for when it is about the head teacher", loc=("id",),
                    fix="add the chair of governors (\"or the chair of governors if it is about the head "
                        "teacher\") and list 'chair_of_governors' in contacts")
            continue
        if to_slt:
            message = f"outcome '{step.id}' sends a concern about an adult to senior leadership alone"
        else:
            message = f"outcome '{step.id}' does not route a concern about an adult to the head teacher or the LADO"
        yield this.diagnostic(step, message, loc=("id",),
                              fix="tell the head teacher (the chair of governors if it is about the head), who "
                                  "consults the LADO; list head_teacher, chair_of_governors and lado in contacts")


def _about_adult(step) -> bool:
    """Is the step about a concern with an adult who works with children? The data's `concern_about` decides;
    without it, the step's own wording (staff named as the people who report it do not count)."""
    stated = concern_about(step)
    return stated == "adult_working_with_children" if stated else about_adult_at_school(step_subject(step))


def _lado_next(step) -> bool:
    """Does the step lead straight on (its `next_step`, then that question's answers) to a step where the LADO
    is contacted? Then the concern reaches the LADO through the procedure's next step."""
    steps = step.tree.steps_by_id
    following = steps.get(str((step.data.get("next_step") or {}).get("next", "")))
    if following is None:
        return False
    after = [following] + [steps[target] for a in following.answers for target, _ in leads(a.get("next"), ())
                           if target in steps]
    return any(s.contacts & {"lado", "designated_officer"} or
               s.meets(lambda a: a.who & {"lado", "designated_officer"}) for s in after)
