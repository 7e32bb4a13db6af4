"""A pack of statutory guides shipped with the tool (issue 28, item 1): a school adopts it with `guide_pack:` in
school.yml and its guides become the school's (same pages, checks and rules), except those the school has its
own file for. Runs on tests/fixtures/packs/testland (the tool's pack folder pointed there) and the broken corpus's
valid project; the shipped england pack's pack.yml is checked against the sources registry.

The bug each test exists to catch:
- an adopted pack's guides missing from the sites (a school believes it has the statutory guides and has none),
  or shown on the parents' site when their audience is staff only (and the other way round);
- the pack's guide used instead of the school's own of the same name, or both (a duplicate), silently;
- a `guide_pack:` naming no pack passing in silence (the school publishes no statutory guide);
- a pack for one nation adopted by a school in another (guidance that does not apply there);
- the pack's guides not read by the safety rules, as the school's are;
- `init --guide-pack` not writing the setting, or writing it where school.yml's comments say otherwise;
- a contact a pack's guide names but the school lacks reported with advice to rename it in the guide (a pack's
  guide is not the school's to edit) instead of which contact to add to school.yml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import cli
from generator.cli.commands import _print
from generator.load.diagnostics import Diagnostic, Severity
from generator.authoring.init import init_school
from generator.load import pack as pack_module
from generator.load.models import GuidePack, SourceRegistry
from generator.load.strict_yaml import load_yaml
from generator.pipeline import check, render
from generator.render.paths import tree_path
from support import REPO, TODAY, copy_valid_project

PACKS = REPO / "tests" / "fixtures" / "packs"


@pytest.fixture
def packs(monkeypatch) -> Path:
    monkeypatch.setattr(pack_module, "PACKS", PACKS)
    return PACKS


def _school(folder: Path, setting: str | None = "testland") -> Path:
    root = copy_valid_project(folder)
    if setting is not None:
        school = root / "school.yml"
        school.write_text(school.read_text(encoding="utf-8") + f"guide_pack: {setting}\n", encoding="utf-8")
    return root


def _guides(rendered, site: str) -> list[str]:
    return sorted(path for path in rendered[site].docs if path.startswith("what-to-do/") and path.count("/") == 2)


def _errors(result) -> list[str]:
    return [str(d) for d in result.diagnostics if d.is_error]


def test_an_adopted_packs_guides_are_on_the_sites_their_audiences_say(tmp_path, packs):
    result = render(_school(tmp_path), TODAY)
    assert result.rendered is not None, _errors(result)
    assert _guides(result.rendered, "staff") == [
        "what-to-do/replaced-by-the-school/index.md", "what-to-do/sample-tree/index.md",
        "what-to-do/worry-from-the-pack/index.md"]
    # sample-tree (the school's own) is for staff only; both pack guides are for staff and parents.
    assert _guides(result.rendered, "parents") == [
        "what-to-do/replaced-by-the-school/index.md", "what-to-do/worry-from-the-pack/index.md"]
    steps = result.rendered["staff"].includes["guides/worry-from-the-pack.html"]
    # The pack's shared group is put in place as a school's is: its question comes first.
    assert steps.index('id="is_a_child_in_danger_right_now"') < steps.index('id="tell_the_dsl_now"')
    assert result.project.pack.id == "testland" and result.project.pack.version == "1.0"


def test_without_the_setting_no_guide_of_the_pack_is_read(tmp_path, packs):
    result = render(_school(tmp_path, setting=None), TODAY)
    assert result.rendered is not None, _errors(result)
    assert _guides(result.rendered, "staff") == ["what-to-do/sample-tree/index.md"]
    assert result.project.pack is None


def test_the_schools_own_guide_of_the_same_name_is_used_and_check_says_so(tmp_path, packs):
    root = _school(tmp_path)
    own = (root / "decision_trees" / "sample-tree.yml").read_text(encoding="utf-8")
    own = own.replace("id: sample-tree", "id: replaced-by-the-school").replace(
        "title: A parent shows me a worrying post about a pupil", "title: Our own way of doing it")
    (root / "decision_trees" / "replaced-by-the-school.yml").write_text(own, encoding="utf-8")
    result = render(root, TODAY)
    assert result.rendered is not None, _errors(result)
    notes = [str(d) for d in result.diagnostics if d.severity.value == "info"]
    assert notes == ["decision_trees/replaced-by-the-school.yml:1:1: I130 info: this file replaces the testland "
                     "pack's (generator)/pack/testland/decision_trees/replaced-by-the-school.yml: the school's own is "
                     "used (delete this file to use the pack's, which is kept up to date with the guidance)"]
    page = result.rendered["staff"].docs[tree_path("replaced-by-the-school")]
    assert "Our own way of doing it" in page and "A guide the school replaces" not in page
    # The school's own is for staff only: the pack's for parents is not published in its place.
    assert "what-to-do/replaced-by-the-school/index.md" not in _guides(result.rendered, "parents")


def test_a_note_does_not_fail_check_even_with_strict(capsys):
    note = Diagnostic("decision_trees/x.yml", 1, 1, "I130", "this file replaces the pack's", severity=Severity.INFO)
    warning = Diagnostic("school.yml", 2, 3, "W501", "review was due", severity=Severity.WARNING)
    assert _print([note], strict=True) == 0
    assert capsys.readouterr().err == ("decision_trees/x.yml:1:1: I130 info: this file replaces the pack's\n"
                                       "0 error(s), 0 warning(s), 1 note(s)\n")
    assert _print([note, warning], strict=True) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "Aborted: 0 error(s), 1 warning(s), 1 note(s)"


def test_a_setting_naming_no_pack_is_an_error_at_its_line(tmp_path, packs):
    result = check(_school(tmp_path, setting="englnd"), TODAY)
    assert _errors(result) == ["school.yml:110:13: E130 'guide_pack: englnd' names no pack of guides that comes with "
                               "the tool (packs: testland)"]


def test_a_pack_for_another_nation_is_refused(tmp_path, packs):
    root = _school(tmp_path)
    school = root / "school.yml"
    school.write_text(school.read_text(encoding="utf-8") + "nation: Wales\n", encoding="utf-8")
    assert [e for e in _errors(check(root, TODAY)) if "E131" in e] == [
        "school.yml:110:13: E131 the 'testland' pack follows the law and guidance of England, and this school's "
        "nation is Wales (adopt a pack for the school's nation, or correct 'nation:')"]


def test_the_safety_rules_read_the_packs_guides(tmp_path, monkeypatch):
    copied = tmp_path / "packs"
    shutil.copytree(PACKS, copied)
    guide = copied / "testland" / "decision_trees" / "worry-from-the-pack.yml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("Tell the DSL now", "Tell the DSL today"),
                     encoding="utf-8")
    monkeypatch.setattr(pack_module, "PACKS", copied)
    (tmp_path / "school").mkdir()
    found = [str(d).split(" '")[0] for d in check(_school(tmp_path / "school"), TODAY).diagnostics
             if d.code == "S402"]
    assert found == ["(generator)/pack/testland/decision_trees/worry-from-the-pack.yml:16:12: S402"]


def test_the_england_pack_names_the_kcsie_edition_in_force_as_the_registry_does():
    pack = GuidePack.model_validate(load_yaml(REPO / "generator" / "pack" / "england" / "pack.yml", "pack.yml").data)
    registry = SourceRegistry.model_validate(load_yaml(REPO / "generator" / "data" / "sources.yml", "s.yml").data)
    edition = next(source for source in registry.sources if source.id == pack.kcsie.source)
    assert (pack.id, pack.nation.value, pack.kcsie.source) == ("england", "England", "kcsie-2025")
    assert edition.superseded_by is None and edition.in_force_from == pack.kcsie.in_force_from
    assert pack_module.available_packs() == ["england"]


def test_init_with_a_pack_writes_the_setting_and_the_school_checks(tmp_path, packs, capsys):
    assert cli.main(["init", str(tmp_path / "new"), "--guide-pack", "testland"]) == 0
    assert "guide_pack: testland" in (tmp_path / "new" / "school.yml").read_text(encoding="utf-8").splitlines()
    result = render(tmp_path / "new", TODAY)
    assert result.rendered is not None, _errors(result)
    assert "what-to-do/worry-from-the-pack/index.md" in _guides(result.rendered, "staff")


def test_init_offers_the_packs_without_adopting_one(tmp_path, packs, capsys):
    assert cli.main(["init", str(tmp_path / "new")]) == 0
    err = capsys.readouterr().err
    assert "A pack of statutory guides comes with the tool: testland (A small pack of guides for the tests, version " \
           "1.0, Keeping children safe in education 2025). Adopt it with 'guide_pack: testland' in school.yml" in err
    assert "guide_pack" not in (tmp_path / "new" / "school.yml").read_text(encoding="utf-8")


def test_init_refuses_a_pack_that_does_not_come_with_the_tool(tmp_path, packs, capsys):
    assert cli.main(["init", str(tmp_path / "new"), "--guide-pack", "nowhere"]) == 1
    assert not (tmp_path / "new").exists()
    assert "no pack of guides 'nowhere' comes with the tool (packs: testland)" in capsys.readouterr().err


def test_a_contact_a_pack_guide_names_and_the_school_lacks_says_which_contact_to_add_to_school_yml(tmp_path):
    root = tmp_path / "new"
    init_school(root, "england")
    school = root / "school.yml"
    lado = "  lado:\n    role: Local Authority Designated Officer (LADO)\n    placeholder: true\n"
    assert school.read_text(encoding="utf-8").count(lado) == 1
    school.write_text(school.read_text(encoding="utf-8").replace(lado, ""), encoding="utf-8")
    missing = [str(d) for d in check(root, TODAY).diagnostics if d.code == "E405"]
    assert missing, "the england pack's allegation-about-staff guide names the LADO"
    for message in missing:
        assert message.startswith("(generator)/pack/england/decision_trees/"), message
        assert message.endswith("E405 unknown contact 'lado': it is not in school.yml nor the built-in services "
                                "(this guide comes from the guide pack school.yml adopts: add 'lado' to school.yml "
                                "under 'contacts:' (with 'placeholder: true' until the school has the details))"), \
            message


def test_each_guide_of_a_shipped_pack_names_a_schema_an_editor_finds():
    # Bug: the first line's `$schema=../schemas/tree.schema.json`, right in a school's decision_trees/, kept when the
    # guides moved into generator/pack/<id>/decision_trees/: it names a file that is not there, so an editor checks
    # nothing as the pack's guides are edited. The schema is the repository's schemas/tree.schema.json.
    guides = sorted((REPO / "generator" / "pack").glob("*/decision_trees/*.yml"))
    assert len(guides) == 14  # the england pack's, counted by hand
    wrong = []
    for guide in guides:
        first = guide.read_text(encoding="utf-8").splitlines()[0]
        named = first.removeprefix("# yaml-language-server: $schema=")
        if named == first or (guide.parent / named).resolve() != REPO / "schemas" / "tree.schema.json":
            wrong.append(f"{guide.relative_to(REPO)}: {first}")
    assert wrong == []
