"""Issue 3, part 7 (browser half): every path through every decision tree, in a real Chromium.

For every tree on each site (the list and the paths come from the data:
``generator.pipeline.check(root, today).project.trees`` and ``generator.load.paths.enumerate_paths``),
every path is walked twice, with JavaScript on (here) and with it off (test_tree_walks_no_js.py), by
clicking the answer links in order. After every click exactly one step is visible and it is the step the path
expects; at the end it is the path's outcome. One page is loaded per tree and mode; the paths are walked in the
order of their answers, and between two paths the walk goes Back in the browser's history to where
they part (or by the "Start again" link when they part at the first question), so an answer shared
by many paths is clicked once and stepping is pure #fragment navigation. The test asserts that
every path was walked, that stepping made no network request at all and stored nothing (no
cookies, no web storage).

With JavaScript the walk also checks what tree.js adds: the "Your answers so far" list, focus on
the new step's heading and the "Step N: …" announcement. Further tests: one path driven by the
keyboard alone (Tab and Enter, both modes), the Back and Forward buttons, "Change" links, the
printable record and the guides' filter box.

The walks are tests of the tool, so they walk the example school's guides (tests/fixtures/wexham, served by
``example_urls`` in tests/browser/conftest.py): they need a parents' guide and questions in a row, which the
school at the root (a fork's) may not have. Every guide of the root school is still checked by `check`, the
path tests and axe on every built page.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from browser_harness import DESKTOP, REPO, RequestRecorder, goto

from generator.render.diagram import plain
from generator.load.models import Audience, Question
from generator.load.paths import TreePath, enumerate_paths

pytestmark = pytest.mark.browser

PROJECT = REPO / "tests" / "fixtures" / "wexham"
"""The example school (its sites are ``example_urls``): walking needs a parents' guide and questions in a row."""


def _load_trees():
    from generator.pipeline import check

    today = os.environ.get("POLICY_TODAY")
    result = check(PROJECT, date.fromisoformat(today) if today else date.today())
    if not result.ok:
        return None, "\n".join(str(d) for d in result.diagnostics if d.is_error)
    return result.project.trees, ""


TREES, LOAD_ERROR = _load_trees()
CASES = [
    (site, tree)
    for site in ("staff", "parents")
    for tree in (TREES or [])
    if site == "staff" or Audience.parents in tree.audiences
]
CASE_IDS = [f"{site}-{tree.id}" for site, tree in CASES]

