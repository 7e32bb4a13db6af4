"""Trees v2 and issue 14 in a real Chromium: answers that survive within the tab, cross-tree walks
(JavaScript on and off), the first question above the fold on a phone, the skip link to the
answers, printing a guide (never the diagram), the blank record, and a 20-step diagram that fits
its box at phone and desktop width.

The cross-tree walks use the small fixture project tests/fixtures/trees-v2 (two trees linked by
an answer and an "Also follow"), built here with its own built-in data folder; the rest use the
session's build of the real data (``site_urls``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from browser_harness import DESKTOP, REPO, goto, serve_directory

pytestmark = pytest.mark.browser

FIXTURES = REPO / "tests" / "fixtures"
PHONE_TALL = {"width": 390, "height": 844}
STORED = """() => ({local: localStorage.length, session: Object.keys(sessionStorage).sort(), cookie: document.cookie})"""
TRAIL = """() => Array.from(document.querySelectorAll('.tree-trail li'))
    .map((li) => li.textContent.replace(/\\s+/g, ' ').replace(/ Change$/, '').trim())"""
VISIBLE_STEPS = """() => Array.from(document.querySelectorAll('.tree-step'))
    .filter((s) => s.getClientRects().length > 0).map((s) => s.id)"""


def _staff_trees():
    from datetime import date

    from generator.load.models import Audience
    from generator.pipeline import check

    project = check(REPO, date(2026, 11, 24)).project
    assert project is not None
    return project, {site: [t for t in project.trees if site == "staff" or Audience.parents in t.audiences]
                     for site in ("staff", "parents")}


PROJECT, SITE_TREES = _staff_trees()


def new_page(browser, js: bool = True, viewport=DESKTOP):
    """A page in a context of its own, and the script errors it raises. Its requests are not recorded (no test
    here reads them; CHROMIUM_ARGS keeps every page from reaching another host): Playwright's routing, which a
    recorder needs, stops each request and turns the browser's cache off."""
    context = browser.new_context(viewport=viewport, java_script_enabled=js)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def wait_for_step(page, step_id: str) -> None:
    page.wait_for_function("(id) => { const s = document.getElementById(id);"
                           " return s && s.getClientRects().length > 0; }", arg=step_id, timeout=5000)
    assert page.evaluate(VISIBLE_STEPS) == [step_id]


def answer(page, step: str, choice: str) -> None:
    page.locator(f'#{step} a.tree-answer[data-answer="{choice}"]').click()


def longest_walk():
    from generator.load.paths import enumerate_paths

    tree = max(SITE_TREES["staff"], key=lambda t: (len(t.nodes), t.id))
    path = max(enumerate_paths(tree), key=lambda p: len(p.steps))
    return tree, path


def walk(page, path, count: int | None = None) -> None:
    steps = path.steps if count is None else path.steps[:count]
    for index, step in enumerate(steps):
        selector = (f"#{step.node} a.tree-next" if step.choice == "next_step"
                    else f'#{step.node} a.tree-answer[data-answer="{step.choice}"]')
        page.locator(selector).click()
        following = path.steps[index + 1].node if index + 1 < len(path.steps) else path.outcome
        wait_for_step(page, following)


# --- answers survive within the tab, and only there ------------------------------------------

def test_answers_survive_reload_and_a_citation_and_back_then_are_forgotten(browser, site_urls):
    """Bug caught: answers kept in page memory only (issue 14: Back or reload emptied them)."""
    tree, path = longest_walk()
    url = f"{site_urls['staff']}what-to-do/{tree.id}/"
    context, page, errors = new_page(browser)
    try:
        goto(page, url)
        walk(page, path)
        before = page.evaluate(TRAIL)
        assert len(before) == len(path.steps)

        page.reload(wait_until="load")
        wait_for_step(page, path.outcome)
        assert page.evaluate(TRAIL) == before, "a reload lost the answers"

        # A citation: the step's "This rests on" opens first (its citations are behind one <details>).
        page.locator(f"#{path.outcome} details.tree-cites > summary").click()
        link = page.locator(f'#{path.outcome} details.tree-cites a[href^="../"]').first
        link.click()
        page.wait_for_load_state("load")
        assert "/what-to-do/" + tree.id not in page.url
        page.go_back(wait_until="load")
        wait_for_step(page, path.outcome)
        assert page.evaluate(TRAIL) == before, "following a link and coming Back lost the answers"
        assert page.evaluate(STORED) == {"local": 0, "session": ["policy-tree-answers"], "cookie": ""}

        # A new tab starts empty (sessionStorage belongs to the tab).
        other = context.new_page()
        goto(other, url + "#" + path.outcome)
        assert other.evaluate(TRAIL) == [] and other.locator(".tree-trail").is_hidden()
        other.close()

        forget = page.locator(".tree-trail .tree-forget")
        assert forget.is_visible() and forget.text_content() == "Forget my answers"
        forget.click()
        assert page.locator(".tree-trail").is_hidden()
        assert page.evaluate(STORED) == {"local": 0, "session": [], "cookie": ""}
        page.reload(wait_until="load")
        assert page.evaluate(TRAIL) == []
        assert not errors
    finally:
        context.close()


