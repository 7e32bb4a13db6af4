"""Every folder the tool reads stays inside the repository (issue 23, item 4): a trust's `shared:` folder given as an
absolute path or '../' outside it, a shared or school folder that is a symbolic link to elsewhere, are refused at
their line of trust.yml (E108), and nothing in them is read.

The bug each test exists to catch: the tool reading, and publishing on the parents' site, another folder's policies
as the trust's (issue 23: `shared: /abs/path` was loaded and its clauses listed for the parents' site), or building a
school whose folder is a link out of the repository. Positions are counted by hand in bench/trust.py's trust.yml:

    1 id: example-trust
    2 name: Example Academy Trust
    3 schools:
    4   - id: school-01
    5     folder: .
    6   - id: school-02
    7     folder: schools/school-02     <- the folder's value starts at column 13
    8 shared: <added by the test>       <- the value starts at column 9
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from generator.load.diagnostics import DiagnosticError
from generator.load.loader import load_project
from generator.load.trust import trust_schools
from support import REPO

sys.path.insert(0, str(REPO / "bench"))
from trust import make_trust  # noqa: E402

HINT = "(write a folder inside the repository, relative to trust.yml; replace a symbolic link with the folder itself)"
OUTSIDE_POLICY = "trust/policies/trust-phones.yml"  # the trust's one policy, moved out of the repository


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("containment") / "repo"
    make_trust(root, 2)
    return root


@pytest.fixture
def repo(pristine, tmp_path) -> Path:
    """A fresh copy of the trust, its shared folder moved out to tmp_path/outside/trust (still holding its policy)."""
    root = tmp_path / "repo"
    shutil.copytree(pristine, root, symlinks=True)
    (tmp_path / "outside").mkdir()
    shutil.move(root / "trust", tmp_path / "outside" / "trust")
    return root


def shared(repo: Path, value: str) -> None:
    with open(repo / "trust.yml", "a", encoding="utf-8") as handle:
        handle.write(f"shared: {value}\n")


def errors(school: Path) -> tuple[list[str], int]:
    loaded = load_project(school)
    return [str(d) for d in loaded.diagnostics if d.is_error], len(loaded.trust_policies)


@pytest.mark.parametrize("written", ["absolute", "parent"])
def test_a_shared_folder_outside_the_repository_is_refused_and_not_read(repo, tmp_path, written):
    value = str(tmp_path / "outside" / "trust") if written == "absolute" else "../outside/trust"
    shared(repo, value)
    assert (tmp_path / "outside" / OUTSIDE_POLICY).is_file()
    found, read = errors(repo)
    assert found == [f"trust.yml:8:9: E108 'shared': the trust's policies folder '{value}/policies' is outside the "
                     f"repository: nothing outside the folder holding trust.yml is read {HINT}"]
    assert read == 0
    # the same from a school of the trust, whose messages name trust.yml from its own folder
    found, read = errors(repo / "schools" / "school-02")
    assert [line.split(": E108")[0] for line in found] == ["../../trust.yml:8:9"] and read == 0


def test_a_shared_folder_that_is_a_link_out_of_the_repository_is_refused(repo, tmp_path):
    os.symlink(tmp_path / "outside" / "trust", repo / "trust")  # the default 'shared: trust', a link to elsewhere
    found, read = errors(repo)
    assert found == ["trust.yml:1:1: E108 'shared': the trust's policies folder 'trust/policies' leads out of the "
                     f"repository through a symbolic link: nothing outside the folder holding trust.yml is read {HINT}"]
    assert read == 0


def test_a_policies_folder_linked_out_of_the_shared_folder_is_refused(repo, tmp_path):
    (repo / "common").mkdir()
    os.symlink(tmp_path / "outside" / "trust" / "policies", repo / "common" / "policies")
    shared(repo, "common")
    found, read = errors(repo)
    assert [line.split(" 'shared'")[0] for line in found] == ["trust.yml:8:9: E108"] and read == 0
    assert "leads out of the repository through a symbolic link" in found[0]


def test_links_and_dots_that_stay_inside_the_repository_are_read(repo, tmp_path):
    """Catches: a check so broad it refuses every link or '..' (a trust may arrange its folders with them)."""
    shutil.move(tmp_path / "outside" / "trust", repo / "real-trust")
    os.symlink("real-trust", repo / "trust-link")
    shared(repo, "schools/../trust-link")
    found, read = errors(repo)
    assert found == [] and read == 1


def test_a_school_folder_linked_out_of_the_repository_is_refused(repo, tmp_path):
    shutil.move(repo / "schools" / "school-02", tmp_path / "outside" / "school-02")
    os.symlink(tmp_path / "outside" / "school-02", repo / "schools" / "school-02")
    shutil.move(tmp_path / "outside" / "trust", repo / "trust")
    with pytest.raises(DiagnosticError) as caught:
        trust_schools(repo, None)
    assert [str(d) for d in caught.value.diagnostics] == [
        "trust.yml:7:13: E108 'folder': the folder of school 'school-02', 'schools/school-02', leads out of the "
        f"repository through a symbolic link: nothing outside the folder holding trust.yml is read {HINT}"]


def test_a_school_folder_linked_out_and_checked_by_itself_is_refused(repo, tmp_path):
    """Catches: `check --project schools/school-02` finding no trust from where the folder really is, and so
    reading the linked folder as a school of its own."""
    shutil.move(repo / "schools" / "school-02", tmp_path / "outside" / "school-02")
    os.symlink(tmp_path / "outside" / "school-02", repo / "schools" / "school-02")
    shutil.move(tmp_path / "outside" / "trust", repo / "trust")
    found, _ = errors(repo / "schools" / "school-02")
    assert found == ["../../trust.yml:1:1: E108 this school's folder 'schools/school-02' leads out of the repository "
                     f"through a symbolic link: nothing outside the folder holding trust.yml is read {HINT}"]
    assert errors(repo) == ([], 1)  # the school at the root, inside, is not touched by it


def test_a_trust_policy_file_linked_out_of_the_repository_is_refused(repo, tmp_path):
    """Catches: trust-wide policies opened following a link (each data file must be an ordinary file)."""
    shutil.move(tmp_path / "outside" / "trust", repo / "trust")
    policy = repo / OUTSIDE_POLICY
    shutil.move(policy, tmp_path / "outside.yml")
    os.symlink(tmp_path / "outside.yml", policy)
    found, read = errors(repo)
    assert found == [f"{OUTSIDE_POLICY}:1:1: E107 a symbolic link, not an ordinary file: data files must be "
                     "ordinary files inside the project (replace it with a copy of the file itself)"]
    assert read == 0
