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


def _tests_conftest():
    """tests/conftest.py itself: under pytest-xdist the module named `conftest` may be another folder's."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("tests_conftest", TESTS / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_longest_first_list_names_test_files_that_exist():
    """tests/conftest.py hands the longest files out first; a file renamed or split and left in the list under its
    old name would silently go back to the end of the run, where a long file is what makes the run long."""
    listed = _tests_conftest().LONGEST_FIRST
    missing = [name for name in listed if not (TESTS / name).is_file()]
    assert missing == [], f"tests/conftest.py's LONGEST_FIRST names files that are not there: {missing}"
    assert len(set(listed)) == len(listed), "a file is listed twice"


def test_the_longest_files_are_handed_out_first_and_the_order_is_otherwise_kept():
    conftest = _tests_conftest()

    class Item:
        fixturenames = ()

        def __init__(self, nodeid):
            self.nodeid = nodeid

    first, second = conftest.LONGEST_FIRST[:2]
    collected = [Item("tests/load/test_a.py::one"), Item(f"tests/{second}::x"), Item("tests/build/test_b.py::two"),
                 Item(f"tests/{first}::y"), Item("checks/test_c.py::three"), Item(f"tests/{second}::z")]
    conftest.pytest_collection_modifyitems(collected)
    assert [item.nodeid for item in collected] == [
        f"tests/{first}::y", f"tests/{second}::x", f"tests/{second}::z",
        "tests/load/test_a.py::one", "tests/build/test_b.py::two", "checks/test_c.py::three"]


def test_cpu_spent_counts_a_subprocess_while_it_runs_and_after_it_ended():
    """TEST_TIMELINE's CPU figures (scripts/test_timeline.py --cpu) must see what a test's processes spend, running
    or ended, once: the bug it catches is a reading that misses live descendants (Chromium is never waited for) or
    counts an ended one twice. A child burns about 0.4 s of CPU, then sleeps; read while it sleeps and after it ended."""
    import subprocess
    import sys

    cpu_spent = _tests_conftest().cpu_spent
    before = cpu_spent()
    child = subprocess.Popen([sys.executable, "-c", "import time\nend = time.process_time() + 0.4\n"
                              "while time.process_time() < end: pass\nprint(flush=True)\ntime.sleep(30)"],
                             stdout=subprocess.PIPE)
    try:
        child.stdout.readline()  # it has burnt its CPU and sleeps
        running = cpu_spent()
    finally:
        child.kill()
        child.wait()
    ended = cpu_spent()
    assert 0.35 <= running["subprocesses"] - before["subprocesses"] < 0.75
    assert 0.35 <= ended["subprocesses"] - before["subprocesses"] < 0.75