def test_start_again_forgets_the_answers(browser, site_urls):
    tree, path = longest_walk()
    context, page, errors = new_page(browser)
    try:
        goto(page, f"{site_urls['staff']}what-to-do/{tree.id}/")
        walk(page, path, 2)
        assert page.evaluate(STORED)["session"] == ["policy-tree-answers"]
        page.locator(f"#{path.steps[2].node if len(path.steps) > 2 else path.outcome} a.tree-restart").click()
        wait_for_step(page, tree.nodes[0].id)
        assert page.evaluate(STORED) == {"local": 0, "session": [], "cookie": ""}
        page.reload(wait_until="load")
        assert page.evaluate(TRAIL) == []
        assert not errors
    finally:
        context.close()


def test_a_step_url_works_without_javascript(browser, site_urls):
    tree, path = longest_walk()
    context, page, errors = new_page(browser, js=False)
    try:
        goto(page, f"{site_urls['staff']}what-to-do/{tree.id}/#{path.outcome}")
        assert page.evaluate(VISIBLE_STEPS) == [path.outcome]
    finally:
        context.close()


# --- cross-tree walks (fixture project) ------------------------------------------------------

@pytest.fixture(scope="module")
def v2_site(tmp_path_factory):
    from datetime import date

    from generator.build.mkdocs_build import build_sites, version_info
    from generator.load.loader import load_project
    from generator.pipeline import BASE_CONFIG, THEME_DIR
    from generator.render.renderer import render_project
    from generator.checks.validate import validate_project

    project, diagnostics = validate_project(load_project(FIXTURES / "trees-v2", FIXTURES / "trees-v2-data"),
                                            date(2026, 11, 24))
    assert project is not None, [str(d) for d in diagnostics if d.is_error]
    from generator.build.pdf import attach_pdfs

    rendered = render_project(project, BASE_CONFIG, THEME_DIR)
    out = tmp_path_factory.mktemp("v2") / "site"
    attach_pdfs(project, rendered, out.parent / "pdf-cache")  # every policy page links its PDF
    build_sites({"staff": rendered["staff"]}, out.parent / "work", out,
                version_info(FIXTURES / "trees-v2", [], date(2026, 11, 24)))
    with serve_directory(out / "staff") as url:
        yield url


def test_cross_tree_answer_carries_the_trail_with_javascript(browser, v2_site):
    """Bug caught: an answer into another tree restarting it with no answers (issue 11 item 3)."""
    context, page, errors = new_page(browser)
    try:
        goto(page, f"{v2_site}what-to-do/concern/")
        answer(page, "is_child_in_danger", "no")
        wait_for_step(page, "what_happened")
        page.locator("#what_happened .tree-criteria input[type=checkbox]").first.check()
        answer(page, "what_happened", "adult")
        page.wait_for_url("**/what-to-do/allegation/#report_allegation")
        wait_for_step(page, "report_allegation")
        assert page.evaluate(TRAIL) == [
            "I am worried about a child: Is a child in immediate danger? No",
            "I am worried about a child: What has happened? It is about an adult "
            "(applied: A child told you something.)",
        ]
        change = page.locator(".tree-trail a.tree-change").first
        assert change.get_attribute("href").endswith("/what-to-do/concern/#is_child_in_danger")
        # The record carries the answers from the first guide too.
        page.evaluate("() => { window.print = () => {}; }")
        page.locator("#report_allegation .tree-print button").first.click()
        assert "It is about an adult" in page.locator(".tree-record").text_content()
        assert not errors
    finally:
        context.close()


def test_cross_tree_answer_without_javascript_names_no_origin(browser, v2_site):
    """Without scripts the page cannot know the walk: it names no guide the reader may not have come from
    (bug caught, issue 27: "You may have come from: …" on a step reached directly)."""
    context, page, errors = new_page(browser, js=False)
    try:
        goto(page, f"{v2_site}what-to-do/concern/#what_happened")
        answer(page, "what_happened", "adult")
        page.wait_for_url("**/what-to-do/allegation/#report_allegation")
        assert page.evaluate(VISIBLE_STEPS) == ["report_allegation"]
        assert page.locator(".tree-came-from").count() == 0
        assert "come from" not in page.locator("#report_allegation").text_content()
    finally:
        context.close()


