"""S404, S405: statutory duties a guide must carry: FGM mandatory reporting, and what to do when the DSL
cannot be reached."""

from __future__ import annotations

import re
from typing import Iterator

from generator.load.diagnostics import Diagnostic
from generator.checks.rules.context import guide_topic, step_subject, tells_dsl
from generator.checks.rules.language import instructions, sentences
from generator.checks.rules.registry import outcome_example, rule
from generator.checks.rules.walk import DSL_ROLES, ProjectView, Step

# Female genital mutilation, in the words procedures use for it.
FGM = re.compile(r"\bFGM\b|\bfemale\s+genital\s+mutilation\b|\bfemale\s+circumcision\b|\bgenital\s+cutting\b|"
                 r"\b(?:sunna|khatna|tahoor|bondo)\b", re.IGNORECASE)
# Only a known case carries the duty (disclosed, or signs seen); a girl at risk of FGM goes to the DSL.
_AT_RISK_ONLY = re.compile(r"\b(?:at\s+risk\s+of|risk\s+of|may\s+be\s+taken|planned|about\s+to)\b[^.;?]{0,30}"
                           r"(?:FGM|female\s+genital\s+mutilation|cut)", re.IGNORECASE)
_POLICE = re.compile(r"\bpolice\b|\b101\b|\b999\b", re.IGNORECASE)
READER = frozenset({"you", "staff"})
"""Roles that mean the person reading the guide (who holds the personal duty)."""
_FGM_NATIONS = ("England", "Wales")
_REPORTING = r"report|call|ring|phone|contact|tell|inform|make\s+(?:a\s+)?report"


@rule(
    code="S404", name="fgm-reported-to-the-police-personally",
    summary="An outcome about a known case of FGM in a girl under 18 (disclosed, or signs seen) has an action "
            "for the reader (`who: you`) to report it to the police (101) personally, and tells the DSL as well. "
            "A girl at risk of FGM is a safeguarding concern for the DSL. Applies to schools in England and Wales.",
    why="a teacher who is told of, or sees signs of, FGM in a girl under 18 must report it to the police "
        "personally, normally by the end of the next working day: the duty cannot be passed to the DSL, and "
        "the DSL must still be told so that the girl and her sisters are safeguarded",
    source="Female Genital Mutilation Act 2003, section 5B (the mandatory reporting duty); Home Office, Mandatory "
           "reporting of female genital mutilation: procedural information; Multi-agency statutory guidance on "
           "female genital mutilation (2020); KCSIE 2025 Annex B",
    failing=outcome_example(
        "girl_discloses_fgm", "A girl tells you she has had FGM",
        "Listen carefully and write down what she said, in her words."),
    passing="""\
  - kind: outcome
    id: girl_discloses_fgm
    title: A girl tells you she has had FGM
    actions:
      - text: >-
          Report it to the police on 101 yourself, by the end of the next
          working day: this duty is yours and cannot be passed on.
        who: you
        when: within 1 working day
      - text: Tell the DSL now.
        who: you
        when: immediately
    contacts: [police_non_emergency, dsl]
    related_trees: [dsl-cannot-be-reached]""",
)
def check_fgm(view: ProjectView) -> Iterator[Diagnostic]:
    this = check_fgm.rule
    nation = view.school_source.data.get("nation") if view.school_source and isinstance(
        view.school_source.data, dict) else None
    if nation is not None and str(nation) not in _FGM_NATIONS:
        return
    for step in view.own_steps():
        if step.kind != "outcome" or not _known_fgm_case(step):
            continue
        reports = step.meets(lambda action: action.who & READER and _tells_police(action.text.text))
        if not reports:
            yield this.diagnostic(step, f"outcome '{step.id}' is about FGM but does not tell you to report it to "
                                        "the police yourself", loc=("id",),
                                  fix="add an action (who: you): report it to the police on 101 yourself, by the "
                                      "end of the next working day; the duty is personal, not the DSL's")
        if not _tells_dsl(step):
            yield this.diagnostic(step, f"outcome '{step.id}' is about FGM but does not tell the DSL",
                                  loc=("id",), fix="add an action (who: you, when: immediately): tell the DSL as well")


