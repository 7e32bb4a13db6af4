"""E132: every link in a pack's guide leads to a guide (and step) of the pack itself (issue 28), since a school
that adopts the pack may have no guide of its own by that name. Runs on tests/fixtures/pack-links/linked, whose
two guides link to each other (a step's answer, an also-follow and a related guide), with the tool's pack folder
pointed there.

The bug each test exists to catch:
- a pack guide linking to a guide only one school has (the example school's sharing-nudes) passing `check` for
  that school, while every new school that adopts the pack fails its first `check` (E416) and cannot build;
- a link to a step the pack's version of a guide does not have (only the school's version has it);
- the check finding links where there are none (a pack whose links stay inside it is refused).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.load import pack as pack_module
from generator.pipeline import check
from support import REPO, TODAY, copy_valid_project

PACKS = REPO / "tests" / "fixtures" / "pack-links"
FIRST = "(generator)/pack/linked/decision_trees/first-worry.yml"
SECOND = "(generator)/pack/linked/decision_trees/second-worry.yml"


def _school(folder: Path) -> Path:
    root = copy_valid_project(folder)
    school = root / "school.yml"
    school.write_text(school.read_text(encoding="utf-8") + "guide_pack: linked\n", encoding="utf-8")
    return root


def _pack_copy(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the fixture pack to break by hand, the tool's pack folder pointed at it."""
    shutil.copytree(PACKS, tmp_path / "packs")
    monkeypatch.setattr(pack_module, "PACKS", tmp_path / "packs")
    return tmp_path / "packs" / "linked" / "decision_trees"


def test_a_pack_whose_links_stay_inside_it_passes(tmp_path, monkeypatch):
    monkeypatch.setattr(pack_module, "PACKS", PACKS)
    result = check(_school(tmp_path), TODAY)
    assert [str(d) for d in result.diagnostics if d.is_error] == []


def test_a_link_to_a_guide_the_pack_lacks_is_an_error_even_where_the_school_has_that_guide(tmp_path, monkeypatch):
    guides = _pack_copy(tmp_path, monkeypatch)
    (tmp_path / "school").mkdir()
    root = _school(tmp_path / "school")
    # The school has its own second-worry (so its links resolve for it), and the pack has none.
    shutil.move(guides / "second-worry.yml", root / "decision_trees" / "second-worry.yml")
    errors = [str(d) for d in check(root, TODAY).diagnostics if d.is_error]
    assert errors == [
        f"{FIRST}:18:62: E132 the 'linked' pack's guide 'first-worry' links to "
        "'second-worry#tell_the_dsl_about_the_image', and the pack has no guide 'second-worry': a school that adopts "
        "the pack may have none either (add 'second-worry' to the pack, or link to one of the pack's own guides)",
        f"{FIRST}:33:9: E132 the 'linked' pack's guide 'first-worry' links to 'second-worry', and the pack has no "
        "guide 'second-worry': a school that adopts the pack may have none either (add 'second-worry' to the pack, "
        "or link to one of the pack's own guides)"]


def test_a_link_to_a_step_the_packs_guide_lacks_is_an_error(tmp_path, monkeypatch):
    guides = _pack_copy(tmp_path, monkeypatch)
    first = guides / "first-worry.yml"
    first.write_text(first.read_text(encoding="utf-8").replace("id: tell_the_dsl_now", "id: tell_the_dsl_at_once")
                     .replace("next: tell_the_dsl_now", "next: tell_the_dsl_at_once"), encoding="utf-8")
    errors = [str(d) for d in check(_school(tmp_path), TODAY).diagnostics if d.code == "E132"]
    assert errors == [f"{SECOND}:28:9: E132 the 'linked' pack's guide 'second-worry' links to "
                      "'first-worry#tell_the_dsl_now', and the pack's 'first-worry' has no step 'tell_the_dsl_now' "
                      "(link to a step of the pack's 'first-worry')"]


@pytest.mark.parametrize("pack", ["england"])
def test_the_shipped_pack_links_only_to_its_own_guides(pack):
    from generator.checks.pack_links import pack_link_diagnostics
    from generator.load.pack import LoadedPack

    folder = REPO / "generator" / "pack" / pack
    assert [str(d) for d in pack_link_diagnostics(LoadedPack(pack, folder, None))] == []
