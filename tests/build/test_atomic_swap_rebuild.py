"""The live folders never vanish (issue 10), on a rebuild: a build stopped (``os._exit``) just before and just after
each exchange that puts a new site in place of the old leaves ``site/staff`` and ``site/parents`` each a complete
build, old or new, and its staging folder for the next build to remove. The first build's half, the harness and the
other tests are in test_atomic_swap.py; this one is a file of its own so that `make test` (one file to one process)
runs the two kill tests side by side."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_atomic_swap import SITES, _build, _complete, small_school


@pytest.fixture(scope="module")
def small_project(tmp_path_factory) -> Path:
    return small_school(tmp_path_factory)


def test_rebuild_killed_at_each_exchange_always_leaves_complete_sites(small_project):
    project = small_project
    result = _build(project, "0", "never")
    assert "finished 2 True" in result.stdout, result.stderr
    builds = {name: {_complete(project / "site" / name)} for name in SITES}
    for when in ("before", "after"):
        for count in (1, 2):
            result = _build(project, str(count), when)
            assert result.returncode == 9, result.stdout + result.stderr
            for name in SITES:
                state = _complete(project / "site" / name)
                assert state, f"site/{name} is missing or partial when stopped {when} exchange {count}"
                builds[name].add(state)
    # The exchanges really happened: each site went live in new builds along the way.
    assert all(len(states) >= 2 for states in builds.values()), builds
    leftovers = sorted(p.name for p in project.iterdir() if p.name.startswith(".site-staging-"))
    assert leftovers, "a killed build leaves its staging folder (the next build removes it)"
    result = _build(project, "0", "never")
    assert "finished 2 True" in result.stdout, result.stderr
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site-staging-")) == []
