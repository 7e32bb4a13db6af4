"""The tests are laid out as the stages they test (tests/load, checks, render, build, publish, authoring, project,
beside browser/ and security/), and no two test files share a name: pytest imports each test file by its name
alone (the folders are not packages), so a second tests/*/test_x.py stops the whole run at collection."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
FOLDERS = {"load", "checks", "render", "build", "publish", "authoring", "project", "browser", "security"}
"""Written by hand: the generator's stages (ARCHITECTURE.md), the repository's own tooling, and the two kinds of
test that cut across the stages."""


def test_every_test_file_sits_in_a_stage_folder():
    loose = sorted(path.name for path in TESTS.glob("test_*.py"))
    assert loose == [], f"move these into the folder of the stage they test: {loose}"
    folders = {path.parent.name for path in TESTS.glob("*/test_*.py")}
    assert folders <= FOLDERS, folders - FOLDERS


def test_no_two_test_files_share_a_name():
    names = Counter(path.name for path in TESTS.rglob("test_*.py") if "fixtures" not in path.parts)
    assert [name for name, count in names.items() if count > 1] == []
