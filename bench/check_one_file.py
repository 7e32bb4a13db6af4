"""The `check-one-file` scenario of bench/run.py: `check` after one guide's question is edited (issue 30).

    .venv/bin/python bench/run.py check-one-file --sizes 1,10 --repeat 3 [--write]
    .venv/bin/python bench/run.py check-one-file --repo /tmp/before --baseline   # the same on another checkout

Writes the N× project (bench/corpus.py), runs `python -m generator check` on it once (which fills the work folder's
check cache), then ``--repeat`` times: edits the first question of the first guide (one whole-file write, as an
editor saves) and times `check` in a process of its own (bench/sizes.py's wrapper: wall, CPU, peak RSS). Then the
same in one process that keeps its cache in memory, as `serve` and the editor do: load + validate only (what a
check beside a field needs) and `pipeline.render` (what the `check` command runs: the faithfulness check renders
the sites), each after one edit. Medians of the repeats. ``--baseline``: `check` without --work-dir (a checkout
from before the cache, which has no such option) and the in-process figures without a cache.
Prints JSON; with --write, also bench/results/check-one-file-<date>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from corpus import make_corpus  # noqa: E402
from sizes import PYTHON, RESULTS, TODAY, measure  # noqa: E402

_QUESTION = re.compile(r"^(\s*question: )(.+)$", re.M)

IN_PROCESS = r"""
import json, re, sys, time
from datetime import date
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from generator import pipeline
project, repeat, baseline = Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
cache = None
if not baseline:
    from generator.load.file_cache import ResultCache
    cache = ResultCache()
tree = sorted((project / "decision_trees").glob("*.yml"))[0]
question = re.compile(r"^(\s*question: )(.+)$", re.M)
today = date.fromisoformat(sys.argv[5])
def kwargs():
    return {} if baseline else {"cache": cache}
pipeline.render(project, today, **kwargs())  # the session's first check fills the cache
if sys.argv[6] == "1":  # as serve settles once its first check has filled the cache (authoring/serve.settle)
    import gc
    gc.collect()
    gc.freeze()
found = {"check": [], "render": []}
for n in range(repeat):
    for kind, run in (("check", pipeline.check), ("render", pipeline.render)):
        tree.write_text(question.sub(lambda m: f"{m.group(1)}{m.group(2)} ({kind} {n})", tree.read_text(), count=1))
        wall, cpu = time.perf_counter(), time.process_time()
        result = run(project, today, **kwargs())
        found[kind].append({"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu,
                            "ok": result.ok})
print(json.dumps(found))
"""


def edit(tree: Path, marker: str) -> None:
    text = tree.read_text(encoding="utf-8")
    tree.write_text(_QUESTION.sub(lambda m: f"{m.group(1)}{m.group(2)} ({marker})", text, count=1), encoding="utf-8")


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def measure_size(size: int, repeat: int, repo: Path, baseline: bool, tmp: Path, settle: bool = False) -> dict:
    project = tmp / f"x{size}"
    info = make_corpus(REPO, project, size)
    work = tmp / f"work-{size}"
    command = [PYTHON, "-m", "generator", "check", "--project", str(project), "--today", TODAY]
    if not baseline:
        command += ["--work-dir", str(work)]
    first = measure(command, cwd=repo)
    tree = sorted((project / "decision_trees").glob("*.yml"))[0]
    runs = []
    for n in range(repeat):
        edit(tree, f"bench edit {n}")
        runs.append(measure(command, cwd=repo))
    in_process = json.loads(subprocess.run(
        [PYTHON, "-c", IN_PROCESS, str(repo), str(project), str(repeat), "1" if baseline else "0", TODAY,
         "1" if settle else "0"],
        cwd=repo, capture_output=True, text=True, check=True).stdout)
    return {
        "size": size, "guides": info.trees, "baseline": baseline, "settled": settle,
        "first_check": first,
        "check_after_one_edit": runs,
        "check_wall_median_s": _median(runs, "wall_s"), "check_cpu_median_s": _median(runs, "cpu_s"),
        "in_process": in_process,
        "in_process_check_wall_median_s": _median(in_process["check"], "wall_s"),
        "in_process_render_wall_median_s": _median(in_process["render"], "wall_s"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout whose generator is measured")
    parser.add_argument("--baseline", action="store_true", help="a checkout without the check cache")
    parser.add_argument("--settle", action="store_true",
                        help="in one process, freeze what the first check kept, as serve does (authoring/serve.settle)")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="policy-check-one-file-") as tmp:
        report = {"date": dt.date.today().isoformat(),
                  "command": "python bench/run.py check-one-file " + " ".join(argv if argv is not None else sys.argv[1:]),
                  "loadavg_before": list(__import__("os").getloadavg()),
                  "runs": [measure_size(int(size), args.repeat, args.repo.resolve(), args.baseline, Path(tmp),
                                        args.settle)
                           for size in args.sizes.split(",")],
                  "loadavg_after": list(__import__("os").getloadavg())}
    text = json.dumps(report, indent=2) + "\n"
    print(text)
    if args.write:
        suffix = "-baseline" if args.baseline else ""
        (RESULTS / f"check-one-file-{report['date']}{suffix}.json").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
