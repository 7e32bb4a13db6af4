"""The pages for editors are not in every staff member's menu (issue 28 item 3).

The tool's pages (the authors' guide, the data format reference, the safety rules) and the editors' notes are
built on the staff site but left out of its menu: the staff home page links the editors' page once, and the
editors' page lists the others. `serve` (preview), which editors use, keeps them all in the menu. A school's own
staff page stays in the menu. Expected values written by hand from the tool's three pages' titles.

Planted (once): the menu built as before (`self.preview or` dropped from the condition, i.e. every page of
`rest` listed) -> red at the first test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import pipeline
from generator.render.renderer import render_project
from support import TODAY

WEXHAM = Path(__file__).resolve().parents[1] / "fixtures" / "wexham"
EDITORS = ["authoring.md", "data-format.md", "safety-rules.md"]


def _menu(nav) -> list[str]:
    """Every page the menu links, flattened."""
    found = []
    for item in nav:
        if isinstance(item, str):
            found.append(item)
        else:
            for value in item.values():
                found += _menu(value) if isinstance(value, list) else [value]
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("editors-menu") / "school"
    shutil.copytree(WEXHAM, root)
    (root / "docs" / "staff").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "staff" / "staff-rota.md").write_text("# Staff rota\n\nAsk the office.\n", encoding="utf-8")
    return root


def _staff(project: Path, preview: bool):
    result = pipeline.check(project, TODAY)
    assert result.project is not None, [str(d) for d in result.diagnostics if d.is_error]
    return render_project(result.project, pipeline.BASE_CONFIG, pipeline.THEME_DIR, preview=preview)["staff"]


def test_the_editors_pages_are_built_but_not_in_the_staff_menu(project):
    staff = _staff(project, preview=False)
    menu = _menu(staff.config["nav"])
    assert [page for page in EDITORS + ["editors/index.md"] if page in menu] == []
    assert "staff-rota.md" in menu  # the school's own staff page stays in the menu
    assert set(EDITORS + ["editors/index.md"]) <= set(staff.docs)


def test_the_home_page_links_the_editors_page_and_it_lists_the_tool_pages(project):
    staff = _staff(project, preview=False)
    assert "[For editors](editors/index.md)" in staff.docs["index.md"]
    editors = staff.docs["editors/index.md"]
    section = editors.split("## Pages for editors", 1)[1]
    for title, page in [("Editing policies and trees", "authoring"), ("Data format reference", "data-format"),
                        ("Safety rules for guides", "safety-rules")]:
        assert f"- [{title}](../{page}.md)" in section
    assert "search:\n  exclude: true" in editors.split("---", 2)[1]


def test_serve_keeps_them_in_the_menu_for_editors(project):
    menu = _menu(_staff(project, preview=True).config["nav"])
    assert set(EDITORS + ["editors/index.md"]) <= set(menu)
