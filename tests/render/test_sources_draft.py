"""Issue 26: a draft or consultation edition of guidance (sources.yml `status`) is never cited as in force
silently: `check` warns (W413) and the guide shows a visible note. Positions counted by hand from the
trees-v2 fixture (concern.yml line 28 holds the question's `cites:`)."""

from __future__ import annotations

from test_trees_v2 import CONCERN, edit, page, project, warnings  # noqa: F401 - `project` is a fixture

DRAFT = ("  - id: kcsie-2026-draft\n    title: Keeping children safe in education 2026 (draft for consultation)\n"
         "    kind: statutory_guidance\n    publisher: Department for Education\n    status: consultation\n"
         "    jurisdiction: [England]\n    parts:\n      - id: para-55\n        title: What staff do\n")


def test_a_consultation_draft_cited_as_in_force_is_a_warning_and_a_visible_note(project):
    (project / "sources.yml").write_text((project / "sources.yml").read_text(encoding="utf-8") + DRAFT,
                                         encoding="utf-8")
    edit(project, CONCERN, "cites: [kcsie-2025#para-55]", "cites: [kcsie-2026-draft#para-55]")
    assert warnings(project) == [
        f"{CONCERN}:28:13: W413 warning: cites 'kcsie-2026-draft', a consultation version, as guidance in force "
        "(cite the edition in force: a draft or consultation is not guidance until it is published)"]
    text = page(project, "concern")
    assert "Check the guidance this guide rests on" in text
    assert "it is a draft or consultation version, not guidance in force." in text


def test_a_final_edition_has_no_note(project):
    assert warnings(project) == []
    assert "draft or consultation" not in page(project, "concern")
