"""The anchors of issue 17, item 5, measured in one run beside our own staff site build:

    .venv/bin/python bench/anchors.py --size 55 [--repeat 1]      # prints JSON; nice it on a shared machine

* ours: the exact command generator/build/mkdocs_build.py runs (`mkdocs build --strict` on build/staff), then its putting
  of the guides' steps into their pages (generator/render/guide_steps.py), in one measured process;
* plain Material: the same pages, nav, Markdown extensions and plugins, with Material's own templates (no
  theme overrides, no extra CSS/JS) and `navigation.prune`, as a project would get it. A theme of its own
  and a step after mkdocs are how our build keeps the guides' steps out of Markdown (generator/render/guide_steps.py),
  so plain Material gets the same content the only way it can: each guide's steps inlined in its Markdown;
* floor: reading those same .md files (steps inlined) and writing each converted by bare Python-Markdown
  (no extensions).

Each is a fresh process measured by bench/sizes.py's wrapper (wall, CPU = user + system of the process and its
children, peak RSS); ratios are CPU over CPU, from this one run. The corpus is bench/corpus.py's N-times project.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from corpus import make_corpus  # noqa: E402
from generator.pipeline import BASE_CONFIG  # noqa: E402 - the base config ships in the package (generator/mkdocs.yml)
from sizes import MKDOCS_ENV, PYTHON, TODAY, measure, mkdocs_cmd  # noqa: E402

FLOOR = r"""
import sys
from pathlib import Path
import markdown
source, out = Path(sys.argv[1]), Path(sys.argv[2])
for path in sorted(source.rglob("*.md")):
    target = out / path.relative_to(source).with_suffix(".html")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(markdown.markdown(path.read_text(encoding="utf-8")), encoding="utf-8")
"""


OURS = r"""
import subprocess, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from generator.build.mkdocs_build import read_includes
from generator.render.guide_steps import insert_guide_steps
subprocess.run(sys.argv[2:], check=True)
insert_guide_steps(Path(sys.argv[-1]), read_includes(Path("includes")))
"""


def inline_guides(site_dir: Path) -> Path:
    """A copy of the site's docs/ with each guide's steps (includes/guides/<id>.html) back in its Markdown, so
    plain Material and the floor convert the content our build puts in without Markdown."""
    docs = site_dir / "docs-inlined"
    shutil.rmtree(docs, ignore_errors=True)
    shutil.copytree(site_dir / "docs", docs)
    for body in sorted((site_dir / "includes" / "guides").glob("*.html")):
        page = docs / "what-to-do" / body.stem / "index.md"
        steps = body.read_text(encoding="utf-8")
        page.write_text(page.read_text(encoding="utf-8").replace("template: guide.html\n", "") + "\n" + steps + "\n",
                        encoding="utf-8")
    return docs


def plain_material_config(site_dir: Path) -> Path:
    """The site's config with Material's own templates: no custom_dir, extra CSS/JS or hooks; prune on."""
    base = yaml.safe_load(BASE_CONFIG.read_text(encoding="utf-8"))
    site = yaml.safe_load((site_dir / "mkdocs.yml").read_text(encoding="utf-8"))
    site.pop("INHERIT", None)
    config = {**base, **site}
    theme = {**base["theme"], **{k: v for k, v in site.get("theme", {}).items() if k != "custom_dir"}}
    theme.pop("custom_dir", None)
    features = list(theme.get("features", []))
    if "navigation.prune" not in features:
        features.append("navigation.prune")
    theme["features"] = features
    config["theme"] = theme
    for key in ("extra_css", "extra_javascript", "hooks"):
        config.pop(key, None)
    config["docs_dir"] = inline_guides(site_dir).name
    path = site_dir / "mkdocs-plain-material.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _run(cmd: list[str], cwd: Path, log: Path) -> dict:
    result = measure(cmd, cwd=cwd, env=MKDOCS_ENV, log=log)
    if result["rc"] != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{log.read_text(errors='replace')[-3000:]}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=55)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-anchors-"))
    try:
        project = tmp / "project"
        make_corpus(REPO, project, args.size)
        work = tmp / "work"
        subprocess.run([PYTHON, "-c", "import sys; from datetime import date; from pathlib import Path; "
                        "from generator.pipeline import generate; "
                        "r = generate(Path(sys.argv[1]), Path(sys.argv[2]), date.fromisoformat(sys.argv[3])); "
                        "sys.exit(0 if r.ok else 1)", str(project), str(work), TODAY], cwd=REPO, check=True)
        site = work / "staff"
        plain = plain_material_config(site)
        runs: dict[str, list[dict]] = {"ours": [], "plain_material": [], "floor": []}
        for i in range(args.repeat):
            runs["ours"].append(_run([PYTHON, "-c", OURS, str(REPO), *mkdocs_cmd(tmp / f"ours-{i}")], site, tmp / "ours.log"))
            runs["plain_material"].append(_run(mkdocs_cmd(tmp / f"plain-{i}", plain.name), site, tmp / "plain.log"))
            runs["floor"].append(_run([PYTHON, "-c", FLOOR, str(site / "docs-inlined"), str(tmp / f"floor-{i}")], site,
                                      tmp / "floor.log"))
        summary = {name: {"cpu_s": statistics.median(r["cpu_s"] for r in rs),
                          "wall_s": statistics.median(r["wall_s"] for r in rs),
                          "maxrss_mb": max(r["maxrss_mb"] for r in rs), "runs": len(rs)}
                   for name, rs in runs.items()}
        ours = summary["ours"]["cpu_s"]
        summary["ratios_cpu"] = {"ours_over_plain_material": ours / summary["plain_material"]["cpu_s"],
                                 "ours_over_floor": ours / summary["floor"]["cpu_s"]}
        summary["pages"] = sum(1 for _ in (site / "docs").rglob("*.md"))
        summary["size"] = args.size
        summary["load_average"] = os.getloadavg()
        print(json.dumps(summary, indent=2))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
