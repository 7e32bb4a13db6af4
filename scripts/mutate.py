#!/usr/bin/env python3
"""Plant hand-written bugs one at a time and check the tests catch each one (issue 23, item 9).

    python scripts/mutate.py                         # every catalogue in tests/mutants/
    python scripts/mutate.py tests/mutants/gate.yml  # one catalogue
    python scripts/mutate.py --only gate-srcset      # one mutant (repeatable)
    python scripts/mutate.py --list                  # the mutants, without running anything

A catalogue (YAML) names a file and the realistic bugs that could be made in it, each as an exact
snippet of the file and what it becomes::

    file: generator/build/gate.py
    tests: [tests/build/test_gate.py]        # pytest arguments, for every mutant unless it names its own
    mutants:
      - id: gate-srcset
        bug: the gate no longer checks srcset
        original: |
          ...exact text, found exactly once in the file...
        replacement: |
          ...
        tests: [tests/build/test_gate.py, -k, srcset]   # optional
        equivalent: why no test can tell it apart   # optional: expected to survive, not run

Each mutant is planted in a temporary copy of the repository (never the working tree: the files git
tracks or would add, as they are now), the named tests run there with ``pytest -x -q``, and the file is
put back before the next one. A mutant is killed when the tests fail, survives when they pass. Before
any mutant, each selection of tests is run once unmutated: tests that fail already would "kill"
everything. A catalogue whose snippet is missing or occurs more than once is refused before anything
runs, so a mutant that no longer matches the code is never silently skipped.

Exit 0: every mutant killed (or marked equivalent); 1: a mutant survived; 2: a catalogue is wrong, a
test selection fails unmutated or collects nothing. Standard library and PyYAML only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
CATALOGUES = Path("tests") / "mutants"
TIMEOUT_SECONDS = 900
# Never copied: environments, caches and built output (the copy holds what git would commit).
_NOT_COPIED = {".git", ".venv", "node_modules", "site", "build", "__pycache__", ".pytest_cache", "test-artifacts"}
# pytest's exit codes: 1 tests failed, 2 interrupted (an import error at collection is one), 3 internal
# error, 4 usage error (a test path that does not exist), 5 no tests collected.
_KILLED = {1, 2}


class CatalogueError(Exception):
    pass


@dataclass
class Mutant:
    id: str
    file: str
    bug: str
    original: str
    replacement: str
    tests: list[str]
    equivalent: str | None = None
    catalogue: str = ""


@dataclass
class Outcome:
    mutant: Mutant
    result: str
    """'killed', 'survived', 'equivalent' or 'error'."""
    detail: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, result: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.result == result]

    @property
    def exit_code(self) -> int:
        if self.of("error"):
            return 2
        return 1 if self.of("survived") else 0

    def summary(self) -> str:
        killed, survived = len(self.of("killed")), len(self.of("survived"))
        judged = killed + survived
        score = f"{100 * killed / judged:.0f}%" if judged else "-"
        line = f"mutation score: {killed} of {judged} killed ({score})"
        if self.of("equivalent"):
            line += f"; {len(self.of('equivalent'))} marked equivalent"
        if self.of("error"):
            line += f"; {len(self.of('error'))} could not be judged"
        lines = [line]
        if survived:
            lines.append("survivors: " + ", ".join(o.mutant.id for o in self.of("survived")))
        return "\n".join(lines)


def load_catalogue(path: Path, root: Path) -> list[Mutant]:
    """The mutants of one catalogue, each checked against the file it plants a bug in."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CatalogueError(f"{path}: cannot be read: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("mutants"), list) or "file" not in data:
        raise CatalogueError(f"{path}: expected 'file:', 'tests:' and a list under 'mutants:'")
    target = root / data["file"]
    if not target.is_file():
        raise CatalogueError(f"{path}: 'file: {data['file']}' is not a file of the repository")
    text = target.read_text(encoding="utf-8")
    mutants = []
    for index, entry in enumerate(data["mutants"]):
        where = f"{path}: mutant {entry.get('id', index + 1) if isinstance(entry, dict) else index + 1}"
        if not isinstance(entry, dict):
            raise CatalogueError(f"{where}: expected a mapping")
        missing = [key for key in ("id", "bug", "original", "replacement") if not isinstance(entry.get(key), str)]
        if missing:
            raise CatalogueError(f"{where}: needs {', '.join(missing)} (text)")
        tests = entry.get("tests", data.get("tests"))
        if not tests or not isinstance(tests, list) or not all(isinstance(arg, str) for arg in tests):
            raise CatalogueError(f"{where}: needs 'tests:', a list of pytest arguments (here or for the file)")
        count = text.count(entry["original"])
        if count != 1:
            found = "does not occur" if count == 0 else f"occurs {count} times"
            raise CatalogueError(f"{where}: its original snippet {found} in {data['file']} (it must occur "
                                 "exactly once: copy it from the file, with enough lines to be unique)")
        if entry["replacement"] == entry["original"]:
            raise CatalogueError(f"{where}: the replacement is the original: nothing would be planted")
        mutants.append(Mutant(entry["id"], data["file"], entry["bug"], entry["original"], entry["replacement"],
                              tests, entry.get("equivalent"), str(path)))
    return mutants


