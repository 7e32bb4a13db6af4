"""Print the measured sections of BENCHMARKS.md from bench/results/*-latest.json (Markdown on stdout).

    .venv/bin/python bench/report.py [--results-dir bench/results]

The analysis in BENCHMARKS.md (why a target is missed, what would close it) is written by hand;
this prints the tables and the target checks so the figures in it are the measured ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def _load(path: Path) -> dict | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def machine(build: dict) -> str:
    m = build["machine"]
    p = m["packages"]
    return (f"- {m['nproc']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB memory, Linux {m['kernel']}\n"
            f"- Python {m['python']}; mkdocs {p['mkdocs']}, mkdocs-material {p['mkdocs-material']}, "
            f"Markdown {p['Markdown']}, pymdown-extensions {p['pymdown-extensions']}, Jinja2 {p['Jinja2']}, "
            f"pydantic {p['pydantic']}, PyYAML {p['PyYAML']}\n"
            f"- commit {m['git_commit']}" + (" with uncommitted changes in generator/"
                                              if m["uncommitted_changes_in_generator_or_theme"] else ""))


def per_size(build: dict) -> str:
    rows = ["| size | staff pages | staff ms/page wall (CPU) | template ms/page | Markdown ms/page | staff HTML KB/page "
            "avg / max | staff peak RSS MB | generator: load / validate / render / write s | load avg (1 min) |",
            "|---|---|---|---|---|---|---|---|---|"]
    for r in build["sizes"]:
        s = r["sites"]["staff"]
        ph = s.get("phases") or {}
        n = s["html_pages"]
        st = r["generator"]["stages_s"]
        rows.append(
            f"| {r['size']}× | {n} | {1000 * s['mkdocs']['wall_s'] / n:.1f} ({1000 * s['mkdocs']['cpu_s'] / n:.1f}) "
            f"| {1000 * ph.get('page_templates_s', 0) / n:.1f} | {1000 * ph.get('read_and_markdown_s', 0) / n:.1f} "
            f"| {s['html_bytes_avg'] / 1024:.1f} / {s['html_bytes_max'] / 1024:.1f} | {s['mkdocs']['maxrss_mb']:.0f} "
            f"| {st['load']:.2f} / {st['validate']:.2f} / {st['render']:.2f} / {st['write']:.2f} "
            f"| {r['loadavg_1_5_15_before'][0]:.1f} → {r['loadavg_1_5_15_after'][0]:.1f} |")
    return "\n".join(rows)


def profile(build: dict) -> str:
    prof = build.get("profile")
    if not prof:
        return "(no profile in this run)"
    lines = [f"cProfile of the {prof['site']} site at {prof['size']}× ({prof['profiled_wall_s']:.0f} s under the "
             "profiler). Cumulative time of the build's parts:", "",
             "| part | cumulative s | share |", "|---|---|---|"]
    total = prof["profiled_total_s"]
    for name, value in prof["cumulative_s"].items():
        lines.append(f"| {name} | {value:.1f} | {100 * value / total:.0f}% |")
    lines += ["", "Self time by where the code lives (adds up to the total):", "", "| area | self s | share |",
              "|---|---|---|"]
    for name, value in list(prof["self_time_by_area_s"].items())[:12]:
        lines.append(f"| {name} | {value:.1f} | {100 * value / total:.0f}% |")
    lines += ["", "Self time in the theme's templates:", "", "| template | self s |", "|---|---|"]
    for name, value in list(prof["self_time_by_template_s"].items())[:6]:
        lines.append(f"| {name.split(': ', 1)[-1].rstrip(')')} | {value:.1f} |")
    return "\n".join(lines)


def variants(build: dict) -> str:
    var = build.get("variants")
    if not var:
        return "(no variants in this run)"
    base = var["results"].get("baseline", {})
    lines = [f"The {var['site']} site at {var['size']}×, one build each (CPU time is the steadier figure on a "
             "shared machine):", "", "| config change | wall s | CPU s | CPU vs baseline | peak RSS MB | HTML KB/page |",
             "|---|---|---|---|---|---|"]
    for name, r in var["results"].items():
        if "failed" in r:
            lines.append(f"| {name} | failed | | | | |")
            continue
        delta = f"{100 * (r['cpu_s'] / base['cpu_s'] - 1):+.0f}%" if base.get("cpu_s") else ""
        lines.append(f"| {name} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | {delta} | {r['maxrss_mb']:.0f} "
                     f"| {r['html_bytes_avg'] / 1024:.1f} |")
    return "\n".join(lines)


def extras(build: dict) -> str:
    lines = []
    bomb = build.get("alias_bomb")
    if bomb:
        lines += ["| YAML file | bytes | outcome | `load_yaml` s | RSS added by `load_yaml` MB | process peak RSS MB |",
                  "|---|---|---|---|---|---|"]
        for name, r in bomb.items():
            outcome = r["outcome"].split(": ", 1)[-1] if r["outcome"] != "accepted" else "accepted"
            lines.append(f"| {name} | {r['file_bytes']:,} | {outcome} | {r['load_yaml_s']:.4f} "
                         f"| {r['load_yaml_added_rss_mb']:.1f} | {r['process_maxrss_mb']:.0f} |")
    real = build.get("real_build")
    if real:
        lines.append("")
        if "failed" in real:
            lines.append(f"`python -m generator build` on the real data failed: {real['failed'][:300]}")
        else:
            lines.append(f"`python -m generator build` on the real data (what `make build` runs after `make setup`): "
                         f"median {real['wall_s']:.2f} s wall (min {real['wall_min_s']:.2f}, max "
                         f"{real['wall_max_s']:.2f}, {real['runs']} runs), peak RSS {real['maxrss_mb']:.0f} MB; "
                         f"{real['sites']['staff']['html_pages']} + {real['sites']['parents']['html_pages']} HTML pages.")
    return "\n".join(lines)


def weight(pw: dict | None) -> str:
    if not pw:
        return "(no page-weight results)"
    return f"Built from: {pw['source']}. gzip level {pw['gzip_level']}.\n\n{pw['table']}"


def preview(pv: dict | None) -> str:
    if not pv:
        return "(no live-preview results)"
    rows = ["| size | server | save → served page, each edit (s) | median s | max s | target ≤ 2 s |",
            "|---|---|---|---|---|---|"]
    for r in pv["runs"]:
        each = ", ".join("—" if x is None else f"{x:.2f}" for x in r["latencies_s"])
        rows.append(f"| {r['size']}× | {r['variant']} | {each} | {r['median_s']:.2f} | {r['max_s']:.2f} "
                    f"| {'met' if r['met'] else 'missed'} |")
    rows.append(f"\nLoad average (1 min) before / after: {pv['loadavg_before'][0]:.1f} / {pv['loadavg_after'][0]:.1f}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--results-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    build = _load(args.results_dir / "latest.json")
    if not build:
        print("no bench/results/latest.json: run bench/run.py first", file=sys.stderr)
        return 1
    sections = [
        ("Machine", machine(build)),
        ("Build speed, memory and scale", f"`{build['command']}` ({build['repeat']} runs per figure below 50×, "
                                          f"median; {build['date']})\n\n{build['table']}"),
        ("Per size", per_size(build)),
        ("Profile", profile(build)),
        ("Config variants", variants(build)),
        ("Alias bomb and the real build", extras(build)),
        ("Page weight", weight(_load(args.results_dir / "page-weight-latest.json"))),
        ("Live preview", preview(_load(args.results_dir / "preview-latest.json"))),
    ]
    for title, body in sections:
        print(f"### {title}\n\n{body}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
