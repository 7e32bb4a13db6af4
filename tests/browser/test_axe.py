"""axe-core finds no accessibility violation, of any impact, on any page of either site.

Rules: WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's best practices; none is disabled.
Decision-tree pages are checked twice: as loaded, and again showing their first outcome step (in
test_axe_guides.py; every other page here).
"""

from __future__ import annotations

import pytest

from browser_harness import (
    DESKTOP,
    PHONE,
    SITES,
    all_pages,
    first_outcome_id,
    format_violations,
    goto,
    key_views,
    run_axe,
    serve_directory,
    tree_pages,
    write_artifact,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("site", SITES)
def test_every_page_has_no_axe_violations(site, built_sites, site_urls, browser):
    """Every page but the guides' (those are audited by test_axe_guides.py, a file of its own so that the
    longest audit runs in two processes side by side)."""
    pages = all_pages(built_sites / site)
    trees = set(tree_pages(built_sites / site))
    assert "" in pages and len(pages) > 1, f"the {site} site has too few pages: {pages}"
    audit_every_view(site, site_urls[site], [path for path in pages if path not in trees], set(), browser)


def audit_every_view(site: str, base: str, pages: list[str], trees: set[str], browser) -> None:
    """axe on each page in one browser page; a guide's page (in trees) also showing its first outcome.

    A context of its own without request recording: nothing here reads the requests, and CHROMIUM_ARGS already
    keeps every page from reaching another host."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        _audit(site, base, pages, trees, context.new_page())
    finally:
        context.close()


def _audit(site: str, base: str, pages: list[str], trees: set[str], page) -> None:
    failures: dict[str, list[dict]] = {}
    checked = []
    for path in pages:
        url = base + path
        goto(page, url, idle=False)
        checked.append(url)
        violations = run_axe(page)
        if violations:
            failures[url] = violations
        if path in trees:
            outcome = first_outcome_id(page)
            if outcome:
                goto(page, f"{url}#{outcome}", idle=False)
                assert page.evaluate("() => location.hash") == f"#{outcome}"
                checked.append(f"{url}#{outcome}")
                violations = run_axe(page)
                if violations:
                    failures[f"{url}#{outcome}"] = violations

    if failures:
        write_artifact(f"axe-{site}{'-guides' if trees else ''}.json", failures)
    assert not failures, f"axe found violations on {len(failures)} of {len(checked)} {site} views:\n" + "\n".join(
        format_violations(url, v) for url, v in failures.items()
    )


def _open_search(page, word: str) -> None:
    """Type a word into the search box, as a reader would, and wait for the results."""
    button = page.locator("button[data-policy-for=__search]")
    if button.count() and button.is_visible():
        button.click()
    page.locator(".md-search__input").click()
    page.keyboard.type(word)
    page.wait_for_function(
        "() => document.querySelectorAll('.md-search-result__item').length > 0"
        " || /no matching/i.test(document.querySelector('.md-search-result__meta').textContent)"
    )


def _audit_menu_and_abbreviation(page, failures: dict) -> None:
    """On a policy page: axe with the menu open (where the menu is a button) and with an abbreviation hovered."""
    menu = page.locator("button[data-policy-for=__drawer]")
    if menu.is_visible():
        menu.click()
        page.wait_for_timeout(400)
        if violations := run_axe(page):
            failures["menu open"] = violations
        page.keyboard.press("Escape")

    abbr = page.locator(".md-content abbr")
    if abbr.count():
        abbr.first.hover()  # shows Material's tooltip, if content.tooltips is turned on
        page.wait_for_timeout(300)
        if violations := run_axe(page):
            failures["abbreviation hovered"] = violations


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_key_views_and_interactive_states_have_no_axe_violations(site, viewport, built_sites, site_urls, browser):
    """Phone and desktop widths, with the things that only appear on use: the open menu, search
    results and a hovered abbreviation."""
    context = browser.new_context(viewport=viewport)
    failures = {}
    try:
        page = context.new_page()
        views = key_views(built_sites / site)
        # At desktop width every page as loaded is checked by the test above: only the policy page (menu,
        # abbreviation) and the home page (search) are opened. Each page is loaded once, its states checked
        # in turn on it: audited as loaded (phone), then opened up.
        opened = views if viewport == PHONE else {"policy": views["policy"], "home": views["home"]}
        for name, path in opened.items():
            goto(page, site_urls[site] + path, idle=False)
            if viewport == PHONE and (violations := run_axe(page)):
                failures[name] = violations
            if name == "policy":
                _audit_menu_and_abbreviation(page, failures)
            elif name == "home":
                page.wait_for_load_state("networkidle")  # the search index has come
                _open_search(page, "policy")
                if violations := run_axe(page):
                    failures["search results"] = violations
    finally:
        context.close()
    assert not failures, f"axe found violations on the {site} site at {viewport['width']}px:\n" + "\n".join(
        format_violations(where, v) for where, v in failures.items()
    )


def test_harness_reports_a_missing_alt_text(browser, tmp_path):
    """Proof that the harness can fail: an image without alt text is reported as image-alt."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>Broken page</title></head><body><main>'
        "<h1>Broken page</h1><p>A picture follows.</p>"
        '<img src="pixel.gif" width="10" height="10">'
        "</main></body></html>",
        encoding="utf-8",
    )
    # A 1x1 transparent GIF, so that the page loads without errors.
    (tmp_path / "pixel.gif").write_bytes(
        bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")
    )
    with serve_directory(tmp_path) as base:
        page = browser.new_page()
        try:
            goto(page, base)
            violations = run_axe(page)
        finally:
            page.close()
    ids = {v["id"] for v in violations}
    assert "image-alt" in ids, f"axe did not report image-alt; it reported {sorted(ids)}"
    image_alt = next(v for v in violations if v["id"] == "image-alt")
    assert [n["target"] for n in image_alt["nodes"]] == ["img"]


@pytest.mark.parametrize("site", SITES)
def test_missing_page_gets_an_accessible_not_found_page(site, site_urls, browser):
    """A mistyped address deep in the site gets the 404 page, styled, with one <h1>, and clean."""
    page = browser.new_page()
    try:
        response = page.goto(site_urls[site] + "policies/no-such-policy/section/", wait_until="load")
        assert response is not None and response.status == 404
        assert page.locator("h1").count() == 1
        assert page.locator("h1").inner_text().strip() == "Page not found"
        assert page.title().startswith("Page not found")
        # The stylesheets loaded from this depth (the header is styled, not a bare list).
        assert page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        home = page.locator(".md-content a", has_text="home page")
        assert home.count() == 1
        violations = run_axe(page)
        assert not violations, format_violations(page.url, violations)
        home.click()
        page.wait_for_load_state("load")
        assert page.url == site_urls[site]
    finally:
        page.close()
