"""Time the generator's own stages in a fresh interpreter; prints one JSON object.

    python bench/stages.py --project DIR --work-dir DIR --today YYYY-MM-DD

Stages: import (the generator and its dependencies), load (YAML files), validate (pydantic
models and cross references), render (jinja2 -> Markdown in memory), pdf (each policy's PDF, or
its cached copy), write (Markdown, PDFs and mkdocs.yml on disk, what `mkdocs build` reads). This is exactly `generator.pipeline.generate`,
split up; bench/sizes.py runs it in a subprocess and adds interpreter start-up from outside.
"""

from __future__ import annotations

import time

_START = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--work-dir", type=Path, required=True)
    parser.add_argument("--today", required=True)
    args = parser.parse_args()
    today = date.fromisoformat(args.today)

    marks = {}
    t = time.perf_counter()
    from generator.build.mkdocs_build import write_sources
    from generator.load.loader import load_project
    from generator.build.pdf import CACHE_DIR as PDF_CACHE_DIR, attach_pdfs
    from generator.pipeline import BASE_CONFIG, THEME_DIR
    from generator.render.renderer import render_project
    from generator.checks.validate import validate_project
    marks["import"] = time.perf_counter() - t

    t = time.perf_counter()
    loaded = load_project(args.project)
    marks["load"] = time.perf_counter() - t

    t = time.perf_counter()
    project, diagnostics = validate_project(loaded, today)
    marks["validate"] = time.perf_counter() - t
    errors = [str(d) for d in diagnostics if d.is_error]
    if project is None or errors:
        print(json.dumps({"ok": False, "errors": errors[:20]}))
        return 1

    t = time.perf_counter()
    rendered = render_project(project, BASE_CONFIG, THEME_DIR)
    marks["render"] = time.perf_counter() - t

    # The policies' PDFs (WeasyPrint), reused from <work dir>/pdf-cache when their HTML is unchanged.
    t = time.perf_counter()
    attach_pdfs(project, rendered, args.work_dir / PDF_CACHE_DIR)
    marks["pdf"] = time.perf_counter() - t

    t = time.perf_counter()
    for name, site in rendered.items():
        write_sources(site, args.work_dir / name)
    marks["write"] = time.perf_counter() - t

    print(json.dumps({
        "ok": True,
        "stages_s": marks,
        "in_process_s": time.perf_counter() - _START,
        "markdown_pages": {name: len(site.docs) for name, site in rendered.items()},
        "markdown_bytes": {name: sum(len(text.encode()) for text in site.docs.values())
                           for name, site in rendered.items()},
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
