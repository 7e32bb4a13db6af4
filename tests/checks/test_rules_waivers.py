"""Recorded waivers (generator/checks/rules/waivers.py, S001) on the neutral rules-school fixture.

Line numbers are counted by hand: the fixture guide ends at line 133 ('    record: true' of 'tell_dsl_now'),
so a `waive:` appended to that step starts at line 134 and its code at line 135, column 7.
"""

from __future__ import annotations

import dataclasses

from generator import pipeline
from generator.load.loader import load_project
from generator.checks.rules import run_rules
from generator.checks.validate import rules_view
from support import TODAY, run_generator
from test_rules import FAILING, TREE, W, project_with, rule_diagnostics, rule_lines

_CASES = {case[0]: case for case in FAILING}
NO_DSL = _CASES["S401-outcome-without-the-dsl"][1]
"""tell_dsl_now no longer reaches the DSL: S401 at 122:9."""


def waive(code: str, reason: str = "The school's whistleblowing route goes outside the school.",
          agreed_by: str = "DSL and head teacher") -> str:
    return f"    waive:\n      {code}:\n        reason: \"{reason}\"\n        agreed_by: \"{agreed_by}\"\n"


def with_waiver(tmp_path, text: str, *edits) -> object:
    root = project_with(tmp_path, *edits)
    with (root / TREE).open("a", encoding="utf-8") as tree:
        tree.write(text)
    return root


def test_a_waiver_sets_its_rule_aside_on_its_step_and_is_recorded(tmp_path):
    root = with_waiver(tmp_path, waive("S401"), *NO_DSL)
    breaches, used = run_rules(rules_view(load_project(root)))
    assert breaches == []
    assert [(w.code, w.guide, w.step, w.line, w.column, w.reason, w.agreed_by) for w in used] == [
        ("S401", "worried-about-a-child", "tell_dsl_now", 135, 7,
         "The school's whistleblowing route goes outside the school.", "DSL and head teacher")]


def test_a_waiver_covers_only_its_own_step(tmp_path):
    # The waiver is on 'tell_dsl_now'; the breach is moved to 'grooming_tell_dsl' (lines 104-120).
    root = with_waiver(tmp_path, waive("S401"),
                       (TREE, "      - text: Tell the DSL now, in person or by phone.\n        who: you\n"
                              "        when: immediately\n      - text: The DSL reports it to the police or to CEOP.\n"
                              "        who: dsl\n        when: immediately\n    contacts:\n      - dsl\n",
                        "      - text: Report it to CEOP.\n        who: you\n        when: immediately\n"
                        "    contacts:\n"))
    assert rule_lines(root) == [
        f"{W}105:9: S401 outcome 'grooming_tell_dsl' of safeguarding guide 'worried-about-a-child' does not reach "
        "the DSL",
        # (the edit above took four lines out: the appended waiver's code is at 131, not 135)
        f"{W}131:7: S001 warning: the waiver of S401 is not needed: the rule does not fire on step 'tell_dsl_now'"]


def test_a_waiver_of_an_unknown_rule_is_an_error(tmp_path):
    assert rule_lines(with_waiver(tmp_path, waive("S999"))) == [
        f"{W}135:7: S001 'waive' names S999, which is not a safety rule"]


def test_a_rule_code_in_small_letters_is_named_as_it_should_be_written(tmp_path):
    """An author writes 's405' for S405: the fix names S405 (it said only 'name a rule … (e.g. S401)')."""
    [found] = [d for d in rule_diagnostics(with_waiver(tmp_path, waive("s405"))) if d.code == "S001"]
    assert "names s405, which is not a safety rule" in found.message
    assert "S405" in (found.hint or ""), found.hint


def test_a_waiver_with_no_reason_or_no_name_is_an_error_and_does_not_waive(tmp_path):
    assert rule_lines(with_waiver(tmp_path, waive("S401", reason=" ", agreed_by=""), *NO_DSL)) == [
        f"{W}122:9: S401 outcome 'tell_dsl_now' of safeguarding guide 'worried-about-a-child' does not reach the DSL",
        f"{W}135:7: S001 the waiver of S401 has no 'agreed_by'",
        f"{W}135:7: S001 the waiver of S401 has no 'reason'"]


def test_the_rules_that_protect_a_child_from_immediate_harm_can_never_be_waived(tmp_path):
    screenshot = _CASES["S201-screenshot-action"][1]
    # The screenshot is in 'image_tell_dsl_now' (lines 32-54): the waiver goes there, before 'contacts:'.
    edit = (TREE, "      - Never promise the child that you will keep what they tell you secret.\n",
            "      - Never promise the child that you will keep what they tell you secret.\n" + waive("S201"))
    root = project_with(tmp_path, *screenshot, edit)
    assert rule_lines(root) == [
        f"{W}40:15: S201 'take a screenshot' here tells someone to handle what may be a sexual image of a child",
        f"{W}51:7: S001 S201 (never-handle-images-of-children) can never be waived"]
    assert {r.code for r in __import__("generator.checks.rules", fromlist=["RULES"]).RULES if not r.waivable} == {
        "S001", "S102", "S201", "S301", "S701"}


def test_a_waiver_needs_a_reason_and_who_agreed_it_in_the_schema(tmp_path):
    root = with_waiver(tmp_path, "    waive:\n      S401:\n        reason: Whistleblowing.\n", *NO_DSL)
    result = pipeline.check(root, TODAY)
    found = [str(dataclasses.replace(d, hint=None)) for d in result.diagnostics]
    assert len(found) == 1 and found[0].startswith(f"{W}136:9: ") and "agreed_by" in found[0], found


def test_check_counts_the_waivers_and_the_editors_page_lists_them(tmp_path):
    root = with_waiver(tmp_path, waive("S401"), *NO_DSL)
    checked = run_generator("check", "--project", str(root), "--today", TODAY.isoformat())
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr.splitlines()[-2:] == [
        "1 safety rule waiver(s) recorded, each with its reason (listed on the staff site's editors' page)",
        "All data files are valid."]
    rendered = pipeline.render(root, TODAY).rendered
    editors = rendered["staff"].docs["editors/index.md"]
    section = editors.split("## Safety rules waived", 1)[1]
    assert "- **S401** on [I am worried about a child](" in section
    assert "#tell_dsl_now) (decision_trees/worried-about-a-child.yml:135)" in section
    assert "**Reason:** The school's whistleblowing route goes outside the school." in section
    assert "**Agreed by:** DSL and head teacher" in section
    assert "editors/index.md" not in rendered["parents"].docs
