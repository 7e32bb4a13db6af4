"""A simulated multi-academy trust, built school by school: total and per-school time (BENCHMARKS.md).

    .venv/bin/python bench/trust.py --schools 50 [--keep DIR]

Makes N schools with `init` (the first at the trust's root, the others under schools/), one trust-wide
policy used by all of them, writes trust.yml, then runs `python -m generator build --all` once and
reports the total and each school's time as the build prints it. Each school's build is independent,
so the total should grow linearly with the number of schools.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

TRUST_POLICY = """\
# A trust-wide policy: written once, used by every school with its own name.
id: trust-phones
title: Mobile Phones Policy (trust-wide)
short_title: Mobile phones
period: 2026-2027
approved: 2026-09-01
approved_by: Board of trustees
review_due: 2027-09-01
owner: Chief executive
source: source/trust-phones.txt
audiences:
  - staff
sections:
  - id: phones
    number: 1
    title: Phones in school
    clauses:
      - id: applies
        text: This policy applies to every member of staff at {{ school.name }}.
      - id: out-of-sight
        text: Staff keep personal phones out of sight in classrooms.
"""

TRUST_DOCUMENT = """\
Mobile Phones Policy (trust-wide)

1. Phones in school

This policy applies to every member of staff at {{ school.name }}. Staff keep personal phones out of sight in classrooms.
"""


def make_trust(root: Path, schools: int) -> list[str]:
    """A trust of ``schools`` schools in ``root`` (which must not exist); returns their ids."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    ids = []
    for number in range(1, schools + 1):
        school_id = f"school-{number:02d}"
        folder = root if number == 1 else root / "schools" / school_id
        subprocess.run([sys.executable, "-m", "generator", "init", str(folder)], env=env, check=True,
                       capture_output=True)
        school = folder / "school.yml"
        text = school.read_text(encoding="utf-8")
        text = text.replace("id: example-school", f"id: {school_id}").replace(
            "name: Example School", f"name: Example School {number}")
        school.write_text(text, encoding="utf-8")
        ids.append(school_id)
    (root / "trust" / "policies" / "source").mkdir(parents=True)
    (root / "trust" / "policies" / "trust-phones.yml").write_text(TRUST_POLICY, encoding="utf-8")
    (root / "trust" / "policies" / "source" / "trust-phones.txt").write_text(TRUST_DOCUMENT, encoding="utf-8")
    lines = ["id: example-trust", "name: Example Academy Trust", "schools:"]
    for number, school_id in enumerate(ids, start=1):
        lines += [f"  - id: {school_id}", f"    folder: {'.' if number == 1 else 'schools/' + school_id}"]
    (root / "trust.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ids


_BUILT = re.compile(r"^Built (\S+): .* \((\d+\.\d+) s\)$", re.M)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--keep", type=Path, help="make the trust here (a new folder) and keep it")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="trust-bench-")) / "trust"
    try:
        make_trust(base, args.schools)
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "generator", "build", "--all", "--project", str(base),
                                    "--today", "2026-11-24"], env={**os.environ, "PYTHONPATH": str(REPO)},
                                   stderr=subprocess.PIPE, text=True)
        log = []
        for line in process.stderr:  # each school's line as it is built, so a long run shows its progress
            print(line, end="", file=sys.stderr, flush=True)
            log.append(line)
        total = time.perf_counter() - started
        if process.wait() != 0:
            return 1
        times = [float(seconds) for _, seconds in _BUILT.findall("".join(log))]
        assert len(times) == args.schools, "".join(log)
        print(f"{args.schools} schools built in {total:.1f} s: per school mean {statistics.mean(times):.2f} s, "
              f"median {statistics.median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s; "
              f"first 10 mean {statistics.mean(times[:10]):.2f} s, last 10 mean {statistics.mean(times[-10:]):.2f} s")
        return 0
    finally:
        if args.keep is None:
            shutil.rmtree(base.parent, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
