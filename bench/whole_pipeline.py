"""The `whole-pipeline` scenario of bench/run.py (issue 30, item 3): `python -m generator build` end to end (load,
check, render, PDFs, both sites' mkdocs, steps, search entries, gate, leak check) beside plain Material building the
same staff pages alone, in the same run, and the time per page at each size:

    nice -n 5 .venv/bin/python bench/run.py whole-pipeline --sizes 1,10,55 [--real-pdfs] [--tracemalloc]

* ours: a first build of the N-times project (bench/corpus.py) into an empty output and work folder, in a fresh
  process measured by bench/sizes.py's wrapper (CPU of the process and its mkdocs children, peak RSS of the largest);
* plain Material: bench/anchors.py's config (Material's own templates, `navigation.prune`, the guides' steps inlined
  in their Markdown) on the staff pages that build wrote, one `mkdocs build`;
* peak RSS: the largest process of the build (the generator or one of its mkdocs children, ``maxrss_mb``) and the
  generator's own process (``generator_process_maxrss_mb``, its VmHWM);
* per page: our CPU over the HTML pages of both built sites.

The PDFs are stubbed unless ``--real-pdfs``: every policy's document is "printed" as one small PDF made once, as
BENCHMARKS.md's build-55x figures were (printing them all with WeasyPrint takes about ten minutes of CPU at 55x on
this machine, and a real build prints only the documents whose HTML changed). ``--tracemalloc`` runs the build once
more with tracemalloc on and reports the largest allocation sites at the moment the traced memory was highest
among the pipeline's stage boundaries (its CPU figure is not comparable).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from anchors import plain_material_config  # noqa: E402
from corpus import make_corpus  # noqa: E402
from sizes import MKDOCS_ENV, PYTHON, TODAY, measure, mkdocs_cmd  # noqa: E402

STUB_SOURCE = "<html><body><p>A policy document (benchmark stub).</p></body></html>"

# Runs `python -m generator build ARGS` with the PDFs stubbed; with TRACE set, also tracemalloc at the stage ends.
BUILD = r"""
import os, runpy, sys
repo, stub_file, trace_out, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
sys.path.insert(0, repo)
import atexit
def own_peak():  # this process's own peak RSS (VmHWM), without its mkdocs children's
    hwm = [line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")][0]
    open(os.environ["BENCH_HWM_OUT"], "w").write(hwm)
atexit.register(own_peak)
if trace_out != "-":
    import tracemalloc
    tracemalloc.start(12)
if stub_file != "-":
    import generator.build.pdf as pdf
    stub = open(stub_file, "rb").read()
    pdf.html_to_pdf = lambda html, log=None: stub
if trace_out != "-":
    import json, functools
    import generator.pipeline as pipeline, generator.build.mkdocs_build as mkdocs_build
    best = {"traced": 0}
    def snap(where):
        current, peak = tracemalloc.get_traced_memory()
        if current > best["traced"]:
            stats = tracemalloc.take_snapshot().statistics("traceback")[:15]
            best.update(traced=current, where=where, top=[
                {"mb": s.size / 1e6, "count": s.count,
                 "where": [f"{f.filename.replace(repo + '/', '')}:{f.lineno}" for f in s.traceback[-6:]]}
                for s in stats])
    def wrap(module, name, before=False):
        original = getattr(module, name)
        @functools.wraps(original)
        def wrapped(*a, **k):
            if before:
                snap(f"{name} (start)")
            result = original(*a, **k)
            snap(f"{name} (end)")
            return result
        setattr(module, name, wrapped)
    wrap(pipeline, "render_project")
    wrap(pipeline, "attach_pdfs")
    wrap(mkdocs_build, "write_sources")
    wrap(mkdocs_build, "finish_site")
    wrap(mkdocs_build, "write_version")
    import generator.build.leaks as leaks
    wrap(leaks, "site_text")
    wrap(pipeline, "leak_diagnostics", before=True)
    import atexit
    def report():
        best["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        best["traced"] = best["traced"] / 1e6
        open(trace_out, "w").write(json.dumps(best, indent=1))
    atexit.register(report)
sys.argv = ["generator", *args]
runpy.run_module("generator", run_name="__main__", alter_sys=True)
"""


def stub_pdf(tmp: Path) -> Path:
    """One small real PDF (the leak check reads every PDF's text), printed once."""
    path = tmp / "stub.pdf"
    subprocess.run([PYTHON, "-c", "import sys; from generator.build.pdf import html_to_pdf; "
                    "open(sys.argv[1], 'wb').write(html_to_pdf(sys.argv[2]))", str(path), STUB_SOURCE],
                   cwd=REPO, check=True)
    return path


def run_build(repo: Path, project: Path, out: Path, work: Path, stub: Path | None, log: Path,
              trace: Path | None = None) -> dict:
    cmd = [PYTHON, "-c", BUILD, str(repo), str(stub) if stub else "-", str(trace) if trace else "-",
           "build", "--project", str(project), "--output", str(out), "--work-dir", str(work), "--today", TODAY]
    hwm = log.with_suffix(".hwm")
    result = measure(cmd, cwd=repo, env={**os.environ, "BENCH_HWM_OUT": str(hwm)}, log=log)
    if result["rc"] != 0:
        raise SystemExit(f"the build failed:\n{log.read_text(errors='replace')[-3000:]}")
    # maxrss_mb: the largest of the build and its mkdocs children; the build's own process apart:
    return {**result, "generator_process_maxrss_mb": int(hwm.read_text()) / 1024}


def html_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html"))


def bench_size(size: int, tmp: Path, repo: Path, stub: Path | None, trace: bool) -> dict:
    load_before = os.getloadavg()
    root = tmp / f"x{size}"
    project = root / "project"
    make_corpus(REPO, project, size)
    ours = run_build(repo, project, root / "out", root / "work", stub, root / "build.log")
    pages = {site: html_pages(root / "out" / site) for site in ("staff", "parents")}
    site = root / "work" / "staff"
    plain_config = plain_material_config(site)
    plain = measure(mkdocs_cmd(root / "plain", plain_config.name), cwd=site, env=MKDOCS_ENV, log=root / "plain.log")
    if plain["rc"] != 0:
        raise SystemExit(f"plain Material failed:\n{(root / 'plain.log').read_text(errors='replace')[-3000:]}")
    entry = {
        "size": size,
        "ours": ours,
        "plain_material_staff": {**plain, "html_pages": html_pages(root / "plain")},
        "html_pages": pages,
        "ratio_cpu": ours["cpu_s"] / plain["cpu_s"],
        "ours_cpu_ms_per_page": 1000 * ours["cpu_s"] / sum(pages.values()),
        "plain_cpu_ms_per_page": 1000 * plain["cpu_s"] / html_pages(root / "plain"),
        "loadavg_before": load_before,
        "loadavg_after": os.getloadavg(),
    }
    if trace:
        shutil.rmtree(root / "out")
        shutil.rmtree(root / "work")
        report = root / "trace.json"
        traced = run_build(repo, project, root / "out", root / "work", stub, root / "trace.log", report)
        entry["tracemalloc"] = {"maxrss_mb": traced["maxrss_mb"], **json.loads(report.read_text())}
    print(f"[{size}x] ours {ours['cpu_s']:.1f} s CPU, {ours['maxrss_mb']:.0f} MB; plain Material (staff) "
          f"{plain['cpu_s']:.1f} s; ratio {entry['ratio_cpu']:.2f}; {entry['ours_cpu_ms_per_page']:.1f} ms/page",
          file=sys.stderr)
    shutil.rmtree(root, ignore_errors=True)
    return entry


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10")
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout whose generator is measured")
    parser.add_argument("--real-pdfs", action="store_true", help="print every PDF with WeasyPrint (slow)")
    parser.add_argument("--tracemalloc", action="store_true", help="one more build per size, traced")
    parser.add_argument("--write", type=Path, help="also write the JSON here")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-whole-"))
    try:
        stub = None if args.real_pdfs else stub_pdf(tmp)
        results = {"command": "bench/run.py whole-pipeline " + " ".join(sys.argv[1:]),
                   "repo": str(args.repo.resolve()), "pdfs": "real" if args.real_pdfs else "stubbed",
                   "sizes": [bench_size(int(size), tmp, args.repo.resolve(), stub, args.tracemalloc)
                             for size in args.sizes.split(",")]}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    text = json.dumps(results, indent=2)
    print(text)
    if args.write:
        args.write.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
