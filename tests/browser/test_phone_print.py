"""Phone and print: the key views fit a 375 px phone, a 1280 px desktop and that desktop zoomed
to 200% and 400% without sideways scrolling, and print as content only, nothing folded away.

Screenshots of every view at both sizes go to test-artifacts/screenshots/ (and PDFs of the
printed views to test-artifacts/print/) for a person to look at; the assertions do not need them.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from browser_harness import ARTIFACTS, DESKTOP, PHONE, SCREENSHOTS, SITES, goto, key_views

pytestmark = pytest.mark.browser

# What the site deliberately leaves off paper: Material's edit buttons and heading anchors, the
# "link to this clause" line under each clause, and the decision trees' "print a record" button,
# privacy line and whole-tree overview (issue 14: a printed guide is the current step and the
# answers, never the diagram; the whole tree is read on screen; test_tree_v2.py checks it).
PRINT_OMITS = ".md-content__button, .headerlink, .clause-meta, .tree-print, .tree-privacy, .tree-overview"
# Blocks of text whose visibility is compared between screen and print.
TEXT_BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, blockquote, pre, figcaption, caption, summary"

# A phone, a desktop, and the desktop window zoomed to 200% and to 400% (zooming shrinks the
# page's width in CSS pixels: 1280 / 4 = 320, the width WCAG 1.4.10 Reflow asks for).
SIZES = [
    (PHONE, "375x812"),
    (DESKTOP, "1280x800"),
    ({"width": 640, "height": 400}, "1280x800-zoom200"),
    ({"width": 320, "height": 200}, "1280x800-zoom400"),
]

_NO_SIDEWAYS_SCROLL = """() => {
  const doc = document.documentElement;
  return {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth,
          widest: [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 1
                            && el.checkVisibility({visibilityProperty: true}))
            .slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''))};
}"""

_VISIBLE_BLOCKS = """([blocks, omits]) => {
  const content = document.querySelector('.md-content__inner');
  return [...content.querySelectorAll(blocks)]
    .filter((el) => !el.closest(omits))
    .filter((el) => el.textContent.trim())
    .map((el, i) => {
      el.dataset.printCheck = String(i);
      return {i, visible: el.checkVisibility({visibilityProperty: true, opacityProperty: true}),
              text: el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60),
              // Folded away on this screen, not on another step of a guide (a guide prints its current step only).
              folded: Boolean(el.closest('details, .tabbed-block'))
                && !(el.closest('.tree-step') && !el.closest('.tree-step').checkVisibility())};
    });
}"""

_PRINT_STATE = """([blocks, omits]) => {
  const shown = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const chrome = {};
  for (const [name, sel] of Object.entries({
      header: '.md-header', tabs: '.md-tabs', 'navigation sidebar': '.md-sidebar--primary',
      'contents sidebar': '.md-sidebar--secondary', footer: '.md-footer', 'back to top': '.md-top',
      'skip link': '.md-skip'})) {
    const el = document.querySelector(sel);
    if (el) chrome[name] = getComputedStyle(el).display;
  }
  const navs = [...document.querySelectorAll('nav')].filter(shown).map((n) => n.getAttribute('aria-label') || n.className);
  const closed = [...document.querySelectorAll('.md-content details:not([open])')].map((d) => d.querySelector('summary')?.textContent.trim());
  const hidden = [...document.querySelectorAll('[data-print-check]')].filter((el) => !shown(el))
    .map((el) => ({i: Number(el.dataset.printCheck), text: el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60)}));
  return {chrome, navs, closed, hidden};
}"""


@pytest.mark.parametrize("site", SITES)
def test_key_views_fit_phone_and_desktop(site, built_sites, site_urls, browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    views = key_views(built_sites / site)
    problems = []
    for viewport, size in SIZES:
        context = browser.new_context(viewport=viewport)
        try:
            page = context.new_page()
            for name, path in views.items():
                goto(page, site_urls[site] + path, idle=False)
                if "#" in path:
                    assert page.evaluate("() => location.hash") == "#" + path.split("#", 1)[1]
                page.screenshot(path=str(SCREENSHOTS / f"{site}-{name}-{size}.png"))
                fit = page.evaluate(_NO_SIDEWAYS_SCROLL)
                if fit["scrollWidth"] > fit["clientWidth"]:
                    problems.append(
                        f"{name} ({path or 'home'}) at {size}: page is {fit['scrollWidth']}px wide in a "
                        f"{fit['clientWidth']}px window; too wide: {fit['widest']}"
                    )
        finally:
            context.close()
    for name in views:
        for _, size in SIZES:
            assert (SCREENSHOTS / f"{site}-{name}-{size}.png").stat().st_size > 1000
    assert not problems, "sideways scrolling:\n" + "\n".join(problems)


def print_views(site_dir) -> dict[str, str]:
    views = key_views(site_dir)
    return {name: path for name, path in views.items() if name in ("policy", "tree-outcome")}


@pytest.mark.parametrize("site", SITES)
def test_printing_shows_the_content_and_only_the_content(site, built_sites, site_urls, browser):
    views = print_views(built_sites / site)
    assert "policy" in views
    out = ARTIFACTS / "print"
    out.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=DESKTOP)
    failures = []
    try:
        page = context.new_page()
        for name, path in views.items():
            goto(page, site_urls[site] + path, idle=False)
            page.emulate_media(media="screen")
            on_screen = page.evaluate(_VISIBLE_BLOCKS, [TEXT_BLOCKS, PRINT_OMITS])
            assert on_screen, f"{name}: no content found"
            page.emulate_media(media="print")
            # print.js answers the media change by opening every <details>; wait for it rather than for
            # a fixed time (100 ms was not always enough on a loaded machine). If it never does, the
            # check below reports the closed sections.
            try:
                page.wait_for_function("() => !document.querySelector('details:not([open])')", timeout=5000)
            except PlaywrightTimeout:
                pass
            state = page.evaluate(_PRINT_STATE, [TEXT_BLOCKS, PRINT_OMITS])
            page.pdf(path=str(out / f"{site}-{name}.pdf"))
            page.emulate_media(media="screen")

            where = f"{name} ({path})"
            shown_chrome = {part: display for part, display in state["chrome"].items() if display != "none"}
            if shown_chrome:
                failures.append(f"{where}: page furniture prints: {shown_chrome}")
            if state["navs"]:
                failures.append(f"{where}: navigation prints: {state['navs']}")
            if state["closed"]:
                failures.append(f"{where}: folded sections print closed: {state['closed']}")
            # Everything a reader sees on screen prints, and so does what is folded away on
            # screen (collapsed details, other tabs).
            wanted = {b["i"] for b in on_screen if b["visible"] or b["folded"]}
            lost = [h["text"] for h in state["hidden"] if h["i"] in wanted]
            if lost:
                failures.append(f"{where}: {len(lost)} blocks of content do not print, e.g. {lost[:5]}")
    finally:
        context.close()
    assert not failures, "\n".join(failures)
