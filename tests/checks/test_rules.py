"""The safeguarding rules (generator/checks/rules/), on a small neutral fixture school, not on any real school's data.

tests/fixtures/rules-school passes every rule. Each failing case changes one thing in a copy (the
`old` text must occur exactly once) and expects exactly the diagnostic lines listed, written by hand
from the fixture's line numbers. Each passing case is a safe wording the rule must leave alone.

Planting a bug: `PLANT_DISABLED_RULES=S201 pytest tests/checks/test_rules.py` runs the checks with that rule
switched off; its failing cases (and the acceptance cases using it) must then go red.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from pathlib import Path

import pytest

from generator.load.diagnostics import Diagnostic
from generator.load.loader import load_project
from generator.checks.rules import RULES, check_rules
from generator.checks.validate import rules_view

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "rules-school"
TREE = "decision_trees/worried-about-a-child.yml"
GROUP = "decision_trees/shared/immediate-danger.yml"
PAGE = "docs/parents/worried.md"
UNREACHABLE = "decision_trees/dsl-cannot-be-reached.yml"
DISABLED = frozenset(filter(None, os.environ.get("PLANT_DISABLED_RULES", "").split(",")))


def project_with(tmp_path: Path, *edits: tuple[str, str, str]) -> Path:
    """A copy of the fixture school with each (file, old, new) edit made; `old` must occur once."""
    root = tmp_path / "school"
    shutil.copytree(FIXTURE, root)
    for file, old, new in edits:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{file}: {old!r} occurs {text.count(old)} times in the fixture"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return root


def rule_diagnostics(root: Path) -> list[Diagnostic]:
    loaded = load_project(root)
    assert not [d for d in loaded.diagnostics if d.is_error], loaded.diagnostics
    return check_rules(rules_view(loaded), disabled=DISABLED)


def located(diagnostic: Diagnostic) -> str:
    """The printed line without its hint: path:line:column: CODE message."""
    return str(dataclasses.replace(diagnostic, hint=None))


def rule_lines(root: Path) -> list[str]:
    return [located(d) for d in rule_diagnostics(root)]


def test_the_fixture_school_passes_every_rule(tmp_path):
    assert rule_lines(project_with(tmp_path)) == []


# --- failing cases: (id, edits, the exact lines expected) ---------------------------------------------------

W = f"{TREE}:"
URGENT_LADO_REMOVED = (TREE, "      - text: >-\n          If a child is at risk now or evidence could be lost, the head teacher calls "
                             "the LADO and the\n          police at once.\n        who: head_teacher\n"
                             "        when: immediately\n", "")
FAILING = [
    # S001: a waiver names a rule that may be waived, with its reason and who agreed it.
    ("S001-a-rule-that-can-never-be-waived",
     [(TREE, "      - Never promise the child that you will keep what they tell you secret.\n",
       "      - Never promise the child that you will keep what they tell you secret.\n    waive:\n      S301:\n"
       "        reason: The child asked us to.\n        agreed_by: Form tutor\n")],
     [f"{W}51:7: S001 S301 (no-promise-of-secrecy) can never be waived"]),
    # S101: a safeguarding guide must start with the shared immediate-danger step.
    ("S101-no-immediate-danger-first",
     [(TREE, "  - use: immediate-danger\n    continue: what_worries_you\n", "")],
     [f"{W}11:5: S101 safeguarding guide 'worried-about-a-child' does not start with the shared immediate-danger "
      "step"]),
    ("S101-first-group-does-not-ask-about-danger",
     [(GROUP, "question: Is a child in immediate danger or at risk of serious harm right now?",
       "question: What has happened?")],
     [f"{UNREACHABLE}:11:5: S101 safeguarding guide 'dsl-cannot-be-reached' starts with shared group "
      "'immediate-danger', which does not ask whether a child is in immediate danger",
      f"{W}11:5: S101 safeguarding guide 'worried-about-a-child' starts with shared group 'immediate-danger', which "
      "does not ask whether a child is in immediate danger"]),
    # S102: the shared group's "yes" leads to an urgent outcome that calls 999 first, then tells the DSL.
    ("S102-first-action-not-999",
     [(GROUP, "      - text: Call **999** and ask for the police.", "      - text: Find the DSL and tell them.")],
     [f"{GROUP}:23:9: S102 the first action of 'call_999_now' is not to call 999"]),
    ("S102-yes-not-urgent",
     [(GROUP, "    urgent: true", "    urgent: false")],
     [f"{GROUP}:10:15: S102 'yes' to immediate danger does not lead straight to an urgent outcome"]),
    ("S102-own-danger-question-yes-not-to-999",
     [(TREE, "  - use: immediate-danger\n    continue: what_worries_you\n",
       "  - kind: question\n    id: is_there_immediate_risk\n    question: Is there an immediate risk of harm to a child?\n"
       "    answers:\n      - id: \"yes\"\n        label: \"Yes\"\n        next: tell_dsl_now\n      - id: \"no\"\n"
       "        label: \"No\"\n        next: what_worries_you\n")],
     [f"{W}17:15: S102 'yes' to immediate danger does not lead straight to an urgent outcome"]),
    ("S102-never-tells-the-dsl",
     [(GROUP, "      - text: Tell the DSL what has happened and that you have called 999.",
       "      - text: Stay with the child if it is safe to do so."),
      (GROUP, "      - police_emergency\n      - dsl\n", "      - police_emergency\n      - head_teacher\n")],
     [f"{GROUP}:18:9: S102 'call_999_now' does not go on to tell the DSL"]),
    # S201: nothing but a prohibition may name copying or viewing a possible sexual image of a child.
    ("S201-screenshot-action",
     [(TREE, "Describe the image in words. Keep the device secure and give it to the DSL.",
       "Take a screenshot of the image as evidence.")],
     [f"{W}40:15: S201 'take a screenshot' here tells someone to handle what may be a sexual image of a child"]),
    ("S201-read-it-carefully",
     [(TREE, "summary: Tell the DSL straight away and describe the image in words.",
       "summary: Read it carefully before you decide.")],
     [f"{W}35:14: S201 'read' here tells someone to handle what may be a sexual image of a child"]),
    ("S201-forward-to-the-dsl",
     [(TREE, "Describe the image in words. Keep the device secure and give it to the DSL.",
       "Describe the image, then forward it to the DSL.")],
     [f"{W}40:15: S201 'forward' here tells someone to handle what may be a sexual image of a child"]),
    ("S201-ask-a-child-to-send-it",
     [(TREE, "Describe the image in words. Keep the device secure and give it to the DSL.",
       "Ask the pupil to send you the photo so that you can pass it on.")],
     [f"{W}40:15: S201 'send' here tells someone to handle what may be a sexual image of a child"]),
    ("S201-page-save-photos",
     [(PAGE, "Do not forward or save any image: describe it instead.", "Save the photos they sent as evidence.")],
     [f"{PAGE}:16:37: S201 'save' here tells someone to handle what may be a sexual image of a child"]),
    ("S201-never-item-turning-into-an-instruction",
     [(TREE, "      - Never delete the image, or ask a child to delete it.",
       "      - \"Never delete the image: take a screenshot of it instead.\"")],
     [f"{W}48:9: S201 'take a screenshot' here tells someone to handle what may be a sexual image of a child"]),
    # S202: report before deleting.
    ("S202-delete-then-report",
     [(TREE, "Help the pupil report the posts to the site. Don't delete anything until it has been reported.",
       "Help the pupil delete what they can, then report the account.")],
     [f"{W}94:15: S202 'delete' before the content has been reported"]),
    # S301: no promise of secrecy.
    ("S301-keep-it-between-you",
     [(TREE, "Tell the DSL now, in person or by phone. Explain that you cannot keep it secret.",
       "Tell the DSL now. Promise the child that you will keep it between you.")],
     [f"{W}126:15: S301 promises a child secrecy: 'Promise the child that you will keep it between you.'"]),
    ("S301-i-promise-not-to-tell",
     [(TREE, "Tell the DSL now, in person or by phone. Explain that you cannot keep it secret.",
       "'Tell the DSL now. Say to the child: \"I promise not to tell anyone.\"'")],
     [f"{W}126:15: S301 promises a child secrecy: 'Say to the child: \"I promise not to tell anyone.\"'"]),
    ("S301-tell-the-child-it-stays-confidential",
     [(TREE, "Tell the DSL now, in person or by phone. Explain that you cannot keep it secret.",
       "Tell the DSL now. Tell the child it will stay confidential.")],
     [f"{W}126:15: S301 promises a child secrecy: 'Tell the child it will stay confidential.'"]),
    ("S301-never-item-turning-into-a-promise",
     [(TREE, "      - Never promise the child that you will keep what they tell you secret.",
       "      - \"Never tell the pupil off: promise them it stays between you.\"")],
     [f"{W}49:9: S301 promises a child secrecy: 'Never tell the pupil off: promise them it stays between you.'"]),
    # S401: every outcome of a safeguarding guide reaches the DSL.
    ("S401-outcome-without-the-dsl",
     [(TREE, "Tell the DSL now, in person or by phone. Explain that you cannot keep it secret.",
       "Talk to the pupil's class teacher about it."),
      (TREE, "    contacts:\n      - dsl\n    cites: [child-protection#report-to-dsl]\n",
       "    contacts:\n      - head_teacher\n    cites: [child-protection#report-to-dsl]\n")],
     [f"{W}122:9: S401 outcome 'tell_dsl_now' of safeguarding guide 'worried-about-a-child' does not reach the DSL"]),
    # S402: telling the DSL is immediate.
    ("S402-when-same-day",
     [(TREE, "      - text: Tell the DSL now.\n        who: you\n        when: immediately\n",
       "      - text: Tell the DSL now.\n        who: you\n        when: same day\n")],
     [f"{W}91:15: S402 telling the DSL has 'when: same day'"]),
    ("S402-text-same-day",
     [(TREE, "      - text: Tell the DSL now.\n", "      - text: Tell the DSL the same day.\n")],
     [f"{W}89:15: S402 'the same day' is too late to tell the DSL about a child"]),
    ("S402-contact-call-tomorrow",
     [(TREE, "      - text: Tell the DSL now.\n", "      - text: 'Tell {{ contact(\"dsl\") }} tomorrow.'\n")],
     [f"{W}89:15: S402 'tomorrow' is too late to tell the DSL about a child"]),
    ("S402-page-contact-call-end-of-the-day",
     [(PAGE, "Then tell the school's DSL.", "Then tell {{ contact(\"dsl\") }} by the end of the day.")],
     [f"{PAGE}:7:77: S402 'by the end of the day' is too late to tell the DSL about a child"]),
    ("S402-no-when",
     [(TREE, "      - text: Tell the DSL now.\n        who: you\n        when: immediately\n",
       "      - text: Tell the DSL now.\n        who: you\n")],
     [f"{W}89:15: S402 telling the DSL has no 'when'"]),
    # A question's actions are read like an outcome's (issue 27).
    ("S402-a-questions-action-same-day",
     [(TREE, "    question: What worries you?\n",
       "    question: What worries you?\n    actions:\n      - text: Tell the DSL what you have seen.\n"
       "        who: you\n        when: same day\n")],
     [f"{W}19:15: S402 telling the DSL has 'when: same day'"]),
    # A duty met in one alternative of an either group is not met: the other may be the one done (issue 27).
    ("S401-the-dsl-in-one-alternative-only",
     [(TREE, "    actions:\n      - text: Tell the DSL now, in person or by phone. Explain that you cannot keep it "
             "secret.\n        who: you\n        when: immediately\n    contacts:\n      - dsl\n",
       "    actions:\n      - either:\n          - text: Tell the DSL now, in person or by phone.\n"
       "            who: you\n            when: immediately\n"
       "          - text: Talk to the pupil's class teacher about it.\n            who: you\n"
       "    contacts:\n      - head_teacher\n")],
     [f"{W}122:9: S401 outcome 'tell_dsl_now' of safeguarding guide 'worried-about-a-child' does not reach the DSL"]),
    # A note readers see is read like any other text of the step (issue 27).
    ("S402-a-note-says-tomorrow",
     [(TREE, "    summary: Any concern about a child goes to the DSL straight away.\n",
       "    summary: Any concern about a child goes to the DSL straight away.\n"
       "    notes: [If they are out, tell the DSL tomorrow.]\n")],
     [f"{W}125:30: S402 'tomorrow' is too late to tell the DSL about a child"]),
    # The kind decides, not the words: "before the end of the school day" is the same day (issue 27).
    ("S402-kind-same-day-in-the-sources-words",
     [(TREE, "      - text: Tell the DSL now.\n        who: you\n        when: immediately\n",
       "      - text: Tell the DSL now.\n        who: you\n"
       "        when: {kind: same_day, says: before the end of the school day}\n")],
     [f"{W}91:15: S402 telling the DSL has 'when: before the end of the school day'"]),
    ("S403-lado-next-working-day-in-the-sources-words",
     [URGENT_LADO_REMOVED,
      (TREE, "        who: head_teacher\n        when: within 1 working day\n",
       "        who: head_teacher\n        when: {kind: working_days, n: 1, says: next working day}\n")],
     [f"{W}70:15: S403 the LADO is given 'when: next working day' with no urgent route beside it"]),
    # S403: one working day for the LADO is the outer limit, with an urgent route beside it.
    ("S403-lado-one-working-day-only",
     [URGENT_LADO_REMOVED],
     [f"{W}70:15: S403 the LADO is given 'when: within 1 working day' with no urgent route beside it"]),
    # S404: a known case of FGM is reported to the police by the reader personally, and the DSL is told.
    ("S404-fgm-left-to-the-dsl",
     [(TREE, "    title: Tell the DSL now\n    summary: Any concern about a child goes to the DSL straight away.\n",
       "    title: A girl tells you she has had FGM\n    summary: Tell the DSL straight away.\n")],
     [f"{W}122:9: S404 outcome 'tell_dsl_now' is about FGM but does not tell you to report it to the police "
      "yourself"]),
    # S405: telling the DSL comes with the route for when neither the DSL nor a deputy can be reached.
    ("S405-no-route-when-the-dsl-cannot-be-reached",
     [(TREE, "Explain that you cannot keep it secret.\n        who: you\n        when: immediately\n    contacts:\n"
             "      - dsl\n    cites: [child-protection#report-to-dsl]\n    related_trees: [dsl-cannot-be-reached]\n",
       "Explain that you cannot keep it secret.\n        who: you\n        when: immediately\n    contacts:\n"
       "      - dsl\n    cites: [child-protection#report-to-dsl]\n")],
     [f"{W}122:9: S405 outcome 'tell_dsl_now' tells you to tell the DSL but not what to do if neither the DSL nor a "
      "deputy can be reached"]),
    # S501: a concern about an adult goes to the head teacher (chair of governors) and/or the LADO.
    ("S501-staff-befriending-to-slt",
     [(TREE, "    title: Tell the head teacher now\n", "    title: Tell senior leadership\n"),
      (TREE, "A concern about an adult who works with children goes to the head teacher, who consults the LADO.",
       "A member of staff is befriending pupils online."),
      (TREE, "Tell the head teacher now, or the chair of governors if the concern is about the head teacher.",
       "Tell a member of SLT about it."),
      URGENT_LADO_REMOVED,
      (TREE, "The head teacher consults the LADO.", "Senior leadership decide what happens next."),
      (TREE, "        who: head_teacher\n", "        who: slt\n"),
      (TREE, "      - head_teacher\n      - chair_of_governors\n      - lado\n",
       "      - senior_leadership\n      - deputy_dsl\n      - out_of_hours\n")],
     [f"{W}57:9: S501 outcome 'concern_about_adult' sends a concern about an adult to senior leadership alone"]),
    ("S501-head-teacher-without-chair",
     [(TREE, "A concern about an adult who works with children goes to the head teacher, who consults the LADO.",
       "A concern about a volunteer goes to the head teacher."),
      (TREE, "Tell the head teacher now, or the chair of governors if the concern is about the head teacher.",
       "Tell the head teacher now."),
      URGENT_LADO_REMOVED,
      (TREE, "The head teacher consults the LADO.", "The head teacher decides what happens next."),
      (TREE, "      - chair_of_governors\n      - lado\n", "      - deputy_dsl\n      - out_of_hours\n")],
     [f"{W}57:9: S501 outcome 'concern_about_adult' sends a concern about an adult to the head teacher but says "
      "nothing for when it is about the head teacher"]),
    ("S501-head-of-human-resources-is-not-the-head-teacher",
     [(TREE, "A concern about an adult who works with children goes to the head teacher, who consults the LADO.",
       "A concern about a volunteer goes to the Head of Human Resources."),
      (TREE, "Tell the head teacher now, or the chair of governors if the concern is about the head teacher.",
       "Tell the Head of Human Resources now."),
      URGENT_LADO_REMOVED,
      (TREE, "The head teacher consults the LADO.", "The Head of Human Resources decides what happens next."),
      (TREE, "        who: head_teacher\n", "        who: dsl\n"),
      (TREE, "    title: Tell the head teacher now\n", "    title: Tell the Head of Human Resources now\n"),
      (TREE, "      - head_teacher\n      - chair_of_governors\n      - lado\n",
       "      - deputy_dsl\n      - out_of_hours\n      - prevent\n")],
     [f"{W}57:9: S501 outcome 'concern_about_adult' does not route a concern about an adult to the head teacher or "
      "the LADO"]),
    # S601: CEOP only for sexual abuse and grooming.
    ("S601-ceop-for-bullying-text",
     [(TREE, "If the pupil is threatened, the DSL calls the police on 101.", "If all else fails, report it to CEOP.")],
     [f"{W}96:15: S601 CEOP is offered for something that is not sexual abuse or grooming"]),
    ("S601-ceop-for-bullying-contact",
     [(TREE, "      - police_non_emergency\n", "      - ceop\n")],
     [f"{W}100:9: S601 outcome 'bullying_tell_dsl' lists CEOP for something that is not sexual abuse or grooming"]),
    ("S601-ceop-for-bullying-page",
     [(PAGE, "report them to the site and block", "report them to CEOP and block")],
     [f"{PAGE}:11:45: S601 CEOP is offered for something that is not sexual abuse or grooming"]),
    # S701: a placeholder DSL contact is a warning (publish refuses the build).
    ("S701-placeholder-dsl",
     [("school.yml", "    name: Ms A. Example\n", "    placeholder: true\n")],
     ["school.yml:10:18: S701 warning: contact 'dsl' is a placeholder: the site can be built as a preview but not "
      "published"]),
    ("S701-dsl-with-a-name-and-a-room-but-no-phone",
     [("school.yml", '    phone: "01234 567890"\n', "    where: School office\n")],
     ["school.yml:9:5: S701 warning: contact 'dsl' has no phone or email, so nobody can reach it from the site: it "
      "counts as a placeholder (preview only, not published)"]),
]


@pytest.mark.parametrize("edits, expected", [case[1:] for case in FAILING], ids=[case[0] for case in FAILING])
def test_failing_case(tmp_path, edits, expected):
    assert rule_lines(project_with(tmp_path, *edits)) == expected


# --- passing cases: safe wordings each rule must leave alone -----------------------------------------------

PASSING = [
    ("S101-a-danger-group-of-another-name",
     [(TREE, "  - use: immediate-danger\n", "  - use: danger\n"), (GROUP, "id: immediate-danger\n", "id: danger\n"),
      (UNREACHABLE, "  - use: immediate-danger\n", "  - use: danger\n")]),
    ("S201-adult-defamatory-post-screenshot",
     [(TREE, "Take a screenshot of the bullying messages, with the account name and the date.",
       "Take a screenshot of the parent's defamatory post, with the account name and the date.")]),
    ("S201-never-screenshot-in-an-action",
     [(TREE, "Describe the image in words. Keep the device secure and give it to the DSL.",
       "\"Never screenshot it. Describe it in words: don't copy it, and do not forward it.\"")]),
    ("S201-dont-look-at-it-again",
     [(TREE, "summary: Tell the DSL straight away and describe the image in words.",
       "summary: \"Don't look at it again: tell the DSL straight away.\"")]),
    ("S201-a-description-is-not-an-instruction",
     [(TREE, "Describe the image in words. Keep the device secure and give it to the DSL.",
       "If a pupil showed you the image, tell the DSL that you saw it.")]),
    ("S202-delete-after-reporting",
     [(TREE, "Help the pupil report the posts to the site. Don't delete anything until it has been reported.",
       "Help the pupil report the posts to the site. Once they have been reported, the pupil can delete them.")]),
    ("S301-never-promise-in-an-action",
     [(TREE, "Tell the DSL now, in person or by phone. Explain that you cannot keep it secret.",
       "Tell the DSL now. Never promise to keep it between you and the child.")]),
    ("S401-jump-to-another-safeguarding-guide",
     [(TREE, "Tell the DSL now, in person or by phone. Explain that you cannot keep it secret.",
       "Follow the guide for online safety."),
      (TREE, "    contacts:\n      - dsl\n    cites: [child-protection#report-to-dsl]\n",
       "    also_follow: [worried-about-a-child#what_worries_you]\n    contacts:\n      - head_teacher\n"
       "    cites: [child-protection#report-to-dsl]\n")]),
    # The DSL in every alternative of an either group: the duty is met whichever is done (issue 27).
    ("S401-the-dsl-in-every-alternative",
     [(TREE, "    actions:\n      - text: Tell the DSL now, in person or by phone. Explain that you cannot keep it "
             "secret.\n        who: you\n        when: immediately\n    contacts:\n      - dsl\n",
       "    actions:\n      - either:\n          - text: Tell the DSL now, in person or by phone.\n"
       "            who: you\n            when: immediately\n"
       "          - text: Ring the deputy DSL now if the DSL is teaching.\n            who: you\n"
       "            when: immediately\n"
       "    contacts:\n      - head_teacher\n")]),
    # A source's own words for "at once", given their kind (issue 27).
    ("S402-kind-immediately-in-the-sources-words",
     [(TREE, "      - text: Tell the DSL now.\n        who: you\n        when: immediately\n",
       "      - text: Tell the DSL now.\n        who: you\n        when: {kind: immediately, says: at once}\n")]),
    ("S402-kind-as-soon-as-practicable",
     [(TREE, "      - text: Tell the DSL now.\n        who: you\n        when: immediately\n",
       "      - text: Tell the DSL now.\n        who: you\n"
       "        when: {kind: as_soon_as_practicable, says: as soon as is practically possible}\n")]),
    ("S403-urgent-route-in-the-sources-words",
     [(TREE, "the LADO and the\n          police at once.\n        who: head_teacher\n        when: immediately\n",
       "the LADO and the\n          police at once.\n        who: head_teacher\n"
       "        when: {kind: minutes, n: 30, says: within half an hour}\n")]),
    ("S402-within-one-hour",
     [(TREE, "      - text: Tell the DSL now.\n        who: you\n        when: immediately\n",
       "      - text: Tell the DSL now.\n        who: you\n        when: within 1 hour\n")]),
    ("S501-head-teacher-and-lado",
     [(TREE, "      - chair_of_governors\n", "      - deputy_dsl\n"),
      (TREE, "Tell the head teacher now, or the chair of governors if the concern is about the head teacher.",
       "Tell the head teacher now.")]),
    # The chair of governors named only as a conditional role ({role: …, if: …}), nowhere in the words.
    ("S501-chair-as-a-conditional-role",
     [(TREE, "A concern about an adult who works with children goes to the head teacher, who consults the LADO.",
       "A concern about a volunteer goes to the head teacher."),
      (TREE, "Tell the head teacher now, or the chair of governors if the concern is about the head teacher.\n"
             "        who: you\n",
       "Tell them now.\n        who: [head_teacher, {role: chair_of_governors, if: the concern is about the head "
       "teacher}]\n"),
      URGENT_LADO_REMOVED,
      (TREE, "The head teacher consults the LADO.", "The head teacher decides what happens next."),
      (TREE, "      - chair_of_governors\n      - lado\n", "      - deputy_dsl\n      - out_of_hours\n")]),
    ("S601-ceop-for-grooming-on-a-page",
     [(PAGE, "Report it to CEOP or to the police.", "Report grooming to CEOP.")]),
    ("S701-placeholder-other-contact",
     [("school.yml", "    role: Out-of-hours children's social care\n",
       "    role: Out-of-hours children's social care\n    placeholder: true\n")]),
]


@pytest.mark.parametrize("edits", [case[1] for case in PASSING], ids=[case[0] for case in PASSING])
def test_passing_case(tmp_path, edits):
    assert rule_lines(project_with(tmp_path, *edits)) == []


# --- every rule is tested, documented and explains itself ------------------------------------------------------

def test_every_rule_has_a_failing_case():
    tested = {case[0].split("-")[0] for case in FAILING}
    assert tested == {r.code for r in RULES}


def test_rules_are_registered_with_code_name_reason_source_and_examples():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    for item in RULES:
        assert re.fullmatch(r"S\d{3}", item.code), item.code
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", item.name), item.name
        for field in ("summary", "why", "source", "failing", "passing"):
            assert getattr(item, field).strip(), f"{item.code} has no {field}"
        assert item.failing != item.passing


def test_each_diagnostic_says_how_to_fix_it_why_and_where_the_rule_comes_from(tmp_path):
    edits = [edit for case in FAILING for edit in case[1] if case[0] == "S201-screenshot-action"]
    (diagnostic,) = rule_diagnostics(project_with(tmp_path, *edits))
    rule = next(r for r in RULES if r.code == "S201")
    assert diagnostic.hint.startswith("describe the image in words and tell the DSL")
    assert f"Why: {rule.why} [{rule.source}]" in diagnostic.hint
    assert "UKCIS" in rule.source


def test_the_rules_reference_page_is_up_to_date():
    """generator/guide/safety-rules.md (a tool page on every staff site) is generated from the registry: `python -m generator rules --write`."""
    from generator.checks.rules.reference import PAGE, render_reference
    from support import REPO

    assert (REPO / PAGE).read_text(encoding="utf-8") == render_reference()


def test_the_rules_reference_shows_each_rule_with_its_examples():
    from generator.checks.rules.reference import render_reference

    page = render_reference()
    for item in RULES:
        section = page.split(f"\n## {item.code} {item.name}\n", 1)[1].split("\n## ", 1)[0]
        assert item.why[1:] in section and item.source[1:] in section
        fails, passes = section.split("Fails:", 1)[1].split("Passes:", 1)
        assert item.failing.rstrip() in fails and item.passing.rstrip() in passes
        for what, example in item.false_alarms:
            assert example.rstrip() in passes.split(f"Also passes ({what}):", 1)[1]
        waivable = "**Waivable:** yes," if item.waivable else "**Waivable:** never"
        assert waivable in section
        assert (f"| {item.name} |" in page.split("\n## ", 1)[0]) and page.split("\n## ", 1)[0].split(
            f"| {item.name} |", 1)[1].split("\n", 1)[0].endswith("| never |" if not item.waivable else
                                                                  "| yes, with a reason |")


# --- the examples in the reference are true: each failing one is refused by its rule, each passing one is not ---

_FIXTURE_DSL = ('contacts:\n  dsl:\n    role: Designated Safeguarding Lead (DSL)\n    name: Ms A. Example\n'
                '    phone: "01234 567890"\n')
_TREE_START = ("safeguarding: true\nnodes:\n  - use: immediate-danger\n    continue: what_worries_you\n"
               "  - kind: question\n    id: what_worries_you\n    question: What worries you?\n")


def project_with_example(tmp_path: Path, item, example: str) -> Path:
    root = project_with(tmp_path)
    if item.example_in == "tree-step":
        with (root / TREE).open("a", encoding="utf-8") as tree:
            tree.write(example + "\n")
        return root
    file, old = {
        "tree-start": (TREE, _TREE_START),
        "school-dsl": ("school.yml", _FIXTURE_DSL),
        "group-outcome": (GROUP, (FIXTURE / GROUP).read_text(encoding="utf-8").split("  - kind: outcome\n")[1]),
    }[item.example_in]
    if item.example_in == "group-outcome":
        old = "  - kind: outcome\n" + old
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, example + "\n"), encoding="utf-8")
    return root


@pytest.mark.parametrize("item", RULES, ids=[r.code for r in RULES])
def test_the_failing_example_is_refused_by_its_rule_only(tmp_path, item):
    codes = {d.code for d in rule_diagnostics(project_with_example(tmp_path, item, item.failing))}
    assert codes == {item.code}


@pytest.mark.parametrize("item", RULES, ids=[r.code for r in RULES])
def test_the_passing_example_passes(tmp_path, item):
    assert rule_lines(project_with_example(tmp_path, item, item.passing)) == []


FALSE_ALARMS = [(item, example) for item in RULES for _, example in item.false_alarms]


@pytest.mark.parametrize("item, example", FALSE_ALARMS,
                         ids=[f"{item.code}-{what}" for item in RULES for what, _ in item.false_alarms])
def test_each_false_alarm_the_rule_once_raised_now_passes(tmp_path, item, example):
    """Faithful statutory wordings (issue 26) the rules refused: each now passes, and its rule's failing example
    is still refused (test_the_failing_example_is_refused_by_its_rule_only)."""
    assert rule_lines(project_with_example(tmp_path, item, example)) == []


def test_the_false_alarms_of_issue_26_are_all_recorded():
    assert {item.code: len(item.false_alarms) for item in RULES if item.false_alarms} == {
        "S101": 1, "S202": 2, "S401": 2, "S402": 1, "S403": 1, "S501": 3}
