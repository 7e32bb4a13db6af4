"""The shared-drive bundle (issue 5): the zipped offline staff site works from file://, search included.

``python -m generator bundle`` builds the staff site with Material's offline plugin (no directory
URLs; the search index inlined as search/search_index.js) plus the project's iframe-worker shim,
since browsers start no Web Worker from file:// and the plugin's own shim would come from
unpkg.com. Here the zip is unpacked to a temporary folder and opened in Debian's Chromium straight
from the file system, with every request that is not file:// blocked and recorded.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from browser_harness import DESKTOP, REPO, serve_directory

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
    # every guide has its steps (generator/guide_steps.py; planted: not called by bundle.py -> red)
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