# What is at the point (x, y) if it is not `link` or inside it ("" when a click there would be the link's).
COVERED_BY = """(link, x, y) => {
    const hit = document.elementFromPoint(x, y);
    return link && hit && (link === hit || link.contains(hit)) ? "" :
        (hit ? hit.tagName.toLowerCase() + (hit.id ? "#" + hit.id : "") + "." + hit.className + ": "
            + (hit.textContent || "").trim().slice(0, 80) : "nothing");
}"""
# The steps on screen, once `id` shows (tree.js reacts to hashchange, a task after the click;
# without scripts the :target rule applies as the click navigates, so there is no wait), and
# where to click next: the centre of the link `next` (scrolled to when not whole on screen), or null, with
# what covers that point. Read in the same look, so that a walk asks the browser once per click for all it checks
# (each question to the browser is a round trip through the Playwright driver: the walk's time):
# the location's hash and the kind of step `id`; whether a history traversal to `id` is over
# (`settled`); and what tree.js shows with scripts on (the answers so far, focus, the live region).
# With `back`, history goes back that many entries first and, with scripts on, the look waits until
# the traversal is over too.
STEP_STATE = """async ([id, next, wait, back]) => {
    const coveredBy = """ + COVERED_BY + """;
    const visible = () => Array.from(document.querySelectorAll('.tree-step'))
        .filter((step) => step.getClientRects().length > 0).map((step) => step.id);
    // Over when the location is the step's and the Navigation API has no traversal under way: a click
    // made while it is still settling was seen lost (the hash put back to the step clicked from).
    const settled = () => location.hash === '#' + id && !(window.navigation && navigation.transition);
    if (back) history.go(-back);
    // Up to 10 s: a step usually shows within a few ms, but on two cores shared by three test processes and
    // their browsers the hashchange's task has been seen to come after more than the 1 s allowed before.
    const started = performance.now();
    while (wait && performance.now() - started < 10000 && !(visible().includes(id) && (!back || settled()))) {
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
    let centre = null, covered = null;
    const link = next && document.querySelector(next);
    const measure = () => {
        const box = link.getBoundingClientRect();
        centre = {x: box.left + box.width / 2, y: box.top + box.height / 2};
        covered = coveredBy(link, centre.x, centre.y);
        return box.top >= 0 && box.bottom <= innerHeight && box.left >= 0 && box.right <= innerWidth;
    };
    // A link already whole on screen and uncovered is clicked where it is: scrolling to it anyway cost a scroll,
    // a repaint and new tiles per click (most of the walk's clicks). Off screen or covered (the sticky header),
    // it is scrolled to the middle and measured again.
    if (link && link.getClientRects().length > 0 && (!measure() || covered)) {
        link.scrollIntoView({block: "center", behavior: "instant"});
        measure();
    }
    const step = id && document.getElementById(id);
    const trail = document.querySelector('.tree-trail');
    const live = document.querySelector('.tree-sr[aria-live]');
    return {
        visible: visible(), centre, covered, hash: location.hash, settled: Boolean(id) && settled(),
        kind: step ? step.getAttribute('data-kind') : null,
        trail: trail ? Array.from(trail.querySelectorAll('li strong')).map((s) => s.textContent) : [],
        trailShown: Boolean(trail && !trail.hidden),
        focused: document.activeElement && document.activeElement.id,
        live: live ? live.textContent : "",
    };
}"""
STORED = """() => ({local: localStorage.length, session: Object.keys(sessionStorage).sort(), cookie: document.cookie})"""
# What a walk may leave behind: this tab's answers, in sessionStorage only (issue 14).
KEPT = {"local": 0, "session": ["policy-tree-answers"], "cookie": ""}
NOTHING_KEPT = {"local": 0, "session": [], "cookie": ""}


def test_there_are_trees_to_walk():
    assert TREES is not None, f"the project in {PROJECT} does not validate:\n{LOAD_ERROR}"
    assert any(site == "staff" for site, _ in CASES), "no decision tree on the staff site"
    assert any(site == "parents" for site, _ in CASES), "no decision tree on the parents' site"


# --- helpers ---------------------------------------------------------------------------------

def tree_url(example_urls, site: str, tree) -> str:
    return f"{example_urls[site]}what-to-do/{tree.id}/"


