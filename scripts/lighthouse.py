#!/usr/bin/env python3
"""Lighthouse scores for the built sites (issue 4). Not a test: a measurement to watch.

Builds nothing. Serves each built site (default: site/staff and site/parents, as `make build`
writes them) on 127.0.0.1, runs Lighthouse from node_modules (optional: `npm ci`, see below) with
Debian's Chromium against the home page, a policy page and a decision-tree page of each site,
writes the four category scores per page to bench/results/lighthouse.json and prints a Markdown
table.

Nothing leaves the machine: the pages are local, Chromium's background services (updates,
sync, metrics, safe browsing lists) are switched off, its DNS resolver answers "not found" for
every host but 127.0.0.1, and Lighthouse's error reporting is off. Text files are served gzipped, as the
nginx set-up in PUBLISHING.md serves them. Throttling is simulated
(Lighthouse's default), so no network conditions are needed.

    .venv/bin/python scripts/lighthouse.py [SITES_DIR] [--output FILE] [--site staff|parents] [--runs N]
        [--plain-material [--work-dir build]] [--without-material-script]

A run's performance score moves by a point or two with the machine's load, so `--runs N` measures
each page N times and reports medians (and each run). The comparisons run page for page beside ours,
so they share the machine's load: `--plain-material` builds the same generated pages with Material's
own templates (bench/anchors.py's plain Material, from the generator's work folder, left untouched)
and `--without-material-script` measures our pages with Material's bundle left out, which is what
that one script costs the score.

Lighthouse is the project's only Node.js tool, and no test needs it. To measure, install Node.js
22.19 or later (Lighthouse 13's minimum: newer than Debian 12's nodejs 18 and Debian 13's 20, so
from nodejs.org or NodeSource's packages) and run `npm ci` once in the repository: it installs the
version pinned in package-lock.json into node_modules/.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from site_server import SiteHandler, serve_directory

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--metrics-recording-only",
    # Belt and braces: no host but the local server can even be looked up.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


_COMPRESSED = {".html", ".css", ".js", ".json", ".svg"}


class _GzipHandler(SiteHandler):
    def send_head(self):
        """Text files gzipped, as the nginx set-up in PUBLISHING.md serves them (gzip on)."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.is_file() and path.suffix in _COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(path.read_bytes())
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()


def serve(directory: Path):
    return serve_directory(directory, _GzipHandler)


def page_urls(site_dir: Path) -> dict[str, str]:
    """home, the first policy page and the first decision tree: name -> URL path."""
    def under(prefix: str) -> list[str]:
        found = sorted(p.parent.relative_to(site_dir).as_posix() + "/" for p in (site_dir / prefix).glob("*/index.html"))
        return [p for p in found if p != prefix]

    pages = {"home": ""}
    if policies := under("policies/"):
        pages["policy"] = policies[0]
    if trees := under("what-to-do/"):
        pages["tree"] = trees[0]
    return pages


