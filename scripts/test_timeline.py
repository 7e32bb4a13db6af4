"""Each test file's time in a whole test run, longest first: what tests/conftest.py's LONGEST_FIRST lists.

    TEST_TIMELINE=/tmp/timeline make test
    python scripts/test_timeline.py /tmp/timeline
    python scripts/test_timeline.py --cpu /tmp/timeline

Prints, per file, the wall time from its first test's start to its last test's end (its fixtures included), then
when each test process started and ended its last file, and how long all of them ran side by side. The `main`
process's lines (under pytest-xdist it repeats each test as its worker reports it) are left out when workers
wrote their own.

With ``--cpu``, per file the CPU seconds its tests spent instead (tests/conftest.py's ``cpu_spent``: the test
process, its subprocesses, the browser and its driver), most first, and the run's total by kind: the suite is
CPU-bound, so this, not the wall time, says where cutting pays."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path


def cpu_per_file(rows: list[dict]) -> None:
    per_file: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    given_back = 0.0
    for row in rows:
        cpu = row.get("cpu", {})
        if min(cpu.values(), default=0) >= 0:
            for kind, seconds in cpu.items():
                per_file[row["id"].split("::")[0]][kind] += seconds
            continue
        # A reading falls when processes end: the browser at the end of a test process, whose CPU then moves to
        # the ended subprocesses (counted twice) or leaves with renderers no one waits for. What was spent was
        # counted when it was spent, so such a test counts only what is left over, if anything.
        net = sum(cpu.values())
        per_file[row["id"].split("::")[0]]["at its process's end"] += max(net, 0)
        given_back += max(-net, 0)
    totals = {name: sum(kinds.values()) for name, kinds in per_file.items()}
    for name in sorted(totals, key=lambda name: -totals[name]):
        kinds = ", ".join(f"{kind} {seconds:.0f}" for kind, seconds in
                          sorted(per_file[name].items(), key=lambda item: -item[1]) if seconds >= 0.5)
        print(f"{totals[name]:8.1f} s  {name}  ({kinds})")
    by_kind: dict[str, float] = defaultdict(float)
    for kinds in per_file.values():
        for kind, seconds in kinds.items():
            by_kind[kind] += seconds
    print(f"\n{sum(totals.values()):.0f} s of CPU in all: " +
          ", ".join(f"{kind} {seconds:.0f}" for kind, seconds in sorted(by_kind.items(), key=lambda item: -item[1])) +
          f" ({given_back:.0f} s left with processes that ended unwaited for, not counted twice)")


def main(folder: Path, cpu: bool = False) -> None:
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        worker = path.stem.rsplit("-", 1)[0]
        rows += [dict(json.loads(line), worker=worker) for line in path.read_text(encoding="utf-8").splitlines()]
    if any(row["worker"] != "main" for row in rows):
        rows = [row for row in rows if row["worker"] != "main"]
    if not rows:
        sys.exit(f"no timeline in {folder}")
    if cpu:
        cpu_per_file(rows)
        return
    spans: dict[tuple[str, str], list[float]] = {}
    for row in rows:
        span = spans.setdefault((row["worker"], row["id"].split("::")[0]), [row["start"], row["end"]])
        span[0], span[1] = min(span[0], row["start"]), max(span[1], row["end"])
    per_file: dict[str, float] = defaultdict(float)
    for (_, name), (start, end) in spans.items():
        per_file[name] += end - start
    for name, seconds in sorted(per_file.items(), key=lambda item: -item[1]):
        print(f"{seconds:8.1f} s  {name}")
    began = min(row["start"] for row in rows)
    print()
    for worker in sorted({row["worker"] for row in rows}):
        ends = [row["end"] for row in rows if row["worker"] == worker]
        print(f"{worker}: {len(ends)} tests, its last ended at {max(ends) - began:.0f} s")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(Path([argument for argument in arguments if argument != "--cpu"][0]), cpu="--cpu" in arguments)
