"""The `sizes` scenario of bench/run.py: build speed, memory and scale (issue 7; page weight is bench/page_weight.py).

    .venv/bin/python bench/run.py sizes                      # sizes 1,10,100; 3 runs each (1 at 100x); profile
    .venv/bin/python bench/run.py sizes --quick              # sizes 1,10; 1 run each; no profile, no variants
    .venv/bin/python bench/run.py sizes --sizes 1,10,100 --repeat 3 --variants

Its measuring wrapper (:func:`measure`) is shared by the other scenarios.

For each size N (N copies of the real policies and of the 10-tree unit set, see bench/corpus.py)
it measures, one process at a time so that each figure is that process's alone:

* generator: `bench/stages.py` in a fresh interpreter = load + validate + render + write Markdown
  (what `generator.pipeline.generate` does), with the time of each stage;
* mkdocs, each site on its own: the exact command generator/build/mkdocs_build.py runs
  (`python -m mkdocs build --strict --quiet -f mkdocs.yml -d DIR` in build/<site>/);
* end to end: `python -m generator build` (both sites built in parallel, as `make build` does);
* peak RSS of each: a small wrapper process reads it with os.wait4() (see WRAPPER for why);
* output: HTML pages, bytes per HTML page (raw and gzip -6), total bytes, search index;
* phases of each mkdocs build, from a hook (bench/mkdocs_phases.py) in a copy of the config.

Plus, once per run: the YAML alias-bomb rejection (time and peak RSS of a process calling
`generator.load.strict_yaml.load_yaml`) and `python -m generator build` on the real data.

Writes bench/results/build-<date>.json and bench/results/latest.json (a --quick run writes
build-<date>-quick.json only). Needs only the standard library and the project's packages.
"""

from __future__ import annotations

import argparse
import cProfile  # noqa: F401 - run as `python -m cProfile` in a child; imported to fail early if missing
import datetime as dt
import gzip
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

from corpus import make_corpus  # noqa: E402

PYTHON = sys.executable
TODAY = "2024-10-01"
"""Review dates are checked against a fixed day so every run renders the same pages."""
SITES = ("staff", "parents")
MKDOCS_ENV = {**os.environ, "PYTHONWARNINGS": "ignore", "NO_MKDOCS_2_WARNING": "1"}
RESULTS = BENCH / "results"

TARGETS = {
    "generator_share_max": 0.10,
    "pages_1000_build_s_max": 6.0,
    "pages_1000_rss_mb_max": 300.0,
    "html_kb_per_page_max": 40.0,
    "tree_page_own_gzip_kb_max": 30.0,
    "requests_while_stepping": 0,
    "live_preview_s_max": 2.0,
}


# --- measuring one process ---------------------------------------------------------------------

# Peak RSS is read by a small wrapper process, not by this one: on Linux a child's ru_maxrss starts
# at its parent's peak RSS when it is forked (the high-water mark of the address space it was
# copied from is kept across exec), so any child of this process, which grows while it works,
# would report at least this process's own peak. The wrapper is a bare interpreter (~11 MB), so
# figures above that floor are the measured command's own.
WRAPPER = r"""
import json, os, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
process = subprocess.Popen(cmd)
_, status, usage = os.wait4(process.pid, 0)
wall = time.perf_counter() - start
process.returncode = code = os.waitstatus_to_exitcode(status)
with open(out, "w") as handle:
    json.dump({"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss,
               "started": time.time() - wall, "rc": code}, handle)
sys.exit(0)
"""


