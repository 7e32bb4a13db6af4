"""Shared fixtures, each built once per session at a fixed date: the school at the repository's root (whatever
school that is: a fork's as much as Wexham's) and the example school tests/fixtures/wexham.

`make test` runs the tests in several processes (pytest-xdist). A session fixture runs once in each of them, so
the two site builds are made by the first process that asks, in a folder all of them share, under a file lock;
the others wait for it and read the same folders. They are shared read-only: a test that writes into them would
change what the next test reads, so each process checks at its end that they are as built."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from support import REPO, TODAY, WEXHAM, run_generator


# The files that take longest, longest first (wall time of each file in a whole run, measured with a per-test timeline
# on 2026-12-08, a clean clone of 1e16953 on an idle machine). `make test` gives each parallel process one whole file
# at a time in the order the tests are collected (--dist loadfile --no-loadscope-reorder): started first, the long
# files run side by side while the short ones fill the gaps at the end, instead of one long file starting last and
# running on alone. Only the order changes: a file missing from this list still runs, after these. Keep to files of
# more than about 20 s.
LONGEST_FIRST = (
    "browser/test_tree_walks.py",
    "browser/test_tree_walks_no_js.py",
    "checks/test_broken_corpus.py",
    "build/test_incremental_build.py",
    "browser/test_phone_keyboard.py",
    "browser/test_axe.py",
    "authoring/test_serve.py",
    "browser/test_axe_guides.py",
    "checks/test_incremental_check.py",
    "authoring/test_init.py",
    "checks/test_freshness.py",
    "browser/test_tree_v2.py",
    "render/test_incremental_render.py",
    "browser/test_editor.py",
    "project/test_bench.py",
    "authoring/test_editor_save.py",
    "build/test_atomic_swap.py",
    "browser/test_keyboard.py",
    "publish/test_publish_nginx.py",
    "browser/test_privacy_guides.py",
    "browser/test_layout.py",
    "browser/test_privacy.py",
    "publish/test_publish_tamper.py",
    "security/test_field_sweep.py",
    "browser/test_phone_print.py",
    "load/test_trust.py",
    "security/test_injection_corpus.py",
    "browser/test_offline_bundle.py",
    "browser/test_search_quality.py",
    "build/test_build_cache.py",
    "build/test_atomic_swap_rebuild.py",
    "checks/test_public_list.py",
    "browser/test_editor_public_list.py",
    "browser/test_not_found.py",
    "browser/test_guide_steps_layout.py",
    "checks/test_rules_acceptance.py",
    "build/test_leak_gate.py",
)


TIMELINE = os.environ.get("TEST_TIMELINE")
"""A folder: with it set, each test process writes there when each test started and ended and the CPU it and its
processes spent, which `python scripts/test_timeline.py FOLDER` sums per file, longest first, to refresh
LONGEST_FIRST (`--cpu`: where the run's CPU goes, the browser's included)."""


def cpu_spent() -> dict[str, float]:
    """CPU seconds so far of this process ("python"), of its subprocesses that ended ("subprocesses"), and of those
    still running, by kind ("browser": Chromium; "driver": Playwright's node; the rest "subprocesses"). A process
    counts what its own ended children spent, so a difference of two readings is what ran between them: the suite is
    CPU-bound and Chromium's share is invisible to /usr/bin/time (its processes are not waited for by pytest)."""
    own, ended = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    spent = {"python": own.ru_utime + own.ru_stime, "subprocesses": ended.ru_utime + ended.ru_stime,
             "browser": 0.0, "driver": 0.0}
    parents, ticks, names = {}, {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            name, fields = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
            pid = int(entry)
            parents[pid], names[pid] = int(fields[1]), name
            ticks[pid] = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    me, per_second = os.getpid(), os.sysconf("SC_CLK_TCK")
    for pid, spent_ticks in ticks.items():
        ancestor, hops = parents.get(pid), 0
        while ancestor and ancestor != me and hops < 40:
            ancestor, hops = parents.get(ancestor), hops + 1
        if ancestor == me:
            kind = ("browser" if names[pid].startswith(("chrom", "headless")) else
                    "driver" if names[pid].startswith("node") else "subprocesses")
            spent[kind] += spent_ticks / per_second
    return spent


if TIMELINE:
    _started: dict[str, tuple[float, dict[str, float]]] = {}

    def pytest_runtest_logstart(nodeid: str) -> None:
        _started[nodeid] = (time.time(), cpu_spent())

    def pytest_runtest_logfinish(nodeid: str) -> None:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        start, before = _started.pop(nodeid, (time.time(), cpu_spent()))
        after = cpu_spent()
        line = json.dumps({"id": nodeid, "start": start, "end": time.time(),
                           "cpu": {kind: round(after[kind] - before[kind], 3) for kind in after}})
        Path(TIMELINE).mkdir(parents=True, exist_ok=True)
        with (Path(TIMELINE) / f"{worker}-{os.getpid()}.jsonl").open("a", encoding="utf-8") as out:
            out.write(line + "\n")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that opens the browser is marked `browser`, marked by hand or not, so that
    `make test-fast` (`-m "not browser"`) leaves out exactly the tests that need one; the longest files first."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    rank = {"tests/" + name: place for place, name in enumerate(LONGEST_FIRST)}

    def place(item: pytest.Item) -> int:
        return rank.get(item.nodeid.split("::")[0], len(rank))

    items.sort(key=place)  # stable: within a file, and among the files not listed, the collected order stays


def _build(project: Path, out: Path) -> None:
    result = run_generator("build", "--project", str(project), "--output", str(out), "--today", TODAY.isoformat())
    assert result.returncode == 0, f"build of {project} failed:\n{result.stderr}"


def _check(project: Path):
    from generator.pipeline import check

    result = check(project, TODAY)
    assert result.ok, "\n".join(str(d) for d in result.diagnostics)
    return result.project


def tree_digest(root: Path) -> str:
    """One hash of every file's path and bytes under root: changes if any file is added, removed or edited."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This run's folder that every worker process sees: the parent of a worker's own base temp folder
    (pytest-N/popen-gw0 -> pytest-N, new for each run), or the base temp folder itself without workers."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """shared_root/name, made by make(folder) by the first process of this run that asks for it.

    A process that finds it being made waits on the lock and then uses it; a make that failed left no
    '.done' mark, so the next process to ask tries again (and fails with its own message)."""
    root = shared_root(tmp_path_factory)
    folder, done = root / name, root / f"{name}.done"
    with _locked(root / f"{name}.lock"):
        if not done.exists():
            make(folder)
            done.write_text(tree_digest(folder), encoding="utf-8")
    return folder


def shared_sites(tmp_path_factory: pytest.TempPathFactory, name: str, project: Path) -> Iterator[Path]:
    """Both sites built once from project, yielded read-only: at the end, this process checks that no test
    changed them (a test that needs to change a built site copies it first)."""
    folder = made_once(tmp_path_factory, name, lambda out: _build(project, out / "site"))
    yield folder / "site"
    built = (shared_root(tmp_path_factory) / f"{name}.done").read_text(encoding="utf-8")
    assert tree_digest(folder) == built, f"a test changed the shared build in {folder}: copy it before changing it"


@pytest.fixture(scope="session")
def real_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Both sites built from the root school's data with `mkdocs build --strict` (the school's own gates)."""
    yield from shared_sites(tmp_path_factory, "real", REPO)


@pytest.fixture(scope="session")
def real_project():
    return _check(REPO)


@pytest.fixture(scope="session")
def wexham_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Both sites built from the example school tests/fixtures/wexham: for tests that expect Wexham's content."""
    yield from shared_sites(tmp_path_factory, "wexham", WEXHAM)


@pytest.fixture(scope="session")
def wexham_project():
    return _check(WEXHAM)
