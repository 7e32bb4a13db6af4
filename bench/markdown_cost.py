"""What each Markdown extension costs on tree pages and policy pages (leave-one-out, CPU time).

    .venv/bin/python bench/markdown_cost.py [--project DIR]

Generates the project's Markdown (bench/stages.py's pipeline, into a temporary folder), then
converts the staff site's tree pages and policy pages with the extensions of the generated
mkdocs.yml, once with all of them and once without each; prints ms per page. An extension
whose removal changes the output is still listed: the figure says what it costs, not that it
can go.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _body(path: Path) -> str:
    return re.sub(r"^---\n.*?\n---\n", "", path.read_text(encoding="utf-8"), flags=re.S)


def cost(names: list[str], configs: dict, files: list[Path]) -> float:
    import markdown

    md = markdown.Markdown(extensions=names, extension_configs={k: v for k, v in configs.items() if k in names})
    texts = [_body(f) for f in files]
    start = time.process_time()
    for text in texts:
        md.reset()
        md.convert(text)
    return 1000 * (time.process_time() - start) / max(len(files), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", type=Path, default=REPO)
    args = parser.parse_args(argv)

    from generator.pipeline import generate
    from mkdocs.config import load_config

    work = Path(tempfile.mkdtemp(prefix="policy-md-"))
    try:
        return _measure(args.project, work, generate, load_config)
    finally:
        os.chdir(REPO)
        shutil.rmtree(work, ignore_errors=True)


def _measure(project: Path, work: Path, generate, load_config) -> int:
    result = generate(project, work, date(2024, 10, 1))
    if not result.ok:
        print("the project has errors: " + "; ".join(str(d) for d in result.diagnostics if d.is_error)[:500])
        return 1
    site = work / "staff"
    os.chdir(site)  # snippets' base_path is relative to the site folder
    config = load_config(str(site / "mkdocs.yml"))
    names, configs = list(config["markdown_extensions"]), dict(config["mdx_configs"])
    docs = site / "docs"
    groups = {
        "tree pages": [p for p in sorted(docs.glob("what-to-do/*/index.md"))],
        "policy pages": sorted(docs.glob("policies/*/*.md")),
    }
    for label, files in groups.items():
        if not files:
            continue
        full = cost(names, configs, files)
        print(f"{label} ({len(files)}): all extensions {full:.1f} ms/page")
        for name in names:
            rest = [n for n in names if n != name]
            print(f"    without {name:22s} {cost(rest, configs, files):6.1f} ms/page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
