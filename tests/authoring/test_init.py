"""`init DIR` makes a new school from the tool's neutral starter; the tool runs from any folder.

The bug each test exists to catch:
- the starter (or a template, or a page the tool adds, such as the authors' guide) carrying the first
  school's words into every new school's sites: a hand-written list of Wexham-only words and sentences
  is searched for in every output file;
- a starter that does not pass `check` or build at once (a new user's first command fails);
- the tool finding its templates, theme or base config through the current folder or the repository, so it
  only runs from there (the commands here run from an unrelated folder, importing a copy of the package alone);
- `build --output X` leaving an `X.build` work folder beside the output;
- `init` writing into a folder that already holds a school;
- a school adopting the england pack lacking a contact or shared group of steps its guides name;
- a school adopting the england pack failing its first `check` or build, or given the starter's example guide
  beside the pack's guide for the same worry.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from support import REPO, TODAY

# Written by hand from Wexham's data (school.yml, policies/source/social-media-policy.txt): none of these
# may appear in a new school's files or sites.
WEXHAM_ONLY = [
    "Wexham", "wexham", "Mehat", "Reekie", "wexhamprimary",
    "Build belonging", "Strive for excellence", "ever evolving world",
    "proud of the diversity of our students",
    "influenced by implicit bias",
    "web 2.0 platform",
    "uphold public trust in the profession",
    "Click CEOP",
    "Teachers' Standards",
    "social-media#",
    "staying safe online",
]


INSTALLED = Path(tempfile.mkdtemp(prefix="installed-tool-"))
"""The package alone, copied as an installation would hold it (nothing else of the repository): the commands
below import it from here, so a template, theme file or config found through the repository would fail."""
shutil.copytree(REPO / "generator", INSTALLED / "generator", ignore=shutil.ignore_patterns("__pycache__"))
atexit.register(shutil.rmtree, INSTALLED, True)


def generator(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The tool run from ``cwd``, importing the copied package (whatever is installed in the venv)."""
    env = {**os.environ, "PYTHONPATH": str(INSTALLED)}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def new_school(tmp_path_factory) -> tuple[Path, Path]:
    """A school made by `init`, built into a separate output, with every command run from elsewhere."""
    base = tmp_path_factory.mktemp("init")
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    made = generator("init", str(base / "oakfield"), cwd=elsewhere)
    assert made.returncode == 0, made.stderr
    built = generator("build", "--project", str(base / "oakfield"), "--output", str(base / "out" / "site"),
                      "--today", TODAY.isoformat(), cwd=elsewhere)
    assert built.returncode == 0, built.stderr
    return base / "oakfield", base / "out" / "site"


def test_the_new_school_passes_check_warned_only_of_its_placeholder_dsl_and_example_content(new_school, tmp_path):
    school, _ = new_school
    checked = generator("check", "--today", TODAY.isoformat(), cwd=school)  # --project defaults to .
    assert checked.returncode == 0, checked.stderr
    lines = checked.stderr.strip().splitlines()
    assert [line.split(" ")[:2] for line in lines[:8]] == [
        ["decision_trees/shared/immediate-danger-parents.yml:10:10:", "W520"],
        ["decision_trees/shared/immediate-danger.yml:8:10:", "W520"],
        ["decision_trees/worried-about-a-child.yml:7:10:", "W520"], ["docs/parents/report-a-concern.md:4:1:", "W520"],
        ["docs/shared/accessibility.md:4:1:", "W520"], ["policies/child-protection.yml:6:10:", "W520"],
        ["school.yml:22:18:", "S701"], ["school.yml:25:18:", "S701"]]
    assert lines[8:] == ["0 error(s), 8 warning(s)", "All data files are valid."]


def test_the_new_school_builds_both_sites_with_every_page(new_school):
    _, site = new_school
    staff, parents = site / "staff", site / "parents"
    for page in ("index.html", "policies/child-protection/reporting/index.html",
                 "what-to-do/worried-about-a-child/index.html", "authoring/index.html", "accessibility/index.html"):
        assert (staff / page).is_file(), page
    for page in ("index.html", "policies/child-protection/index.html", "report-a-concern/index.html"):
        assert (parents / page).is_file(), page
    assert not (parents / "authoring").exists() and not (parents / "what-to-do" / "worried-about-a-child").exists()
    # The example guide starts with the shared "immediate danger" step.
    guide = (staff / "what-to-do/worried-about-a-child/index.html").read_text(encoding="utf-8")
    assert 'id="is_child_in_immediate_danger"' in guide


def test_nothing_of_wexham_in_any_file_of_the_new_school_or_its_sites(new_school):
    school, site = new_school
    found = []
    for root in (school, site):
        for path in sorted(root.rglob("*")):
            if not path.is_file() or path.suffix in (".png", ".ico", ".woff", ".woff2", ".gz"):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{path.relative_to(root.parent)}: {word}" for word in WEXHAM_ONLY if word in text]
    assert found == []


def test_the_search_for_wexham_words_can_fail(new_school, tmp_path):
    """The scan above reads the files it should: a Wexham sentence planted in a page is found."""
    school, _ = new_school
    planted = tmp_path / "planted"
    generator("init", str(planted), cwd=tmp_path)
    page = planted / "docs" / "parents" / "report-a-concern.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nWe are proud of the diversity of our students.\n")
    out = tmp_path / "site"
    assert generator("build", "--project", str(planted), "--output", str(out), "--today", TODAY.isoformat(),
                     cwd=tmp_path).returncode == 0
    html = (out / "parents" / "report-a-concern" / "index.html").read_text(encoding="utf-8")
    assert "proud of the diversity of our students" in html


