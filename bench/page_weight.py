"""Page-weight audit of the real sites (issue 7, part 2).

    .venv/bin/python bench/page_weight.py [--sites DIR] [--results-dir bench/results]

Builds both sites from the real data (`python -m generator build --output TMP`; or audits the
built sites in --sites DIR) and, for the home page, a policy page and the largest tree page of
each site, reports:

* HTML bytes, raw and gzip (-6, what `gzip` and most servers' defaults give);
* the JS/CSS/other assets each page references, split into *shared* (referenced by every HTML
  page of the site, so cached after the first page) and *page-specific* (the rest), gzip;
* "own bytes" = HTML gzip + page-specific assets gzip: what the page costs once the shared
  assets are cached;
* requests on a first load and on a second, cached load in Chromium (Playwright driving Debian's
  /usr/bin/chromium), counted by the local server itself, under two caching policies (the
  web server's choice, so both are shown):
    - ``revalidate``: every response ``Cache-Control: no-cache`` + ``ETag`` + ``Last-Modified``,
      so a second load revalidates every file (304s);
    - ``max-age``: fingerprinted Material bundles (``*.<hash>.min.js/css``) ``max-age=31536000,
      immutable``; other static files (site.css, tree.js, images) ``max-age=300``; HTML and the
      search index ``no-cache`` + ``ETag``;
  responses are gzipped when the browser asks, as nginx with ``gzip on`` would;
* requests while stepping through the largest tree by clicking its answer links (target: 0).

Writes bench/results/page-weight-<date>.json and page-weight-latest.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import gzip
import hashlib
import http.server
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "results"
TODAY = "2024-10-01"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SITES = ("staff", "parents")
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8,}\.min\.(js|css)$")
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".webmanifest", ".map")
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
                 ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png",
                 ".ico": "image/x-icon", ".xml": "application/xml", ".woff2": "font/woff2",
                 ".webmanifest": "application/manifest+json", ".txt": "text/plain"}


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


# --- static analysis -------------------------------------------------------------------------

class _Refs(HTMLParser):
    """Sub-resources a page loads by itself: scripts, stylesheets, icons, images, manifests."""

    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.refs.append(("js", a["src"]))
        elif tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").lower()
            if "stylesheet" in rel:
                self.refs.append(("css", a["href"]))
            elif rel in {"icon", "shortcut icon", "manifest", "preload", "modulepreload", "apple-touch-icon"}:
                self.refs.append(("other", a["href"]))
        elif tag in {"img", "source"} and a.get("src"):
            self.refs.append(("other", a["src"]))


def page_refs(site: Path, html_path: Path) -> dict[str, str]:
    """{site-relative file path: kind} of the local files the page references."""
    parser = _Refs()
    parser.feed(html_path.read_text(encoding="utf-8"))
    base = "http://site/" + html_path.relative_to(site).as_posix()
    refs = {}
    for kind, ref in parser.refs:
        url = urlsplit(urljoin(base, ref))
        if url.netloc != "site":
            continue
        path = unquote(url.path).lstrip("/")
        if (site / path).is_file():
            refs[path] = kind
    return refs


def site_assets(site: Path) -> tuple[dict[str, str], int]:
    """Assets referenced by every HTML page of the site (the shared set), and the page count."""
    pages = sorted(site.rglob("*.html"))
    shared: dict[str, str] | None = None
    for page in pages:
        refs = page_refs(site, page)
        shared = dict(refs) if shared is None else {p: k for p, k in shared.items() if p in refs}
    return shared or {}, len(pages)


def choose_pages(site: Path) -> dict[str, str]:
    """home, a policy page (the largest under policies/<id>/) and the largest tree page."""
    chosen = {"home": "index.html"}
    policies = [p for p in site.glob("policies/*/**/index.html")]
    if policies:
        chosen["policy"] = max(policies, key=lambda p: p.stat().st_size).relative_to(site).as_posix()
    trees = list(site.glob("what-to-do/*/index.html"))
    if trees:
        chosen["largest tree"] = max(trees, key=lambda p: p.stat().st_size).relative_to(site).as_posix()
    return chosen


def static_weight(site: Path, page: str, shared: dict[str, str]) -> dict:
    html = (site / page).read_bytes()
    refs = page_refs(site, site / page)
    own = {p: k for p, k in refs.items() if p not in shared}

    def sizes(files: dict[str, str]) -> dict:
        out = {}
        for path, kind in sorted(files.items()):
            data = (site / path).read_bytes()
            out[path] = {"kind": kind, "bytes": len(data), "gzip": gz(data)}
        return out

    own_sizes = sizes(own)
    html_gzip = gz(html)
    return {
        "path": page,
        "html_bytes": len(html),
        "html_gzip": html_gzip,
        "page_specific_assets": own_sizes,
        "page_specific_gzip": sum(v["gzip"] for v in own_sizes.values()),
        "own_gzip": html_gzip + sum(v["gzip"] for v in own_sizes.values()),
        "inline_script_bytes": sum(len(m) for m in re.findall(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html,
                                                             re.S)),
        "inline_svg_bytes": sum(len(m) for m in re.findall(rb"<svg.*?</svg>", html, re.S)),
    }


# --- a local server that caches like a real one -------------------------------------------------

class _Log:
    def __init__(self):
        self.lock = threading.Lock()
        self.entries: list[dict] = []

    def add(self, **entry):
        with self.lock:
            self.entries.append(entry)

    def mark(self) -> int:
        with self.lock:
            return len(self.entries)

    def since(self, mark: int) -> list[dict]:
        with self.lock:
            return list(self.entries[mark:])


def make_handler(root: Path, policy: str, log: _Log):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 - http.server's name
            path = unquote(urlsplit(self.path).path).lstrip("/")
            target = (root / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            if root.resolve() not in target.parents or not target.is_file():
                body = b"not found"
                self.send_response(404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                log.add(path=self.path, status=404, bytes=len(body))
                return
            data = target.read_bytes()
            etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
            cache = self.cache_control(target)
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Cache-Control", cache)
                self.end_headers()
                log.add(path=self.path, status=304, bytes=0)
                return
            encoding = None
            if target.suffix in COMPRESSIBLE and "gzip" in (self.headers.get("Accept-Encoding") or ""):
                data, encoding = gzip.compress(data, compresslevel=6), "gzip"
            self.send_response(200)
            self.send_header("Content-Type", CONTENT_TYPES.get(target.suffix, "application/octet-stream"))
            self.send_header("Content-Length", str(len(data)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", email.utils.formatdate(target.stat().st_mtime, usegmt=True))
            self.send_header("Cache-Control", cache)
            if encoding:
                self.send_header("Content-Encoding", encoding)
                self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            self.wfile.write(data)
            log.add(path=self.path, status=200, bytes=len(data))

        def cache_control(self, target: Path) -> str:
            if policy == "revalidate":
                return "no-cache"
            if FINGERPRINTED.search(target.name):
                return "public, max-age=31536000, immutable"
            if target.suffix in {".html", ".json", ".xml"}:
                return "no-cache"
            return "public, max-age=300"

    return Handler


class Server:
    def __init__(self, root: Path, policy: str):
        self.log = _Log()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(root, policy, self.log))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"


# --- the browser -----------------------------------------------------------------------------

def settle(page, quiet_ms: int = 700) -> None:
    page.wait_for_load_state("load")
    try:
        page.wait_for_load_state("networkidle", timeout=10_000)
    except Exception:  # noqa: BLE001 - a page that never idles is reported by its counts
        pass
    page.wait_for_timeout(quiet_ms)


def _summary(entries: list[dict]) -> dict:
    return {
        "requests": len(entries),
        "status_200": sum(1 for e in entries if e["status"] == 200),
        "status_304": sum(1 for e in entries if e["status"] == 304),
        "other": sum(1 for e in entries if e["status"] not in (200, 304)),
        "bytes_sent": sum(e["bytes"] for e in entries),
        "paths": [f"{e['status']} {e['path']}" for e in entries],
    }


def load_twice(browser, server: Server, page_path: str) -> dict:
    """First load in a fresh context (empty cache), then a second load of the same page."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    page = context.new_page()
    url = server.url + page_path.removesuffix("index.html")
    try:
        mark = server.log.mark()
        page.goto(url)
        settle(page)
        first = _summary(server.log.since(mark))
        first["browser_requests"] = len(seen)
        page.goto("about:blank")
        seen.clear()
        mark = server.log.mark()
        page.goto(url)
        settle(page)
        second = _summary(server.log.since(mark))
        second["browser_requests"] = len(seen)
        return {"first_load": first, "second_load": second}
    finally:
        context.close()


