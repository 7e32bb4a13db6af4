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

    .venv/bin/python scripts/lighthouse.py [SITES_DIR] [--output FILE] [--site staff|parents]

Lighthouse is the project's only Node.js tool, and no test needs it. To measure, install Node.js
22.19 or later (Lighthouse 13's minimum: newer than Debian 12's nodejs 18 and Debian 13's 20, so
from nodejs.org or NodeSource's packages) and run `npm ci` once in the repository: it installs the
version pinned in package-lock.json into node_modules/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import io
import json
import os
import subprocess
import sys
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", nargs="?", default=str(REPO / "site"), help="folder holding staff/ and parents/ (default: site/)")
    parser.add_argument("--output", default=str(REPO / "bench" / "results" / "lighthouse.json"))
    parser.add_argument("--site", choices=["staff", "parents"], action="append", help="only this site (repeatable)")
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
    for site in args.site or ["staff", "parents"]:
        site_dir = sites_dir / site
        if not (site_dir / "index.html").is_file():
            print(f"{site_dir} has no built site: run `make build` first", file=sys.stderr)
            return 2
        with serve(site_dir) as base:
            for name, path in page_urls(site_dir).items():
                report = run_lighthouse(base + path)
                version = report.get("lighthouseVersion", version)
                outside = sorted({item["url"] for item in report["audits"].get("network-requests", {})
                                  .get("details", {}).get("items", [])
                                  if not item.get("url", "").startswith(("http://127.0.0.1", "data:", "blob:"))})
                scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
                # What cost points: every scored audit of the four categories that did not pass.
                audits = report["audits"]
                below = sorted({ref["id"] for c in CATEGORIES for ref in report["categories"][c]["auditRefs"]
                                if ref.get("weight", 0) > 0 and audits[ref["id"]].get("score") is not None
                                and audits[ref["id"]]["score"] < 1})
                rows.append({"site": site, "page": name, "path": "/" + path, **scores,
                             "audits_below_full_marks": below, "outside_requests": outside})

    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps({
        "measured": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "lighthouse": version,
        "chromium": subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip(),
        "settings": "Lighthouse defaults (mobile, simulated throttling)",
        "pages": rows,
    }, indent=2) + "\n", encoding="utf-8")

    print("| Site | Page | Path | Performance | Accessibility | Best practices | SEO |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(f"| {row['site']} | {row['page']} | `{row['path']}` | {row['performance']} | {row['accessibility']} "
              f"| {row['best-practices']} | {row['seo']} |")
    leaks = [(row["site"], row["page"], url) for row in rows for url in row["outside_requests"]]
    if leaks:
        print("\nRequests to other hosts:", *leaks, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
