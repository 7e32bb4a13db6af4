"""S401: every outcome of a safeguarding guide reaches the DSL."""

from __future__ import annotations

from typing import Iterator

from generator.load.diagnostics import Diagnostic
from generator.checks.rules.context import tells_dsl
from generator.checks.rules.registry import rule
from generator.checks.rules.walk import DSL_ROLES, ProjectView, Step


@rule(
    code="S401", name="outcomes-reach-the-dsl",
    reads="project",  # a hand-over to another guide counts when that guide is a safeguarding one
    summary="Every outcome of a safeguarding guide names the DSL or a deputy (in an action's `who` or text, or in "
            "`contacts`), or hands over to another safeguarding guide; an explicit `no_further_action` ending is "
            "allowed when the DSL made the decision that leads to it. Not needed on a `whistleblowing: true` step "
            "(it goes around the school on purpose) nor on a step whose every action is done by someone else "
            "(`who:` the LADO, the police, social care, the case manager or the head teacher).",
    why="the DSL holds the whole picture of a child: a concern that stops with the reader, a form tutor or a "
        "platform's report button can be the missing piece of a pattern",
    source="KCSIE 2025 Part one (staff report concerns to the DSL at once); Working together to safeguard "
           "children 2023, chapter 2",
    failing="""\
  - kind: outcome
    id: report_and_block
    title: Report the account and block it
    actions:
      - text: Help the pupil report the account to the platform and block it.
        who: you""",
    passing="""\
  - kind: outcome
    id: report_and_block
    title: Report the account, block it and tell the DSL
    actions:
      - text: Tell the DSL what happened.
        who: you
        when: immediately
      - text: Help the pupil report the account to the platform and block it.
        who: you
    contacts: [dsl]
    related_trees: [dsl-cannot-be-reached]""",
    false_alarms=(
        ("whistleblowing, which goes around the school on purpose", """\
  - kind: outcome
    id: raise_it_outside_the_school
    title: Raise it outside the school
    summary: If the school has not acted on your concern, you can go outside it.
    whistleblowing: true
    actions:
      - text: Call the NSPCC whistleblowing advice line.
        who: you
    contacts: [nspcc_helpline]"""),
        ("a step the LADO and the case manager run", """\
  - kind: outcome
    id: lado_decides
    title: The LADO decides what happens next
    summary: The LADO considers whether the allegation meets the harm threshold.
    actions:
      - text: The LADO talks to the police and children's social care.
        who: lado
      - text: The case manager tells the member of staff, once the LADO agrees.
        who: case_manager
    contacts: [lado]"""),
    ),
)
def check_routes(view: ProjectView) -> Iterator[Diagnostic]:
    this = check_routes.rule
    safeguarding = {guide.id for guide in view.guides if guide.safeguarding}
    for guide in view.guides:
        if not guide.safeguarding:
            continue
        for step in guide.steps:
            if step.kind != "outcome" or step.group is not None or _reaches_dsl(step, safeguarding):
                continue
            yield this.diagnostic(
                step, f"outcome '{step.id}' of safeguarding guide '{guide.id}' does not reach the DSL",
                fix="add an action telling the DSL (who: you, when: immediately) and list 'dsl' in contacts, or hand "
                    "over with also_follow to a safeguarding guide; a decided 'no_further_action' ending follows a "
                    "question with 'decided_by: dsl'", loc=("id",))


# Steps someone else runs (the LADO, the police, social care; the case manager or head teacher running the
# allegations procedure): the reader has already told the DSL on the way there, and these steps say what the
# others then do.
RUN_BY_OTHERS = frozenset({"lado", "designated_officer", "police", "childrens_social_care", "social_worker",
                           "channel_panel", "early_help", "case_manager", "head_teacher", "chair_of_governors"})


def run_by_others(step: Step) -> bool:
    """Is every action of the step done by someone other than the reader (as its `who` says)?"""
    actions = step.actions
    return bool(actions) and all(action.who and action.who <= RUN_BY_OTHERS for action in actions)


def _reaches_dsl(step: Step, safeguarding: set[str]) -> bool:
    if step.flag("whistleblowing") or run_by_others(step):
        return True  # whistleblowing goes around the school on purpose; others' steps are not the reader's
    if step.contacts & DSL_ROLES or step.meets(lambda action: action.who & DSL_ROLES or tells_dsl(action.text.text)):
        return True
    if step.flag("no_further_action") and step.incoming and all(
            question.decided_by & DSL_ROLES for question, _ in step.incoming):
        return True
    return any(target.partition("#")[0] in safeguarding for target, _ in step.jumps)
