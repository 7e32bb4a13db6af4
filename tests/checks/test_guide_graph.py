"""Every step can reach an outcome, following links across guides and through shared groups (guide_graph.py).

Hand-written guides, each small enough to count the lines of by eye; the project around them is the
broken corpus's valid sample (tests/broken/_valid).
"""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from generator import pipeline
from support import copy_valid_project

TODAY = date(2026, 11, 24)

HEAD = """\
id: {id}
title: A guide about {id}
use_when: When {id} happens.
audiences:
  - staff
owner: Designated Safeguarding Lead
last_reviewed: 2026-09-01
version: 1.0
safeguarding: no
nodes:
"""
# Line 10 is 'nodes:'; the first step's 'id:' is on line 12, and each question below is 10 lines long.


def question(step_id: str, first: str, second: str) -> str:
    return f"""\
  - kind: question
    id: {step_id}
    question: What now?
    answers:
      - id: "yes"
        label: Yes
        next: {first}
      - id: "no"
        label: No
        next: {second}
"""


OUTCOME = """\
  - kind: outcome
    id: tell_the_dsl
    title: Tell the DSL
    summary: The DSL decides.
    actions:
      - text: Tell the DSL.
        who: you
    cites:
      - social-media#report-concerns-to-dsl
"""


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_valid_project(tmp_path)


def guide(project: Path, guide_id: str, *steps: str, folder: str = "decision_trees") -> None:
    (project / folder / f"{guide_id}.yml").write_text(HEAD.format(id=guide_id) + "".join(steps), encoding="utf-8")


def errors(project: Path) -> list[str]:
    return [str(d) for d in pipeline.check(project, TODAY).diagnostics if d.is_error]


HINT = " (give one of these steps an answer that leads to an outcome)"


def test_two_guides_leading_only_into_each_other_are_a_trap(project):
    # Bug caught: a step that leads into another guide was counted as able to finish, so this passed check.
    guide(project, "ping", question("ask_ping", "pong#ask_pong", "pong#ask_pong"),
          question("ping_again", "ask_ping", "ask_ping"))
    guide(project, "pong", question("ask_pong", "ping#ask_ping", "ping#ping_again"),
          question("pong_again", "ask_pong", "ask_pong"))
    # The second steps are never reached from their guide's first step: named as such (E408), not as traps too.
    assert errors(project) == [
        "decision_trees/ping.yml:12:9: E409 step 'ask_ping' is a trap: no outcome can be reached from it; it leads "
        "only round ask_ping (decision_trees/ping.yml:12) → pong#ask_pong (decision_trees/pong.yml:12) → back to "
        "ask_ping" + HINT,
        "decision_trees/ping.yml:22:9: E408 step 'ping_again' cannot be reached from the first step 'ask_ping'",
        "decision_trees/pong.yml:12:9: E409 step 'ask_pong' is a trap: no outcome can be reached from it; it leads "
        "only round ask_pong (decision_trees/pong.yml:12) → ping#ask_ping (decision_trees/ping.yml:12) → back to "
        "ask_pong" + HINT,
        "decision_trees/pong.yml:22:9: E408 step 'pong_again' cannot be reached from the first step 'ask_pong'",
    ]


def test_a_step_leading_into_a_loop_is_named_with_the_way_into_it(project):
    guide(project, "ping", question("ask_ping", "pong#ask_pong", "is_it_ping"),
          question("is_it_ping", "pong#ask_pong", "pong#ask_pong"))
    guide(project, "pong", question("ask_pong", "pong_again", "pong_again"),
          question("pong_again", "ask_pong", "ask_pong"))
    assert errors(project) == [
        "decision_trees/ping.yml:12:9: E409 step 'ask_ping' is a trap: no outcome can be reached from it; it leads "
        "only round ask_ping (decision_trees/ping.yml:12) → pong#ask_pong (decision_trees/pong.yml:12) → "
        "pong#pong_again (decision_trees/pong.yml:22) → back to pong#ask_pong" + HINT,
        "decision_trees/ping.yml:22:9: E409 step 'is_it_ping' is a trap: no outcome can be reached from it; it leads "
        "only round is_it_ping (decision_trees/ping.yml:22) → pong#ask_pong (decision_trees/pong.yml:12) → "
        "pong#pong_again (decision_trees/pong.yml:22) → back to pong#ask_pong" + HINT,
        "decision_trees/pong.yml:12:9: E409 step 'ask_pong' is a trap: no outcome can be reached from it; it leads "
        "only round ask_pong (decision_trees/pong.yml:12) → pong_again (decision_trees/pong.yml:22) → back to "
        "ask_pong" + HINT,
        "decision_trees/pong.yml:22:9: E409 step 'pong_again' is a trap: no outcome can be reached from it; it "
        "leads only round pong_again (decision_trees/pong.yml:22) → ask_pong (decision_trees/pong.yml:12) → back "
        "to pong_again" + HINT,
    ]


def test_a_link_into_another_guide_that_reaches_an_outcome_can_finish(project):
    # The other half: a loop across guides with a way out anywhere on it is not a trap.
    guide(project, "ping", question("ask_ping", "pong#ask_pong", "pong#ask_pong"),
          question("ping_again", "ask_ping", "ask_ping"))
    guide(project, "pong", question("ask_pong", "ping#ask_ping", "tell_the_dsl"), OUTCOME)
    assert [line for line in errors(project) if " E409 " in line] == []


def test_a_shared_groups_step_on_a_loop_across_guides_is_named_in_the_groups_file(project):
    # Bug caught: steps that come from a shared group were left out of the graph (counted as able to finish).
    group = ("id: round-group\ntitle: A shared step\nnodes:\n"
             + question("shared_question", "continue", "continue"))
    (project / "decision_trees" / "shared" / "round-group.yml").write_text(group, encoding="utf-8")
    guide(project, "ping", "  - {use: round-group, continue: ask_ping}\n",
          question("ask_ping", "pong#ask_pong", "pong#ask_pong"))
    guide(project, "pong", question("ask_pong", "ping#shared_question", "ping#shared_question"),
          question("pong_again", "ask_pong", "tell_the_dsl"), OUTCOME)
    assert [line for line in errors(project) if " E409 " in line] == [
        # ping.yml: 'nodes:' on line 10, the 'use:' on 11, ask_ping's id on 13.
        "decision_trees/ping.yml:13:9: E409 step 'ask_ping' is a trap: no outcome can be reached from it; it leads "
        "only round ask_ping (decision_trees/ping.yml:13) → pong#ask_pong (decision_trees/pong.yml:12) → "
        "shared_question (decision_trees/shared/round-group.yml:5) → back to ask_ping" + HINT,
        "decision_trees/pong.yml:12:9: E409 step 'ask_pong' is a trap: no outcome can be reached from it; it leads "
        "only round ask_pong (decision_trees/pong.yml:12) → ping#shared_question "
        "(decision_trees/shared/round-group.yml:5) → ping#ask_ping (decision_trees/ping.yml:13) → back to "
        "ask_pong" + HINT,
        "decision_trees/shared/round-group.yml:5:9: E409 step 'shared_question' is a trap: no outcome can be "
        "reached from it; it leads only round shared_question (decision_trees/shared/round-group.yml:5) → ask_ping "
        "(decision_trees/ping.yml:13) → pong#ask_pong (decision_trees/pong.yml:12) → back to shared_question" + HINT,
    ]
