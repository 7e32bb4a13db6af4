"""Every page of both sites reads on a phone (issue 14), with JavaScript on and off.

At 390×844 (a common phone), on every built page:

- no block of text (paragraph, list item, term, definition, heading, table cell…) longer than a
  few words is squeezed narrower than MIN_TEXT_WIDTH: the glossary once nested each term inside
  the one before, so on a phone its last entries ran one word, then one letter, per line, and
  every other check passed;
- the page does not scroll sideways, and no visible element reaches past the screen's edges
  unless a box that scrolls or clips it (a wide table's scroll box, the diagram) holds it in.

Bugs planted to see this go red: the glossary template's old entry separator (entries nested:
"squeezed" failures on both sites' glossary), and the header's hidden page title without
site.css's clip (13 px of sideways scrolling on every page with JavaScript off).
"""

from __future__ import annotations

import pytest

from browser_harness import SITES, all_pages, goto

pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 844}
MIN_TEXT_WIDTH = 100
"""CSS px: about a dozen characters of body text. The narrowest text block on either site is a
table cell of about 120 px (the authoring guide's three-column tables); the nested glossary's
entries went down to a few pixels."""
MIN_TEXT_LENGTH = 20
"""Blocks shorter than this ("Yes", "No", a one-word heading) may be as narrow as their words."""

_LAYOUT = """([minWidth, minLength]) => {
  const doc = document.documentElement;
  const shown = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const blocks = ['p', 'li', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'th', 'td',
                  'figcaption', 'summary', 'label', 'caption'];
  const squeezed = [];
  for (const el of document.querySelectorAll(blocks.map((b) => '.md-content ' + b).join(', '))) {
    if (!shown(el)) continue;
    const text = el.textContent.replace(/\\s+/g, ' ').trim();
    const width = el.getBoundingClientRect().width;
    if (text.length >= minLength && width < minWidth) {
      squeezed.push(`${name(el)} is ${Math.round(width)}px wide: "${text.slice(0, 40)}"`);
    }
  }
  // An element past the screen's edge is fine inside a box that scrolls or clips it and that
  // itself fits (a wide table's scroll box); otherwise the reader cannot see it.
  const heldIn = (el) => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      const r = box.getBoundingClientRect();
      if (getComputedStyle(box).overflowX !== 'visible' && r.right <= doc.clientWidth + 1 && r.left >= -1) return true;
    }
    return false;
  };
  const outside = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || (r.right <= doc.clientWidth + 1 && r.left >= -1)) continue;
    if (!shown(el) || heldIn(el)) continue;
    outside.push(`${name(el)} spans ${Math.round(r.left)}..${Math.round(r.right)}px`);
  }
  return {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, squeezed, outside};
}"""


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("site", SITES)
def test_every_page_reads_on_a_phone(site, javascript, built_sites, site_urls, browser):
    pages = all_pages(built_sites / site)
    assert "glossary/" in pages, f"the {site} site has no glossary page: {pages}"
    context = browser.new_context(viewport=PHONE_390, java_script_enabled=javascript)
    problems = []
    try:
        page = context.new_page()
        for path in pages:
            goto(page, site_urls[site] + path, idle=False)
            found = page.evaluate(_LAYOUT, [MIN_TEXT_WIDTH, MIN_TEXT_LENGTH])
            where = f"/{path}"
            if found["scrollWidth"] > found["clientWidth"]:
                problems.append(f"{where}: scrolls sideways ({found['scrollWidth']}px of content in "
                                f"{found['clientWidth']}px)")
            problems += [f"{where}: text squeezed: {item}" for item in found["squeezed"][:5]]
            problems += [f"{where}: off screen: {item}" for item in found["outside"][:5]]
    finally:
        context.close()
    assert not problems, f"{site} site at 390x844, JavaScript {'on' if javascript else 'off'}:\n" + "\n".join(problems)