STEP_SCRIPT = """
() => {
  const current = [...document.querySelectorAll('section.tree-step')]
    .find((s) => s.offsetParent !== null && getComputedStyle(s).display !== 'none');
  if (!current) return null;
  const answers = [...current.querySelectorAll('a.tree-answer')]
    .filter((a) => a.offsetParent !== null).map((a) => a.getAttribute('href'));
  return {id: current.id, kind: current.dataset.kind, answers};
}
"""


def step_through(browser, server: Server, page_path: str, max_clicks: int = 60) -> dict:
    """Walk the tree by clicking answer links, taking a different answer each time a step recurs."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    seen: list[str] = []
    page = context.new_page()
    try:
        page.goto(server.url + page_path.removesuffix("index.html"))
        settle(page)
        context.on("request", lambda request: seen.append(request.url))
        mark = server.log.mark()
        taken: dict[str, int] = {}
        visited: list[str] = []
        clicks = outcomes = 0
        while clicks < max_clicks:
            state = page.evaluate(STEP_SCRIPT)
            if state is None:
                break
            visited.append(state["id"])
            if not state["answers"]:
                outcomes += 1
                restart = page.locator(f"section#{state['id']} a.tree-restart")
                if restart.count() == 0 or outcomes > 12:
                    break
                restart.first.click()
                clicks += 1
                page.wait_for_timeout(50)
                continue
            choice = taken.get(state["id"], 0)
            taken[state["id"]] = choice + 1
            href = state["answers"][choice % len(state["answers"])]
            page.locator(f"section#{state['id']} a.tree-answer[href='{href}']").first.click()
            clicks += 1
            page.wait_for_timeout(50)
        page.wait_for_timeout(500)
        entries = server.log.since(mark)
        return {"clicks": clicks, "outcomes_reached": outcomes, "steps_visited": len(set(visited)),
                "server_requests": len(entries), "browser_requests": len(seen),
                "server_paths": sorted({f"{e['status']} {e['path']}" for e in entries}),
                "browser_urls": sorted({urlsplit(url).path for url in seen})}
    finally:
        context.close()


# --- main ------------------------------------------------------------------------------------

def build_real(tmp: Path) -> tuple[Path, str]:
    out = tmp / "site"
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--output", str(out), "--work-dir",
                             str(tmp / "work"), "--today", TODAY], cwd=REPO, capture_output=True, text=True)
    if result.returncode == 0:
        return out, "real data (python -m generator build)"
    # The trees are being written while we measure: fall back to the 1x corpus, which leaves out
    # tree files that do not validate (bench/corpus.py).
    sys.path.insert(0, str(BENCH))
    from corpus import make_corpus

    info = make_corpus(REPO, tmp / "corpus", 1)
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(tmp / "corpus"),
                             "--output", str(out), "--work-dir", str(tmp / "work2"), "--today", TODAY],
                            cwd=REPO, capture_output=True, text=True, check=True)
    return out, f"1x bench corpus (real data failed to build; left out: {info.skipped_trees})"


def audit(sites_root: Path, browser_on: bool = True) -> dict:
    report: dict = {"sites": {}}
    browser = pw = None
    if browser_on:
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        for name in SITES:
            site = sites_root / name
            shared, pages = site_assets(site)
            shared_sizes = {p: {"kind": k, "bytes": (site / p).stat().st_size, "gzip": gz((site / p).read_bytes())}
                            for p, k in sorted(shared.items())}
            entry = {
                "html_pages": pages,
                "shared_assets": shared_sizes,
                "shared_assets_gzip": sum(v["gzip"] for v in shared_sizes.values()),
                "pages": {},
            }
            for label, path in choose_pages(site).items():
                entry["pages"][label] = static_weight(site, path, shared)
            if browser is not None:
                for policy in ("revalidate", "max-age"):
                    with Server(site, policy) as server:
                        for label, path in choose_pages(site).items():
                            entry["pages"][label].setdefault("loads", {})[policy] = load_twice(browser, server, path)
                tree = choose_pages(site).get("largest tree")
                if tree:
                    for policy in ("revalidate", "max-age"):
                        with Server(site, policy) as server:
                            entry["pages"]["largest tree"].setdefault("stepping", {})[policy] = step_through(
                                browser, server, tree)
            report["sites"][name] = entry
    finally:
        if browser is not None:
            browser.close()
            pw.stop()
    return report


def table(report: dict) -> str:
    rows = ["| site | page | HTML KB | HTML gzip KB | page-specific JS/CSS gzip KB | own gzip KB | requests 1st load "
            "(revalidate / max-age) | requests 2nd load: revalidate (304s) / max-age | requests while stepping "
            "(revalidate / max-age) |",
            "|---|---|---|---|---|---|---|---|---|"]
    for name, site in report["sites"].items():
        for label, p in site["pages"].items():
            loads = p.get("loads", {})
            first = " / ".join(str(loads[k]["first_load"]["requests"]) for k in ("revalidate", "max-age") if k in loads)
            second = ""
            if loads:
                r, m = loads["revalidate"]["second_load"], loads["max-age"]["second_load"]
                second = f"{r['requests']} ({r['status_304']}) / {m['requests']}"
            steps = p.get("stepping", {})
            stepping = " / ".join(f"{steps[k]['server_requests']}" for k in ("revalidate", "max-age") if k in steps)
            rows.append(f"| {name} | {label} (`{p['path']}`) | {p['html_bytes'] / 1024:.1f} | {p['html_gzip'] / 1024:.1f} "
                        f"| {p['page_specific_gzip'] / 1024:.1f} | {p['own_gzip'] / 1024:.1f} | {first} | {second} "
                        f"| {stepping} |")
    for name, site in report["sites"].items():
        rows.append(f"\nShared assets of the {name} site (every page): {len(site['shared_assets'])} files, "
                    f"{site['shared_assets_gzip'] / 1024:.1f} KB gzip")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=Path, help="audit these built sites (DIR/staff, DIR/parents) instead")
    parser.add_argument("--no-browser", action="store_true", help="static figures only")
    parser.add_argument("--results-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="policy-weight-"))
    try:
        if args.sites:
            root, source = args.sites, f"built sites in {args.sites}"
        else:
            root, source = build_real(tmp)
        started = time.time()
        report = {"date": dt.date.today().isoformat(),
                  "command": "python bench/page_weight.py " + " ".join(argv if argv is not None else sys.argv[1:]),
                  "source": source, "gzip_level": 6,
                  "caching_policies": {
                      "revalidate": "every response: Cache-Control: no-cache, ETag, Last-Modified",
                      "max-age": "*.<hash>.min.js/css: public, max-age=31536000, immutable; other static files: "
                                 "public, max-age=300; .html/.json/.xml: no-cache; all with ETag",
                  },
                  **audit(root, browser_on=not args.no_browser)}
        report["audit_wall_s"] = time.time() - started
        report["table"] = table(report)
        print(report["table"])
        args.results_dir.mkdir(parents=True, exist_ok=True)
        text = json.dumps(report, indent=2) + "\n"
        (args.results_dir / f"page-weight-{report['date']}.json").write_text(text, encoding="utf-8")
        (args.results_dir / "page-weight-latest.json").write_text(text, encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
