"""Guide format v3 routes (issue 27 item 1) in a real Chromium, JavaScript on and off: an answer with two parallel
strands (each shown, each strand's step naming the others, the answer recorded with every strand), a step that
only routes, and a conditional "also follow" read as words and followed into another guide.

The guide is tests/fixtures/trees-routes.yml, built here into a copy of the trees-v2 fixture project (with its own
built-in data folder). Expected texts are written out by hand from that file.
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from browser_harness import DESKTOP, REPO, RequestRecorder, goto, serve_directory

pytestmark = pytest.mark.browser

FIXTURES = REPO / "tests" / "fixtures"
TRAIL = """() => Array.from(document.querySelectorAll('.tree-trail li'))
    .map((li) => li.textContent.replace(/\\s+/g, ' ').replace(/ Change$/, '').trim())"""
VISIBLE_STEPS = """() => Array.from(document.querySelectorAll('.tree-step'))
    .filter((s) => s.getClientRects().length > 0).map((s) => s.id)"""
STRANDS = ("Social care and the police (strands to follow, together: Refer to children's social care; "
           "If a crime may have been committed: Report to the police)")


@pytest.fixture(scope="module")
def routes_site(tmp_path_factory):
    from generator.build.mkdocs_build import build_sites, version_info
    from generator.build.pdf import attach_pdfs
    from generator.checks.validate import validate_project
    from generator.load.loader import load_project
    from generator.pipeline import BASE_CONFIG, THEME_DIR
    from generator.render.renderer import render_project

    folder = tmp_path_factory.mktemp("routes") / "project"
    shutil.copytree(FIXTURES / "trees-v2", folder)
    shutil.copy(FIXTURES / "trees-routes.yml", folder / "decision_trees" / "routes.yml")
    project, diagnostics = validate_project(load_project(folder, FIXTURES / "trees-v2-data"), date(2026, 11, 24))
    assert project is not None, [str(d) for d in diagnostics if d.is_error]
    rendered = render_project(project, BASE_CONFIG, THEME_DIR)
    out = folder.parent / "site"
    attach_pdfs(project, rendered, folder.parent / "pdf-cache")
    build_sites({"staff": rendered["staff"]}, folder.parent / "work", out, version_info(folder, [], date(2026, 11, 24)))
    with serve_directory(out / "staff") as url:
        yield url


def new_page(browser, js: bool):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=js)
    RequestRecorder().attach(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def shown(page, step_id: str) -> None:
    page.wait_for_function("(id) => { const s = document.getElementById(id);"
                           " return s && s.getClientRects().length > 0; }", arg=step_id, timeout=5000)
    assert page.evaluate(VISIBLE_STEPS) == [step_id]


def test_a_parallel_strand_and_a_conditional_also_follow_with_javascript(browser, routes_site):
    """Bugs caught: only the first strand shown or recorded; moving to the other strand wiping the answers;
    a conditional 'also follow' shown without its condition."""
    context, page, errors = new_page(browser, js=True)
    try:
        goto(page, f"{routes_site}what-to-do/routes/")
        page.locator('#is_child_in_danger a.tree-answer[data-answer="no"]').click()
        shown(page, "where_to_start")  # the step that only routes: words and a link, no action
        assert page.locator("#where_to_start .tree-actions").count() == 0
        page.locator("#where_to_start a.tree-answer").click()
        shown(page, "who_must_know")
        strands = page.locator("#who_must_know .tree-strands > li")
        assert [text.strip() for text in strands.all_inner_texts()] == [
            "Refer to children's social care", "If a crime may have been committed: Report to the police"]
        page.locator('#who_must_know a.tree-answer[href="#police_strand"]').click()
        shown(page, "police_strand")
        trail = ["Is a child in immediate danger? No", "The DSL decides who else must know Who must be told?",
                 "Who must be told? " + STRANDS]
        assert page.evaluate(TRAIL) == trail
        note = page.locator("#police_strand .tree-strand-note")
        assert note.inner_text().startswith("This is one of several strands that apply together")
        note.locator('a[href="#social_care_strand"]').click()
        shown(page, "social_care_strand")
        assert page.evaluate(TRAIL) == trail  # the other strand of the same answer: nothing forgotten
        page.evaluate("() => { window.print = () => {}; }")
        page.locator("#social_care_strand .tree-print button").first.click()
        assert STRANDS in " ".join(page.locator(".tree-record").text_content().split())
        follow = page.locator("#social_care_strand .tree-also-follow-if")
        assert follow.inner_text() == ("If the image was shared by a member of staff: also follow "
                                       "A concern about an adult who works here: Tell the head teacher")
        follow.locator("a").click()
        page.wait_for_url("**/what-to-do/allegation/#report_allegation")
        shown(page, "report_allegation")
        assert errors == []
    finally:
        context.close()


def test_a_parallel_strand_and_a_conditional_also_follow_without_javascript(browser, routes_site):
    """Bug caught: a strand or a condition that only the script shows (the page must work with plain links)."""
    context, page, errors = new_page(browser, js=False)
    try:
        goto(page, f"{routes_site}what-to-do/routes/#where_to_start")
        shown(page, "where_to_start")
        page.locator("#where_to_start a.tree-answer").click()
        shown(page, "who_must_know")
        assert page.locator("#who_must_know .tree-strands-answer").inner_text().startswith(
            "Social care and the police: these apply together, follow each one:")
        page.locator('#who_must_know a.tree-answer[href="#police_strand"]').click()
        shown(page, "police_strand")
        note = page.locator("#police_strand .tree-strand-note")
        assert note.inner_text() == ("This is one of several strands that apply together (Who must be told?: "
                                     "Social care and the police). Also follow: Refer to children's social care.")
        note.locator('a[href="#social_care_strand"]').click()
        shown(page, "social_care_strand")
        assert page.locator("#social_care_strand .tree-next-step").inner_text() == (
            "Next, if the child is still at risk: Review the referral in a week")
        follow = page.locator("#social_care_strand .tree-also-follow-if")
        assert follow.inner_text().startswith("If the image was shared by a member of staff: also follow")
        follow.locator("a").click()
        page.wait_for_url("**/what-to-do/allegation/#report_allegation")
        shown(page, "report_allegation")
    finally:
        context.close()
