"""CPU time of the generator's load and validate stages in one process (issue 17, item 4).

    .venv/bin/python bench/load_validate.py time DIR      # DIR: a project, e.g. one written by bench/corpus.py
    .venv/bin/python bench/load_validate.py prof DIR      # the same under cProfile (cumulative, top 45)
    CODE=/other/checkout .venv/bin/python bench/load_validate.py time DIR   # another checkout's generator
"""

import cProfile
import os
import pstats
import resource
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, os.environ.get("CODE", str(Path(__file__).resolve().parent.parent)))

from generator.load import load_project  # noqa: E402
from generator.validate import validate_project  # noqa: E402


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


mode, project = sys.argv[1], Path(sys.argv[2])
profile = cProfile.Profile() if mode == "prof" else None
if profile:
    profile.enable()
t0 = cpu()
loaded = load_project(project)
t1 = cpu()
result, diagnostics = validate_project(loaded, date(2024, 10, 1))
t2 = cpu()
if profile:
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
errors = [d for d in diagnostics if d.is_error]
for error in errors[:5]:
    print(error, file=sys.stderr)
print(f"load {t1 - t0:.2f} s CPU, validate {t2 - t1:.2f} s CPU, total {t2 - t0:.2f}; errors {len(errors)}")
