"""Constants and helpers shared by the tests (a plain module: importing a conftest is ambiguous)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WEXHAM = REPO / "tests" / "fixtures" / "wexham"
"""Wexham's school file, glossary and social media policy as one example school for the tool's tests (a fork
of the repository with another school's data at the root keeps them; tests/fixtures/wexham/README.md)."""
TODAY = date(2026, 11, 24)
"""Review dates are checked against this fixed day, so results do not change with the calendar."""


def run_generator(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)


def guide_page(rendered, tree_id: str) -> str:
    """What a guide's page is made of before mkdocs: its Markdown (title, when to use it) and its
    steps' HTML, which the build puts into the built page (generator/render/guide_steps.py)."""
    from generator.render.guide_steps import steps_path
    from generator.render.paths import tree_path

    return rendered.docs[tree_path(tree_id)] + rendered.includes[steps_path(tree_id)]


def copy_valid_project(folder: Path) -> Path:
    """The broken corpus's valid project (tests/broken/_valid) made whole in ``folder``: Wexham's school file,
    glossary and social media policy (the sample tree cites it) with its source, then the corpus's files."""
    import shutil

    for name in ("school.yml", "glossary.yml"):
        shutil.copy(WEXHAM / name, folder / name)
    (folder / "policies").mkdir()
    shutil.copy(WEXHAM / "policies" / "social-media.yml", folder / "policies")
    shutil.copytree(WEXHAM / "policies" / "source", folder / "policies" / "source")
    shutil.copytree(REPO / "tests" / "broken" / "_valid" / "files", folder, dirs_exist_ok=True)
    return folder


def walk_answers(trees: dict, guide: str, answers: list[str]) -> tuple:
    """Click each answer (an answer id, or 'next' for an outcome's follow-up) from the guide's first step,
    following links into other guides; returns (guide id, the step reached), which must be an outcome."""
    from generator.load.models import Outcome

    tree = trees[guide]
    node = tree.nodes[0]
    for answer in answers:
        if answer == "next":
            assert isinstance(node, Outcome) and node.next_step, f"{guide}#{node.id} has no follow-up"
            target = node.next_step.next
        else:
            ids = [a.id for a in node.answers]
            assert answer in ids, f"{guide}#{node.id} has no answer '{answer}' (it has {ids})"
            target = next(a.next for a in node.answers if a.id == answer)
        if "#" in target:
            guide, _, target = target.partition("#")
            tree = trees[guide]
        node = next(n for n in tree.nodes if n.id == target)
    assert isinstance(node, Outcome), f"the walk stopped at a question: {guide}#{node.id}"
    return guide, node


def contents_key(root: Path) -> str:
    """One hash of every file's path and bytes under root: the key of anything made from those files alone (a
    clean check or render of a project, which a random walk of edits may come back to)."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
