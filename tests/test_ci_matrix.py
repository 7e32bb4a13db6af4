"""scripts/ci_matrix.py (issue 13, item 6): the schools a repository builds and each site's publishing target."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import ci_matrix  # noqa: E402


def school(folder: Path, school_id: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "school.yml").write_text(f"id: {school_id}\nname: {school_id.title()} School\n")


def test_the_root_school_alone(tmp_path):
    school(tmp_path, "oakfield")
    assert ci_matrix.list_schools(tmp_path) == [{"id": "oakfield", "dir": "."}]


def test_a_trust_file_adds_schools(tmp_path):
    school(tmp_path, "oakfield")
    school(tmp_path / "schools" / "elm", "elm-primary")
    school(tmp_path / "schools" / "ash", "ash-academy")
    (tmp_path / "trust.yml").write_text("schools:\n  - schools/elm\n  - path: schools/ash\n")
    assert ci_matrix.list_schools(tmp_path) == [{"id": "oakfield", "dir": "."},
                                                {"id": "elm-primary", "dir": "schools/elm"},
                                                {"id": "ash-academy", "dir": "schools/ash"}]


@pytest.mark.parametrize("trust, message", [
    ("schools:\n  - ../elsewhere\n", "must be a folder inside the repository"),
    ("schools:\n  - missing\n", "missing/school.yml does not exist (listed in trust.yml)"),
    ("schools:\n  - twin\n", "the id 'oakfield' is used by two schools"),
])
def test_a_bad_trust_file_is_refused(tmp_path, trust, message):
    school(tmp_path, "oakfield")
    school(tmp_path / "twin", "oakfield")
    (tmp_path / "trust.yml").write_text(trust)
    with pytest.raises(ci_matrix.MatrixError, match=re.escape(message)):
        ci_matrix.list_schools(tmp_path)


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
    listing = subprocess.run([sys.executable, str(REPO / "scripts" / "ci_matrix.py"), "school-list"],
                             capture_output=True, text=True)
    assert listing.stdout == "wexham-court\t.\n"


def test_the_generators_trust_format_is_read_too(tmp_path):
    """trust.yml as `generator build --all` reads it: {id, folder} entries, the root school as folder '.'."""
    for folder, school_id in ((".", "root-school"), ("schools/elm", "elm")):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "school.yml").write_text(f"id: {school_id}\n")
    (tmp_path / "trust.yml").write_text("id: t\nname: T\nschools:\n  - id: root-school\n    folder: .\n"
                                        "  - id: elm\n    folder: schools/elm\n")
    assert ci_matrix.list_schools(tmp_path) == [{"id": "root-school", "dir": "."}, {"id": "elm", "dir": "schools/elm"}]