def measure(cmd: list[str], cwd: Path | None = None, env: dict | None = None, log: Path | None = None) -> dict:
    """Run cmd to completion; its wall time, CPU time and peak RSS (its own, or its largest child's).

    Wall time is taken by the wrapper around the command alone (not the wrapper's start-up).
    """
    log = log or Path(os.devnull)
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        report = Path(handle.name)
    try:
        with open(log, "wb") as out:
            subprocess.run([PYTHON, "-c", WRAPPER, str(report), *cmd], cwd=cwd, env=env, stdout=out,
                           stderr=subprocess.STDOUT, check=True)
        data = json.loads(report.read_text())
    finally:
        report.unlink(missing_ok=True)
    return {
        "wall_s": data["wall_s"],
        "cpu_s": data["cpu_s"],
        "maxrss_mb": data["maxrss_kb"] / 1024,  # Linux reports KiB
        "rc": data["rc"],
        "started": data["started"],
    }


class BenchError(Exception):
    """A measured command failed: the benchmark of that step has no figure."""


def _check(result: dict, what: str, log: Path) -> None:
    if result["rc"] != 0:
        text = log.read_text(errors="replace") if log.exists() else ""
        raise BenchError(f"{what} failed (exit {result['rc']}):\n{text[-4000:]}")


def summarise(runs: list[dict]) -> dict:
    walls = [r["wall_s"] for r in runs]
    return {
        "wall_s": statistics.median(walls),
        "wall_min_s": min(walls),
        "wall_max_s": max(walls),
        "cpu_s": statistics.median(r["cpu_s"] for r in runs),
        "maxrss_mb": max(r["maxrss_mb"] for r in runs),
        "runs": len(runs),
    }


# --- what a build produced ---------------------------------------------------------------------

def site_stats(site: Path) -> dict:
    html = sorted(site.rglob("*.html"))
    sizes = {p: p.stat().st_size for p in html}
    gz = {p: len(gzip.compress(p.read_bytes(), compresslevel=6)) for p in html}
    files = [p for p in site.rglob("*") if p.is_file()]
    largest = max(html, key=sizes.get) if html else None
    index = site / "search" / "search_index.json"
    return {
        "html_pages": len(html),
        "html_bytes": sum(sizes.values()),
        "html_bytes_avg": sum(sizes.values()) / len(html) if html else 0,
        "html_bytes_max": sizes[largest] if largest else 0,
        "html_largest": largest.relative_to(site).as_posix() if largest else None,
        "html_gzip_avg": sum(gz.values()) / len(html) if html else 0,
        "total_bytes": sum(p.stat().st_size for p in files),
        "files": len(files),
        "search_index_bytes": index.stat().st_size if index.exists() else 0,
    }


# --- the steps ---------------------------------------------------------------------------------

