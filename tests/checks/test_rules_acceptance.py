"""Issue 12 acceptance: each unsafe instruction the issue lists, added to the fixture school, is refused by
`check` with its code (through the whole pipeline: load, schema, cross references, then the rules).

The expected lines are written by hand from tests/fixtures/rules-school's line numbers.
"""

from __future__ import annotations

import dataclasses

import pytest

from generator import pipeline
from support import TODAY, run_generator
from test_rules import FAILING, PAGE, TREE, URGENT_LADO_REMOVED, W, project_with

_CASES = {case[0]: case for case in FAILING}

# (what the issue found, edits, the line `check` must print)
UNSAFE = [
    ("an action 'Take a screenshot of the image as evidence'", *_CASES["S201-screenshot-action"][1:]),
    ("'Read it carefully before you decide' on a message that may hold a sexual image of a child",
     *_CASES["S201-read-it-carefully"][1:]),
    ("'if all else fails, report to CEOP' for bullying", *_CASES["S601-ceop-for-bullying-text"][1:]),
    ("CEOP listed as a contact for bullying", *_CASES["S601-ceop-for-bullying-contact"][1:]),
    ("a parents' page sending bullying to CEOP", *_CASES["S601-ceop-for-bullying-page"][1:]),
    ("'Tell the DSL the same day' for extremist material",
     [(TREE, "      - text: Tell the DSL now.\n", "      - text: Tell the DSL the same day if a pupil shares extremist "
                                                   "material.\n")],
     [f"{W}89:15: S402 'the same day' is too late to tell the DSL about a child"]),
    ("telling the DSL with 'when: same day'", *_CASES["S402-when-same-day"][1:]),
    ("a member of staff befriending pupils sent to 'a member of SLT'", *_CASES["S501-staff-befriending-to-slt"][1:]),
    ("'delete what you can, then report'", *_CASES["S202-delete-then-report"][1:]),
    ("a promise of secrecy to a child", *_CASES["S301-keep-it-between-you"][1:]),
    ("'I promise not to tell'", *_CASES["S301-i-promise-not-to-tell"][1:]),
    ("the LADO 'within one working day' as the only route", [URGENT_LADO_REMOVED],
     _CASES["S403-lado-one-working-day-only"][2]),
    ("a safeguarding guide that does not ask about immediate danger first",
     *_CASES["S101-no-immediate-danger-first"][1:]),
    ("an outcome of a safeguarding guide that never reaches the DSL", *_CASES["S401-outcome-without-the-dsl"][1:]),
    # Issue 26: the statutory duties the rules missed.
    ("a disclosure of FGM left to the DSL, with no report to the police by the teacher",
     *_CASES["S404-fgm-left-to-the-dsl"][1:]),
    ("a 'tell the DSL now' step with no route when neither the DSL nor a deputy can be reached",
     *_CASES["S405-no-route-when-the-dsl-cannot-be-reached"][1:]),
    ("a DSL with a name and a room but no phone or email", *_CASES["S701-dsl-with-a-name-and-a-room-but-no-phone"][1:]),
]


def test_the_fixture_school_is_valid_and_builds_its_checks(tmp_path):
    result = pipeline.check(project_with(tmp_path), TODAY)
    assert [str(d) for d in result.diagnostics] == []
    assert result.ok


@pytest.mark.parametrize("edits, expected", [case[1:] for case in UNSAFE], ids=[case[0] for case in UNSAFE])
def test_check_refuses_the_unsafe_instruction(tmp_path, edits, expected):
    result = pipeline.check(project_with(tmp_path, *edits), TODAY)
    found = [str(dataclasses.replace(d, hint=None)) for d in result.diagnostics]
    assert found == expected
    assert not result.ok or expected[0].split(": ")[1].startswith("S701")


def test_the_check_command_prints_the_breach_and_fails(tmp_path):
    root = project_with(tmp_path, *_CASES["S201-screenshot-action"][1])
    result = run_generator("check", "--project", str(root), "--today", TODAY.isoformat())
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{W}40:15: S201 'take a screenshot' here tells someone to handle what may be a sexual "
                            "image of a child (describe the image in words and tell the DSL")
    assert first.endswith("[UKCIS, Sharing nudes and semi-nudes: advice for education settings (2024), 'Viewing the "
                          "imagery'; KCSIE 2025 Part one, child-on-child abuse (sharing nudes and semi-nudes)])")
    assert result.stderr.splitlines()[-1] == "Aborted: 1 error(s), 0 warning(s)"


@pytest.mark.parametrize("edit, why", [
    (("school.yml", "    name: Ms A. Example\n", "    placeholder: true\n"), "contact 'dsl' is a placeholder"),
    (("school.yml", '    phone: "01234 567890"\n', "    where: School office\n"),
     "contact 'dsl' has no phone or email"),
], ids=["placeholder", "name-and-room-only"])
def test_build_of_a_school_with_a_placeholder_dsl_is_a_preview_that_publish_refuses(tmp_path, edit, why):
    root = project_with(tmp_path, edit)
    out = tmp_path / "site"
    built = run_generator("build", "--project", str(root), "--output", str(out), "--today", TODAY.isoformat())
    assert built.returncode == 0, built.stderr
    assert f"S701 warning: {why}" in built.stderr
    assert "This is a preview build" in built.stderr
    expect = ("--expect-school", "example-primary", "--expect-site", "staff")
    published = run_generator("publish", *expect, "--from", str(out / "staff"), "--to", str(tmp_path / "www"))
    assert published.returncode == 1
    assert f"this build is a preview only: {why}" in published.stderr
    assert not (tmp_path / "www" / "current").exists()
    preview = run_generator("publish", *expect, "--preview", "--from", str(out / "staff"), "--to", str(tmp_path / "www"))
    assert preview.returncode == 0, preview.stderr
