"""Every broken input in tests/broken/ fails the build with a located message and leaves site/ untouched.

The example school's data is copied once, with the session's shared build of it (conftest.wexham_sites) as
its previous site/; each case then gets its own copy of the data, its site/ a hard link of every file of that
previous build (a copy of 8.9 MB for each of 102 cases cost more than their checks), has its broken input applied,
and runs ``python -m generator build`` in a process of its own (several at once), forked from one that has
imported the generator (tests/broken/forked_builds.py: a fresh interpreter's imports cost several times the
case's own check). A case's site/ is hashed after its build, so a build that wrote into a file of it (through the
link: every case's file and the base's) or replaced, added or removed one is still seen.
The base has a work folder too, as a project built before has: build/check-cache/, each data file's parse and
per-file check, made by this code from the same bytes in this session, is linked into every case. A case's
broken file has bytes of its own, so it is read and checked afresh; the files it leaves alone are read back
(about half of a case's own CPU otherwise), and every check across files runs as always. The cache writes a
file whole under a new name and then renames it (load/file_cache.py), so no case writes through a link.
``UPDATE_GOLDENS=1`` rewrites each case's expected.txt from what the generator printed.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "broken"))

import broken_cases as corpus  # noqa: E402

from generator import pipeline  # noqa: E402
from generator.load.file_cache import ResultCache  # noqa: E402
from support import TODAY  # noqa: E402

CASES = corpus.cases()
UPDATE = os.environ.get("UPDATE_GOLDENS") == "1"


@dataclass
class Outcome:
    project: Path
    returncode: int
    stderr: str
    site_before: str
    site_after: str


@pytest.fixture(scope="session")
def built_project(tmp_path_factory, wexham_sites) -> tuple[Path, str]:
    """The example school's data, copied, with the shared build of the same data as its site/: the 'previous
    output' every case must leave alone (the session builds it once for every test that reads it)."""
    project = corpus.copy_project(tmp_path_factory.mktemp("corpus-base") / "project")
    shutil.copytree(wexham_sites, project / "site")
    checked = pipeline.check(project, TODAY, ResultCache(project / "build" / pipeline.CHECK_CACHE_DIR))
    assert checked.ok, "\n".join(str(d) for d in checked.diagnostics)
    return project, corpus.tree_hash(project / "site")


@pytest.fixture(scope="session")
def outcomes(built_project, tmp_path_factory) -> dict[str, Outcome]:
    base, site_hash = built_project
    root = tmp_path_factory.mktemp("corpus-cases")

    projects = []
    for case in CASES:
        project = root / case.name
        shutil.copytree(base, project, ignore=shutil.ignore_patterns("site", "build"))
        shutil.copytree(base / "site", project / "site", copy_function=os.link)
        shutil.copytree(base / "build", project / "build", copy_function=os.link)
        corpus.apply_case(case, project)
        projects.append(project)
    results = corpus.generator_many([["build", "--project", str(project)] for project in projects],
                                    tmp_path_factory.mktemp("corpus-output"), max(2, (os.cpu_count() or 2) + 1),
                                    warm=base)
    return {case.name: Outcome(project, result.returncode, result.stderr, site_hash, corpus.tree_hash(project / "site"))
            for case, project, result in zip(CASES, projects, results)}


def test_corpus_is_large_enough():
    assert len(CASES) >= 30
    codes = {case.name.split("-")[0][:2] for case in CASES}
    assert {"e1", "e2", "e3", "e4", "e6"} <= codes


def test_valid_sample_builds(built_project, tmp_path):
    """The sample tree and policy the cases are made from are valid: each case breaks one thing."""
    base, _ = built_project
    project = tmp_path / "project"
    shutil.copytree(base, project, ignore=shutil.ignore_patterns("site", "build"))
    corpus.apply_case(corpus.valid_case(), project)
    result = corpus.generator("check", "--project", str(project))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_input(case: corpus.Case, outcomes):
    outcome = outcomes[case.name]
    got = corpus.error_lines(outcome.stderr, outcome.project)
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert "internal error" not in outcome.stderr, outcome.stderr
    assert outcome.returncode == 1, outcome.stderr
    assert got, f"no located error line in:\n{outcome.stderr}"
    assert outcome.site_after == outcome.site_before, "the previous build in site/ was changed"
    code = case.name.split("-")[0].upper()
    assert any(f": {code} " in line for line in got), f"expected a {code} error, got:\n" + "\n".join(got)
    if UPDATE:
        case.expected_file.write_text("\n".join(got) + "\n", encoding="utf-8")
    else:
        assert got == case.expected(), (
            "the messages differ from expected.txt (UPDATE_GOLDENS=1 rewrites it after a deliberate change)\n"
            + outcome.stderr)
    marker = case.meta.get("never_on_page")
    if marker:
        for folder in ("site", "build"):
            # build/check-cache/ keeps each data file's parse (its values, as in the file itself) for the next
            # check or build: input kept, not output made; nothing reads it into a page.
            reached = [name for name in corpus.files_containing(outcome.project / folder, marker)
                       if not (folder == "build" and name.startswith(pipeline.CHECK_CACHE_DIR + "/"))]
            assert not reached, f"'{marker}' reached {folder}/: {reached[:3]}"


def test_a_successful_build_replaces_the_output(built_project, tmp_path):
    """The other half of 'replace only on success': a good change does reach site/, with nothing left behind."""
    base, site_hash = built_project
    project = tmp_path / "project"
    shutil.copytree(base, project)
    policy = project / "policies" / "social-media.yml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("\ntitle: Social Media Policy",
                                                                 "\ntitle: Social Media Policy (rebuilt)", 1),
                      encoding="utf-8")
    result = corpus.generator("build", "--project", str(project))
    assert result.returncode == 0, result.stderr
    assert corpus.tree_hash(project / "site") != site_hash
    assert corpus.files_containing(project / "site" / "staff", "Social Media Policy (rebuilt)")
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == [], "no staging folder left"
