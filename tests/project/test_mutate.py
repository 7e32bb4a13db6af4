"""scripts/mutate.py (issue 23, item 9) on a tiny fake project: a module, its test, and planted bugs."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import mutate  # noqa: E402

MODULE = '''\
def is_safe(url):
    return url.startswith("https://")


def clamp(value):
    return max(0, value)
'''
TEST = '''\
from tiny import is_safe


def test_only_https_is_safe():
    assert is_safe("https://example.org")
    assert not is_safe("javascript:alert(1)")
'''


def _project(root: Path, catalogue: str) -> Path:
    root.mkdir()
    (root / "tiny.py").write_text(MODULE)
    (root / "tests").mkdir()
    (root / "tests" / "test_tiny.py").write_text(TEST)
    (root / "mutants.yml").write_text(textwrap.dedent(catalogue))
    return root


KILLED_AND_SURVIVOR = """\
    file: tiny.py
    tests: [tests/test_tiny.py]
    mutants:
      - id: any-scheme
        bug: every address counts as safe
        original: return url.startswith("https://")
        replacement: return True
      - id: no-clamp
        bug: negative values kept
        original: return max(0, value)
        replacement: return value
"""


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "scripts" / "mutate.py"), "--root", str(project), *args],
                          capture_output=True, text=True, timeout=300)


def test_a_caught_mutant_is_killed_an_uncaught_one_survives_and_fails_the_run(tmp_path):
    project = _project(tmp_path / "p", KILLED_AND_SURVIVOR)
    done = run(project, str(project / "mutants.yml"))
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("killed     any-scheme: every address counts as safe (")
    assert lines[1].startswith("SURVIVED   no-clamp: negative values kept (")
    assert lines[2:] == ["mutation score: 1 of 2 killed (50%)", "survivors: no-clamp"]


def test_the_working_tree_is_never_changed(tmp_path):
    project = _project(tmp_path / "p", KILLED_AND_SURVIVOR)
    run(project, str(project / "mutants.yml"))
    assert (project / "tiny.py").read_text() == MODULE
    assert sorted(p.name for p in project.iterdir()) == ["mutants.yml", "tests", "tiny.py"]


def test_each_mutant_is_planted_alone_in_the_copy(tmp_path):
    # The second mutant's test passes only if the first mutant was removed before it ran, and fails in
    # the copy only: the working tree keeps the original.
    project = _project(tmp_path / "p", """\
        file: tiny.py
        tests: [tests/test_tiny.py]
        mutants:
          - id: first
            bug: breaks is_safe
            original: return url.startswith("https://")
            replacement: return False
          - id: second
            bug: clamp to one
            original: return max(0, value)
            replacement: return max(1, value)
    """)
    report = mutate.mutate(mutate.load_catalogue(project / "mutants.yml", project), project, log=lambda _: None)
    assert [(o.mutant.id, o.result) for o in report.outcomes] == [("first", "killed"), ("second", "survived")]


def test_an_equivalent_mutant_is_listed_not_run_and_does_not_fail_the_run(tmp_path):
    project = _project(tmp_path / "p", """\
        file: tiny.py
        tests: [tests/test_tiny.py]
        mutants:
          - id: same-max
            bug: arguments swapped
            original: return max(0, value)
            replacement: return max(value, 0)
            equivalent: max is symmetric
    """)
    done = run(project, str(project / "mutants.yml"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == ["equivalent same-max: max is symmetric",
                                        "mutation score: 0 of 0 killed (-); 1 marked equivalent"]


@pytest.mark.parametrize("original, found", [("return url", "occurs 2 times"),
                                              ("return http", "does not occur")])
def test_a_snippet_not_found_exactly_once_is_refused_before_anything_runs(tmp_path, original, found):
    project = _project(tmp_path / "p", f"""\
        file: tiny.py
        tests: [tests/test_tiny.py]
        mutants:
          - id: vague
            bug: anything
            original: "{original}"
            replacement: return None
    """)
    (project / "tiny.py").write_text(MODULE + '\n\ndef other(url):\n    return url\n')
    done = run(project, str(project / "mutants.yml"))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (f"mutate: {project / 'mutants.yml'}: mutant vague: its original snippet {found} in "
                           "tiny.py (it must occur exactly once: copy it from the file, with enough lines to be "
                           "unique)\n")


def test_tests_that_fail_without_a_mutant_are_an_error_not_a_kill(tmp_path):
    project = _project(tmp_path / "p", KILLED_AND_SURVIVOR)
    (project / "tests" / "test_tiny.py").write_text(TEST + "\n\ndef test_broken():\n    assert False\n")
    done = run(project, str(project / "mutants.yml"), "--only", "any-scheme")
    assert done.returncode == 2
    assert done.stdout.startswith("ERROR      any-scheme: without any mutant, pytest tests/test_tiny.py exits 1")
    assert "killed" not in done.stdout.split("\n")[0]


def test_a_selection_that_collects_no_test_is_an_error(tmp_path):
    project = _project(tmp_path / "p", KILLED_AND_SURVIVOR.replace("[tests/test_tiny.py]",
                                                                   "[tests/test_tiny.py, -k, nothing_matches]"))
    done = run(project, str(project / "mutants.yml"), "--only", "any-scheme")
    assert done.returncode == 2
    assert "exits 5" in done.stdout


def test_the_project_catalogues_are_valid():
    """Every snippet of tests/mutants/ still occurs exactly once in its file (run --list to see them)."""
    paths = sorted((REPO / "tests" / "mutants").glob("*.yml"))
    mutants = mutate.load_catalogues(paths, REPO)
    files = {m.file for m in mutants}
    assert {"generator/build/gate.py", "generator/build/leaks.py", "generator/load/urls.py", "generator/render/ical.py",
            "generator/authoring/importer/guard.py", "generator/checks/rules/walk.py", "generator/render/diagram.py",
            "generator/templates/trees/tree.html.j2"} <= files
    assert all(m.bug.strip() for m in mutants)
