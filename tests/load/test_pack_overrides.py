"""A school's own version of one step of a pack guide, with a recorded reason (issue 28, item 1): the same
trust-overrides.yml, and the same mechanism, as a trust's clause overrides. Runs on the fixture pack
tests/fixtures/packs/testland (the tool's pack folder pointed there, as tests/load/test_pack.py does) and the broken
corpus's valid project.

The bug each test exists to catch:
- a step override read but not put in place (the school believes its version is published and the pack's is);
- the override's reason shown on a guide page, or on the parents' site (it is an internal note), or missing from
  the editors' page, where the people who keep the guides review it;
- an override naming a guide or a step that does not exist, or with no reason, passing in silence (the school's
  change is lost without a word), or reported without the line to fix;
- the safety rules and the graph checks reading the pack's step instead of the school's version (a school's
  version that breaks a rule would be published unchecked);
- a trust's version of a step (trust/trust-overrides.yml) missing from one of its schools, or winning over a
  school's own version of the same step; a trust's file rewording its own clauses accepted in silence.
- `diff --pack` missing a changed step, or not saying which changed step the school overrides (its version was
  written against the pack's old wording); `check` silent when the pack changed since pack.lock; `--accept` or
  `init --guide-pack` not recording what the school accepted.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from generator.load import pack as pack_module
from generator.pipeline import check, render
from generator.render.paths import tree_path
from support import REPO, TODAY, copy_valid_project

sys.path.insert(0, str(REPO / "bench"))
from trust import make_trust  # noqa: E402

PACKS = REPO / "tests" / "fixtures" / "packs"

OVERRIDE = """\
overrides:
  - guide: worry-from-the-pack
    step: tell_the_dsl_now
    reason: Our DSL asked for the office's number as well (agreed by the governors, March 2026).
    replace:
      kind: outcome
      id: tell_the_dsl_now
      title: Tell the DSL now, or ring the office
      summary: The DSL decides what happens next.
      actions:
        - text: Tell the DSL what you saw or heard, in the child's words; if you cannot find them, ring the office.
          who: you
          when: immediately
      contacts:
        - dsl
      cites:
        - kcsie-2025#concerns-about-a-child
