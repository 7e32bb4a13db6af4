"""The browser editor by keyboard alone (issue 29): a clause marked for parents is refused until the public list's
review is recorded, then saved with it; axe-core finds no violation on the editor asking for the review. On a copy of
tests/fixtures/wexham. Beside test_editor.py (whose helpers it uses), in a file of its own so that `make test` runs
the two longest editor walks in two processes side by side."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from test_editor import _axe_clean, _id, _wait_for_summary

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from editor_support import copy_example, running_editor  # noqa: E402
from support import TODAY, run_generator  # noqa: E402

pytestmark = pytest.mark.browser


def test_a_clause_marked_for_parents_asks_for_review_of_the_public_list_by_keyboard_only(browser, tmp_path):
    project = copy_example(tmp_path)
    policy = "policies/social-media.yml"
    public_before = (project / "published-to-parents.yml").read_text(encoding="utf-8")
    with running_editor(project) as server:
        context = browser.new_context(viewport={"width": 1024, "height": 768})  # a tablet's landscape screen
        page = context.new_page()
        page.goto(server.url)
        page.wait_for_selector("#file-list ul")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent") == "Skip to the form"
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "editor"

        page.focus(f"a[href='#{policy}']")
        page.keyboard.press("Enter")
        parents = _id("sections", 0, "clauses", 0, "audiences", "parents")
        page.wait_for_selector(parents)
        page.focus(parents)
        page.keyboard.press("Space")
        assert page.is_checked(parents)
        page.focus("#save")
        page.keyboard.press("Enter")
        _wait_for_summary(page, "error(s): nothing was written")
        assert "E361" in page.locator("#summary").text_content()
        assert "social-media#teachers-standards" in page.locator("#summary").text_content()
        assert page.is_visible("#public-review")
        assert (project / "published-to-parents.yml").read_text(encoding="utf-8") == public_before
        _axe_clean(page, "the editor asking for the public list's review")

        page.focus("#record-public")
        page.keyboard.press("Space")
        page.focus("#save")
        page.keyboard.press("Enter")
        _wait_for_summary(page, "Saved")
        assert page.locator("#summary").text_content().startswith(f"Saved {policy}, published-to-parents.yml.")
        context.close()
    assert "social-media#teachers-standards" in (project / "published-to-parents.yml").read_text(encoding="utf-8")
    checked = run_generator("check", "--project", str(project), "--today", TODAY.isoformat())
    assert checked.returncode == 0, checked.stderr
