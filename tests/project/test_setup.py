"""Setting a school's own server up (issue 13, item 8): no Node.js for serving, building or testing.

``scripts/setup.sh`` is run for real, in a copy of the project whose virtual environment is already
in place (so nothing is installed), with a PATH holding no node or npm. It must succeed for both
``build`` and ``test``; Debian's Node 18, or none at all, must not stop a school from serving its site.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOLS = ("bash", "cat", "cmp", "dirname", "id", "env")


def fake_project(tmp_path: Path, test_tools: bool) -> tuple[Path, dict]:
    """A copy of setup.sh and the requirement lists, a venv stand-in whose stamps match, and a PATH
    with only the shell tools setup.sh uses (plus, when ``test_tools``, stand-ins for chromium & co)."""
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "setup.sh", project / "scripts" / "setup.sh")
    for name in ("requirements.txt", "requirements-test.txt", "pyproject.toml"):
        shutil.copy(REPO / name, project / name)
    venv_bin = project / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    os.symlink(sys.executable, venv_bin / "python")
    pip = venv_bin / "pip"
    pip.write_text("#!/bin/sh\necho \"pip $*\" >> \"$(dirname \"$0\")/pip.log\"\n")
    pip.chmod(0o755)
    base = (project / "requirements.txt").read_text()
    (project / ".venv" / ".requirements.done").write_text(base + base)
    (project / ".venv" / ".requirements-test.done").write_text(base + (project / "requirements-test.txt").read_text())
    (project / ".venv" / ".editable.done").write_text("")  # the tool already installed editable
    later = (project / "pyproject.toml").stat().st_mtime + 10
    os.utime(project / ".venv" / ".editable.done", (later, later))

    path = tmp_path / "bin"
    path.mkdir()
    for tool in TOOLS:
        os.symlink(shutil.which(tool), path / tool)
    (path / "dpkg").write_text("#!/bin/sh\nexit 0\n")  # every Debian package setup.sh asks about is there
    (path / "dpkg").chmod(0o755)
    if test_tools:
        for tool in ("chromium", "nginx", "zip", "rsync"):
            (path / tool).write_text("#!/bin/sh\nexit 0\n")
            (path / tool).chmod(0o755)
    assert shutil.which("node", path=str(path)) is None and shutil.which("npm", path=str(path)) is None
    return project, {"PATH": str(path), "HOME": str(tmp_path)}


@pytest.mark.parametrize("what", ["build", "test"])
def test_setup_needs_no_node(tmp_path, what):
    project, env = fake_project(tmp_path, test_tools=True)
    result = subprocess.run(["bash", "scripts/setup.sh", what], cwd=project, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (project / ".venv" / "bin" / "pip.log").exists()  # everything was already in place


def test_setup_for_build_asks_for_none_of_the_test_tools(tmp_path):
    """Without chromium, nginx, zip or rsync (and not root), `setup.sh build` still succeeds;
    `setup.sh test` names exactly what is missing."""
    project, env = fake_project(tmp_path, test_tools=False)
    if os.getuid() == 0:
        # As root, setup.sh would install the packages; stand in for id so it takes the non-root path.
        (Path(env["PATH"]) / "id").unlink()
        (Path(env["PATH"]) / "id").write_text("#!/bin/sh\necho 1000\n")
        (Path(env["PATH"]) / "id").chmod(0o755)
    build = subprocess.run(["bash", "scripts/setup.sh", "build"], cwd=project, env=env, capture_output=True,
                           text=True, timeout=60)
    assert build.returncode == 0, build.stdout + build.stderr
    test = subprocess.run(["bash", "scripts/setup.sh", "test"], cwd=project, env=env, capture_output=True,
                          text=True, timeout=60)
    assert test.returncode == 1
    nginx = "" if os.access("/usr/sbin/nginx", os.X_OK) else " nginx-light"  # setup.sh also looks there
    assert f"missing: chromium fonts-liberation{nginx} zip rsync;" in test.stderr


def test_a_changed_pin_reinstalls(tmp_path):
    project, env = fake_project(tmp_path, test_tools=True)
    with open(project / "requirements-test.txt", "a") as handle:
        handle.write("example-new-tool==1.0\n")
    result = subprocess.run(["bash", "scripts/setup.sh", "test"], cwd=project, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    log = (project / ".venv" / "bin" / "pip.log").read_text()
    assert log == "pip install --quiet --disable-pip-version-check -r requirements-test.txt\n"


def test_make_targets_for_serving_and_building_only_set_up_the_build():
    makefile = (REPO / "Makefile").read_text()
    for target in ("build", "serve", "check"):
        assert re.search(rf"^{target}: setup-build$", makefile, re.MULTILINE), target
    assert re.search(r"^test: setup$", makefile, re.MULTILINE)
    assert re.search(r"^setup:\n\t@bash scripts/setup.sh test$", makefile, re.MULTILINE)


def test_no_test_depends_on_node_modules():
    """Lighthouse (the one npm package left) is a measurement: no test or harness reads node_modules."""
    offenders = [str(path.relative_to(REPO)) for path in (REPO / "tests").rglob("*.py")
                 if path.name != Path(__file__).name and "node_modules" in path.read_text(encoding="utf-8")]
    assert offenders == []
    assert "node" not in re.findall(r"\b(node|npm)\b", (REPO / "scripts" / "setup.sh").read_text().split("Nothing here needs")[0])


def test_make_test_runs_every_test_and_test_fast_every_one_without_a_browser():
    """Bug: a test that opens Chromium without the `browser` mark (tests/browser/test_csp.py had none) runs in
    `make test-fast`, which then needs a browser; tests/conftest.py marks every test that uses the fixture."""
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^test: setup\n\t\$\(PYTHON\) -m pytest \$\(PARALLEL\)\n", makefile, re.MULTILINE)
    assert re.search(r'^test-fast: setup\n\t\$\(PYTHON\) -m pytest \$\(PARALLEL\) -m "not browser"\n', makefile,
                     re.MULTILINE)
    collected = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                                "-m", "not browser", "tests/browser"], cwd=REPO, capture_output=True, text=True)
    assert "no tests collected" in collected.stdout and "deselected" in collected.stdout, collected.stdout