"""


@pytest.fixture
def school(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(pack_module, "PACKS", PACKS)
    root = copy_valid_project(tmp_path)
    (root / "school.yml").write_text((root / "school.yml").read_text(encoding="utf-8") + "guide_pack: testland\n",
                                     encoding="utf-8")
    return root


def _write(root: Path, text: str) -> None:
    (root / "trust-overrides.yml").write_text(text, encoding="utf-8")


def _errors(result) -> list[str]:
    return [str(d) for d in result.diagnostics if d.is_error]


def test_a_schools_version_of_a_pack_step_is_published_and_its_reason_is_on_the_editors_page(school):
    _write(school, OVERRIDE)
    result = render(school, TODAY)
    assert result.rendered is not None, _errors(result)
    for site in ("staff", "parents"):
        steps = result.rendered[site].includes["guides/worry-from-the-pack.html"]
        assert "</abbr> now, or ring the office</h2>" in steps and "if you cannot find them, ring the office" in steps
        assert "in the child's words.</p>" not in steps and "words; if you cannot" in steps  # not the pack's action
        assert "agreed by the governors" not in steps and "agreed by the governors" not in \
            result.rendered[site].docs[tree_path("worry-from-the-pack")]
    assert "editors/index.md" not in result.rendered["parents"].docs
    editors = result.rendered["staff"].docs["editors/index.md"]
    assert "- Step [tell_the_dsl_now](../what-to-do/worry-from-the-pack/index.md#tell_the_dsl_now) of the guide " \
           "`worry-from-the-pack` (trust-overrides.yml:2)\n    - **Reason:** Our DSL asked for the office's number " \
           "as well (agreed by the governors, March 2026)." in editors
    # The other pack guide, not overridden, keeps the pack's step.
    other = result.rendered["staff"].includes["guides/replaced-by-the-school.html"]
    assert "in the child's words.</p>" in other and "ring the office" not in other


@pytest.mark.parametrize(("change", "expected"), [
    (("guide: worry-from-the-pack", "guide: worry-from-the-pak"),
     "trust-overrides.yml:2:12: E372 'worry-from-the-pak' is not a guide of the school's guide pack (the pack's "
     "guides are: replaced-by-the-school, worry-from-the-pack)"),
    (("guide: worry-from-the-pack", "guide: sample-tree"),
     "trust-overrides.yml:2:12: E372 'sample-tree' is not a guide of the school's guide pack (it is the school's own "
     "guide: change the step in its file)"),
    (("    step: tell_the_dsl_now", "    step: tell_the_dls_now"),
     "trust-overrides.yml:3:11: E373 guide 'worry-from-the-pack' has no step 'tell_the_dls_now' (copy the step's id "
     "from the guide's page (each step's link ends #<id>); a step of a shared group the guide uses cannot be "
     "replaced for one guide)"),
    (("      id: tell_the_dsl_now", "      id: tell_the_office"),
     "trust-overrides.yml:7:11: E374 the replacement's id 'tell_the_office' is not the step's 'tell_the_dsl_now' "
     "(keep the step's id, so the guide's other steps still lead to it)"),
])
def test_an_override_of_what_the_pack_does_not_have_is_an_error_at_its_line(school, change, expected):
    _write(school, OVERRIDE.replace(*change))
    assert _errors(check(school, TODAY)) == [expected]


def test_a_step_override_needs_a_reason_and_a_whole_step(school):
    without = "\n".join(line for line in OVERRIDE.splitlines() if "reason:" not in line) + "\n"
    _write(school, without)
    assert [e.split(" (")[0] for e in _errors(check(school, TODAY))] == [
        "trust-overrides.yml:2:5: E202 missing required key 'reason'"]
    _write(school, OVERRIDE.replace("      title: Tell the DSL now, or ring the office\n", ""))
    assert [e.split(" (")[0] for e in _errors(check(school, TODAY))] == [
        "trust-overrides.yml:6:7: E202 missing required key 'title'"]


def test_the_safety_rules_and_graph_checks_read_the_schools_version(school):
    _write(school, OVERRIDE.replace("title: Tell the DSL now, or", "title: Tell the DSL today, or"))
    found = [str(d).split(" '")[0] for d in check(school, TODAY).diagnostics if d.code == "S402"]
    # The guide as overridden breaks S402 (a concern reaches the DSL at once; the pack's own step does not), and it
    # is reported where the school's version is written, not in the pack's file, which the school cannot edit.
    assert found == ["trust-overrides.yml:6:7: S402"], found
    question = OVERRIDE.replace("      kind: outcome\n", "      kind: question\n      question: Is the DSL in?\n"
                                "      answers:\n        - {id: in, label: 'Yes', next: nowhere}\n"
                                "        - {id: out, label: 'No', next: nowhere_either}\n")
    question = question.split("      title:")[0]
    _write(school, question)
    assert _errors(check(school, TODAY)) == ["trust-overrides.yml:6:7: E407 unknown step 'nowhere'",
                                             "trust-overrides.yml:6:7: E407 unknown step 'nowhere_either'"]


def _steps(root: Path) -> str:
    result = render(root, TODAY)
    assert result.rendered is not None, _errors(result)
    return result.rendered["staff"].includes["guides/worry-from-the-pack.html"]


def test_a_trusts_version_of_a_step_is_every_schools_unless_a_school_has_its_own(tmp_path, monkeypatch):
    monkeypatch.setattr(pack_module, "PACKS", PACKS)
    root = tmp_path / "trust"
    make_trust(root, 3)
    schools = [root, root / "schools" / "school-02", root / "schools" / "school-03"]
    for folder in schools:
        school = folder / "school.yml"
        school.write_text(school.read_text(encoding="utf-8") + "guide_pack: testland\n", encoding="utf-8")
        public = folder / "published-to-parents.yml"  # the pack's guides for parents, reviewed
        public.write_text(public.read_text(encoding="utf-8").replace(
            "trees: []", 'trees:\n  - "replaced-by-the-school"\n  - "worry-from-the-pack"'), encoding="utf-8")
    (root / "trust" / "trust-overrides.yml").write_text(OVERRIDE, encoding="utf-8")
    _write(schools[2], OVERRIDE.replace("or ring the office", "or ring the head's PA"))
    assert "now, or ring the office</h2>" in _steps(schools[0])
    assert "now, or ring the office</h2>" in _steps(schools[1])
    assert "now, or ring the head's PA</h2>" in _steps(schools[2])
    clause = """overrides:\n  - policy: trust-phones\n    clause: out-of-sight\n    text: Phones go to the office.\n""" \
             """    reason: The trust's own wording, changed by the board in 2026.\n"""
    (root / "trust" / "trust-overrides.yml").write_text(clause, encoding="utf-8")
    assert _errors(check(schools[1], TODAY)) == [
        "../../trust/trust-overrides.yml:2:13: E375 the trust's overrides file replaces steps of the pack's guides; "
        "a trust-wide clause is the trust's own (change the clause in the policy's own file, or put a school's own "
        "wording in that school's trust-overrides.yml)"]


