"""Shared fixtures: the real project built once per session, at a fixed date."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import REPO, TODAY, run_generator


@pytest.fixture(scope="session")
def real_sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both sites built from the repository's data with `mkdocs build --strict`."""
    out = tmp_path_factory.mktemp("real") / "site"
    result = run_generator("build", "--output", str(out), "--today", TODAY.isoformat())
    assert result.returncode == 0, f"build failed:\n{result.stderr}"
    return out


@pytest.fixture(scope="session")
def real_project():
    from generator.pipeline import check

    result = check(REPO, TODAY)
    assert result.ok, "\n".join(str(d) for d in result.diagnostics)
    return result.project
