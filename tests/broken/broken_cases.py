"""The broken corpus: each case folder applied to a copy of an example school (see README.md here)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BASE = REPO / "tests" / "fixtures" / "wexham"
"""The example school every case starts from: a fixture copy of Wexham's data, not the live data at the
repository's root (a fork holds another school's there, and a change to the live content must not
break the tool's tests)."""
DATA = ("school.yml", "glossary.yml", "sources.yml", "policies", "decision_trees", "docs")
"""What a school's project is: copied for every test that needs a project to change."""
VALID = "_valid"

# A located error line, as the generator prints it.
ERROR_LINE = re.compile(r"^\S.*:\d+:\d+: E\d{3} ")


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    meta: dict

    @property
    def expected_file(self) -> Path:
        return self.folder / "expected.txt"

    def expected(self) -> list[str]:
        if not self.expected_file.is_file():
            return []
        return [line for line in self.expected_file.read_text(encoding="utf-8").splitlines() if line]


def cases() -> list[Case]:
    found = []
    for folder in sorted(HERE.iterdir()):
        if folder.is_dir() and (folder / "case.yml").is_file() and folder.name != VALID:
            found.append(Case(folder.name, folder, yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8"))))
    return found


def valid_case() -> Case:
    folder = HERE / VALID
    return Case(VALID, folder, yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8")))


def copy_project(dest: Path, source: Path = BASE) -> Path:
    """A copy of a project's data files (by default the example school's) in dest."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in DATA:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif path.is_file():
            shutil.copy2(path, dest / name)
    return dest


def apply_case(case: Case, project: Path) -> None:
    """Put the case's broken input into a project copy."""
    files = case.folder / "files"
    if files.is_dir():
        shutil.copytree(files, project, dirs_exist_ok=True)
    for edit in case.meta.get("edits") or []:
        path = project / edit["file"]
        text = path.read_text(encoding="utf-8")
        if "append" in edit:
            text += edit["append"]
        else:
            if edit["replace"] not in text:
                raise AssertionError(f"case {case.name}: '{edit['replace']!r}' is no longer in {edit['file']}: "
                                     f"update the case for {BASE.relative_to(REPO)}/{edit['file']}")
            text = text.replace(edit["replace"], edit["with"], 1)
        path.write_text(text, encoding="utf-8")
    for generated in case.meta.get("generate") or []:
        line = b"# padding, to make this file larger than the generator reads\n"
        count = generated["bytes"] // len(line) + 1
        target = project / generated["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"id: huge\n" + line * count)


def generator(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("POLICY_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout, env=env)


def generator_many(commands: list[list[str]], folder: Path, at_once: int,
                   warm: Path | None = None) -> list[subprocess.CompletedProcess]:
    """Each command as generator() would run it, at_once of them at a time, with the generator imported once
    for all of them (forked_builds.py: each command still runs in a process of its own); ``warm``: a project
    whose check compiles the hand-written pages' templates once, before the commands (forked_builds.py)."""
    jobs = [{"args": list(args), "stdout": str(folder / f"{n}.out"), "stderr": str(folder / f"{n}.err")}
            for n, args in enumerate(commands)]
    (folder / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("POLICY_DEBUG", None)
    runner = subprocess.run([sys.executable, str(HERE / "forked_builds.py"), str(folder / "jobs.json"), str(at_once),
                             *([str(warm)] if warm is not None else [])],
                            cwd=REPO, capture_output=True, text=True, timeout=180 + 10 * len(jobs), env=env)
    if runner.returncode != 0:
        raise AssertionError(f"forked_builds.py failed:\n{runner.stderr}")
    codes = json.loads(runner.stdout)
    return [subprocess.CompletedProcess([sys.executable, "-m", "generator", *job["args"]], code,
                                        Path(job["stdout"]).read_text(encoding="utf-8", errors="replace"),
                                        Path(job["stderr"]).read_text(encoding="utf-8", errors="replace"))
            for job, code in zip(jobs, codes)]


def error_lines(stderr: str, project: Path) -> list[str]:
    lines = []
    for line in stderr.splitlines():
        line = line.replace(str(project.resolve()), "<project>").replace(str(project), "<project>")
        if ERROR_LINE.match(line):
            lines.append(line)
    return lines


def tree_hash(root: Path) -> str:
    """Every file's path and bytes under root."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def files_containing(root: Path, text: str) -> list[str]:
    needle = text.encode()
    return [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]