def test_diff_pack_lists_what_changed_since_the_school_accepted_it_and_check_warns(tmp_path, monkeypatch, capsys):
    from generator import cli

    copied = tmp_path / "packs"
    shutil.copytree(PACKS, copied)
    monkeypatch.setattr(pack_module, "PACKS", copied)
    school = tmp_path / "new"
    assert cli.main(["init", str(school), "--guide-pack", "testland"]) == 0
    assert (school / "pack.lock").is_file()
    _write(school, OVERRIDE)
    assert not [d for d in check(school, TODAY).diagnostics if d.code == "W132"]
    # A new version of the pack: one step reworded in each guide, one step added to one, one guide added, a
    # group removed. Counted by hand from the edits below.
    guides = copied / "testland" / "decision_trees"
    for name in ("worry-from-the-pack", "replaced-by-the-school"):
        path = guides / f"{name}.yml"
        path.write_text(path.read_text(encoding="utf-8").replace("in the child's words.", "in the child's own words."),
                        encoding="utf-8")
    path = guides / "worry-from-the-pack.yml"
    path.write_text(path.read_text(encoding="utf-8") + EXTRA_STEP, encoding="utf-8")
    (guides / "a-new-guide.yml").write_text((guides / "replaced-by-the-school.yml").read_text(encoding="utf-8")
                                           .replace("id: replaced-by-the-school", "id: a-new-guide"), encoding="utf-8")
    pack = copied / "testland" / "pack.yml"
    pack.write_text(pack.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"'), encoding="utf-8")
    warnings = [str(d) for d in check(school, TODAY).diagnostics if d.code == "W132"]
    assert len(warnings) == 1 and "the 'testland' pack has changed since the school accepted it (version 1.0, now " \
        "1.1: 1 guide(s) added, 2 changed, 0 removed)" in warnings[0], warnings
    capsys.readouterr()
    assert cli.main(["diff", "--pack", "--project", str(school)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "The 'testland' pack: accepted version 1.0, now 1.1.",
        "  guide added: a-new-guide",
        "  guide changed: replaced-by-the-school",
        "    step changed: tell_the_dsl_now",
        "  guide changed: worry-from-the-pack",
        "    step added: ask_for_help",
        "    step changed: tell_the_dsl_now (the school overrides it: look at its version)"]
    assert cli.main(["diff", "--pack", "--accept", "--project", str(school)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Accepted: pack.lock now records version 1.1."
    assert not [d for d in check(school, TODAY).diagnostics if d.code == "W132"]
    assert cli.main(["diff", "--pack", "--project", str(school)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "Nothing changed in its guides since the school accepted it."


EXTRA_STEP = """\
  - kind: outcome
    id: ask_for_help
    title: Ask for help
    summary: Another adult can help you.
    actions:
      - text: Ask another adult to stay with the child.
        who: you
        when: immediately
    cites:
      - kcsie-2025#concerns-about-a-child
"""
