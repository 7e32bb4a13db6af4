"""No page of either site asks any host but its own for anything.

Every page is loaded in Chromium with a RequestRecorder that records every request (pages,
frames, dedicated and shared workers, service workers) and blocks any not to 127.0.0.1; the
search is used on every page, so that its worker loads its scripts and the search index.
Fonts, scripts, images, iframes and workers are all requests: none may go elsewhere. The guides' pages are
crawled by test_privacy_guides.py, every other page here.
"""

from __future__ import annotations

import pytest

from browser_harness import SITES, RequestRecorder, all_pages, goto, serve_directory, tree_pages

pytestmark = pytest.mark.browser


def use_search(page, word: str = "policy") -> None:
    """Type into the search box (desktop width: it is in the header) and wait for its answer."""
    page.locator(".md-search__input").click()
    page.keyboard.type(word)
    page.wait_for_function(
        "() => document.querySelectorAll('.md-search-result__item').length > 0"
        " || /no matching/i.test(document.querySelector('.md-search-result__meta').textContent)"
    )
    page.keyboard.press("Escape")


@pytest.mark.parametrize("site", SITES)
def test_no_page_requests_another_host(site, built_sites, site_urls, recorded_context):
    """Every page but the guides' (those are crawled by test_privacy_guides.py, a file of its own so that
    the crawl runs in two processes side by side)."""
    trees = set(tree_pages(built_sites / site))
    crawl(site_urls[site], [path for path in all_pages(built_sites / site) if path not in trees], recorded_context,
          f"the {site} site")


def crawl(base: str, pages: list[str], recorded_context, what: str) -> None:
    """Each page loaded and its search used, in one browser page: nothing asked of another host, and every
    page, the search's worker and its index requested.

    A request a page makes after it has loaded must still be caught, so no page is left before the network
    has been quiet for 0.5 s after it ("networkidle"). That wait is made after the page's search is used, not
    before: the search takes longer than half a second, so the quiet has usually passed by then, and each
    page is still watched until it has had its 0.5 s of quiet, and now also while its search is used (the
    search used to be the last thing done before the page was left)."""
    context, recorder = recorded_context
    page = context.new_page()
    for path in pages:
        goto(page, base + path, idle=False)
        use_search(page)
        page.wait_for_load_state("networkidle")  # before the page is left

    report = "\n".join(f"  {kind:<10} {url}  (from {origin})" for origin, kind, url in recorder.blocked)
    assert not recorder.blocked, f"{what} asked other hosts for {len(recorder.blocked)} things:\n{report}"

    # The crawl did what it claims: every page was fetched, and so were the search's worker
    # and its index, which load only when the search is used.
    urls = recorder.urls()
    for path in pages:
        assert base + path in urls, f"{path or 'home'} was never requested"
    assert any("/search/search_index.json" in url for url in urls), "the search index was never requested"
    assert any("/workers/search." in url for url in urls), "the search worker was never requested"


def test_recorder_catches_and_blocks_outside_requests(browser, tmp_path):
    """Proof that the privacy check can fail: a page that asks other hosts for a font, a
    stylesheet, a script, an image, an iframe and (from a web worker) data is caught, and
    none of those requests is let out. The hosts are under .invalid, which never resolves."""
    (tmp_path / "index.html").write_text(
        """<!doctype html><html lang="en"><head><title>Leaky page</title>
<link rel="stylesheet" href="https://fonts.example.invalid/css?family=Roboto">
<style>@font-face { font-family: X; src: url(https://fontfiles.example.invalid/x.woff2); }
body { font-family: X; }</style>
<script src="https://cdn.example.invalid/lib.js"></script>
</head><body><main><h1>Leaky</h1>
<img src="https://images.example.invalid/pixel.png" alt="pixel">
<iframe src="https://frame.example.invalid/" title="frame"></iframe>
<script>new Worker("worker.js");</script>
</main></body></html>""",
        encoding="utf-8",
    )
    (tmp_path / "worker.js").write_text(
        'fetch("https://worker.example.invalid/data.json").catch(() => {});\n', encoding="utf-8"
    )
    context = browser.new_context()
    recorder = RequestRecorder().attach(context)
    try:
        with serve_directory(tmp_path) as base:
            page = context.new_page()
            goto(page, base)
            page.wait_for_timeout(500)
    finally:
        context.close()
    blocked_hosts = {url.split("/")[2] for _, _, url in recorder.blocked}
    assert blocked_hosts == {
        "fonts.example.invalid",
        "fontfiles.example.invalid",
        "cdn.example.invalid",
        "images.example.invalid",
        "frame.example.invalid",
        "worker.example.invalid",
    }, recorder.blocked
    assert any(url == base + "worker.js" for url in recorder.urls()), "the worker script was not recorded"
