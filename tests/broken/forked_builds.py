"""Run many `python -m generator ...` commands, each in its own process, without paying for the imports each time.

A fresh interpreter spends most of a broken case's second importing the generator (its models, rules and
renderer); the case itself is checked in a tenth of that. This runner, started once as a subprocess of the test,
imports the generator and then forks one child per command: each child is a process of its own, with its own
stdout and stderr (files), its own exit code and nothing shared with the others, and runs exactly what
`python -m generator` runs (generator.cli.main with the same arguments, from the repository's folder). An exception
that escapes main is printed as the interpreter prints it ('Traceback ...', exit 1), so a test that looks for one
still sees it.

Usage: python forked_builds.py JOBS.json [AT_ONCE [PROJECT]], where JOBS.json is a list of {"args": [...],
"stdout": path, "stderr": path}; prints the list of exit codes as JSON, in the same order. With PROJECT, the
runner checks that project once before forking (its output dropped), so that every child starts with the Jinja
code of its hand-written pages and of the macros they import already compiled (a check renders every page;
about 0.3 s of each child that gets that far, compiled again each time otherwise). What a check compiles is kept
by its template's text (render/hand_written_pages.py, render/templating.py), so a case that edits a page still
compiles its own text; nothing else a check keeps outlives it but the safety rules' memos of pure functions.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _child(job: dict) -> int:
    """In the forked child: point stdout and stderr at the job's files and run the command."""
    for fd, name in ((1, "stdout"), (2, "stderr")):
        target = os.open(job[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
        os.close(target)
    from generator.cli import main

    try:
        code = main(job["args"])
    except SystemExit as stop:  # argparse's errors, as in `python -m generator`
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # noqa: BLE001 - what the interpreter would do with it
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    return code


def run(jobs: list[dict], at_once: int) -> list[int]:
    codes: list[int | None] = [None] * len(jobs)
    running: dict[int, int] = {}
    waiting = list(enumerate(jobs))
    while waiting or running:
        while waiting and len(running) < at_once:
            index, job = waiting.pop(0)
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    code = _child(job)
                finally:
                    os._exit(code)
            running[pid] = index
        pid, status = os.wait()
        codes[running.pop(pid)] = os.waitstatus_to_exitcode(status)
    return [code if code is not None else -1 for code in codes]


def main() -> None:
    # As `python -m generator` from the repository: its folder first on the path, and its working directory.
    sys.path[0] = str(REPO)
    os.chdir(REPO)
    # Everything a check or a build imports, imported once here before any fork.
    import generator.checks.rules  # noqa: F401
    import generator.checks.validate  # noqa: F401
    import generator.cli  # noqa: F401
    import generator.pipeline  # noqa: F401

    jobs = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    at_once = int(sys.argv[2]) if len(sys.argv) > 2 else (os.cpu_count() or 2) + 1
    if len(sys.argv) > 3:
        from datetime import date

        generator.pipeline.check(Path(sys.argv[3]), date.today())
    print(json.dumps(run(jobs, at_once)))


if __name__ == "__main__":
    main()
