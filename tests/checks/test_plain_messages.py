"""Two messages in plain words (issue 23, item 8), each a hand-made mistake in a copy of the example school.

- A role that is not an id (`who: Class Teacher`) was reported twice, once as
  `E205 'function-after[_check_snake(), str]': …` and once as a list it was never meant to be: pydantic's names for
  the branches of a union leaked into the message. Now one message, at the character that is wrong, naming the key.
- A shared group that uses itself was reported as `a step's 'kind' must be 'question' or 'outcome'`, which says
  nothing of what is wrong. Now it says the group uses itself (and, for another group, that groups cannot).
Positions are counted by hand in the fixture's lines, quoted beside each case.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import pipeline
from support import TODAY, WEXHAM

TREE = "decision_trees/allegation-about-staff.yml"
GROUP = "decision_trees/shared/immediate-danger.yml"
LEAKED = ("function-after", "_check_snake", "list[", "union[", "ConditionalRole")


@pytest.fixture
def school(tmp_path) -> Path:
    copy = tmp_path / "school"
    shutil.copytree(WEXHAM, copy)
    return copy


def errors(school: Path) -> list[str]:
    return [str(d) for d in pipeline.check(school, TODAY).diagnostics if d.is_error]


def replace_line(path: Path, number: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[number - 1] == old, lines[number - 1]
    lines[number - 1] = new
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("line, value, column, character", [
    # "        who: Class Teacher": the value starts at column 14, its 6th character (the space) is at 19
    ("        who: Class Teacher", "Class Teacher", 19, "character 6 is U+0020 SPACE"),
    # "        who: [Head Teacher]": '[' at 14, 'H' at 15, the space (5th character) at 19
    ("        who: [Head Teacher]", "Head Teacher", 19, "character 5 is U+0020 SPACE"),
], ids=["one role", "a list of roles"])
def test_a_role_that_is_not_an_id_gets_one_message_in_the_authors_words(school, line, value, column, character):
    """Catches: union branch names in messages ('function-after[_check_snake(), str]'), and the error of the
    branch the author did not write (a list expected of a single role, text expected of a list)."""
    replace_line(school / TREE, 80, "        who: you", line)
    found = errors(school)
    assert found == [f"{TREE}:80:{column}: E205 'who': '{value}' ({character}) is not a valid step id: use "
                     "lower-case words joined by underscores, e.g. 'is_child_in_danger'"]
    assert not any(leak in message for message in found for leak in LEAKED)


def test_a_group_that_uses_itself_says_so(school):
    # the group's nodes start at line 10 ("nodes:"); the inserted "  - use: immediate-danger" is line 11, its
    # value at column 10
    group = school / GROUP
    group.write_text(group.read_text(encoding="utf-8").replace(
        "nodes:\n", "nodes:\n  - use: immediate-danger\n    continue: is_child_in_immediate_danger\n", 1),
        encoding="utf-8")
    assert errors(school) == [
        f"{GROUP}:11:10: E203 'use': the group 'immediate-danger' uses itself, so its steps would include "
        "themselves without end; a shared group holds questions and outcomes only"]


def test_a_group_that_uses_another_group_says_groups_cannot(school):
    group = school / GROUP
    group.write_text(group.read_text(encoding="utf-8").replace(
        "nodes:\n", "nodes:\n  - use: immediate-danger-parents\n", 1), encoding="utf-8")
    assert errors(school) == [
        f"{GROUP}:11:10: E203 'use': a shared group cannot use another group ('immediate-danger-parents'); it "
        "holds questions and outcomes only: write the steps here, or have the guide use both groups"]


def test_a_step_of_an_unknown_kind_keeps_its_message(school):
    """Catches: the new group messages swallowing the ordinary one for a step whose kind is wrong."""
    group = school / GROUP
    text = group.read_text(encoding="utf-8")
    assert "  - kind: question\n" in text
    group.write_text(text.replace("  - kind: question\n", "  - kind: questoin\n", 1), encoding="utf-8")
    assert errors(school) == [f"{GROUP}:11:5: E203 a step's 'kind' must be 'question' or 'outcome'"]