def _tells_police(text: str) -> bool:
    """Does the text tell the reader to report to (call, contact) the police themselves?"""
    for _, sentence in sentences(text):
        for _, verb in instructions(sentence, _REPORTING):
            if _POLICE.search(" ".join(verb.after.split()[:6])):
                return True
    return False


def _known_fgm_case(step: Step) -> bool:
    subject = step_subject(step)
    if not FGM.search(subject):
        subject = guide_topic(step.tree) if FGM.search(guide_topic(step.tree)) else ""
    return bool(subject) and not _AT_RISK_ONLY.search(subject)


def _tells_dsl(step: Step) -> bool:
    return bool(step.contacts & DSL_ROLES) or step.meets(lambda a: a.who & DSL_ROLES or tells_dsl(a.text.text))


UNREACHABLE_GUIDE = "dsl-cannot-be-reached"
"""The guide for when neither the DSL nor a deputy can be reached (KCSIE Part one)."""
_ADVICE_CONTACTS = frozenset({"childrens_social_care", "out_of_hours"})


@rule(
    code="S405", name="a-route-when-the-dsl-cannot-be-reached",
    reads="project",  # whether the 'DSL cannot be reached' guide exists
    summary="An outcome of a safeguarding guide for staff, volunteers or governors that tells the reader to tell "
            "the DSL also offers the route for when neither the DSL nor a deputy can be reached: the guide "
            f"'{UNREACHABLE_GUIDE}' in `related_trees` (or `also_follow`, or an answer leading there), or "
            "children's social care in `contacts`; or the guide has an `always_available` step offering it (a link "
            "on every step). Not needed on an urgent (999) outcome. Checked where the school has that guide.",
    why="a concern that waits because the DSL is on a course, off sick or it is after school is a concern not "
        "acted on; staff must know at once whom to go to instead",
    source="KCSIE 2025 Part one (if the DSL or a deputy is not available, this should not delay action: speak to "
           "a senior leader and/or take advice from children's social care)",
    failing="""\
  - kind: outcome
    id: pupil_self_harming
    title: A pupil is self-harming
    actions:
      - text: Tell the DSL now, in person or by phone.
        who: you
        when: immediately
    contacts: [dsl]""",
    passing=f"""\
  - kind: outcome
    id: pupil_self_harming
    title: A pupil is self-harming
    actions:
      - text: Tell the DSL now, in person or by phone.
        who: you
        when: immediately
    contacts: [dsl]
    related_trees: [{UNREACHABLE_GUIDE}]""",
)
def check_unreachable_route(view: ProjectView) -> Iterator[Diagnostic]:
    this = check_unreachable_route.rule
    if UNREACHABLE_GUIDE not in view.guides_by_id:
        return  # the route is the school's own guide; without it there is nothing to link to (see the summary)
    for guide in view.guides:
        # Parents' and pupils' guides reach the school's DSL from outside; the route here is for staff.
        if not guide.safeguarding or guide.id == UNREACHABLE_GUIDE or guide.audiences & {"parents", "pupils"}:
            continue
        if any(step.flag("always_available") and _offers_route(step) for step in guide.steps):
            continue  # a link shown on every step of the guide offers the route everywhere
        for step in guide.steps:
            if step.kind != "outcome" or step.group is not None or step.flag("urgent") or _offers_route(step):
                continue
            if any(action.who & READER and tells_dsl(action.text.text) for action in step.actions):
                yield this.diagnostic(
                    step, f"outcome '{step.id}' tells you to tell the DSL but not what to do if neither the DSL nor "
                          "a deputy can be reached", loc=("id",),
                    fix=f"add 'related_trees: [{UNREACHABLE_GUIDE}]' (or list childrens_social_care in contacts)")


def _offers_route(step: Step) -> bool:
    targets = [target.partition("#")[0] for target, _ in step.jumps]
    targets += [str(t) for t in step.data.get("related_trees") or []]
    return UNREACHABLE_GUIDE in targets or bool(step.contacts & _ADVICE_CONTACTS)
