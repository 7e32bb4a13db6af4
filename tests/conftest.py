"""Shared fixtures, each built once per session at a fixed date: the school at the repository's root (whatever
school that is: a fork's as much as Wexham's) and the example school tests/fixtures/wexham."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import REPO, TODAY, WEXHAM, run_generator


def _build(project: Path, out: Path) -> Path:
    result = run_generator("build", "--project", str(project), "--output", str(out), "--today", TODAY.isoformat())
    assert result.returncode == 0, f"build of {project} failed:\n{result.stderr}"
    return out


def _check(project: Path):
    from generator.pipeline import check

    result = check(project, TODAY)
    assert result.ok, "\n".join(str(d) for d in result.diagnostics)
    return result.project


@pytest.fixture(scope="session")
def real_sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both sites built from the root school's data with `mkdocs build --strict` (the school's own gates)."""
    return _build(REPO, tmp_path_factory.mktemp("real") / "site")


@pytest.fixture(scope="session")
def real_project():
    return _check(REPO)


@pytest.fixture(scope="session")
def wexham_sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both sites built from the example school tests/fixtures/wexham: for tests that expect Wexham's content."""
    return _build(WEXHAM, tmp_path_factory.mktemp("wexham") / "site")


@pytest.fixture(scope="session")
def wexham_project():
    return _check(WEXHAM)
