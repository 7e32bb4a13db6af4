"""Helpers for the real-browser quality gates (issue 4); the fixtures are in conftest.py.

conftest.py puts this directory on sys.path, so a test module imports these with
``from browser_harness import run_axe, all_pages, ...`` whatever pytest's import mode.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from site_server import SiteHandler  # noqa: E402
from site_server import serve_directory as _serve_directory  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SITES = ("staff", "parents")
# axe-core as shipped inside the PyPI package axe-playwright-python (pinned in requirements-test.txt):
# only its axe.min.js is used, injected by run_axe below; no Node.js or npm is needed.
AXE_PACKAGE, AXE_FILE = "axe_playwright_python", "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--metrics-recording-only",
    # Every request not to this machine goes to a proxy on a port where nothing listens, and fails in the
    # browser itself (Chromium never sends 127.0.0.1 through a proxy): so no page of any context can reach
    # another host, and a context that need not record its requests goes without Playwright's routing, which
    # stops each request on its way and turns the browser's cache off (about 0.1 s of Chromium's CPU a page).
    "--proxy-server=http://127.0.0.1:9",
]
# Tried and left out, no clear saving of Chromium's CPU on this noisy machine (3 rounds side by side of 8 pages
# loaded, audited and scrolled 6 wheel steps at desktop, then loaded and scrolled at phone size; seconds):
# none 32.8/33.4/37.5, --disable-smooth-scrolling 31.3/31.9/33.8, --renderer-process-limit=1 29.1/33.1/34.2, that
# and --num-raster-threads=1 29.1/30.7/34.0; test_phone_keyboard.py (360 wheel steps) 64.0 s without
# --disable-smooth-scrolling, 65.7 s with it.
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's best practices. axe has no rule tagged
# wcag22a yet; the tag is listed so that rules given it later are run too.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
LOCAL_HOSTS = {"127.0.0.1"}
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
TREE_OUTCOME = "section.tree-step[data-kind=outcome]"
# Playwright reports service workers' network events only with this switch; set before it starts.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")


# --------------------------------------------------------------------------------------------
# The built sites


def missing_sites(root: Path) -> list[str]:
    return [name for name in SITES if not (root / name / "index.html").is_file()]


def all_pages(site_dir: Path) -> list[str]:
    """Every HTML page of a built site, as URL paths relative to the site root ('' is the home page).

    Taken from the built files, so a new page is covered without touching the tests. A directory
    URL (``policies/behaviour/``) stands for its ``index.html``; ``404.html`` is listed as itself.
    """
    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        if rel == "index.html":
            pages.append("")
        elif rel.endswith("/index.html"):
            pages.append(rel[: -len("index.html")])
        else:
            pages.append(rel)
    return pages


def tree_pages(site_dir: Path) -> list[str]:
    """Decision-tree pages: every page under ``what-to-do/<id>/`` (the what-to-do index is not one)."""
    return [p for p in all_pages(site_dir) if p.startswith("what-to-do/") and p != "what-to-do/"]


def policy_pages(site_dir: Path) -> list[str]:
    """Pages under ``policies/`` other than the policies index."""
    return [p for p in all_pages(site_dir) if p.startswith("policies/") and p != "policies/"]


# --------------------------------------------------------------------------------------------
# Local static server


class NoStoreHandler(SiteHandler):
    def end_headers(self):
        # Always revalidate: a port can serve a different build on the next run.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def serve_directory(directory: Path):
    """Serve ``directory`` on 127.0.0.1 at an ephemeral port; yields the base URL (ending in /)."""
    return _serve_directory(directory, NoStoreHandler)


# --------------------------------------------------------------------------------------------
# Recording requests


def is_local(url: str) -> bool:
    """Whether a request stays on this machine's test server, or never leaves the page at all."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname in LOCAL_HOSTS