def test_you_came_from_only_after_coming_from_there(browser, v2_site):
    """With scripts: "You came from" on the step a walk arrived at from another guide, linking back to the
    question answered there; not on that step opened directly, nor on the next step of this guide."""
    context, page, errors = new_page(browser)
    try:
        goto(page, f"{v2_site}what-to-do/allegation/#report_allegation")
        wait_for_step(page, "report_allegation")
        assert page.locator(".tree-came-from").count() == 0  # reached directly: no guess
        goto(page, f"{v2_site}what-to-do/concern/#what_happened")
        wait_for_step(page, "what_happened")
        answer(page, "what_happened", "adult")
        page.wait_for_url("**/what-to-do/allegation/#report_allegation")
        wait_for_step(page, "report_allegation")
        came = page.locator("#report_allegation .tree-came-from")
        assert came.text_content() == "You came from: I am worried about a child: What has happened?"
        assert came.locator("a").get_attribute("href").endswith("/what-to-do/concern/#what_happened")
        assert page.locator(".tree-came-from").count() == 1
        assert not errors
    finally:
        context.close()


# --- phones and keyboards --------------------------------------------------------------------

@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("site", ["staff", "parents"])
def test_first_question_and_its_answers_are_above_the_fold_on_a_phone(site, js, browser, site_urls):
    """Bug caught: help text and panels pushing the answers below the fold at 390x844 (issue 14)."""
    context, page, errors = new_page(browser, js, PHONE_TALL)
    low = []
    try:
        for tree in SITE_TREES[site]:
            goto(page, f"{site_urls[site]}what-to-do/{tree.id}/", idle=False)
            start = tree.nodes[0].id
            bottoms = page.evaluate(
                """(id) => [document.getElementById(id + '-h'),
                            ...document.querySelectorAll('#' + id + ' a.tree-answer')]
                    .map((el) => el.getBoundingClientRect().bottom)""", start)
            if max(bottoms) > PHONE_TALL["height"]:
                low.append(f"{tree.id}: lowest answer ends at {max(bottoms):.0f}px")
    finally:
        context.close()
    assert not low, "below the fold at 390x844:\n" + "\n".join(low)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_skip_link_goes_straight_to_the_first_answer(js, browser, site_urls):
    tree = SITE_TREES["staff"][0]
    start = tree.nodes[0].id
    context, page, errors = new_page(browser, js)
    try:
        goto(page, f"{site_urls['staff']}what-to-do/{tree.id}/")
        for presses in range(1, 4):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.classList.contains('tree-skip-answers')"):
                break
        else:
            pytest.fail("no 'Skip to the answers' link within 3 Tabs")
        assert page.evaluate("() => document.activeElement.textContent.trim()") == "Skip to the answers"
        page.keyboard.press("Enter")
        if not js:
            page.keyboard.press("Tab")  # focus starts from the answers' box: the next Tab is the first answer
        # With script, focus moves on the hashchange that follows Enter, a task later: wait for it
        # (up to 2 s) rather than read the focus before it can have moved.
        on_first = f"() => document.activeElement === document.querySelector('#{start} a.tree-answer')"
        try:
            page.wait_for_function(on_first, timeout=2000)
        except PlaywrightTimeout:
            pass
        assert page.evaluate(on_first), page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
        assert page.evaluate(VISIBLE_STEPS) == [start]
        assert not errors
    finally:
        context.close()


# --- printing ---------------------------------------------------------------------------------

PRINTED = """() => {
  const shown = (sel) => [...document.querySelectorAll(sel)].some((el) => el.checkVisibility());
  return {overview: shown('.tree-overview'), diagram: shown('.tree-diagram svg'),
          steps: [...document.querySelectorAll('.tree-step')].filter((s) => s.checkVisibility()).map((s) => s.id),
          trail: shown('.tree-trail')};
}"""


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_printing_a_guide_prints_the_step_and_answers_never_the_diagram(js, browser, site_urls):
    """Bug caught: Ctrl+P printing the whole-tree diagram (11 pages, cut off at the right; issue 14)."""
    tree, path = longest_walk()
    context, page, errors = new_page(browser, js)
    try:
        goto(page, f"{site_urls['staff']}what-to-do/{tree.id}/")
        if js:
            walk(page, path)
        else:
            goto(page, f"{site_urls['staff']}what-to-do/{tree.id}/#{path.outcome}")
        page.emulate_media(media="print")
        page.wait_for_timeout(100)
        printed = page.evaluate(PRINTED)
        assert printed == {"overview": False, "diagram": False, "steps": [path.outcome], "trail": js}, printed
    finally:
        context.close()