def new_page(browser, js: bool):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=js)
    recorder = RequestRecorder().attach(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, recorder, page, errors


def step_state(page, step_id: str | None = None, next_link: str | None = None, wait: bool = False,
               back: int = 0) -> dict:
    # A page with scripts off cannot run the waiting promise's timers: it never needs to wait.
    return page.evaluate(STEP_STATE, [step_id, next_link, wait, back])


def visible_steps(page) -> list[str]:
    return step_state(page)["visible"]


HIT = "([selector, x, y]) => (" + COVERED_BY + ")(document.querySelector(selector), x, y)"


def click(page, selector: str, state: dict | None = None, js: bool = True) -> None:
    """A real mouse click in the middle of a visible link (quicker than Locator.click, as real). ``state`` is
    a step_state that measured the link (or None: measured here). The point is checked to be the link's: by
    the look that measured it and, with scripts on, once more just before the click, as tree.js may still
    move the page (seen once on loaded cores); if it has moved, it is measured again. With scripts off
    nothing on the page can move it after the look, so the check made in the look stands (a round trip to
    the browser less per click). A link still covered by something else fails, naming what covers it."""
    state = state or step_state(page, None, selector)
    centre = state["centre"]
    assert centre, f"{selector} is not on screen"
    covered = page.evaluate(HIT, [selector, centre["x"], centre["y"]]) if js else state["covered"]
    if covered:
        state = step_state(page, None, selector)
        centre, covered = state["centre"], state["covered"]
        assert centre, f"{selector} is not on screen"
        assert not covered, f"{selector} is covered at its centre by {covered}"
    page.mouse.click(centre["x"], centre["y"])


def wait_for_step(page, step_id: str, js: bool, where: str, next_link: str | None = None, back: int = 0) -> dict:
    """Exactly one step is visible, and it is ``step_id``; returns the step_state (where ``next_link`` is...)."""
    return only_step(step_state(page, step_id, next_link, wait=js, back=back), step_id, where)


def only_step(state: dict, step_id: str, where: str) -> dict:
    assert state["visible"] == [step_id], \
        f"{where}: expected only step '{step_id}' to be visible, saw {state['visible']} at {state['hash']}"
    return state


def load(page, url: str, js: bool) -> None:
    """Load a guide before a walk whose stepping must make no request: the count of requests starts here.

    With scripts on, Material's search worker may still be fetching its script and the search index as the page
    loads: the count starts once the network has been quiet for 0.5 s. Without scripts a page asks for nothing
    after its load event (no worker, no fetch; its stylesheets are in before the event), so it starts at the
    event: a request after it could only be one that stepping made (a lazy image on a step shown, say), which
    the walk counts and fails on, so nothing is let through by not waiting: 0.5 s less per page.
    """
    goto(page, url, idle=js)


def requests_while_stepping(page, requests: list) -> list:
    """Requests made after the page loaded: there must be none at all.

    (The site icon is inline in mkdocs.yml for this reason: Chromium re-requests a linked icon
    after every same-document navigation.)
    """
    return list(requests)


def answer_selector(node_id: str, choice: str) -> str:
    if choice == "next_step":
        return f"#{node_id} a.tree-next"
    return f'#{node_id} a.tree-answer[data-answer="{choice}"]'


def expected_labels(tree, path: TreePath) -> list[str]:
    nodes = {node.id: node for node in tree.nodes}
    labels = []
    for step in path.steps:
        node = nodes[step.node]
        if isinstance(node, Question):
            labels.append(next(a.label for a in node.answers if a.id == step.choice))
        else:
            labels.append(node.next_step.text)
    return [plain(label) for label in labels]


def norm(text: str) -> str:
    return " ".join(text.split())


def walk(page, tree, path: TreePath, js: bool, where: str, state: dict | None = None) -> dict:
    """From the first step, click the path's answers in order, checking the step after each; returns the
    step_state of the last step (``state``: one that measured where the first answer is, if known)."""
    for index, step in enumerate(path.steps):
        click(page, answer_selector(step.node, step.choice), state, js)
        following = path.steps[index + 1] if index + 1 < len(path.steps) else None
        state = wait_for_step(page, following.node if following else path.outcome, js,
                              f"{where}, after {step.node}={step.choice}",
                              answer_selector(following.node, following.choice) if following else None)
    return state if path.steps else step_state(page, path.outcome)


def restart(page, tree, path: TreePath, js: bool, where: str) -> dict:
    """Back to the first step with its "Start again" link; returns where the path's first answer is."""
    start = tree.nodes[0].id
    first = answer_selector(path.steps[0].node, path.steps[0].choice) if path.steps else None
    shown = visible_steps(page)
    if shown != [start]:
        assert len(shown) == 1, f"{where}: {shown} visible"
        click(page, f"#{shown[0]} a.tree-restart", js=js)
    return wait_for_step(page, start, js, f"{where}, after Start again", first)


# --- every path, JavaScript on and off -------------------------------------------------------

def answers(path: TreePath) -> tuple:
    return tuple((step.node, step.choice) for step in path.steps)


def shared_steps(one: TreePath, other: TreePath) -> int:
    """How many answers, from the first, two paths have in common."""
    count = 0
    for mine, theirs in zip(answers(one), answers(other)):
        if mine != theirs:
            break
        count += 1
    return count


def go_back_to(page, steps: int, step_id: str, js: bool, where: str, next_link: str | None = None) -> dict:
    """Back ``steps`` answers with the browser's history (Back pressed that many times at once); returns
    the step_state (where ``next_link`` is).

    The traversal is queued: it is waited for until the browser says it is over (step_state's `settled`):
    a click made while it is still settling was seen lost, the hash put back to the step clicked from, on two
    loaded cores. With scripts on, the look that goes back waits in the page; with them off the page runs no
    timers, so the looks are repeated from here."""
    where = f"{where}, after {steps} step(s) Back"
    if js:
        return wait_for_step(page, step_id, js, where, next_link, back=steps)
    page.evaluate("(steps) => history.go(-steps)", steps)
    for _ in range(2000):
        state = step_state(page, step_id, next_link)
        if state["settled"]:
            break
        page.wait_for_timeout(5)
    return only_step(state, step_id, where)


@pytest.mark.parametrize("site,tree", CASES, ids=CASE_IDS)
def test_every_path_reaches_its_outcome(site, tree, browser, example_urls):
    """With JavaScript on (off: test_tree_walks_no_js.py, a file of its own so that the two halves of the
    suite's longest walks run in two processes side by side)."""
    walk_every_path(site, tree, True, browser, example_urls)


def walk_every_path(site, tree, js: bool, browser, example_urls) -> None:
    """Every path is walked by clicking, in the order of its answers, so paths that begin alike follow
    one another: the next path goes Back (history) to where the two part, or by "Start again" when
    they part at the first question, and clicks on from there. Every answer of every path is still
    clicked in the page and every step and outcome checked; a shared beginning is clicked once, not
    once per path (the walk of the biggest guide took 8 times the clicks)."""
    # Paths that leave into another guide's step end on another page: walking across guides, with
    # JavaScript on and off, is tested in test_tree_v2.py; the targets themselves are validated (E407/E416).
    paths = sorted((path for path in enumerate_paths(tree) if "#" not in path.outcome), key=answers)
    start = tree.nodes[0].id
    nodes = {node.id: node for node in tree.nodes}
    clicked: list[tuple] = []  # the answers that led to the step on screen, as clicked
    walked: list[tuple] = []  # the answers clicked to each outcome checked
    context, recorder, page, errors = new_page(browser, js)
    try:
        load(page, tree_url(example_urls, site, tree), js)
        assert visible_steps(page) == [start], "the first step shows when the URL names no step"
        loaded = len(recorder.requests)

        previous = None
        for number, path in enumerate(paths, start=1):
            where = f"{site} {tree.id} path {number}/{len(paths)} ({path})"
            shared = shared_steps(previous, path) if previous else 0
            # Sorted by their answers, a path comes before the longer ones it begins: never back to it.
            assert previous is None or shared < len(path.steps), f"{where}: walked before ({previous})"
            following = path.steps[shared] if shared < len(path.steps) else None
            del clicked[shared:]
            if shared == 0:
                state = restart(page, tree, path, js, where)
            elif shared < len(previous.steps):
                state = go_back_to(page, len(previous.steps) - shared, following.node, js, where,
                                   answer_selector(following.node, following.choice))
            else:  # the previous path ended at an outcome that this one carries on from
                state = None
            # The outcome as the last look saw it (step_state reads all of this in the look that found it shown).
            state = walk(page, tree, TreePath(steps=path.steps[shared:], outcome=path.outcome), js, where, state)
            clicked.extend(answers(path)[shared:])
            assert state["kind"] == "outcome", where
            assert state["hash"] == f"#{path.outcome}", where
            if js:
                labels = expected_labels(tree, path)
                assert [norm(t) for t in state["trail"]] == [norm(t) for t in labels], f"{where}: answers so far"
                assert state["trailShown"] == bool(path.steps), where
                if path.steps:
                    assert state["focused"] == f"{path.outcome}-h", f"{where}: focus is not on the step's heading"
                    title = norm(plain(nodes[path.outcome].title))
                    assert norm(state["live"]) == f"Step {len(path.steps) + 1}: {title}", where
            walked.append(tuple(clicked))
            previous = path

        # Every path walked, each once: counted against the list from the data, not the walk.
        assert sorted(walked) == sorted(answers(path) for path in enumerate_paths(tree) if "#" not in path.outcome)
        made = requests_while_stepping(page, recorder.requests[loaded:])
        assert made == [], f"stepping made network requests: {made}"
        assert not recorder.blocked
        assert page.evaluate(STORED) == (KEPT if js and previous.steps else NOTHING_KEPT)
        assert not errors, f"script errors: {errors}"
    finally:
        context.close()


# --- keyboard alone --------------------------------------------------------------------------

def _longest(trees_on_site):
    tree = max(trees_on_site, key=lambda t: (len(t.nodes), t.id))
    path = max(enumerate_paths(tree), key=lambda p: len(p.steps))
    return tree, path


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_path_by_keyboard_alone(js, browser, example_urls):
    tree, path = _longest([tree for site, tree in CASES if site == "staff"])
    context, recorder, page, errors = new_page(browser, js)
    try:
        load(page, tree_url(example_urls, "staff", tree), js)
        loaded = len(recorder.requests)
        presses = []
        for index, step in enumerate(path.steps):
            selector = answer_selector(step.node, step.choice)
            for count in range(1, 151):
                page.keyboard.press("Tab")
                if page.evaluate("(sel) => document.activeElement === document.querySelector(sel)", selector):
                    break
            else:
                pytest.fail(f"Tab never reached {selector} ({path})")
            presses.append(count)
            page.keyboard.press("Enter")
            following = path.steps[index + 1].node if index + 1 < len(path.steps) else path.outcome
            wait_for_step(page, following, js, f"keyboard, after {step.node}={step.choice}")
        # After the first step, focus starts at the new step (its heading, or the fragment's
        # target without scripts): the answers are a few Tabs away, not the whole page.
        print(f"Tab presses to reach each answer ({'js' if js else 'no js'}, {tree.id}): {presses}")
        assert all(count <= 25 for count in presses[1:]), f"Tab presses to reach each answer: {presses}"
        assert requests_while_stepping(page, recorder.requests[loaded:]) == []
        assert not errors
    finally:
        context.close()


# --- Back, Forward and "Change" --------------------------------------------------------------

@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_back_and_forward_buttons_step_through_the_walk(js, browser, example_urls):
    tree, path = _longest([tree for site, tree in CASES if site == "staff"])
    context, recorder, page, errors = new_page(browser, js)
    try:
        goto(page, tree_url(example_urls, "staff", tree))
        walk(page, tree, path, js, "walk")
        visited = [tree.nodes[0].id] + [step.node for step in path.steps[1:]] + [path.outcome]
        for expected in reversed(visited[:-1]):
            page.go_back(wait_until="commit")
            wait_for_step(page, expected, js, "Back")
        for expected in visited[1:]:
            page.go_forward(wait_until="commit")
            wait_for_step(page, expected, js, "Forward")
        if js:
            trail = page.evaluate("() => document.querySelectorAll('.tree-trail li').length")
            assert trail == len(path.steps), "Forward restores the answers so far"
        assert not errors
    finally:
        context.close()


def test_change_link_goes_back_to_that_question(browser, example_urls):
    tree, path = _longest([tree for site, tree in CASES if site == "staff"])
    assert len(path.steps) >= 2
    context, recorder, page, errors = new_page(browser, True)
    try:
        goto(page, tree_url(example_urls, "staff", tree))
        walk(page, tree, path, True, "walk")
        second = path.steps[1].node
        click(page, f'.tree-trail a.tree-change[href="#{second}"]')
        wait_for_step(page, second, True, "Change")
        assert page.evaluate("() => document.querySelectorAll('.tree-trail li').length") == 1
        assert page.evaluate("() => document.activeElement.id") == f"{second}-h"
        assert not errors
    finally:
        context.close()


# --- the printable record --------------------------------------------------------------------

def test_print_record_has_the_walk_and_a_checklist(browser, example_urls):
    tree, path = _longest([tree for site, tree in CASES if site == "staff"])
    outcome = next(node for node in tree.nodes if node.id == path.outcome)
    context, recorder, page, errors = new_page(browser, True)
    try:
        goto(page, tree_url(example_urls, "staff", tree))
        loaded = len(recorder.requests)
        page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
        walk(page, tree, path, True, "walk")
        click(page, f"#{path.outcome} .tree-print button")
        assert page.evaluate("() => window.__printed") == 1
        record = page.locator(".tree-record")
        text = norm(record.text_content())
        assert norm(plain(tree.title)) in text and f"version {tree.version}" in text
        assert re.search(r"Made on .*\d{4} at ", text), text
        answers = record.locator("ol > li")
        assert answers.count() == len(path.steps)
        for item, label in zip(answers.all_text_contents(), expected_labels(tree, path)):
            assert norm(item).endswith(norm(label))
        checklist = record.locator(".tree-record-checklist > li").all_text_contents()
        # The actions of the questions answered on the way, then the outcome's (not those of an outcome passed on
        # by its next step: that one has its own record); an either group is one item. Counted from the path.
        nodes = {node.id: node for node in tree.nodes}
        asked = [nodes[step.node] for step in path.steps if isinstance(nodes[step.node], Question)]
        expected = sum(len(node.actions) for node in asked) + len(outcome.actions)
        assert len(checklist) == expected and all(item.startswith("\u2610") for item in checklist)
        assert all("Done by / at:" in item for item in checklist)
        for line in ("Completed by (name and role):", "Child's initials:", "Class:",
                     "What was said, in their own words:", "Signature:", "Date and time:"):
            assert line in text

        page.emulate_media(media="print")
        shown = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                    '.md-content__inner > *, .tree > *')).filter((n) => n.getClientRects().length > 0)
                .map((n) => n.id || n.className || n.tagName)"""
        )
        assert shown == ["tree tree--js", "tree-record"], f"printed: {shown}"
        # One A4 page: the record's height fits 297 mm less the margins (at 96 px per inch).
        height = page.evaluate("() => document.querySelector('.tree-record').getBoundingClientRect().height")
        assert height < (297 - 2 * 12) / 25.4 * 96, f"the record is {height:.0f}px tall: more than one page"
        page.emulate_media(media="screen")
        page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
        assert record.text_content() == "", "the record is cleared after printing"
        assert requests_while_stepping(page, recorder.requests[loaded:]) == []
        assert page.evaluate(STORED) == KEPT
        assert not errors
    finally:
        context.close()


# --- the guides' index -----------------------------------------------------------------------

@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_guides_index_lists_every_tree_and_filters_with_js(js, browser, example_urls):
    staff = [tree for site, tree in CASES if site == "staff"]
    context, recorder, page, errors = new_page(browser, js)
    try:
        goto(page, f"{example_urls['staff']}what-to-do/")
        items = page.locator(".tree-index li")
        assert items.count() == len(staff)
        if not js:
            assert page.locator(".tree-filter").count() == 0
            return
        target = max(staff, key=lambda t: len(t.title))
        page.locator(".tree-filter input").fill(plain(target.title).lower())
        shown = page.evaluate(
            "() => Array.from(document.querySelectorAll('.tree-index li')).filter((li) => !li.hidden).length"
        )
        assert shown >= 1 and shown < len(staff) or len(staff) == 1
        page.locator(".tree-filter input").fill("zzzz-no-such-guide")
        assert page.locator(".tree-filter-none").is_visible()
        assert not errors
    finally:
        context.close()


# --- accessibility of what only shows on use -------------------------------------------------

@pytest.mark.parametrize("site", ["staff", "parents"])
def test_axe_finds_nothing_mid_walk_with_the_overview_open(site, browser, example_urls):
    """The answers-so-far list, the print button and the open diagram, checked by axe-core."""
    from browser_harness import format_violations, run_axe

    tree, path = _longest([tree for case_site, tree in CASES if case_site == site])
    context, recorder, page, errors = new_page(browser, True)
    try:
        goto(page, tree_url(example_urls, site, tree))
        walk(page, tree, path, True, "walk")
        page.locator(".tree-overview > summary").click()
        violations = run_axe(page)
        assert not violations, format_violations(page.url, violations)
        assert not errors
    finally:
        context.close()