@dataclass
class RequestRecorder:
    """Records every request a browser context makes; blocks, and records, any not to 127.0.0.1.

    ``context.on("request")`` sees the requests of every page and frame and of their dedicated
    and shared workers (and of service workers, with the Playwright switch that conftest sets);
    ``context.route`` aborts each outside request before it is sent, so nothing reaches the network.
    """

    requests: list[tuple[str, str, str]] = field(default_factory=list)  # (page, resource type, url)
    blocked: list[tuple[str, str, str]] = field(default_factory=list)
    workers: list[str] = field(default_factory=list)

    def attach(self, context) -> "RequestRecorder":
        context.on("request", self._on_request)
        context.route("**/*", self._on_route)
        context.on("serviceworker", lambda worker: self.workers.append(f"service worker {worker.url}"))
        context.on("page", self._on_page)
        for page in context.pages:
            self._on_page(page)
        return self

    def _on_page(self, page) -> None:
        page.on("worker", lambda worker: self.workers.append(f"worker {worker.url}"))

    @staticmethod
    def _origin(request) -> str:
        try:
            return request.frame.page.url
        except Exception:  # a worker's request has no frame
            return "(worker)"

    def _block(self, request) -> None:
        entry = (self._origin(request), request.resource_type, request.url)
        if entry not in self.blocked:
            self.blocked.append(entry)

    def _on_request(self, request) -> None:
        self.requests.append((self._origin(request), request.resource_type, request.url))
        if not is_local(request.url):
            self._block(request)

    def _on_route(self, route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            self._block(route.request)
            route.abort("blockedbyclient")

    def urls(self) -> list[str]:
        return [url for _, _, url in self.requests]


# --------------------------------------------------------------------------------------------
# axe-core


@functools.cache
def axe_source() -> str:
    """axe-core's axe.min.js from the axe-playwright-python wheel (which imports nothing at this point)."""
    try:
        source = importlib.resources.files(AXE_PACKAGE).joinpath(AXE_FILE).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise FileNotFoundError(f"axe-core ({AXE_PACKAGE}/{AXE_FILE}) is missing: run `make setup` "
                                f"(it installs requirements-test.txt) ({error})") from None
    if not source.startswith("/*! axe v"):
        raise FileNotFoundError(f"{AXE_PACKAGE}/{AXE_FILE} does not look like axe-core")
    return source


def axe_version() -> str:
    """The axe-core version injected, from the file's own banner (e.g. '4.12.1')."""
    return re.match(r"/\*! axe v([0-9.]+)", axe_source())[1]


_RUN_AXE = """
async (options) => {
  const results = await window.axe.run(document, options);
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary || "" })),
  }));
}
"""


_SETTLE = """
async (limit) => {
  // Wait until no CSS transition or animation (fades, slides) is running, up to `limit` ms:
  // colours measured mid-fade are not the colours a reader sees. Loops, because one that ends
  // (a scroll, a fade) can start another; frames are awaited so that pending ones have begun.
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const deadline = performance.now() + limit;
  await frame(); await frame();
  while (performance.now() < deadline) {
    const running = document.getAnimations().filter((a) => a.playState === 'running'
      && a.effect && a.effect.getComputedTiming().iterations !== Infinity);
    if (!running.length) break;
    await Promise.race([
      Promise.all(running.map((a) => a.finished.catch(() => null))),
      new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - performance.now()))),
    ]);
    await frame();
  }
}
"""


def settle(page, limit_ms: int = 3000) -> None:
    """Let running transitions and animations finish (at most ``limit_ms``)."""
    page.evaluate(_SETTLE, limit_ms)


def run_axe(page) -> list[dict]:
    """Run axe-core on the page (WCAG 2.0/2.1/2.2 A and AA, and best practices); return violations.

    Waits for transitions to end first. Each violation is
    ``{"id", "impact", "help", "nodes": [{"target", "summary"}]}``.
    """
    settle(page)
    if not page.evaluate("() => Boolean(window.axe)"):
        # Through the DevTools channel, not a <script> tag: every page's Content-Security-Policy
        # blocks inline scripts it has no hash for (and that is tested in test_csp.py).
        page.evaluate("() => {\n" + axe_source() + "\n}")
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return page.evaluate(_RUN_AXE, options)


def format_violations(where: str, violations: list[dict]) -> str:
    lines = [f"{where}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:5]:
            summary = " ".join(node["summary"].split())
            lines.append(f"      {node['target']}  -- {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"      ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Pages


def goto(page, url: str, *, idle: bool = True) -> None:
    """Load a page; with ``idle``, also wait until the network has been quiet for 0.5 s."""
    page.goto(url, wait_until="load")
    if idle:
        page.wait_for_load_state("networkidle")


def first_outcome_id(page) -> str | None:
    """The id of the first decision-tree outcome step on the page, if it has one."""
    return page.evaluate(
        "(sel) => { const s = document.querySelector(sel + '[id]'); return s ? s.id : null; }", TREE_OUTCOME
    )


def key_views(site_dir: Path) -> dict[str, str]:
    """The views every check of a site's look looks at: name -> URL path (with #fragment).

    home; the first policy page; and, if the site has decision trees, the first tree as it
    opens ("tree-step") and showing its first outcome ("tree-outcome": the outcome's id is read
    from the built page).
    """
    views = {"home": ""}
    policies = policy_pages(site_dir)
    if not policies:
        raise AssertionError(f"{site_dir} has no policy page under policies/")
    views["policy"] = policies[0]
    trees = tree_pages(site_dir)
    if trees:
        views["tree-step"] = trees[0]
        html = (site_dir / trees[0] / "index.html").read_text(encoding="utf-8") if trees[0].endswith("/") else ""
        outcome = _first_outcome_in_html(html)
        if outcome:
            views["tree-outcome"] = f"{trees[0]}#{outcome}"
    return views


def _first_outcome_in_html(html: str) -> str | None:
    """The id of the first <section class="tree-step ..." data-kind="outcome"> in built HTML."""
    for match in re.finditer(r"<section\b[^>]*>", html):
        tag = match.group(0)
        classes = re.search(r'class="([^"]*)"', tag)
        kind = re.search(r'data-kind="([^"]*)"', tag)
        ident = re.search(r'id="([^"]*)"', tag)
        if classes and "tree-step" in classes.group(1).split() and kind and kind.group(1) == "outcome" and ident:
            return ident.group(1)
    return None


def write_artifact(name: str, data) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path

