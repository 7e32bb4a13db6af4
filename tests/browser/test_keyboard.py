"""Keyboard: the first Tab reaches a visible skip link that moves focus to the content, and
every control that Tab reaches is on screen with a visible focus ring (WCAG 2.1.1, 2.4.1,
2.4.7, 2.4.11), at phone and desktop widths.
"""

from __future__ import annotations

import pytest

from browser_harness import DESKTOP, PHONE, SITES, goto, key_views, settle

pytestmark = pytest.mark.browser

MAX_TABS = 40  # per view: enough to cross the header, the navigation and into the content

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // A content tab's control is a radio button hidden under the row of tab labels, which shows
  // its focus; look at the row instead.
  const shown = el.matches('.tabbed-set > input') ? el.parentElement.querySelector(':scope > .tabbed-labels') : el;
  const rect = shown.getBoundingClientRect();
  const style = getComputedStyle(shown);
  const main = document.getElementById('main-content');
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 50),
    href: el.getAttribute('href'),
    visible: shown.checkVisibility({visibilityProperty: true, opacityProperty: true}),
    width: rect.width, height: rect.height,
    onScreen: rect.right > 0 && rect.bottom > 0 && rect.left < innerWidth && rect.top < innerHeight,
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    inMain: Boolean(main && main.contains(el)),
    afterMainStart: Boolean(main && (main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)),
  };
}"""


def focused(page) -> dict | None:
    settle(page, 1000)
    return page.evaluate(_FOCUSED)


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_first_tab_reaches_a_skip_link_that_moves_focus_to_the_content(site, viewport, site_urls, browser):
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        goto(page, site_urls[site], idle=False)
        page.keyboard.press("Tab")
        skip = focused(page)
        assert skip is not None, "Tab from the top of the page focused nothing"
        assert (skip["tag"], skip["href"]) == ("a", "#main-content"), f"the first Tab reached {skip}, not the skip link"
        assert skip["name"].lower().startswith("skip"), skip
        assert skip["visible"] and skip["onScreen"] and skip["width"] > 0 and skip["height"] > 0, f"skip link not visible: {skip}"
        assert skip["outlineStyle"] != "none" and skip["outlineWidth"] >= 2, f"skip link has no focus ring: {skip}"

        page.keyboard.press("Enter")
        target = focused(page)
        assert page.evaluate("() => location.hash") == "#main-content"
        assert target is not None and target["id"] == "main-content", f"focus went to {target}, not the content"
        assert page.evaluate("() => document.activeElement.closest('main') !== null")

        page.keyboard.press("Tab")
        after = focused(page)
        assert after is not None and after["afterMainStart"], (
            f"the Tab after the skip link went back to {after}, not on into the content"
        )
    finally:
        context.close()


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_tab_stop_is_visible_with_a_focus_ring(site, viewport, built_sites, site_urls, browser):
    # Each page once (the tree outcome is the tree page again); motion reduced, so that no
    # fade has to be waited for between stops (the focus ring itself is not animated).
    views = {name: path for name, path in key_views(built_sites / site).items() if "#" not in path}
    problems = []
    context = browser.new_context(viewport=viewport, reduced_motion="reduce")
    try:
        page = context.new_page()
        for name, path in views.items():
            goto(page, site_urls[site] + path, idle=False)
            page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
            stops = 0
            for _ in range(MAX_TABS):
                page.keyboard.press("Tab")
                el = focused(page)
                if el is None:  # focus left the page: every stop has been visited
                    break
                stops += 1
                label = f"{name} at {viewport['width']}px, stop {stops}: <{el['tag']}> {el['name']!r}"
                if not (el["visible"] and el["width"] > 0 and el["height"] > 0 and el["onScreen"]):
                    problems.append(f"{label} is focused but not visible on screen ({el})")
                elif el["outlineStyle"] == "none" or el["outlineWidth"] < 2:
                    problems.append(f"{label} has no visible focus ring (outline {el['outlineStyle']} {el['outlineWidth']}px)")
            assert stops > 3, f"{name}: only {stops} tab stops"
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("site", SITES)
def test_phone_menu_opens_and_closes_from_the_keyboard(site, built_sites, site_urls, browser):
    """At phone width the navigation is in a drawer: its button is reachable by Tab, Enter opens
    it and moves focus into it, and Escape closes it and gives focus back to the button."""
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        goto(page, site_urls[site] + key_views(built_sites / site)["policy"], idle=False)
        for _ in range(5):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.matches('button[data-policy-for=__drawer]')"):
                break
        else:
            pytest.fail("Tab never reached the menu button")
        button = page.locator("button[data-policy-for=__drawer]")
        assert button.get_attribute("aria-expanded") == "false"
        assert button.get_attribute("aria-label")
        page.keyboard.press("Enter")
        settle(page)
        assert button.get_attribute("aria-expanded") == "true"
        assert page.evaluate("() => document.activeElement.closest('.md-sidebar--primary') !== null"), (
            "opening the menu did not move focus into it"
        )
        assert page.locator(".md-sidebar--primary").is_visible()
        page.keyboard.press("Escape")
        settle(page)
        assert button.get_attribute("aria-expanded") == "false"
        assert page.evaluate("() => document.activeElement.matches('button[data-policy-for=__drawer]')")
        # Closed, the drawer's links are out of the tab order again.
        assert not page.evaluate(
            "() => [...document.querySelectorAll('.md-sidebar--primary a[href]')]"
            ".some((a) => a.checkVisibility({visibilityProperty: true}))"
        )
    finally:
        context.close()
