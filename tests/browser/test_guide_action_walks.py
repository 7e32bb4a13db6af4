"""Guide format v3, the action parts (issue 27), in a real Chromium: a question's actions shown before its answers
with scripts on and off, and the printed record listing them, each with the kind of its time limit, before the
outcome's actions and an either group.

The site is the trees-v2 fixture (tests/fixtures/trees-v2) with a question's action and an either group added.
"""

from __future__ import annotations

import shutil

import pytest

from browser_harness import DESKTOP, REPO, goto, serve_directory

pytestmark = pytest.mark.browser

FIXTURES = REPO / "tests" / "fixtures"
CONCERN = "decision_trees/concern.yml"
EDITS = [
    ("    decided_by: [you, dsl]\n",
     "    decided_by: [you, dsl]\n    actions:\n      - text: Acknowledge the referral.\n        who: dsl\n"
     "        when: {kind: working_days, n: 1, says: \"by the end of the next working day\"}\n"),
    ("      - text: Decide whether to refer.",
     "      - either:\n          - text: Ring the DSL.\n            who: you\n            when: immediately\n"
     "          - text: Find the deputy DSL in person.\n            who: you\n            when: immediately\n"
     "      - text: Decide whether to refer."),
]


@pytest.fixture(scope="module")
def actions_site(tmp_path_factory):
    from datetime import date

    from generator.build.mkdocs_build import build_sites, version_info
    from generator.build.pdf import attach_pdfs
    from generator.checks.validate import validate_project
    from generator.load.loader import load_project
    from generator.pipeline import BASE_CONFIG, THEME_DIR
    from generator.render.renderer import render_project

    root = tmp_path_factory.mktemp("actions")
    shutil.copytree(FIXTURES / "trees-v2", root / "project")
    path = root / "project" / CONCERN
    text = path.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    project, diagnostics = validate_project(load_project(root / "project", FIXTURES / "trees-v2-data"),
                                            date(2026, 11, 24))
    assert project is not None, [str(d) for d in diagnostics if d.is_error]
    rendered = render_project(project, BASE_CONFIG, THEME_DIR)
    out = root / "site"
    attach_pdfs(project, rendered, root / "pdf-cache")
    build_sites({"staff": rendered["staff"]}, root / "work", out,
                version_info(root / "project", [], date(2026, 11, 24)))
    with serve_directory(out / "staff") as url:
        yield url


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_questions_actions_are_seen_before_its_answers(browser, actions_site, js):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=js)
    page = context.new_page()
    try:
        goto(page, f"{actions_site}what-to-do/concern/#what_happened")
        action = page.locator("#what_happened .tree-actions li.tree-action")
        assert action.is_visible()
        assert " ".join(action.text_content().split()) == (
            "By the end of the next working day · The DSL: Acknowledge the referral.")
        above = page.evaluate("""() => document.querySelector('#what_happened .tree-actions').getBoundingClientRect().top
            < document.querySelector('#what_happened .tree-answers').getBoundingClientRect().top""")
        assert above
    finally:
        context.close()


def test_the_record_lists_the_questions_actions_with_the_kind_of_each_time_limit(browser, actions_site):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        goto(page, f"{actions_site}what-to-do/concern/")
        page.locator('#is_child_in_danger a.tree-answer[data-answer="no"]').click()
        page.locator('#what_happened a.tree-answer[data-answer="told"]').click()
        page.wait_for_function("() => document.getElementById('tell_the_dsl').getClientRects().length > 0")
        page.evaluate("() => { window.print = () => {}; }")
        page.locator("#tell_the_dsl .tree-print button").first.click()
        items = page.evaluate("""() => Array.from(document.querySelectorAll('.tree-record-checklist > li'))
            .map((li) => Array.from(li.querySelectorAll('.tree-record-limit')).map((p) => p.textContent))
            .concat([]).map((limits, i) => [document.querySelectorAll('.tree-record-checklist > li')[i]
            .firstChild.textContent.replace(/\\s+/g, ' ').trim().slice(0, 40), limits])""")
        # Written by hand from the fixture: the question's action first, then the outcome's three entries.
        assert items == [
            ["\u2610 By the end of the next working day · T", ["Time limit: within 1 working day"]],
            ["\u2610 Same day · You: Write down what the ch", ["Time limit: the same day"]],
            ["\u2610 Do one of these: Immediately · You: Ri", []],
            ["\u2610 Within 1 working day · The DSL; the tr", ["Time limit: within 1 working day"]],
        ]
        assert not errors
    finally:
        context.close()
