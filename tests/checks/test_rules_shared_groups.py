"""The safety rules read a shared group's steps (generator/checks/rules/walk.py): a problem written in
decision_trees/shared/ is found, at its line there, by the rules that walk texts, by those that walk
steps, and by those that read a step's context from the answers leading to it.

Bug each test catches (issue 23: survived a mutation run): the rules' view skipping the steps that come
from shared groups, in the text walk, in the step walk, or in the guides that use a group. Lines and
columns are counted by hand in tests/fixtures/rules-school.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from generator.load.loader import load_project
from generator.checks.rules import check_rules
from generator.checks.validate import rules_view

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "rules-school"
TREE = "decision_trees/worried-about-a-child.yml"
GROUP = "decision_trees/shared/immediate-danger.yml"


def rule_lines(tmp_path: Path, *edits: tuple[str, str | None, str]) -> list[str]:
    root = tmp_path / "school"
    shutil.copytree(FIXTURE, root)
    for file, old, new in edits:
        path = root / file
        text = path.read_text(encoding="utf-8")
        if old is None:  # added at the end of the file
            path.write_text(text + new, encoding="utf-8")
            continue
        assert text.count(old) == 1, f"{file}: {old!r} occurs {text.count(old)} times"
        path.write_text(text.replace(old, new), encoding="utf-8")
    loaded = load_project(root)
    assert not [d for d in loaded.diagnostics if d.is_error], loaded.diagnostics
    return [str(dataclasses.replace(d, hint=None)) for d in check_rules(rules_view(loaded))]


def test_the_fixture_passes(tmp_path):
    assert rule_lines(tmp_path) == []


def test_a_step_rule_reads_the_groups_steps(tmp_path):
    # S402's step walk (view.own_steps): a group's outcome telling the DSL 'same day'. Line 28 of the group,
    # '        when: same day': the value starts at column 15.
    edit = (GROUP, "      - text: Tell the DSL what has happened and that you have called 999.\n"
                   "        who: you\n        when: immediately\n",
            "      - text: Tell the DSL what has happened and that you have called 999.\n"
            "        who: you\n        when: same day\n")
    assert rule_lines(tmp_path, edit) == [f"{GROUP}:28:15: S402 telling the DSL has 'when: same day'"]


def test_a_text_rule_reads_the_groups_texts(tmp_path):
    # S402's text walk (view.texts): 'later' in the group outcome's summary, line 20 (the value at column 14).
    edit = (GROUP, "Call the police on 999 first, then tell the DSL.",
            "Call the police on 999 first, then tell the DSL later.")
    assert rule_lines(tmp_path, edit) == [f"{GROUP}:20:14: S402 'later' is too late to tell the DSL about a child"]


def test_a_groups_answer_gives_the_guides_step_it_leads_to_its_context(tmp_path):
    # The group's question gets an answer about a nude image leading into the guide's own new outcome; that
    # outcome's screenshot is about a sexual image of a child only through the answer leading to it (the guide's
    # title and the outcome's own words name none). The outcome is appended after the guide's 133 lines: its
    # action text is on line 139, the value at column 15.
    answer = (GROUP, "      - id: not_sure\n",
              "      - id: image_shared\n        label: A nude image of a pupil is being shared\n"
              "        next: keep_the_evidence\n      - id: not_sure\n")
    outcome = (TREE, None,
               "  - kind: outcome\n"                                        # 134
               "    id: keep_the_evidence\n"                                # 135
               "    title: Keep the evidence\n"                             # 136
               "    summary: The DSL needs to see what happened.\n"         # 137
               "    actions:\n"                                             # 138
               "      - text: Take a screenshot of the image as evidence.\n"  # 139
               "        who: you\n"
               "        when: immediately\n"
               "      - text: Tell the DSL now.\n"
               "        who: you\n"
               "        when: immediately\n"
               "    contacts: [dsl]\n"
               "    cites:\n"
               "      - child-protection#report-to-dsl\n")
    lines = rule_lines(tmp_path, answer, outcome)
    assert [line for line in lines if " S201 " in line] == [
        f"{TREE}:139:15: S201 'take a screenshot' here tells someone to handle what may be a sexual image of a child"]