def load_catalogues(paths: list[Path], root: Path) -> list[Mutant]:
    mutants = [mutant for path in paths for mutant in load_catalogue(path, root)]
    seen: set[str] = set()
    for mutant in mutants:
        if mutant.id in seen:
            raise CatalogueError(f"{mutant.catalogue}: mutant id '{mutant.id}' is used twice")
        seen.add(mutant.id)
    return mutants


def copy_repository(root: Path, dest: Path) -> None:
    """The files git tracks or would add (untracked but not ignored), as they are in the working tree."""
    listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            capture_output=True)
    if listed.returncode == 0:
        for name in sorted(set(listed.stdout.decode("utf-8").split("\0")) - {""}):
            source = root / name
            if source.is_file() and not source.is_symlink():
                (dest / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, dest / name)
        return
    # Not a git repository (the script's own tests): everything but environments, caches and output.
    shutil.copytree(root, dest, dirs_exist_ok=True, symlinks=True,
                    ignore=lambda _folder, names: [n for n in names if n in _NOT_COPIED or n.endswith(".egg-info")])


def run_tests(copy: Path, tests: list[str], timeout: int) -> tuple[int, str]:
    """pytest's exit code (or -1 on timeout) and the end of its output."""
    env = dict(os.environ, PYTHONPATH=str(copy), PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    try:
        done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, f"no result within {timeout} s"
    lines = (done.stdout + done.stderr).strip().splitlines()
    return done.returncode, lines[-1] if lines else ""


def mutate(mutants: list[Mutant], root: Path, timeout: int = TIMEOUT_SECONDS, log=print) -> Report:
    """Plant each mutant in a copy of ``root``, run its tests there, and say which were caught."""
    report = Report()
    with tempfile.TemporaryDirectory(prefix="mutate-") as folder:
        copy = Path(folder) / root.name
        copy.mkdir()
        copy_repository(root, copy)
        baseline: dict[tuple[str, ...], tuple[int, str]] = {}
        for mutant in mutants:
            if mutant.equivalent:
                report.outcomes.append(Outcome(mutant, "equivalent", mutant.equivalent))
                log(f"equivalent {mutant.id}: {mutant.equivalent}")
                continue
            key = tuple(mutant.tests)
            if key not in baseline:
                baseline[key] = run_tests(copy, mutant.tests, timeout)
            code, last = baseline[key]
            if code != 0:
                report.outcomes.append(Outcome(mutant, "error", f"without any mutant, pytest {' '.join(key)} "
                                                                f"exits {code}: {last}"))
                log(f"ERROR      {mutant.id}: {report.outcomes[-1].detail}")
                continue
            target = copy / mutant.file
            original_text = target.read_text(encoding="utf-8")
            target.write_text(original_text.replace(mutant.original, mutant.replacement, 1), encoding="utf-8")
            try:
                code, last = run_tests(copy, mutant.tests, timeout)
            finally:
                target.write_text(original_text, encoding="utf-8")
            if code in _KILLED or code == -1:
                result = "killed"
            elif code == 0:
                result = "survived"
            else:
                result = "error"
            report.outcomes.append(Outcome(mutant, result, last))
            log(f"{result.upper() if result != 'killed' else result:<10} {mutant.id}: {mutant.bug} ({last})")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plant the catalogued bugs one at a time and run their tests.")
    parser.add_argument("catalogues", nargs="*", type=Path,
                        help=f"catalogue files (default: every {CATALOGUES}/*.yml)")
    parser.add_argument("--only", action="append", default=[], metavar="ID", help="run only this mutant")
    parser.add_argument("--list", action="store_true", help="list the mutants and check their snippets; run nothing")
    parser.add_argument("--root", type=Path, default=REPO, help="the repository (default: this one)")
    parser.add_argument("--timeout", type=int, default=TIMEOUT_SECONDS, help="seconds per test run")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    paths = args.catalogues or sorted((root / CATALOGUES).glob("*.yml"))
    try:
        if not paths:
            raise CatalogueError(f"no catalogue given and none in {root / CATALOGUES}")
        mutants = load_catalogues(paths, root)
    except CatalogueError as error:
        print(f"mutate: {error}", file=sys.stderr)
        return 2
    if args.only:
        unknown = set(args.only) - {m.id for m in mutants}
        if unknown:
            print(f"mutate: no mutant {', '.join(sorted(unknown))} in the catalogues", file=sys.stderr)
            return 2
        mutants = [m for m in mutants if m.id in args.only]
    if args.list:
        for mutant in mutants:
            mark = f" [equivalent: {mutant.equivalent}]" if mutant.equivalent else ""
            print(f"{mutant.id}  {mutant.file}: {mutant.bug}{mark}")
        return 0
    report = mutate(mutants, root, args.timeout, log=lambda line: print(line, flush=True))
    print(report.summary())
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
