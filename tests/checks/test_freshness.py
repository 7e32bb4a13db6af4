"""The early check of `build` (issue 17): a site whose raw inputs are those of its last successful build is
not loaded, validated, rendered or rebuilt; any change to any one input rebuilds it.

The bugs these catch (each planted once and seen red, see the commit):
- an input left out of the raw hash (a data file, a page, a source document, a template, a theme asset,
  the base config, the tool's code, a package version, the date, the commit): a stale site;
- the loader reading a file the raw hash does not cover (a new input added to generator/load/ only);
- a hash recorded by a build that then failed (so the next build skips and the failed change never shows);
- a no-change build that still imports the models and renderer (the cost the check exists to avoid).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from generator.build import mkdocs_build as build_module
from generator import pipeline
from generator.checks import freshness
from generator.load import files, loader, strict_yaml
from generator.load.diagnostics import Diagnostic
from generator.build.gate import GateResult
from generator.build.site_manifest import refresh_manifest_entry
from support import REPO, TODAY

sys.path.insert(0, str(REPO / "bench"))
from trust import make_trust  # noqa: E402

FIXTURE = REPO / "tests" / "fixtures" / "neutral-school"
PAGE = "docs/staff/extra.md"


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (project / PAGE).parent.mkdir(parents=True)
    (project / PAGE).write_text("# Extra\n\nFirst words.\n", encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def staff_built(tmp_path_factory) -> tuple[Path, Path]:
    """_project's staff site built once for this file, at TODAY: the first build each test of a rebuild starts
    from. The early hash names every folder above the project (a trust.yml may appear in any), so a build is
    up to date only where it was made: it is built in one place and kept aside, and each test gets it back in
    that same place (first_build)."""
    base = tmp_path_factory.mktemp("freshness-staff")
    place, kept = base / "place", base / "kept"
    place.mkdir()
    project = _project(place)
    first = pipeline.build(project, place / "site", place / "work", TODAY, ("staff",))
    assert first.ok and first.built == ["staff"], [str(d) for d in first.diagnostics if d.is_error]
    place.rename(kept)
    return place, kept


@pytest.fixture
def first_build(staff_built) -> tuple[Path, Path, Path]:
    """The project, its staff site and its work folder as after its first build (a fresh copy for each test)."""
    place, kept = staff_built
    if place.exists():
        shutil.rmtree(place)
    shutil.copytree(kept, place)
    return place / "project", place / "site", place / "work"


@pytest.fixture
def tool(tmp_path, monkeypatch) -> Path:
    """A copy of the generator package standing in for the tool, so a test can change its files."""
    copy = tmp_path / "tool"
    shutil.copytree(freshness.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(freshness, "PACKAGE", copy)
    return copy


def _key(project: Path, today: date = TODAY, git=("abc", False), site: str = "staff") -> str:
    return freshness.raw_inputs_keys(project, today, (site,), git)[site]


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


EDITS = {
    "a policy file": lambda p, t: _append(p / "policies" / "mobile-phones.yml", "# edited\n"),
    "a policy's source document": lambda p, t: _append(p / "policies" / "source" / "mobile-phones.txt", "More.\n"),
    "a new tree file": lambda p, t: (p / "decision_trees").mkdir() or (p / "decision_trees" / "x.yml").write_text("id: x\n"),
    "a hand-written page": lambda p, t: _append(p / PAGE, "More words.\n"),
    "a new hand-written page": lambda p, t: (p / "docs" / "staff" / "new.md").write_text("# New\n"),
    "school.yml": lambda p, t: _append(p / "school.yml", "# edited\n"),
    "glossary.yml": lambda p, t: _append(p / "glossary.yml", "# edited\n"),
    "the reviewed public list": lambda p, t: _append(p / "published-to-parents.yml", "# edited\n"),
    "a new sources.yml": lambda p, t: (p / "sources.yml").write_text("sources: []\n"),
    "a new trust-overrides.yml": lambda p, t: (p / "trust-overrides.yml").write_text("overrides: []\n"),
    "a trust.yml above the project": lambda p, t: (p.parent / "trust.yml").write_text("id: t\n"),
    "a template": lambda p, t: _append(t / "templates" / "staff" / "home.md.j2", "\nA new line.\n"),
    "a theme asset": lambda p, t: _append(t / "theme" / "assets" / "javascripts" / "tree.js", "\n// edited\n"),
    "a theme stylesheet": lambda p, t: _append(t / "theme" / "assets" / "stylesheets" / "site.css", "\n/* x */\n"),
    "the base config": lambda p, t: _append(t / "mkdocs.yml", "\n# edited\n"),
    "the generator's code": lambda p, t: _append(t / "render" / "renderer.py", "\n# edited\n"),
    "a page of the tool": lambda p, t: _append(sorted((t / "guide").glob("*.md"))[0], "\nMore.\n"),
    "the tool's data": lambda p, t: _append(t / "data" / "services.yml", "\n# edited\n"),
}


@pytest.mark.parametrize("what", sorted(EDITS))
def test_every_raw_input_changes_the_key(tmp_path, tool, what):
    project = _project(tmp_path)
    before = _key(project)
    assert _key(project) == before, "the same inputs must give the same key"
    EDITS[what](project, tool)
    assert _key(project) != before, f"changing {what} left the key unchanged: a stale site would stay"


def test_the_date_the_commit_the_site_and_the_packages_change_the_key(tmp_path, tool, monkeypatch):
    project = _project(tmp_path)
    before = _key(project)
    assert _key(project, today=date(2026, 11, 25)) != before, "review dates are checked against --today"
    assert _key(project, git=("def", False)) != before and _key(project, git=("abc", True)) != before
    assert _key(project, site="parents") != before
    packages = tmp_path / "packages"
    (packages / "mkdocs_material-99.0.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(packages))
    assert _key(project) != before, "a new mkdocs-material (or any package) must rebuild"


def test_a_trust_policy_and_its_document_change_each_schools_key(tmp_path):
    root = tmp_path / "trust"
    make_trust(root, 2)
    school = root / "schools" / "school-02"
    before = _key(school)
    policies = root / "trust" / "policies"
    _append(policies / "trust-phones.yml", "# edited\n")
    after_policy = _key(school)
    _append(policies / "source" / "trust-phones.txt", "More.\n")
    assert before != after_policy != _key(school)


class _Recording(freshness._Digest):
    hashed: set[Path] = set()

    def add_path(self, label, path, skip=frozenset()):
        if path.is_file() and not path.is_symlink():
            _Recording.hashed.add(path.resolve())
        super().add_path(label, path, skip)


def test_every_file_the_loader_reads_is_in_the_key(tmp_path, monkeypatch):
    """Whatever generator/load/ reads must be hashed: a file read but not hashed could change without a rebuild."""
    root = tmp_path / "trust"
    make_trust(root, 2)
    (root / "schools" / "school-02" / "trust-overrides.yml").write_text("overrides: []\n", encoding="utf-8")
    (root / "trust" / "trust-overrides.yml").write_text("overrides: []\n", encoding="utf-8")
    projects = [_project(tmp_path), root, root / "schools" / "school-02", REPO / "tests" / "fixtures" / "trees-v2"]
    read: set[Path] = set()
    real = files._read_bytes
    for reader in (files, strict_yaml):  # read_text (pages, documents) and load_yaml (data files) read through it
        monkeypatch.setattr(reader, "_read_bytes",
                            lambda path, display: read.add(Path(path).resolve()) or real(path, display))
    monkeypatch.setattr(freshness, "_Digest", _Recording)
    for project in projects:
        read.clear()
        _Recording.hashed = set()
        loader.load_project(project)
        _key(project)
        assert read, project
        assert sorted(read - _Recording.hashed) == [], f"read by the loader but not hashed, in {project}"


def _version(site: Path) -> dict:
    return json.loads((site / "version.json").read_text(encoding="utf-8"))


def test_an_unchanged_project_is_not_even_loaded_and_a_changed_page_rebuilds(monkeypatch, first_build):
    project, out, work = first_build
    assert _version(out / "staff")[freshness.RAW_KEY] == _key(project, git=build_module.git_state(project))

    def no_loading(*args, **kwargs):
        raise AssertionError("an unchanged project was loaded")

    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "render", no_loading)
        again = pipeline.build(project, out, work, TODAY, ("staff",))
    assert again.ok and again.unchanged and again.built == []

    _append(project / PAGE, "\nSecond words.\n")
    changed = pipeline.build(project, out, work, TODAY, ("staff",))
    assert changed.built == ["staff"]
    assert "Second words." in (out / "staff" / "extra" / "index.html").read_text(encoding="utf-8")

    later = pipeline.build(project, out, work, date(2026, 11, 25), ("staff",))
    assert later.built == ["staff"], "a different --today must rebuild"
    assert _version(out / "staff")["review_dates_checked_on"] == "2026-11-25"


@pytest.mark.parametrize("comment", [False, True], ids=["same inputs", "a comment added to school.yml"])
@pytest.mark.parametrize("damage", ["edited", "removed", "added"])
def test_a_site_changed_by_hand_since_its_build_is_built_again_not_reported_up_to_date(damage, comment, first_build):
    """A built page was edited, removed or a file added by hand: publish would refuse the folder (its
    build-manifest.json no longer matches), so build must make it again rather than say "Up to date" — whether
    the inputs are the same (the early check) or changed without changing a page (mkdocs' own check)."""
    project, out, work = first_build
    page = out / "staff" / "extra" / "index.html"
    built = page.read_bytes()
    if damage == "edited":
        page.write_bytes(built.replace(b"</body>", b"<p>Added by hand</p></body>"))
    elif damage == "removed":
        page.unlink()
    else:
        (out / "staff" / "extra" / "notes.html").write_text("<p>Added by hand</p>", encoding="utf-8")
    if comment:
        _append(project / "school.yml", "# edited\n")
    again = pipeline.build(project, out, work, TODAY, ("staff",))
    assert again.ok and not again.unchanged and again.built == ["staff"]
    assert page.read_bytes() == built and not (out / "staff" / "extra" / "notes.html").exists()


def test_a_failed_build_records_no_hash(monkeypatch, first_build):
    """Built from A; B fails at the security gate (after mkdocs); B must then be built, not skipped."""
    project, out, work = first_build
    recorded = _version(out / "staff")[freshness.RAW_KEY]

    _append(project / PAGE, "\nSecond words.\n")
    refused = Diagnostic("x", 1, 1, "E999", "refused by the test")
    with monkeypatch.context() as patch:
        patch.setattr(build_module, "check_site", lambda *args, **options: GateResult(diagnostics=[refused]))
        failed = pipeline.build(project, out, work, TODAY, ("staff",))
    assert not failed.ok and refused in failed.diagnostics
    assert _version(out / "staff")[freshness.RAW_KEY] == recorded, "a failed build changed the recorded hash"

    retried = pipeline.build(project, out, work, TODAY, ("staff",))
    assert retried.ok and not retried.unchanged and retried.built == ["staff"]
    assert "Second words." in (out / "staff" / "extra" / "index.html").read_text(encoding="utf-8")


def test_a_tool_change_that_changes_no_page_is_recorded_without_a_rebuild(tmp_path, tool):
    project = _project(tmp_path)
    out, work = tmp_path / "site", tmp_path / "work"
    assert pipeline.build(project, out, work, TODAY, ("staff",)).ok
    index = (out / "staff" / "index.html").stat().st_ino
    (tool / "NOTES.txt").write_text("a file no page depends on\n", encoding="utf-8")
    second = pipeline.build(project, out, work, TODAY, ("staff",))
    assert second.ok and not second.unchanged and second.built == [], "same pages: mkdocs need not run"
    assert (out / "staff" / "index.html").stat().st_ino == index
    third = pipeline.build(project, out, work, TODAY, ("staff",))
    assert third.unchanged, "the new raw hash was not recorded, so every later build loads the project again"


NO_CHANGE = """
import sys
from generator.cli import main
code = main(["build", "--project", sys.argv[1], "--output", sys.argv[2], "--today", "2026-11-24"])
heavy = [name for name in ("generator.load.models", "generator.pipeline", "generator.render.renderer") if name in sys.modules]
print(code, heavy)
"""


def test_a_no_change_build_imports_neither_the_models_nor_the_renderer(tmp_path):
    project = _project(tmp_path)
    out = tmp_path / "site"
    command = [sys.executable, "-c", NO_CHANGE, str(project), str(out)]
    first = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    assert first.stdout.strip() == "0 ['generator.load.models', 'generator.pipeline', 'generator.render.renderer']", first.stderr
    assert "This is a preview build" not in first.stderr
    # As a build with placeholder DSL contacts (S701) records it: an unchanged build still says it is a preview.
    version = _version(out / "staff")
    old_digest = hashlib.sha256((out / "staff" / "version.json").read_bytes()).hexdigest()
    (out / "staff" / "version.json").write_text(json.dumps({**version, "preview_only": ["placeholder DSL"]}))
    refresh_manifest_entry(out / "staff", "version.json", old_digest)  # as a build recording it would
    second = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    assert second.stdout.strip() == "0 []", second.stderr
    assert f"Up to date (its inputs have not changed): {out / 'staff'}" in second.stderr
    assert "This is a preview build" in second.stderr
    # A page edited by hand since: the command builds the site again (publish would refuse it as it is).
    index = out / "staff" / "index.html"
    index.write_text(index.read_text(encoding="utf-8") + "<!-- by hand -->", encoding="utf-8")
    third = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    assert f"Built {out / 'staff'}\n" in third.stderr and f"date: {out / 'staff'}\n" not in third.stderr, third.stderr
    assert "by hand" not in index.read_text(encoding="utf-8")