def mkdocs_cmd(dest: Path, config: str = "mkdocs.yml") -> list[str]:
    """The command generator/build/mkdocs_build.py runs for one site (same flags, same environment)."""
    return [PYTHON, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", config, "-d", str(dest)]


def run_generator(project: Path, tmp: Path, repeat: int) -> tuple[dict, dict, Path]:
    runs, stages = [], []
    for i in range(repeat):
        work = tmp / f"gen-work-{i}"
        log = tmp / f"gen-{i}.log"
        result = measure([PYTHON, str(BENCH / "stages.py"), "--project", str(project), "--work-dir", str(work),
                          "--today", TODAY], cwd=REPO, log=log)
        _check(result, "generator (bench/stages.py)", log)
        report = json.loads(log.read_text().strip().splitlines()[-1])
        runs.append(result)
        stages.append(report)
        if i < repeat - 1:
            shutil.rmtree(work)
    stage_names = stages[0]["stages_s"].keys()
    summary = summarise(runs)
    summary["stages_s"] = {name: statistics.median(s["stages_s"][name] for s in stages) for name in stage_names}
    summary["startup_s"] = summary["wall_s"] - statistics.median(s["in_process_s"] for s in stages)
    return summary, stages[-1], work


def run_mkdocs(work: Path, tmp: Path, site: str, repeat: int) -> tuple[dict, Path]:
    runs = []
    for i in range(repeat):
        dest = tmp / f"out-{site}-{i}"
        log = tmp / f"mkdocs-{site}-{i}.log"
        result = measure(mkdocs_cmd(dest), cwd=work / site, env=MKDOCS_ENV, log=log)
        _check(result, f"mkdocs build of {site}", log)
        runs.append(result)
        if i < repeat - 1:
            shutil.rmtree(dest)
    return summarise(runs), dest


def run_phases(work: Path, tmp: Path, site: str) -> dict:
    """One extra build of the site with the phase hook; wall-clock seconds per phase."""
    config = work / site / "bench-phases.yml"
    config.write_text(f"INHERIT: mkdocs.yml\nhooks:\n  - {BENCH / 'mkdocs_phases.py'}\n", encoding="utf-8")
    out = tmp / f"phases-{site}.json"
    log = tmp / f"phases-{site}.log"
    result = measure(mkdocs_cmd(tmp / f"phases-out-{site}", config.name), cwd=work / site,
                     env={**MKDOCS_ENV, "BENCH_PHASES_OUT": str(out)}, log=log)
    _check(result, f"mkdocs build of {site} with the phase hook", log)
    config.unlink()
    data = json.loads(out.read_text())
    m = data["marks"]
    end = result["started"] + result["wall_s"]
    return {
        "wall_s": result["wall_s"],
        "startup_and_config_s": m["config"] - result["started"],
        "files_and_nav_s": m["nav"] - m["config"],
        "read_and_markdown_s": m["last_page_content"] - m["nav"],
        "markdown_convert_sum_s": data["sums"]["markdown"],
        "static_files_and_theme_templates_s": m["first_page_context"] - m["env"],
        "page_templates_s": m["last_post_page"] - m["first_page_context"],
        "page_template_sum_s": data["sums"]["template"],
        "anchors_and_post_build_s": m["post_build"] - m["last_post_page"],
        "exit_s": end - m["post_build"],
        "pages": data["pages"],
    }


def run_end_to_end(project: Path, tmp: Path, repeat: int) -> dict:
    runs = []
    for i in range(repeat):
        log = tmp / f"e2e-{i}.log"
        result = measure([PYTHON, "-m", "generator", "build", "--project", str(project), "--output",
                          str(tmp / f"e2e-site-{i}"), "--work-dir", str(tmp / f"e2e-work-{i}"), "--today", TODAY],
                         cwd=REPO, log=log)
        _check(result, "python -m generator build", log)
        runs.append(result)
        shutil.rmtree(tmp / f"e2e-site-{i}")
        shutil.rmtree(tmp / f"e2e-work-{i}")
    return summarise(runs)


def run_profile(work: Path, tmp: Path, site: str) -> dict:
    """cProfile of one mkdocs build; self time grouped by where the code lives, and the top functions."""
    prof = tmp / f"profile-{site}.prof"
    log = tmp / f"profile-{site}.log"
    cmd = [PYTHON, "-m", "cProfile", "-o", str(prof), "-m", "mkdocs", "build", "--strict", "--quiet",
           "-f", "mkdocs.yml", "-d", str(tmp / f"profile-out-{site}")]
    result = measure(cmd, cwd=work / site, env=MKDOCS_ENV, log=log)
    _check(result, f"profiled mkdocs build of {site}", log)
    return analyse_profile(prof, result["wall_s"])


def _bucket(filename: str, function: str) -> str:
    name = filename.replace("\\", "/")
    if name.endswith(".html") or "<template>" in name:
        return "jinja templates (Material theme: " + name.rsplit("/templates/", 1)[-1].rsplit("/theme/", 1)[-1] + ")"
    for key, label in (
        ("/material/plugins/search/", "search plugin (material)"),
        ("/material/plugins/tags/", "tags plugin (material)"),
        ("/pymdownx/", "pymdownx extensions"),
        ("/markdown/", "Python-Markdown"),
        ("/jinja2/", "jinja2 runtime"),
        ("/markupsafe/", "markupsafe"),
        ("/mkdocs/structure/", "mkdocs pages/nav/files"),
        ("/mkdocs/", "mkdocs other"),
        ("/yaml/", "PyYAML"),
        ("/babel/", "babel"),
        ("/pygments/", "pygments"),
        ("/html/", "stdlib html parser"),
        ("/xml/", "stdlib xml (etree)"),
        ("/re/", "stdlib re"),
        ("/json/", "stdlib json"),
        ("importlib", "imports"),
    ):
        if key in name:
            return label
    if name.startswith("~"):
        if "method 're." in function or "_sre" in function or "Pattern" in function:
            return "regex engine (C)"
        if "posix." in function or "io." in function or "open" in function or "write" in function:
            return "file I/O (C)"
        return "builtins (C)"
    return "other python"


def analyse_profile(prof: Path, wall_s: float) -> dict:
    stats = pstats.Stats(str(prof))
    entries = stats.stats  # {(file, line, func): (cc, nc, tt, ct, callers)}
    buckets: dict[str, float] = {}
    templates: dict[str, float] = {}
    total = 0.0
    for (filename, _line, function), (_cc, _nc, tottime, _ct, _callers) in entries.items():
        total += tottime
        bucket = _bucket(filename, function)
        buckets[bucket] = buckets.get(bucket, 0.0) + tottime
        if bucket.startswith("jinja templates"):
            templates[bucket] = templates.get(bucket, 0.0) + tottime
    jinja_total = sum(v for k, v in buckets.items() if k.startswith("jinja templates"))
    grouped = {k: v for k, v in buckets.items() if not k.startswith("jinja templates")}
    grouped["jinja templates (all)"] = jinja_total
    wanted_cumulative = {
        ("mkdocs/commands/build.py", "_populate_page"): "pages: read + Markdown (_populate_page)",
        ("mkdocs/commands/build.py", "_build_page"): "pages: template render + write (_build_page)",
        ("mkdocs/structure/pages.py", "render"): "Markdown conversion (Page.render)",
        ("mkdocs/structure/pages.py", "validate_anchor_links"): "anchor validation",
        ("mkdocs/commands/build.py", "_build_theme_template"): "theme templates (404, sitemap)",
        ("mkdocs/structure/files.py", "copy_static_files"): "copy static assets",
        ("material/plugins/search/plugin.py", "on_page_context"): "search: index pages",
        ("material/plugins/search/plugin.py", "on_post_build"): "search: write index",
        ("material/plugins/tags/plugin.py", "on_page_markdown"): "tags: on_page_markdown",
        ("material/plugins/tags/plugin.py", "on_page_context"): "tags: on_page_context",
        ("material/plugins/tags/plugin.py", "on_env"): "tags: on_env",
        ("mkdocs/config/base.py", "load_config"): "load config",
        ("mkdocs/structure/nav.py", "get_navigation"): "build navigation",
        ("jinja2/environment.py", "render"): "jinja render (all templates)",
    }
    cumulative = {}
    for (filename, _line, function), (_cc, _nc, _tt, cumtime, _callers) in entries.items():
        for (suffix, func), label in wanted_cumulative.items():
            if function == func and filename.replace("\\", "/").endswith(suffix):
                cumulative[label] = max(cumulative.get(label, 0.0), cumtime)
    top = sorted(entries.items(), key=lambda item: item[1][2], reverse=True)[:20]
    return {
        "profiled_wall_s": wall_s,
        "profiled_total_s": total,
        "self_time_by_area_s": dict(sorted(grouped.items(), key=lambda kv: -kv[1])),
        "self_time_by_template_s": dict(sorted(templates.items(), key=lambda kv: -kv[1])[:10]),
        "cumulative_s": dict(sorted(cumulative.items(), key=lambda kv: -kv[1])),
        "top_self_time": [
            {"function": f"{Path(f).name}:{line} {func}", "self_s": tt, "cumulative_s": ct, "calls": nc}
            for (f, line, func), (_cc, nc, tt, ct, _c) in top
        ],
    }


# --- config variants (measured, never written to shared files) ---------------------------------

TREES_SECTION = "What do I do if…"


def _index_only(entry):
    """A nav section reduced to its first item (its index page); pages stay built, just not listed."""
    if isinstance(entry, dict):
        (title, value), = entry.items()
        if isinstance(value, list):
            return {title: [_index_only(value[0])]}
    return entry


def _without(plugins: list, name: str) -> list:
    return [p for p in plugins if p != name and not (isinstance(p, dict) and name in p)]


def nav_variants(nav: list, plugins: list) -> dict[str, dict]:
    trees_out = [_index_only(e) if isinstance(e, dict) and TREES_SECTION in e else e for e in nav]
    flat = [_index_only(e) for e in nav]
    return {
        "trees listed on their index page only (not in nav)": {"nav": trees_out},
        "top-level nav only (sections show their index page)": {"nav": flat},
        "top-level nav only, no search plugin": {"nav": flat, "plugins": _without(plugins, "search")},
    }


def variants(base: dict, nav: list) -> dict[str, dict]:
    """Overrides of the base mkdocs.yml to try; each is merged over the generated config via INHERIT."""
    features = base["theme"]["features"]
    extensions = base["markdown_extensions"]
    no_auto_append = []
    for ext in extensions:
        if isinstance(ext, dict) and "pymdownx.snippets" in ext:
            options = {k: v for k, v in ext["pymdownx.snippets"].items() if k != "auto_append"}
            no_auto_append.append({"pymdownx.snippets": options})
        else:
            no_auto_append.append(ext)
    return {
        "baseline": {},
        "no tags plugin": {"plugins": _without(base["plugins"], "tags")},
        "no search plugin": {"plugins": _without(base["plugins"], "search")},
        "no navigation.sections": {"theme": {"features": [f for f in features if f != "navigation.sections"]}},
        "no abbreviations auto_append": {"markdown_extensions": no_auto_append},
        **nav_variants(nav, base["plugins"]),
    }


def run_variants(work: Path, tmp: Path, site: str, repeat: int) -> dict:
    import yaml

    base = yaml.safe_load((REPO / "generator" / "mkdocs.yml").read_text(encoding="utf-8"))
    generated = yaml.safe_load((work / site / "mkdocs.yml").read_text(encoding="utf-8"))
    results = {}
    for name, override in variants(base, generated["nav"]).items():
        override = dict(override)
        if "theme" in override:  # keep the generated theme keys (name, custom_dir)
            override["theme"] = {**generated["theme"], **override["theme"]}
        config = work / site / "bench-variant.yml"
        config.write_text(yaml.safe_dump({"INHERIT": "mkdocs.yml", **override}, sort_keys=False), encoding="utf-8")
        runs = []
        for i in range(repeat):
            dest = tmp / f"variant-{site}"
            log = tmp / f"variant-{site}.log"
            result = measure(mkdocs_cmd(dest, config.name), cwd=work / site, env=MKDOCS_ENV, log=log)
            if result["rc"] != 0:
                results[name] = {"failed": log.read_text(errors="replace")[-1500:]}
                break
            runs.append(result)
        else:
            stats = site_stats(dest)
            results[name] = {**summarise(runs), "html_bytes_avg": stats["html_bytes_avg"],
                             "html_pages": stats["html_pages"], "total_bytes": stats["total_bytes"]}
        shutil.rmtree(tmp / f"variant-{site}", ignore_errors=True)
        config.unlink()
    return results


# --- the extras --------------------------------------------------------------------------------

ALIAS_PROBE = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
t0 = time.perf_counter()
from generator.load.strict_yaml import load_yaml
from generator.load.diagnostics import DiagnosticError
t1 = time.perf_counter()
def hwm_mb():  # this process's own peak RSS (VmHWM is per address space, so exec resets it)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
rss_before = hwm_mb()
try:
    load_yaml(Path(sys.argv[2]), "bomb.yml")
    outcome = "accepted"
except DiagnosticError as error:
    outcome = str(error.diagnostics[0])
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_yaml_s": t2 - t1, "outcome": outcome,
                  "maxrss_before_mb": rss_before, "maxrss_after_mb": hwm_mb()}))
