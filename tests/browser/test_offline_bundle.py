"""The shared-drive bundle (issue 5): the zipped offline staff site works from file://, search included.

``python -m generator bundle`` builds the staff site with Material's offline plugin (no directory
URLs; the search index inlined as search/search_index.js) plus the project's iframe-worker shim,
since browsers start no Web Worker from file:// and the plugin's own shim would come from
unpkg.com. Here the zip is unpacked to a temporary folder and opened in Debian's Chromium straight
from the file system, with every request that is not file:// blocked and recorded.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from browser_harness import DESKTOP, REPO, serve_directory
from test_csp import CSP_META, INJECTED, VIOLATIONS

pytestmark = pytest.mark.browser

FOLDER = "staff-policies-offline"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """The bundle, made by the real command and unzipped: the folder holding index.html."""
    root = tmp_path_factory.mktemp("offline")
    archive = root / "dist" / "staff-offline.zip"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "bundle", "--project", str(REPO / "tests" / "fixtures" / "wexham"),
         "--out", str(archive), "--work-dir", str(root / "work")],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, f"`python -m generator bundle` failed:\n{result.stdout}{result.stderr}"
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        assert {name.split("/")[0] for name in names} == {FOLDER}, "the zip must hold one folder"
        opened.extractall(root / "unzipped")
    return root / "unzipped" / FOLDER


def test_the_bundle_holds_an_offline_build(bundle):
    for name in ("index.html", "404.html", "search/search_index.js", "assets/javascripts/iframe-worker-shim.js"):
        assert (bundle / name).is_file(), name
    assert (bundle / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index = ")
    version = json.loads((bundle / "version.json").read_text())
    assert version["validated"] is True and version["offline"] is True and version["site"] == "staff"
    pages = sorted(bundle.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in html, f"{page} loads a script from the internet"
        assert 'iframe-worker-shim.js"' in html
    # no directory URLs: links go to .html files, which a browser opens from a folder
    assert 'href="policies/index.html"' in (bundle / "index.html").read_text(encoding="utf-8")
    # every guide has its steps (generator/render/guide_steps.py; planted: not called by bundle.py -> red)
    guides = sorted((bundle / "what-to-do").glob("*/index.html"))
    assert len(guides) >= 10
    for guide in guides:
        assert guide.read_text(encoding="utf-8").count('class="tree-step"') >= 2, guide


@pytest.fixture
def offline_page(browser):
    """A page whose requests are blocked unless to file:// (or this machine); yields (page, blocked, errors)."""
    context = browser.new_context(viewport=DESKTOP)
    blocked: list[str] = []
    errors: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("file://", "data:", "blob:", "about:", "http://127.0.0.1:")):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    context.add_init_script(VIOLATIONS)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page, blocked, errors
    finally:
        context.close()


def test_the_home_page_opens_from_the_folder(bundle, offline_page):
    page, blocked, errors = offline_page
    page.goto((bundle / "index.html").as_uri())
    assert "Staff policies" in page.title()
    assert page.locator("h1").first.is_visible()
    page.locator(".md-nav__link", has_text="Glossary").first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and page.url.endswith("glossary.html")
    assert page.locator("h1").first.inner_text().strip() == "Glossary"
    assert not blocked and not errors, (blocked, errors)


def test_search_works_from_the_folder_and_finds_the_clause(bundle, offline_page):
    page, blocked, errors = offline_page
    page.goto((bundle / "index.html").as_uri())
    button = page.locator("button[data-policy-for=__search]")
    if button.count() and button.is_visible():
        button.click()
    page.locator(".md-search__input").click()
    page.keyboard.type("radicalisation")
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0",
                           timeout=15000)
    results = page.locator(".md-search-result__item a")
    hrefs = results.evaluate_all("links => links.map(link => link.href)")
    clause = [href for href in hrefs if "/policies/" in href and "radicalisation" in href.split("?")[0]]
    assert clause, f"no result links to the policy clause on radicalisation: {hrefs}"
    assert clause[0].startswith(bundle.as_uri() + "/")

    results.nth(hrefs.index(clause[0])).click()
    page.wait_for_load_state()
    assert page.url.split("?")[0].endswith(".html") and "/policies/" in page.url
    assert "radicalisation" in page.locator("article").inner_text().lower()
    assert not blocked and not errors, (blocked, errors)
    assert page.evaluate("() => window.__violations") == [], "the policy got in the way of the search"


def test_the_shim_stays_out_of_the_way_over_http(bundle, offline_page):
    """Served over http, the same files search with the browser's own Web Worker (the shim only acts under file:)."""
    page, blocked, errors = offline_page
    with serve_directory(bundle) as url:
        page.goto(url + "index.html")
        assert page.evaluate("() => String(window.Worker).includes('[native code]')")
        page.locator(".md-search__input").click()
        page.keyboard.type("radicalisation")
        page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0",
                               timeout=15000)
        assert page.locator("iframe[title='Search worker']").count() == 0
    page.goto((bundle / "index.html").as_uri())
    assert not page.evaluate("() => String(window.Worker).includes('[native code]')")
    assert not blocked and not errors, (blocked, errors)


# --------------------------------------------------------------------------------------------
# The Content-Security-Policy (issue 23, item 8): the bundle's pages carry it as the sites' pages do


def test_every_bundled_page_carries_the_policy(bundle):
    """Catches: the bundle built without the policy (issue 23: its 35 pages carried none)."""
    pages = sorted(bundle.rglob("*.html"))
    for page in pages:
        found = CSP_META.findall(page.read_text(encoding="utf-8"))
        assert len(found) == 1, f"{page}: {len(found)} policies"
        assert "script-src 'self' 'sha256-" in found[0] and "unsafe-inline" not in found[0].split("style-src")[0]
    assert not (bundle / "csp-header.conf").exists(), "a web server's header file in a folder for a shared drive"


def _injected_bundle(bundle, tmp_path, keep_policy: bool) -> Path:
    folder = tmp_path / FOLDER
    shutil.copytree(bundle, folder)
    index = folder / "index.html"
    html = index.read_text(encoding="utf-8")
    if not keep_policy:
        html = CSP_META.sub("", html)
    index.write_text(html.replace("</body>", INJECTED + "</body>"), encoding="utf-8")
    return index


def _run_injected(offline_page, index: Path):
    page, blocked, errors = offline_page
    page.goto(index.as_uri())
    before = page.evaluate("() => window.__violations.length")
    page.click("#injected-link")
    try:  # the javascript: link runs, or is refused and reported, in a later task: wait for either
        page.wait_for_function("(before) => window.__injected_link !== undefined"
                               " || window.__violations.length > before", arg=before, timeout=2000)
    except PlaywrightTimeout:
        pass
    return page.evaluate("() => [window.__injected, window.__injected_handler, window.__injected_link,"
                         " window.__violations]")


def test_a_script_that_reached_a_bundled_page_is_blocked_from_the_folder(bundle, offline_page, tmp_path):
    injected, handler, link, violations = _run_injected(offline_page, _injected_bundle(bundle, tmp_path, True))
    assert (injected, handler, link) == (None, None, None), "an injected script ran despite the policy"
    assert any(v.startswith("script-src") for v in violations), violations


def test_without_the_policy_the_same_injection_runs_from_the_folder(bundle, offline_page, tmp_path):
    """The control: the page above would have run the script, so its pass means something."""
    injected, handler, link, _ = _run_injected(offline_page, _injected_bundle(bundle, tmp_path, False))
    assert (injected, handler, link) == (1, 1, 1)