def run_lighthouse(url: str) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=" + " ".join(CHROME_FLAGS),
        "--no-enable-error-reporting",
        "--max-wait-for-load=60000",
    ]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not result.stdout.strip():
        raise RuntimeError(f"lighthouse failed on {url} (exit {result.returncode}):\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


PLAIN_MATERIAL = "plain Material"
WITHOUT_SCRIPT = "without Material's script"
METRICS = {"first-contentful-paint": "fcp_ms", "largest-contentful-paint": "lcp_ms", "speed-index": "si_ms",
           "total-blocking-time": "tbt_ms", "cumulative-layout-shift": "cls"}
_MATERIAL_BUNDLE = re.compile(r'<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"[^>]*></script>')


def measure(report: dict) -> dict:
    """One Lighthouse report: the four category scores, the performance metrics, what cost points, and the
    requests to other hosts (there must be none)."""
    audits = report["audits"]
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    metrics = {key: round(audits[audit]["numericValue"], 3 if key == "cls" else 0) for audit, key in METRICS.items()}
    # What cost points: every scored audit of the four categories that did not pass.
    below = sorted({ref["id"] for c in CATEGORIES for ref in report["categories"][c]["auditRefs"]
                    if ref.get("weight", 0) > 0 and audits[ref["id"]].get("score") is not None
                    and audits[ref["id"]]["score"] < 1})
    outside = sorted({item["url"] for item in audits.get("network-requests", {}).get("details", {}).get("items", [])
                      if not item.get("url", "").startswith(("http://127.0.0.1", "data:", "blob:"))})
    return {**scores, "metrics": metrics, "audits_below_full_marks": below, "outside_requests": outside}


def summarise(runs: list[dict]) -> dict:
    """Several runs of one page: the median of each score and metric (a run's performance moves by a point or
    two with the machine's load), each run's performance, and what any run found."""
    median = statistics.median
    return {
        **{c: round(median([r[c] for r in runs])) for c in CATEGORIES},
        "performance_runs": [r["performance"] for r in runs],
        "metrics_median": {key: median([r["metrics"][key] for r in runs]) for key in METRICS.values()},
        "audits_below_full_marks": sorted({a for r in runs for a in r["audits_below_full_marks"]}),
        "outside_requests": sorted({u for r in runs for u in r["outside_requests"]}),
    }


def plain_material_site(work_site: Path, destination: Path) -> Path:
    """The same generated pages built by Material's own templates (bench/anchors.py's plain Material: no theme
    overrides, no extra CSS or JavaScript, the guides' steps in their Markdown), from a copy of the generator's
    work folder for the site, so the build's own folder is left as it is."""
    if str(REPO / "bench") not in sys.path:
        sys.path.insert(0, str(REPO / "bench"))
    from anchors import plain_material_config
    from sizes import MKDOCS_ENV, mkdocs_cmd

    source = destination.parent / f"{destination.name}-source"
    shutil.copytree(work_site, source, ignore=shutil.ignore_patterns("site", "docs-inlined"))
    config = plain_material_config(source)
    subprocess.run(mkdocs_cmd(destination, config.name), cwd=source, env=MKDOCS_ENV, check=True,
                   capture_output=True)
    return destination


def without_material_script(site_dir: Path, destination: Path, paths: list[str]) -> Path:
    """A copy of the built site whose measured pages do not load Material's bundle (everything else as built):
    what that one script costs the performance score."""
    shutil.copytree(site_dir, destination)
    for path in paths:
        page = destination / path / "index.html"
        html = page.read_text(encoding="utf-8")
        stripped = _MATERIAL_BUNDLE.sub("", html)
        if stripped == html:
            raise SystemExit(f"{page}: no Material bundle <script> found to leave out")
        page.write_text(stripped, encoding="utf-8")
    return destination


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", nargs="?", default=str(REPO / "site"), help="folder holding staff/ and parents/ (default: site/)")
    parser.add_argument("--output", default=str(REPO / "bench" / "results" / "lighthouse.json"))
    parser.add_argument("--site", choices=["staff", "parents"], action="append", help="only this site (repeatable)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each page (the table gives medians)")
    parser.add_argument("--plain-material", action="store_true",
                        help="also measure the same pages built by plain Material, run for run beside ours")
    parser.add_argument("--without-material-script", action="store_true",
                        help="also measure our pages with Material's bundle left out, run for run beside ours")
    parser.add_argument("--work-dir", default=str(REPO / "build"),
                        help="the generator's work folder the sites were built from (for --plain-material)")
    args = parser.parse_args(argv)

    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing. Lighthouse is optional (no test needs it) and needs Node.js\n"
              "22.19 or later, newer than Debian's own: install it from nodejs.org or NodeSource, then run\n"
              "`npm ci` in the repository, which installs the Lighthouse pinned in package-lock.json.",
              file=sys.stderr)
        return 2
    sites_dir = Path(args.sites).resolve()
    rows = []
    version = None
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as scratch:
        for site in args.site or ["staff", "parents"]:
            site_dir = sites_dir / site
            if not (site_dir / "index.html").is_file():
                print(f"{site_dir} has no built site: run `make build` first", file=sys.stderr)
                return 2
            pages = page_urls(site_dir)
            variants = {"ours": site_dir}
            if args.plain_material:
                work_site = Path(args.work_dir).resolve() / site
                if not (work_site / "mkdocs.yml").is_file():
                    print(f"{work_site} holds no generated site: build first (--work-dir)", file=sys.stderr)
                    return 2
                variants[PLAIN_MATERIAL] = plain_material_site(work_site, Path(scratch) / f"{site}-plain")
            if args.without_material_script:
                variants[WITHOUT_SCRIPT] = without_material_script(site_dir, Path(scratch) / f"{site}-without-script",
                                                                   list(pages.values()))
            with contextlib.ExitStack() as stack:
                bases = {name: stack.enter_context(serve(directory)) for name, directory in variants.items()}
                runs: dict[tuple[str, str], list[dict]] = {}
                # Run for run, each page of each variant in turn: they share the machine's load.
                for _ in range(args.runs):
                    for name, path in pages.items():
                        for variant, base in bases.items():
                            report = run_lighthouse(base + path)
                            version = report.get("lighthouseVersion", version)
                            runs.setdefault((name, variant), []).append(measure(report))
            for (name, variant), measured in runs.items():
                rows.append({"site": site, "page": name, "path": "/" + pages[name], "variant": variant,
                             **summarise(measured)})

    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps({
        "measured": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "lighthouse": version,
        "chromium": subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip(),
        "settings": "Lighthouse defaults (mobile, simulated throttling)",
        "runs": args.runs,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "pages": rows,
    }, indent=2) + "\n", encoding="utf-8")

    print("| Site | Page | Built by | Performance (runs) | LCP ms | TBT ms | Accessibility | Best practices | SEO |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        runs_text = ", ".join(map(str, row["performance_runs"]))
        metrics = row["metrics_median"]
        print(f"| {row['site']} | {row['page']} (`{row['path']}`) | {row['variant']} | {row['performance']} ({runs_text}) "
              f"| {metrics['lcp_ms']:.0f} | {metrics['tbt_ms']:.0f} | {row['accessibility']} | {row['best-practices']} "
              f"| {row['seo']} |")
    leaks = [(row["site"], row["page"], row["variant"], url) for row in rows for url in row["outside_requests"]]
    if leaks:
        print("\nRequests to other hosts:", *leaks, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