def test_build_with_output_leaves_nothing_beside_it(new_school):
    _, site = new_school
    assert sorted(path.name for path in site.parent.iterdir()) == ["site"]
    assert sorted(path.name for path in site.iterdir()) == ["parents", "staff"]


def test_init_refuses_a_folder_that_is_not_empty(new_school, tmp_path):
    school, _ = new_school
    refused = generator("init", str(school), cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr == f"Nothing was written: {school} already exists and is not an empty folder: " \
                             "choose a new one\n"


def test_init_writes_the_editor_schemas_each_file_names(new_school):
    school, _ = new_school
    for path in [school / "school.yml", school / "policies" / "child-protection.yml",
                 school / "decision_trees" / "worried-about-a-child.yml"]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        schema = first.removeprefix("# yaml-language-server: $schema=")
        assert (path.parent / schema).resolve().is_file(), first


def test_version_knows_the_commit_when_run_from_another_folder(tmp_path):
    """A school in the repository built from an unrelated folder still records the commit it was built from. The
    small neutral fixture, not the root school: what is tested is where git is asked, not what the site holds (the
    root school's parents' site cost more than twice as much to build)."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    out = tmp_path / "site"
    school = REPO / "tests" / "fixtures" / "neutral-school"
    built = generator("build", "--project", str(school), "--output", str(out), "--site", "parents",
                      "--today", TODAY.isoformat(), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert json.loads((out / "parents" / "version.json").read_text())["git_sha"] == head


def test_every_file_of_the_tool_is_in_the_package_data():
    """A template, guide page or starter file missing from pyproject's package-data would be absent from an
    installed tool (found only when a school first runs it)."""
    import tomllib

    package = REPO / "generator"
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["generator"]
    shipped = {path for pattern in patterns for path in package.glob(pattern) if path.is_file()}
    needed = {path for path in package.rglob("*") if path.is_file() and path.suffix not in (".py", ".pyc")
              and "__pycache__" not in path.parts}
    assert sorted(str(p.relative_to(package)) for p in needed - shipped) == []
    assert config["project"]["requires-python"] == ">=3.11,<3.14"
    assert config["project"]["scripts"]["policy-site"] == "generator.cli:main"


def test_a_new_school_with_the_pack_has_every_contact_and_shared_group_its_guides_name(tmp_path):
    # Bug: the starter lacking a contact the england pack's guides name (the LADO, children's social care, the
    # out-of-hours team, the chair of governors, the senior leadership team) or the parents' shared first step
    # (immediate-danger-parents), so that a school adopting the pack on its first day gets E405 / E410 errors.
    made = generator("init", "oakfield", "--guide-pack", "england", cwd=tmp_path)
    assert (tmp_path / "oakfield" / "pack.lock").is_file(), made.stderr
    checked = generator("check", "--today", TODAY.isoformat(), cwd=tmp_path / "oakfield")
    lines = checked.stderr.splitlines()
    assert "\nguide_pack: england\n" in (tmp_path / "oakfield" / "school.yml").read_text(encoding="utf-8")
    assert [line for line in lines if " E405 " in line or " E410 " in line] == []


# The england pack's guides, listed by hand from generator/pack/england/decision_trees/ (issue 28): the ten moved
# from the example school and the four it gained so that it stands alone.
ENGLAND_GUIDES_FOR_STAFF = [
    "allegation-about-staff", "child-not-collected", "concern-about-a-child", "dsl-cannot-be-reached",
    "fgm-or-honour-based-abuse", "filtering-or-monitoring-alert", "harmful-sexual-behaviour", "indecent-images",
    "marks-or-injuries", "missing-child", "radicalisation-concern", "self-harm-or-suicidal-thoughts",
    "sharing-nudes", "worried-about-a-member-of-staff"]
ENGLAND_GUIDES_FOR_PARENTS = ["worried-about-a-member-of-staff"]


def test_a_new_school_with_the_pack_passes_check_and_builds_every_guide_of_the_pack(tmp_path):
    # Bug: a pack guide linking to a guide only the example school has (allegation-about-staff ->
    # concern-about-a-child, harmful-sexual-behaviour -> sharing-nudes...), so that a new school adopting the pack
    # fails its first `check` and cannot build; or the starter's own example guide kept beside the pack's
    # concern-about-a-child (two guides for one worry, and the example lacks the pack's 'DSL cannot be reached').
    made = generator("init", "oakfield", "--guide-pack", "england", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    school = tmp_path / "oakfield"
    checked = generator("check", "--today", TODAY.isoformat(), cwd=school)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr.splitlines()[-2:] == ["0 error(s), 7 warning(s)", "All data files are valid."]
    assert not (school / "decision_trees" / "worried-about-a-child.yml").exists()
    built = generator("build", "--output", str(tmp_path / "out" / "site"), "--today", TODAY.isoformat(), cwd=school)
    assert built.returncode == 0, built.stderr
    for site, guides in (("staff", ENGLAND_GUIDES_FOR_STAFF), ("parents", ENGLAND_GUIDES_FOR_PARENTS)):
        built_guides = sorted(path.parent.name for path in (tmp_path / "out" / "site" / site / "what-to-do").glob(
            "*/index.html"))
        assert built_guides == guides, site
