"""The `one-changed-guide` scenario of bench/run.py: a build after one guide's question is edited (issue 17).

    .venv/bin/python bench/run.py one-changed-guide --size 1       # the real data (~1 min)
    .venv/bin/python bench/run.py one-changed-guide --size 55      # 880 guides (~5 min on 2 cores)

Writes the N× project (bench/corpus.py), builds it once into an empty work folder, then measures, one process
at a time (bench/sizes.py's wrapper: wall, CPU, peak RSS): a build after the first question of the first guide
is edited (the steps alone change, so mkdocs' last output is reused), a build with nothing changed, and a full
rebuild (--force), for the fraction. Prints JSON; with --write, also bench/results/one-changed-guide-<date>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from corpus import make_corpus  # noqa: E402
from sizes import MKDOCS_ENV, PYTHON, RESULTS, TODAY, BenchError, _check, measure  # noqa: E402

_QUESTION = re.compile(r"^(\s*question: )(.+)$", re.M)


def edit_first_question(project: Path) -> Path:
    """Add a word to the first question of the first guide (as `sed` on it did); the file edited."""
    for path in sorted((project / "decision_trees").glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        match = _QUESTION.search(text)
        if match and not match.group(2).startswith((">", "|", "'", '"')):
            path.write_text(text[:match.end(2)] + " now" + text[match.end(2):], encoding="utf-8")
            return path
    raise BenchError(f"no guide with a one-line question in {project / 'decision_trees'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1, help="multiple of the real data (default 1)")
    parser.add_argument("--write", action="store_true", help="also write bench/results/one-changed-guide-<date>.json")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="one-changed-guide-"))
    try:
        project, out, work = scratch / "project", scratch / "site", scratch / "work"
        make_corpus(REPO, project, args.size)
        build = [PYTHON, "-m", "generator", "build", "--project", str(project), "--output", str(out),
                 "--work-dir", str(work), "--today", TODAY]
        env = {**MKDOCS_ENV, "PYTHONPATH": str(REPO)}
        log = scratch / "log"
        runs = {}
        for name, command, before in (("first build", build, None),
                                      ("one guide's question edited", build, edit_first_question),
                                      ("nothing changed", build, None),
                                      ("full rebuild (--force)", [*build, "--force"], None)):
            if before:
                before(project)
            result = measure(command, cwd=REPO, env=env, log=log)
            _check(result, name, log)
            runs[name] = {key: round(value, 3) for key, value in result.items() if key != "started"}
        report = {"what": "python -m generator build after one guide's first question is edited",
                  "date": dt.date.today().isoformat(), "size": args.size, "today_for_reviews": TODAY, "runs": runs}
        text = json.dumps(report, indent=2) + "\n"
        print(text, end="")
        if args.write:
            (RESULTS / f"one-changed-guide-{report['date']}-{args.size}x.json").write_text(text, encoding="utf-8")
        return 0
    except BenchError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
