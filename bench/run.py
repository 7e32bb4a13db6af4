"""The benchmarks: one runner, named scenarios (issue 24). Results and what they mean: BENCHMARKS.md.

    .venv/bin/python bench/run.py --list                    # the scenarios
    .venv/bin/python bench/run.py                           # `sizes` with its defaults (what `make bench` runs)
    .venv/bin/python bench/run.py SCENARIO [its options]    # e.g. preview --sizes 1,10 --edits 5
    .venv/bin/python bench/run.py SCENARIO --help           # a scenario's own options

Each scenario runs as its own process (a fresh interpreter, as every figure of BENCHMARKS.md was measured).
Options before any scenario name are the `sizes` scenario's, as `bench/run.py --sizes 1,55 …` always was.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent

SCENARIOS = {
    "sizes": ("sizes.py", "build speed, memory and scale at 1x, 10x, 100x the real data; profile; config "
                          "variants; alias bomb; the real build -> results/build-<date>.json, latest.json"),
    "preview": ("preview.py", "save a guide -> the rebuilt page served by `python -m generator serve` "
                              "-> results/preview-<date>.json"),
    "one-changed-guide": ("one_changed_guide.py", "a build after one guide's question is edited, with nothing "
                                                  "changed, and a full rebuild (prints JSON; --write)"),
    "check-one-file": ("check_one_file.py", "`check` after one guide is edited, as a command and in a process that keeps "
                                           "its cache (serve, the editor), at 1x and 10x (prints JSON; --write)"),
    "import": ("import_docx.py", "`python -m generator import` of a 100-page Word policy (prints JSON)"),
    "trust": ("trust.py", "a simulated trust of N schools built with `build --all`: total and per school"),
    "anchors": ("anchors.py", "our staff build beside plain Material and the bare-Markdown floor, same "
                              "content: CPU ratios (prints JSON)"),
    "whole-pipeline": ("whole_pipeline.py", "`generator build` end to end (PDFs stubbed) beside plain Material on the "
                                            "same staff pages, CPU per page, peak RSS (prints JSON; --write)"),
    "page-weight": ("page_weight.py", "bytes and requests of the real sites' pages in Chromium "
                                      "-> results/page-weight-<date>.json"),
}


def command(argv: list[str]) -> list[str] | None:
    """The process to run for these arguments, or None when they ask for the list."""
    if argv[:1] == ["--list"]:
        return None
    name, rest = (argv[0], argv[1:]) if argv and not argv[0].startswith("-") else ("sizes", argv)
    if name not in SCENARIOS:
        raise SystemExit(f"bench/run.py: no scenario '{name}' (one of: {', '.join(SCENARIOS)})")
    return [sys.executable, str(BENCH / SCENARIOS[name][0]), *rest]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    chosen = command(argv)
    if chosen is None:
        for name, (_, what) in SCENARIOS.items():
            print(f"{name:18} {what}")
        return 0
    return subprocess.run(chosen).returncode


if __name__ == "__main__":
    sys.exit(main())
