"""The live folders never vanish (issue 10): the build's exchange, its children, its leftovers.

- Kill test: a build is stopped (``os._exit``) just before and just after each exchange/rename
  that puts a site in place; after each stop, ``site/staff`` and ``site/parents`` are each a
  complete build, old or new (the rebuild's half in test_atomic_swap_rebuild.py, a file of its own so
  that `make test` runs the two kill tests in two processes side by side). Before the fix, a stop between
  the two renames of the old swap left the folder missing.
- A killed build takes its ``mkdocs`` children with it, and its staging folder is removed by the
  next build.
- Publish's own swap (the switch of ``current`` is one ``rename`` of a symlink prepared beside it) is tested
  with publishing, in tests/publish/test_publish.py.
"""

from __future__ import annotations

import json
import shutil
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build import swap as swap_module

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "broken"))
sys.path.insert(0, str(REPO / "tests"))
import broken_cases as corpus  # noqa: E402

SITES = ("staff", "parents")

# Runs a build in a child process that dies (os._exit, like a SIGKILL: no finally, no cleanup)
# at the N-th call of the operation that puts a site in place, before or after doing it.
_KILL_AT = r"""
import os, sys
from datetime import date
from pathlib import Path
from generator import pipeline
from generator.build import swap
project, count, when = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
calls = [0]

def stopping(real):
    def wrapper(*args):
        calls[0] += 1
        if calls[0] == count and when == "before":
            os._exit(9)
        real(*args)
        if calls[0] == count and when == "after":
            os._exit(9)
    return wrapper

swap.exchange = stopping(swap.exchange)
swap.os.rename = stopping(os.rename)
result = pipeline.build(project, project / "site", project / "build", date(2026, 11, 24), force=True)
print("finished", calls[0], result.ok)
"""


def _complete(site: Path) -> str | None:
    """The build a site folder holds (its built_at), or None when it is not one whole build."""
    needed = ("index.html", "404.html", "search/search_index.json", "version.json")
    if not all((site / name).is_file() for name in needed):
        return None
    return json.loads((site / "version.json").read_text())["built_at"] + ":" + str(len(list(site.rglob("*"))))


def _build(project: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _KILL_AT, str(project), *args], cwd=REPO, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return corpus.copy_project(tmp_path_factory.mktemp("swap") / "project")


def small_school(tmp_path_factory) -> Path:
    """A school of one policy and no guides: the swap does not depend on how much a site holds, and the kill tests
    build it ten times over (the example school took most of this file's two minutes)."""
    project = tmp_path_factory.mktemp("swap-small") / "project"
    shutil.copytree(REPO / "tests" / "fixtures" / "neutral-school", project)
    return project


@pytest.fixture(scope="module")
def small_project(tmp_path_factory) -> Path:
    return small_school(tmp_path_factory)


def test_first_build_killed_at_each_rename_leaves_no_partial_site(small_project):
    project = small_project
    for when in ("before", "after"):
        for count in (1, 2):
            (project / "site").exists() and shutil.rmtree(project / "site")
            result = _build(project, str(count), when)
            assert result.returncode == 9, result.stdout + result.stderr
            for name in SITES:
                site = project / "site" / name
                assert not site.exists() or _complete(site), f"{name} is a partial build ({when} call {count})"


def test_a_killed_build_takes_its_mkdocs_children_with_it(project):
    # --force: the module's earlier builds left sites built from these same inputs, which would not be rebuilt.
    command = [sys.executable, "-m", "generator", "build", "--project", str(project), "--today", "2026-11-24",
               "--force"]
    parent = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        children: list[int] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(children) < 2 and parent.poll() is None:
            children = [pid for pid in _children(parent.pid) if b"mkdocs" in _cmdline(pid)]
            time.sleep(0.05)
        assert len(children) == 2, "the build's two mkdocs processes were never seen"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        # PR_SET_PDEATHSIG kills them at once; a mkdocs build left alone would run on for seconds.
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline and any(_running(pid) for pid in children):
            time.sleep(0.05)
        assert not any(_running(pid) for pid in children), "mkdocs kept running after the build was killed"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes()
    except OSError:
        return b""


def _running(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_swap_exchanges_in_one_call_and_never_removes_the_target(tmp_path, monkeypatch):
    """Deterministic: at every file-system call the swap makes, target is a complete folder."""
    target, new = tmp_path / "site", tmp_path / "new"
    for folder, word in ((target, "old"), (new, "new")):
        folder.mkdir()
        (folder / "index.html").write_text(word)
    calls = []

    def watch(name, real):
        def wrapper(*args, **kwargs):
            assert (target / "index.html").is_file(), f"target missing before {name}"
            calls.append(name)
            result = real(*args, **kwargs)
            assert (target / "index.html").is_file(), f"target missing after {name}"
            return result
        return wrapper

    monkeypatch.setattr(swap_module, "exchange", watch("exchange", swap_module.exchange))
    monkeypatch.setattr(swap_module.os, "rename", watch("rename", os.rename))
    monkeypatch.setattr(swap_module.shutil, "rmtree", watch("rmtree", swap_module.shutil.rmtree))
    swap_module.swap(new, target)
    assert calls == ["exchange", "rmtree"]
    assert (target / "index.html").read_text() == "new" and not new.exists()
