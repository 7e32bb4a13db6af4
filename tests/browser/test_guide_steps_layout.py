"""A guide's steps on a phone (390×844) and a desktop (issue 27 item 5), on the example school
(tests/fixtures/wexham): the longest outcome keeps its citations behind one closed "This rests on" that is
never longer than a screen, and a step jumped to is not hidden under the sticky header.
"""

from __future__ import annotations

import functools

import pytest

from browser_harness import DESKTOP, goto

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


@functools.cache
def _pick_longest():
    """(guide id, step id) of the example school's outcome with the most actions and citations (the school
    checked once per process, not once per test: about 2 s of CPU each)."""
    from datetime import date

    from generator.pipeline import check
    from generator.render.guide_wording import step_citations
    from support import WEXHAM

    project = check(WEXHAM, date(2026, 11, 24)).project
    assert project is not None
    _, tree_id, step_id = max((len(step.actions) + len(step_citations(step)), tree.id, step.id)
                                   for tree in project.trees for step in tree.steps if step.kind == "outcome")
    return tree_id, step_id


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_longest_outcome_keeps_its_citations_to_one_closed_block_on_a_phone(browser, example_urls, js):
    """Bug caught: every action carried its own "This rests on: …" paragraph, so the longest outcome on a phone
    was several screens of citations."""
    tree_id, step_id = _pick_longest()
    context = browser.new_context(viewport=PHONE, java_script_enabled=js)
    page = context.new_page()
    try:
        goto(page, f"{example_urls['staff']}what-to-do/{tree_id}/#{step_id}")
        step = page.locator(f"#{step_id}")
        assert step.is_visible()
        rests_on = page.evaluate("""(id) => Array.from(document.getElementById(id).querySelectorAll('p, details'))
            .filter((el) => el.textContent.trim().startsWith('This rests on')).map((el) => el.tagName)""", step_id)
        assert rests_on == ["DETAILS"]
        block = step.locator("details.tree-cites")
        assert block.get_attribute("open") is None
        closed = block.bounding_box()["height"]
        assert closed < 60, f"the closed 'This rests on' is {closed:.0f}px high"
        block.locator("summary").click()
        assert block.get_attribute("open") is not None
        opened = block.bounding_box()["height"]
        assert opened <= PHONE["height"], f"the citations of {tree_id}#{step_id} are {opened:.0f}px: over a screen"
    finally:
        context.close()


_UNDER_HEADER = """(id) => {
  const header = document.querySelector('.md-header').getBoundingClientRect();
  const target = document.getElementById(id);
  const heading = target.matches('.tree-step') ? target.querySelector('.tree-step-title') : target;
  return {header: header.bottom, top: heading.getBoundingClientRect().top};
}"""


_STILL = """async (id) => {
  const target = document.getElementById(id);
  const heading = target.matches('.tree-step') ? target.querySelector('.tree-step-title') : target;
  const where = () => heading.getBoundingClientRect().top + ',' + scrollY;
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const until = performance.now() + 3000;
  let last = null, same = 0;
  while (same < 2 && performance.now() < until) {
    await frame();
    const now = where();
    same = now === last ? same + 1 : 0;
    last = now;
  }
}"""


def _still(page, target: str, js: bool) -> None:
    """Wait until a jump to ``target`` has stopped scrolling (it was a fixed 300 ms). With scripts on, tree.js
    shows the step and scrolls it into view on the hashchange, a task after the jump: wait until the heading
    has stayed put for two frames running (at most 3 s). Without scripts the browser's own jump is over when
    the navigation is (site.css turns smooth scrolling off), and the page runs no frame callbacks to wait with."""
    if js:
        page.evaluate(_STILL, target)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("view", list(VIEWPORTS))
def test_a_step_jumped_to_is_below_the_sticky_header(browser, example_urls, view, js):
    """A step (and a part of it: its actions, its contacts) opened by its link or jumped to on the page shows its
    heading below Material's sticky header, not under it."""
    tree_id, step_id = _pick_longest()
    context = browser.new_context(viewport=VIEWPORTS[view], java_script_enabled=js)
    page = context.new_page()
    try:
        url = f"{example_urls['staff']}what-to-do/{tree_id}/"
        for target in (step_id, f"{step_id}-do", f"{step_id}-contacts"):
            goto(page, f"{url}#{target}", idle=False)  # a question of layout, not of requests
            _still(page, target, js)
            found = page.evaluate(_UNDER_HEADER, target)
            assert found["top"] >= found["header"], f"#{target} ({view}): heading at {found['top']:.0f}px, " \
                                                    f"under the header ending at {found['header']:.0f}px"
            # Jumped to from further down the page (a link followed on the page itself).
            page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
            page.evaluate("(id) => { location.hash = ''; location.hash = id; }", target)
            _still(page, target, js)
            found = page.evaluate(_UNDER_HEADER, target)
            assert found["top"] >= found["header"], f"#{target} ({view}, jumped): heading at {found['top']:.0f}px, " \
                                                    f"under the header ending at {found['header']:.0f}px"
    finally:
        context.close()


@pytest.mark.parametrize("view", list(VIEWPORTS))
def test_a_placeholder_dsl_in_the_emergency_panel_is_a_short_token(browser, example_urls, view):
    """The example school's DSL is still 'to be confirmed': inside the panel's sentence it is a one-line token on
    the screen, not "(… : to be confirmed — the school has not yet added these details)" mid-sentence."""
    tree_id, step_id = _pick_longest()
    context = browser.new_context(viewport=VIEWPORTS[view])
    page = context.new_page()
    try:
        goto(page, f"{example_urls['staff']}what-to-do/{tree_id}/#{step_id}")
        panel = page.locator(f"#{step_id} .tree-emergency")
        assert "not yet added" not in panel.text_content()
        token = panel.locator(".tree-tbc")
        assert token.text_content() == "to be confirmed"
        box = token.bounding_box()
        assert box["height"] < 30 and box["x"] + box["width"] <= VIEWPORTS[view]["width"]
    finally:
        context.close()