def test_blank_record_for_paper_fits_one_page(browser, site_urls):
    tree, path = longest_walk()
    outcome = next(node for node in tree.nodes if node.id == path.outcome)
    context, page, errors = new_page(browser)
    try:
        goto(page, f"{site_urls['staff']}what-to-do/{tree.id}/#{path.outcome}")
        page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
        page.locator(f"#{path.outcome} .tree-print-blank").click()
        assert page.evaluate("() => window.__printed") == 1
        record = page.locator(".tree-record")
        text = " ".join(record.text_content().split())
        assert record.locator("ol > li").count() == 0
        assert "1. Question and answer:" in text and "Date and time: ____________" in text
        assert record.locator(".tree-record-checklist > li").count() == len(outcome.actions)
        for field in ("Completed by (name and role):", "Child's initials:", "Class:",
                      "What was said, in their own words:"):
            assert field in text
        page.emulate_media(media="print")
        height = page.evaluate("() => document.querySelector('.tree-record').getBoundingClientRect().height")
        assert height < (297 - 2 * 12) / 25.4 * 96, f"the blank record is {height:.0f}px tall"
        assert not errors
    finally:
        context.close()


# --- the diagram of a 20-step tree ------------------------------------------------------------

def twenty_step_tree():
    """Ten questions in a chain, each with a way out to its own outcome; the last question loops back
    to the third (a loop), and the fifth has a forward answer to the second question's outcome,
    drawn higher up (not a loop). Labels that differ only in their last words."""
    from generator.load.models import DecisionTree

    nodes = []
    for n in range(1, 11):
        nxt = f"q{n + 1}" if n < 10 else "q3"
        answers = [{"id": "on", "label": f"Yes, and the image shows a child aged {n} to {n + 5} years", "next": nxt},
                   {"id": "out", "label": f"Yes, and the image shows a child aged {n} to {n + 6} years",
                    "next": f"o{n}"}]
        if n == 5:
            answers.append({"id": "back", "label": "Something else happened earlier", "next": "o2"})
        nodes.append({"kind": "question", "id": f"q{n}",
                      "question": f"Question {n}: does the concern involve a long description of what happened?",
                      "answers": answers})
    for n in range(1, 11):
        nodes.append({"kind": "outcome", "id": f"o{n}", "title": f"Outcome {n}: tell the DSL and write it down",
                      "summary": "Summary.", "actions": [{"text": "Act.", "who": "you"}],
                      "cites": ["policy#clause"]})
    return DecisionTree.model_validate({
        "id": "twenty", "title": "Twenty steps", "use_when": "Testing.", "audiences": ["staff"],
        "owner": "DSL", "last_reviewed": "2026-09-01", "version": "1.0", "safeguarding": False, "nodes": nodes})


DIAGRAM_FIT = """() => {
  const box = document.querySelector('.tree-diagram').getBoundingClientRect();
  const svg = document.querySelector('.tree-diagram svg').getBoundingClientRect();
  const rects = [...document.querySelectorAll('.tree-diagram rect')].map((r) => r.getBoundingClientRect());
  const outside = rects.filter((r) => r.left < box.left - 0.5 || r.right > box.right + 0.5).length;
  const texts = [...document.querySelectorAll('.tree-diagram g.t text')].map((t) => t.getBoundingClientRect());
  const loose = texts.filter((t) => !rects.some((r) => t.left >= r.left - 0.5 && t.right <= r.right + 0.5
      && t.top >= r.top - 0.5 && t.bottom <= r.bottom + 0.5)).length;
  return {outside, loose, rects: rects.length, svgRight: svg.right, boxRight: box.right,
          scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth};
}"""


@pytest.mark.parametrize("viewport", [PHONE_TALL, DESKTOP], ids=["phone", "desktop"])
def test_twenty_step_diagram_fits_its_box(viewport, browser):
    """Bug caught: a wide diagram cut off at its box's edge (issue 11 item 7)."""
    from generator.render.diagram import render_svg

    svg = render_svg(twenty_step_tree())
    css = (REPO / "generator" / "theme" / "assets" / "stylesheets" / "site.css").read_text(encoding="utf-8")
    html = (f"<!doctype html><html><head><meta name='viewport' content='width=device-width'><style>{css}"
            "body{margin:0 12px}</style></head><body><div class='md-typeset'><details class='tree-overview' open>"
            f"<summary>Whole tree</summary><div class='tree-diagram'>{svg}</div></details></div></body></html>")
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.set_content(html)
        fit = page.evaluate(DIAGRAM_FIT)
        assert fit["rects"] == 20
        assert fit["outside"] == 0 and fit["svgRight"] <= fit["boxRight"] + 0.5, fit
        assert fit["loose"] == 0, f"{fit['loose']} step titles spill out of their boxes"
        assert fit["scroll"] <= fit["client"], fit
    finally:
        context.close()
