"""The parents' leak check (generator/build/leaks.py) is a gate of `build`: a parents' site that would show a staff-only
text is never put in place (E605, at the data file and line of the text), whatever cached path the build takes.

The school is the neutral fixture with one staff-only note (a `staff_notes` entry) on a clause the parents' site
publishes. The leak is planted as a template bug would make it: the clause's notes for the parents' site include
its staff notes (``Clause.notes_for``), so the parents' page prints the note.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.build import mkdocs_build as build_module
from generator import pipeline
from generator.load.models.policy import Clause

from support import REPO, TODAY

NOTE = "Agreed with the governing board after the incident in the Year 5 cloakroom."
# Where NOTE's first word is in the copied policy file, counted by hand: the three lines added after line 23
# ('text: Pupils must hand…'), the note's text on the third, after 12 spaces and 'text: '.
NOTE_AT = ("policies/mobile-phones.yml", 26, 19)
PUBLISHED_CLAUSE = "        text: Pupils must hand their phones to the office on arrival.\n"


@pytest.fixture
def school(tmp_path) -> Path:
    root = tmp_path / "school"
    shutil.copytree(REPO / "tests" / "fixtures" / "neutral-school", root)
    policy = root / "policies" / "mobile-phones.yml"
    text = policy.read_text(encoding="utf-8")
    assert text.count(PUBLISHED_CLAUSE) == 1
    policy.write_text(text.replace(PUBLISHED_CLAUSE, PUBLISHED_CLAUSE + "        staff_notes:\n"
                                   "          - kind: info\n"
                                   f"            text: {NOTE}\n"), encoding="utf-8")
    return root


def _build(school: Path, today=TODAY, force: bool = False) -> pipeline.Result:
    return pipeline.build(school, school / "site", school / "build", today, sites=("parents",), force=force)


def _parents_site_text(school: Path) -> str:
    return "\n".join(page.read_text(encoding="utf-8") for page in (school / "site" / "parents").rglob("*.html"))


@pytest.fixture
def staff_notes_on_parents_pages(monkeypatch):
    """The planted template bug: the parents' pages show a clause's staff-only notes."""
    monkeypatch.setattr(Clause, "notes_for", lambda self, site: self.notes + self.staff_notes)


def _leak_gate_off(monkeypatch) -> None:
    """A build by a tool without the leak gate (how a site with a leak could already be in the output folder)."""
    monkeypatch.setattr(pipeline, "_leak_gate", lambda *args: None)


def _e605(result: pipeline.Result) -> list:
    return [d for d in result.diagnostics if d.code == "E605"]


def test_a_clean_build_passes_and_keeps_the_staff_note_off_the_parents_site(school):
    result = _build(school)
    assert result.ok, [str(d) for d in result.diagnostics]
    assert _e605(result) == []
    assert result.built == ["parents"]
    assert "Pupils must hand their phones" in _parents_site_text(school)
    assert "governing board after the incident" not in _parents_site_text(school)


def test_a_template_printing_a_staff_note_stops_the_build_and_the_previous_site_stays(school, monkeypatch):
    assert _build(school).ok
    version = (school / "site" / "parents" / "version.json").read_bytes()
    pages = _parents_site_text(school)

    monkeypatch.setattr(Clause, "notes_for", lambda self, site: self.notes + self.staff_notes)
    result = _build(school, force=True)  # the tool's files are as they were: a plant in memory is not a change

    assert not result.ok
    [leak] = _e605(result)
    assert (leak.path, leak.line, leak.column) == NOTE_AT
    assert leak.message == ("the parents' site would show staff-only text of clause mobile-phones#phones-to-office: "
                            "'Agreed with the governing board after…'")  # 37 characters: '… the' would be 41
    assert "nothing was published" in leak.hint
    # Nothing already built was replaced, and no staging folder is left beside it.
    assert (school / "site" / "parents" / "version.json").read_bytes() == version
    assert _parents_site_text(school) == pages
    assert sorted(path.name for path in (school / "site").iterdir()) == ["parents"]


def test_the_gate_runs_when_mkdocs_output_and_gate_results_are_reused(school, monkeypatch,
                                                                      staff_notes_on_parents_pages):
    """A site built with the leak by a tool without the gate fills the mkdocs and gate caches; a build for
    another day reuses both (mkdocs is not run, no page is parsed by the HTML gate) and must still be stopped."""
    with monkeypatch.context() as older_tool:
        _leak_gate_off(older_tool)
        assert _build(school).ok
    assert NOTE in _parents_site_text(school)
    version = (school / "site" / "parents" / "version.json").read_bytes()
    reused = []
    real_reuse = build_module._reuse_mkdocs_output
    monkeypatch.setattr(build_module, "_reuse_mkdocs_output", lambda *args: reused.append(real_reuse(*args)) or
                        reused[-1])

    result = _build(school, today=TODAY.replace(day=TODAY.day + 1))

    assert reused == [True]
    assert [(d.path, d.line, d.column) for d in _e605(result)] == [NOTE_AT]
    assert (school / "site" / "parents" / "version.json").read_bytes() == version


def test_a_site_left_as_it_is_is_checked_before_it_is_recorded_as_built_from_these_inputs(
        school, monkeypatch, staff_notes_on_parents_pages):
    """The site in the output folder has the leak (built by a tool without the gate). A change that changes no
    page (a comment in the reviewed list) leaves it as it is; it is checked, and its raw inputs are not recorded,
    so the next build with the same inputs does not take the no-change path past it."""
    with monkeypatch.context() as older_tool:
        _leak_gate_off(older_tool)
        assert _build(school).ok
    public_list = school / "published-to-parents.yml"
    public_list.write_text(public_list.read_text(encoding="utf-8") + "# reviewed again\n", encoding="utf-8")
    version = (school / "site" / "parents" / "version.json").read_bytes()

    for _ in range(2):
        result = _build(school)
        assert not result.unchanged
        assert result.built == []
        assert [(d.path, d.line, d.column) for d in _e605(result)] == [NOTE_AT]
        assert (school / "site" / "parents" / "version.json").read_bytes() == version


def test_a_pdfs_kept_text_is_that_of_its_bytes(tmp_path, monkeypatch):
    """The leak check keeps each PDF's text in the work folder (reading it is most of the check's cost): a PDF
    changed at the same path is read again, so a staff note printed into it is found; one unchanged is not."""
    from generator.build import leaks
    from generator.build.pdf import html_to_pdf

    site, kept = tmp_path / "parents", tmp_path / "build" / "leak-cache"
    (site / "policies").mkdir(parents=True)
    pdf = site / "policies" / "mobile-phones.pdf"
    pdf.write_bytes(html_to_pdf("<p>Pupils must hand their phones to the office.</p>"))
    assert "hand their phones" in leaks.site_text(site, kept)

    pdf.write_bytes(html_to_pdf(f"<p>Pupils must hand their phones to the office.</p><p>{NOTE}</p>"))
    assert NOTE in leaks.site_text(site, kept)
    assert len(list(kept.glob("*.txt"))) == 1  # the first PDF's text is gone with it

    monkeypatch.setattr(leaks, "pdf_text", lambda path: pytest.fail("an unchanged PDF was read again"))
    assert NOTE in leaks.site_text(site, kept)


def _e605_places(result: pipeline.Result) -> list[tuple]:
    return sorted((d.path, d.line, d.column, d.message) for d in _e605(result))


def _clean_build(school: Path, today=TODAY) -> pipeline.Result:
    """A build into new folders, reading nothing kept: what the incremental build must find too."""
    return pipeline.build(school, school / "clean-site", school / "clean-build", today, sites=("parents",))


def test_a_page_an_edit_changes_is_searched_again_by_an_incremental_build(school, monkeypatch):
    """The leak check keeps what each page was found to hold, by the page's bytes (build/leak_cache.py). A build
    after a change that prints the staff note on a parents' page (a template bug, with the date changed so the
    build is not skipped) must find it as a clean build does: the page's bytes are new, so it is read again.
    Bug it exists to catch: a part's key without its bytes, which finds the page's old answer."""
    assert _build(school).ok
    assert (school / "build" / pipeline.LEAK_CACHE_DIR / "found.json").is_file()
    monkeypatch.setattr(Clause, "notes_for", lambda self, site: self.notes + self.staff_notes)
    later = TODAY.replace(day=TODAY.day + 1)

    incremental = _build(school, today=later)

    assert not incremental.ok
    assert [(d.path, d.line, d.column) for d in _e605(incremental)] == [NOTE_AT]
    assert _e605_places(incremental) == _e605_places(_clean_build(school, later))


SKIP_LINK = "Skip to content"
"""The theme's words on every page (Material's link for keyboard readers), counted on the built home page."""


def test_a_line_an_edit_changes_is_looked_for_on_the_pages_kept(school):
    """A staff-only note edited to words the parents' site already shows (the theme's 'Skip to content'): no
    parents' page changes, so every page's answer is kept, and the new line must still be looked for on each of
    them, as a clean build does. Bug it exists to catch: a kept page searched for none of the lines it was never
    searched for."""
    assert _build(school).ok
    assert SKIP_LINK in _parents_site_text(school)
    pages = {path: path.read_bytes() for path in (school / "site" / "parents").rglob("*.html")}
    policy = school / "policies" / "mobile-phones.yml"
    policy.write_text(policy.read_text(encoding="utf-8").replace(NOTE, SKIP_LINK), encoding="utf-8")

    incremental = _build(school)

    assert not incremental.ok
    assert [d.message for d in _e605(incremental)] == [
        "the parents' site would show staff-only text of clause mobile-phones#phones-to-office: 'Skip to content'"]
    assert _e605_places(incremental) == _e605_places(_clean_build(school))
    assert {path: path.read_bytes() for path in (school / "site" / "parents").rglob("*.html")} == pages
