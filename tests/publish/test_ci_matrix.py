"""scripts/ci_matrix.py (issue 13, item 6): the schools a repository builds and each site's publishing target."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import ci_matrix  # noqa: E402


def school(folder: Path, school_id: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "school.yml").write_text(f"id: {school_id}\nname: {school_id.title()} School\n")


def test_the_root_school_alone(tmp_path):
    school(tmp_path, "oakfield")
    assert ci_matrix.list_schools(tmp_path) == [{"id": "oakfield", "dir": "."}]


TRUST = "id: t\nname: T\nschools:\n"


def test_a_trust_file_lists_the_schools_as_build_all_reads_it(tmp_path):
    """trust.yml as `generator build --all` reads it (generator/load/trust.py): {id, folder}, the root school as '.'."""
    school(tmp_path, "oakfield")
    school(tmp_path / "schools" / "elm", "elm-primary")
    school(tmp_path / "schools" / "ash", "ash-academy")
    (tmp_path / "trust.yml").write_text(TRUST + "  - id: oakfield\n    folder: .\n"
                                        "  - id: elm-primary\n    folder: schools/elm/\n"
                                        "  - id: ash-academy\n    folder: schools/ash\n")
    assert ci_matrix.list_schools(tmp_path) == [{"id": "oakfield", "dir": "."},
                                                {"id": "elm-primary", "dir": "schools/elm"},
                                                {"id": "ash-academy", "dir": "schools/ash"}]


def test_a_trust_without_the_root_school_builds_only_its_listed_schools(tmp_path):
    """As `build --all`: a school.yml at the root that trust.yml does not list is not in the matrix."""
    school(tmp_path, "oakfield")
    school(tmp_path / "schools" / "elm", "elm-primary")
    (tmp_path / "trust.yml").write_text(TRUST + "  - id: elm-primary\n    folder: schools/elm\n")
    assert ci_matrix.list_schools(tmp_path) == [{"id": "elm-primary", "dir": "schools/elm"}]


@pytest.mark.parametrize("trust, message", [
    ("  - id: a\n    folder: ../elsewhere\n",
     "trust.yml:5:13: E205 'folder': write the folder relative to trust.yml, inside it, e.g. 'schools/oakfield'"),
    ("  - id: missing\n    folder: missing\n", "missing/school.yml does not exist (listed in trust.yml)"),
    ("  - id: twin\n    folder: twin\n", "twin/school.yml: its id is 'oakfield', but trust.yml lists the school "
                                          "in 'twin' as 'twin'"),
    ("  - id: oakfield\n    folder: .\n  - id: oakfield\n    folder: twin\n",
     "trust.yml:3:1: E205 'schools': each school's id must be different: oakfield is listed twice"),
])
def test_a_bad_trust_file_is_refused(tmp_path, trust, message):
    school(tmp_path, "oakfield")
    school(tmp_path / "twin", "oakfield")
    (tmp_path / "trust.yml").write_text(TRUST + trust)
    with pytest.raises(ci_matrix.MatrixError, match=re.escape(message)):
        ci_matrix.list_schools(tmp_path)


@pytest.mark.parametrize("entry", ["  - schools/elm\n", "  - path: schools/elm\n"])
def test_the_old_list_of_folders_is_refused_at_its_line(tmp_path, entry):
    """The shape this script once read besides {id, folder}: one clear error at the entry, not a matrix."""
    school(tmp_path, "oakfield")
    school(tmp_path / "schools" / "elm", "elm-primary")
    (tmp_path / "trust.yml").write_text(TRUST + "  - id: oakfield\n    folder: .\n" + entry)
    with pytest.raises(ci_matrix.MatrixError) as caught:
        ci_matrix.list_schools(tmp_path)
    assert str(caught.value) == ("trust.yml:6:5: E205 'schools': each school is written as its id and its folder, "
                                 "not by its folder alone ('schools/elm') (write '- id: <the id in its school.yml>' "
                                 "and, under it, 'folder: schools/elm')")


SCHOOLS = [{"id": "oakfield", "dir": "."}, {"id": "elm-primary", "dir": "schools/elm"}]


def test_each_school_and_site_goes_by_its_sites_route():
    found = ci_matrix.list_targets(SCHOOLS, {"staff": "self-hosted", "parents": "rsync"})
    assert found == {
        "self-hosted": [
            {"school": "oakfield", "dir": ".", "site": "staff", "environment": "oakfield-staff",
             "runner": "school-intranet"},
            {"school": "elm-primary", "dir": "schools/elm", "site": "staff", "environment": "elm-primary-staff",
             "runner": "elm-primary-intranet"},
        ],
        "rsync": [
            {"school": "oakfield", "dir": ".", "site": "parents", "environment": "oakfield-parents",
             "runner": "school-intranet"},
            {"school": "elm-primary", "dir": "schools/elm", "site": "parents", "environment": "elm-primary-parents",
             "runner": "elm-primary-intranet"},
        ],
    }
    assert ci_matrix.list_targets(SCHOOLS[:1], {"staff": "off", "parents": "rsync"})["self-hosted"] == []


def test_a_missing_route_stops_the_workflow_with_a_clear_error():
    with pytest.raises(ci_matrix.MatrixError) as caught:
        ci_matrix.list_targets(SCHOOLS, {"staff": "self-hosted", "parents": ""})
    assert str(caught.value) == ("Set the repository variable PARENTS_PUBLISH_ROUTE to one of self-hosted, rsync, off "
                                 "(it is not set; see PUBLISHING.md)")


def test_the_command_writes_github_outputs():
    env = {"SCHOOLS": json.dumps(SCHOOLS[:1]), "STAFF_PUBLISH_ROUTE": "self-hosted", "PARENTS_PUBLISH_ROUTE": "rsync",
           "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "ci_matrix.py"), "targets"], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.partition("=")[0] for line in lines] == ["self_hosted", "rsync"]
    assert json.loads(lines[1].partition("=")[2])[0]["site"] == "parents"
    listing = subprocess.run([sys.executable, str(REPO / "scripts" / "ci_matrix.py"), "school-list",
                              str(REPO / "tests" / "fixtures" / "wexham")], capture_output=True, text=True)
    assert listing.stdout == "wexham-court\t.\n", listing.stderr


def test_the_command_turns_a_bad_trust_file_into_one_annotation_a_line(tmp_path):
    school(tmp_path, "oakfield")
    (tmp_path / "trust.yml").write_text(TRUST + "  - schools/elm\n  - path: schools/ash\n")
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "ci_matrix.py"), "schools", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout == ""
    assert [line.split(" E205 ")[0] for line in result.stderr.splitlines()] == ["::error::trust.yml:4:5:",
                                                                              "::error::trust.yml:5:5:"]