"""


def alias_bomb_files(tmp: Path) -> dict[str, Path]:
    """A classic 'billion laughs' (9 levels of 9 aliases: 387M strings if expanded) and the same
    bomb after ~500 KB of valid YAML (just under the loader's 512 KB limit), and a valid file
    of that size with no bomb, for comparison."""
    levels = ["a: &a [" + ", ".join(['"lol"'] * 9) + "]"]
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    bomb = "\n".join(levels) + "\n"
    filler_line = "k{0:06d}: some ordinary text that a policy might contain, written out in full\n"
    filler = ""
    i = 0
    while len(filler) < 500 * 1024:
        filler += filler_line.format(i)
        i += 1
    files = {
        "billion laughs at the top": bomb,
        "billion laughs after 500 KB": filler + bomb,
        "500 KB valid file (no bomb)": filler,
    }
    paths = {}
    for index, (name, text) in enumerate(files.items()):
        path = tmp / f"bomb-{index}.yml"
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths


def run_alias_bomb(tmp: Path, repeat: int) -> dict:
    results = {}
    for name, path in alias_bomb_files(tmp).items():
        runs, reports = [], []
        for i in range(repeat):
            log = tmp / f"bomb-{i}.log"
            result = measure([PYTHON, "-c", ALIAS_PROBE, str(REPO), str(path)], log=log)
            _check(result, "alias bomb probe", log)
            runs.append(result)
            reports.append(json.loads(log.read_text().strip().splitlines()[-1]))
        results[name] = {
            "file_bytes": path.stat().st_size,
            "outcome": reports[-1]["outcome"],
            "load_yaml_s": statistics.median(r["load_yaml_s"] for r in reports),
            "rss_before_load_yaml_mb": max(r["maxrss_before_mb"] for r in reports),
            "load_yaml_added_rss_mb": max(r["maxrss_after_mb"] - r["maxrss_before_mb"] for r in reports),
            "process_wall_s": summarise(runs)["wall_s"],
            "process_maxrss_mb": summarise(runs)["maxrss_mb"],
        }
    return results


def run_real_build(tmp: Path, repeat: int) -> dict:
    """`python -m generator build` (what `make build` runs after setup) on the real data."""
    runs = []
    for i in range(repeat):
        log = tmp / f"real-{i}.log"
        result = measure([PYTHON, "-m", "generator", "build", "--output", str(tmp / f"real-site-{i}"),
                          "--work-dir", str(tmp / f"real-work-{i}"), "--today", TODAY], cwd=REPO, log=log)
        _check(result, "python -m generator build on the real data", log)
        runs.append(result)
    stats = {site: site_stats(tmp / f"real-site-{repeat - 1}" / site) for site in SITES}
    return {**summarise(runs), "sites": stats}


# --- machine -----------------------------------------------------------------------------------

def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--", "generator"],
                                    cwd=REPO, capture_output=True, text=True).stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        sha, dirty = "unknown", False
    return {
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu_model": cpu,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": {name: version(name) for name in ("mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions",
                                                      "Jinja2", "pydantic", "PyYAML")},
        "git_commit": sha,
        "uncommitted_changes_in_generator_or_theme": dirty,
    }


# --- one size ------------------------------------------------------------------------------------

def bench_size(size: int, tmp: Path, repeat: int, phases: bool, end_to_end: bool = True) -> dict:
    load_before = os.getloadavg()
    root = tmp / f"x{size}"
    project = root / "project"
    info = make_corpus(REPO, project, size)
    print(f"[{size}x] corpus: {info.policies} policies, {info.trees} trees ({info.tree_source})", file=sys.stderr)
    gen, gen_report, work = run_generator(project, root, repeat)
    print(f"[{size}x] generator {gen['wall_s']:.2f}s", file=sys.stderr)
    sites = {}
    for site in SITES:
        mk, out = run_mkdocs(work, root, site, repeat)
        stats = site_stats(out)
        entry = {"mkdocs": mk, **stats, "ms_per_page": 1000 * mk["wall_s"] / max(stats["html_pages"], 1)}
        if phases:
            entry["phases"] = run_phases(work, root, site)
        sites[site] = entry
        print(f"[{size}x] mkdocs {site}: {mk['wall_s']:.2f}s, {stats['html_pages']} pages, "
              f"{mk['maxrss_mb']:.0f} MB", file=sys.stderr)
    e2e = run_end_to_end(project, root, repeat) if end_to_end else None
    if e2e:
        print(f"[{size}x] python -m generator build: {e2e['wall_s']:.2f}s", file=sys.stderr)
    pages = sum(s["html_pages"] for s in sites.values())
    sequential = gen["wall_s"] + sum(s["mkdocs"]["wall_s"] for s in sites.values())
    return {
        "size": size,
        "corpus": info.as_dict(),
        "markdown_pages": gen_report["markdown_pages"],
        "generator": gen,
        "sites": sites,
        "end_to_end": e2e,
        "html_pages": pages,
        "sequential_total_s": sequential,
        "generator_share_of_sequential": gen["wall_s"] / sequential,
        "generator_share_of_end_to_end": gen["wall_s"] / e2e["wall_s"] if e2e else None,
        "ms_per_page_sequential": 1000 * sequential / pages,
        "ms_per_page_end_to_end": 1000 * e2e["wall_s"] / pages if e2e else None,
        "loadavg_1_5_15_before": load_before,
        "loadavg_1_5_15_after": os.getloadavg(),
    }


# --- the report --------------------------------------------------------------------------------

def table(results: dict) -> str:
    head = ("| size | policies | trees | pages (staff+parents) | generator s | mkdocs staff s (CPU s) "
            "| mkdocs parents s (CPU s) | `generator build` s | gen share | ms/page | peak RSS MB (gen / staff / parents) "
            "| HTML KB/page (avg, gzip) | output MB |")
    rows = [head, "|" + "|".join(["---"] * (head.count("|") - 1)) + "|"]
    for r in results["sizes"]:
        s, p = r["sites"]["staff"], r["sites"]["parents"]
        pages = s["html_pages"] + p["html_pages"]
        html_avg = (s["html_bytes"] + p["html_bytes"]) / pages / 1024
        gz_avg = (s["html_gzip_avg"] * s["html_pages"] + p["html_gzip_avg"] * p["html_pages"]) / pages / 1024
        rows.append(
            f"| {r['size']}× | {r['corpus']['policies']} | {r['corpus']['trees']} | {pages} "
            f"({s['html_pages']}+{p['html_pages']}) | {r['generator']['wall_s']:.2f} "
            f"| {s['mkdocs']['wall_s']:.2f} ({s['mkdocs']['cpu_s']:.2f}) "
            f"| {p['mkdocs']['wall_s']:.2f} ({p['mkdocs']['cpu_s']:.2f}) | {r['end_to_end']['wall_s'] if r['end_to_end'] else float('nan'):.2f} "
            f"| {100 * r['generator_share_of_sequential']:.1f}% | {r['ms_per_page_sequential']:.1f} "
            f"| {r['generator']['maxrss_mb']:.0f} / {s['mkdocs']['maxrss_mb']:.0f} / {p['mkdocs']['maxrss_mb']:.0f} "
            f"| {html_avg:.1f}, {gz_avg:.1f} | {(s['total_bytes'] + p['total_bytes']) / 1e6:.1f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=None, help="comma-separated multiples of the real data (default 1,10,100)")
    parser.add_argument("--repeat", type=int, default=None, help="runs of each measurement; the median is kept "
                                                                 "(default 3, 1 with --quick)")
    parser.add_argument("--repeat-large", type=int, default=1,
                        help="runs of each measurement at sizes of 50x and more (default 1: a run takes minutes)")
    parser.add_argument("--quick", action="store_true", help="sizes 1,10, one run each, no profile or extras")
    parser.add_argument("--profile", action=argparse.BooleanOptionalAction, default=None,
                        help="cProfile the largest size's staff build (default: on unless --quick)")
    parser.add_argument("--variants", action="store_true", help="also time config variants at the largest size")
    parser.add_argument("--no-extras", action="store_true", help="skip the alias bomb and the real-data build")
    parser.add_argument("--no-phases", action="store_true", help="skip the extra mkdocs builds timing phases")
    parser.add_argument("--no-end-to-end", action="store_true", help="skip `python -m generator build` per size")
    parser.add_argument("--results-dir", type=Path, default=RESULTS)
    parser.add_argument("--tag", help="write build-<date>-<tag>.json and leave latest.json alone")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects and sites")
    args = parser.parse_args(argv)

    sizes = [int(s) for s in (args.sizes or ("1,10" if args.quick else "1,10,100")).split(",")]
    repeat = args.repeat or (1 if args.quick else 3)
    profile = args.profile if args.profile is not None else not args.quick
    extras = not (args.no_extras or args.quick)
    command = "python bench/run.py sizes " + " ".join(argv if argv is not None else sys.argv[1:])

    tmp = Path(tempfile.mkdtemp(prefix="policy-bench-"))
    started = time.time()
    try:
        results: dict = {
            "date": dt.date.today().isoformat(),
            "command": command.strip(),
            "machine": machine(),
            "repeat": repeat,
            "today_for_reviews": TODAY,
            "targets": TARGETS,
            "sizes": [],
        }
        for size in sizes:
            runs = repeat if size < 50 else min(repeat, args.repeat_large)
            results["sizes"].append(bench_size(size, tmp, runs, phases=not args.no_phases,
                                               end_to_end=not args.no_end_to_end))
        largest = tmp / f"x{max(sizes)}"
        largest_runs = results["sizes"][sizes.index(max(sizes))]["generator"]["runs"]
        if profile:
            print("profiling the largest staff build…", file=sys.stderr)
            results["profile"] = {"size": max(sizes), "site": "staff",
                                  **run_profile(largest / f"gen-work-{largest_runs - 1}", largest, "staff")}
        if args.variants:
            print("timing config variants…", file=sys.stderr)
            results["variants"] = {"size": max(sizes), "site": "staff",
                                   "results": run_variants(largest / f"gen-work-{largest_runs - 1}", largest, "staff",
                                                           1)}
        if extras:
            print("alias bomb and real-data build…", file=sys.stderr)
            extra = tmp / "extras"
            extra.mkdir()
            results["alias_bomb"] = run_alias_bomb(extra, repeat)
            try:
                results["real_build"] = run_real_build(extra, repeat)
            except BenchError as error:  # the real data is being edited while we measure
                results["real_build"] = {"failed": str(error)[-1500:]}
                print(f"real-data build failed: {error}", file=sys.stderr)
        results["bench_wall_s"] = time.time() - started
        results["table"] = table(results)
        print(results["table"])
        args.results_dir.mkdir(parents=True, exist_ok=True)
        suffix = f"-{args.tag}" if args.tag else ("-quick" if args.quick else "")
        name = f"build-{results['date']}{suffix}.json"
        text = json.dumps(results, indent=2) + "\n"
        (args.results_dir / name).write_text(text, encoding="utf-8")
        if not (args.quick or args.tag):
            (args.results_dir / "latest.json").write_text(text, encoding="utf-8")
        print(f"wrote {args.results_dir / name}", file=sys.stderr)
    except BenchError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
