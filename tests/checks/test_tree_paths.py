"""Snapshot of every start-to-outcome path through every decision tree.

A change to a tree's structure (a new answer, a step pointing somewhere else, a renamed id)
changes its paths, and so shows up as a diff of checks/tree-paths/<tree-id>.txt in review.
The snapshots are the school's (they live with its data, in checks/ at the root): a fork with
another school's trees keeps its own. The snapshot is the reviewer's view of what the change does to every route a reader
can take; it is not a substitute for reading the tree.

To accept a deliberate change, regenerate the snapshots and commit them with the tree:

    UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/checks/test_tree_paths.py
"""

from __future__ import annotations

import difflib
import os
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.load.models import DecisionTree
from generator.load.pack import PACKS
from generator.load.paths import enumerate_paths
from generator.pipeline import check

REPO_ROOT = Path(__file__).resolve().parents[2]
TREES_DIR = REPO_ROOT / "decision_trees"
SNAPSHOT_DIR = REPO_ROOT / "checks" / "tree-paths"
TODAY = date(2026, 11, 24)
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
UPDATE_COMMAND = "UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/checks/test_tree_paths.py"

# Collected from the file names so that each tree is its own test; the validator checks
# that each tree's id matches its file name. The guides of the pack the school adopts are its guides too.
_PACK = yaml.safe_load((REPO_ROOT / "school.yml").read_text(encoding="utf-8")).get("guide_pack")
PACK_TREES_DIR = PACKS / _PACK / "decision_trees" if _PACK else None
TREE_IDS = sorted({path.stem for folder in (TREES_DIR, PACK_TREES_DIR) if folder for path in folder.glob("*.yml")})


@pytest.fixture(scope="module")
def trees() -> dict[str, DecisionTree]:
    result = check(REPO_ROOT, TODAY)
    if result.project is None:
        problems = "\n".join(str(d) for d in result.diagnostics if d.is_error)
        pytest.fail(f"the project does not validate, so no paths can be checked:\n{problems}")
    return result.project.trees_by_id


def render_snapshot(tree: DecisionTree) -> str:
    paths = [str(path) for path in enumerate_paths(tree)]
    header = f"# {tree.title} v{tree.version}: {len(paths)} paths"
    return "\n".join([header, *paths]) + "\n"


def test_there_are_trees():
    assert TREE_IDS, f"no decision trees found in {TREES_DIR}"


@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_tree_paths_match_snapshot(tree_id: str, trees: dict[str, DecisionTree]):
    assert tree_id in trees, f"decision_trees/{tree_id}.yml did not load as a tree with id '{tree_id}'"
    actual = render_snapshot(trees[tree_id])
    snapshot = SNAPSHOT_DIR / f"{tree_id}.txt"

    if UPDATE:
        SNAPSHOT_DIR.mkdir(parents=True, exist_ok=True)
        if not snapshot.exists() or snapshot.read_text(encoding="utf-8") != actual:
            snapshot.write_text(actual, encoding="utf-8")
        return

    if not snapshot.exists():
        pytest.fail(
            f"no path snapshot for tree '{tree_id}': expected {snapshot.relative_to(REPO_ROOT)}.\n"
            f"Create it with:\n    {UPDATE_COMMAND}\n"
            "then read the new file and commit it with the tree.",
            pytrace=False,
        )

    expected = snapshot.read_text(encoding="utf-8")
    if expected != actual:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            fromfile=f"snapshot {snapshot.name}", tofile=f"decision_trees/{tree_id}.yml now",
        ))
        pytest.fail(
            f"the paths through tree '{tree_id}' have changed:\n{diff}\n"
            f"If the change is intended, update the snapshot with:\n    {UPDATE_COMMAND}\n"
            "and commit it with the tree.",
            pytrace=False,
        )


def test_no_stale_snapshots():
    """Every snapshot belongs to a tree that still exists (a renamed or removed tree leaves one behind)."""
    stale = sorted(path for path in SNAPSHOT_DIR.glob("*.txt") if path.stem not in TREE_IDS)
    if UPDATE:
        for path in stale:
            path.unlink()
        return
    assert not stale, (
        "snapshots for trees that no longer exist: "
        + ", ".join(str(path.relative_to(REPO_ROOT)) for path in stale)
        + f"\nDelete them, or run:\n    {UPDATE_COMMAND}"
    )
