"""Time per page of our staff site build at several sizes (issue 17: "time per page flat from 1x to 100x"):

    nice .venv/bin/python bench/per_page.py 1,10,100      # prints JSON

At each size: bench/corpus.py's N-times project, its sources generated, then the anchors' "ours" (the
`mkdocs build` generator/build.py runs, then the guides' steps put in; bench/anchors.py) measured twice by
bench/run.py's wrapper. Reports CPU per page of the faster run, and the marginal CPU per page between sizes,
which leaves out what every build pays once (imports, compiling Material's templates).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from anchors import OURS, PYTHON, REPO, TODAY, _run, mkdocs_cmd
from corpus import make_corpus

GENERATE = ("import sys; from datetime import date; from pathlib import Path; "
            "from generator.pipeline import generate; "
            "r = generate(Path(sys.argv[1]), Path(sys.argv[2]), date.fromisoformat(sys.argv[3])); "
            "sys.exit(0 if r.ok else 1)")


def measure_size(size: int, runs: int = 2) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-per-page-{size}-"))
    make_corpus(REPO, tmp / "project", size)
    subprocess.run([PYTHON, "-c", GENERATE, str(tmp / "project"), str(tmp / "work"), TODAY], cwd=REPO, check=True)
    site = tmp / "work" / "staff"
    pages = sum(1 for _ in (site / "docs").rglob("*.md"))
    results = [_run([PYTHON, "-c", OURS, str(REPO), *mkdocs_cmd(tmp / f"ours-{i}")], site, tmp / "ours.log")
               for i in range(runs)]
    best = min(result["cpu_s"] for result in results)
    return {"size": size, "pages": pages, "cpu_s": [r["cpu_s"] for r in results], "wall_s": [r["wall_s"] for r in results],
            "maxrss_mb": max(r["maxrss_mb"] for r in results), "cpu_ms_per_page": 1000 * best / pages, "best_cpu_s": best}


def main() -> int:
    sizes = [int(size) for size in (sys.argv[1] if len(sys.argv) > 1 else "1,10,100").split(",")]
    measured = [measure_size(size) for size in sizes]
    for smaller, larger in zip(measured, measured[1:]):
        larger["marginal_cpu_ms_per_page_from_previous_size"] = (
            1000 * (larger["best_cpu_s"] - smaller["best_cpu_s"]) / (larger["pages"] - smaller["pages"]))
    print(json.dumps(measured, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
