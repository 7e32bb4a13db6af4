"""Issue 25, item 2: a school website's policy page saved as .html imports its main content only.

tests/fixtures/import-html/school-site-page.html is written by hand in the shape school sites have (a
WordPress-like theme): a cookie banner, the site's header and menu, breadcrumbs, the article, sharing
buttons, the site's footer and scripts. Expected values are read off that file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from support import REPO, TODAY, WEXHAM
from generator.authoring.importer import ImportFailure, import_policy

PAGE = REPO / "tests" / "fixtures" / "import-html" / "school-site-page.html"


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    (root / "policies").mkdir(parents=True)
    shutil.copy(WEXHAM / "school.yml", root / "school.yml")
    return root


def test_a_saved_policy_page_gives_the_article_only(project):
    result = import_policy(PAGE, project, TODAY)
    text = result.path.read_text(encoding="utf-8")
    for chrome in ("cookies", "About us", "Home", "Share on Facebook", "Registered charity", "All rights reserved",
                   "alert", "dataLayer", "Oak Lane Primary School"):
        assert chrome not in text, chrome
    data = yaml.load(text, Loader=yaml.BaseLoader)
    assert (data["id"], data["title"]) == ("mobile-phones", "Mobile Phones")
    assert (data["approved_by"], data["approved"], data["review_due"]) == (
        "Full Governing Body", "Autumn 2024", "Autumn 2025")
    sections = data["sections"]
    assert [(s["number"], s["title"]) for s in sections] == [("1", "Aims"), ("2", "Rules for pupils"),
                                                            ("3", "Sanctions")]
    assert sections[0]["clauses"][0]["text"] == (
        "We want pupils to be **safe** when they travel to and from school. See the "
        "[government guidance](https://www.gov.uk/guidance).")
    rules = sections[1]["clauses"]
    assert rules[0]["items"] == ["1\\. switch it off at the gate;", "2\\. hand it to the office."]
    assert rules[1]["items"] == ["use a phone on a school trip",
                                 {"text": "share photographs of others", "items": ["in class"]}]
    matrix = sections[2]["clauses"][0]["matrix"]
    assert matrix["columns"] == ["What happens"]
    assert [(r["heading"], r["cells"]) for r in matrix["rows"]] == [("First", ["A warning"]),
                                                                   ("Second", ["Phone kept until collected"])]
    assert result.report.ok and result.report.missing == []


def test_a_page_that_is_mostly_navigation_is_refused(project, tmp_path):
    links = "".join(f'<li><a href="/policies/{n}">Policy number {n} of the school</a></li>' for n in range(40))
    path = tmp_path / "policies.html"
    path.write_text(f"<html><head><title>Policies</title></head><body><main><h1>Policies</h1><ul>{links}</ul>"
                    "<p>Paper copies from the office.</p></main></body></html>", encoding="utf-8")
    with pytest.raises(ImportFailure, match="policies.html is mostly a menu or a list of links"):
        import_policy(path, project, TODAY)
    assert list((project / "policies").iterdir()) == []


def test_script_in_a_page_never_reaches_the_draft(project, tmp_path):
    path = tmp_path / "evil.html"
    path.write_text("<html><body><main><h1>Safety Policy</h1><h2>1. Aims</h2><p>Keep pupils safe "
                    "<img src=x onerror=alert(1)><a href=\"javascript:alert(2)\">here</a>.</p>"
                    "<p>" + "Staff report every concern to the DSL on the same day. " * 6 + "</p>"
                    "<script>alert(3)</script></main></body></html>", encoding="utf-8")
    text = import_policy(path, project, TODAY).path.read_text(encoding="utf-8")
    assert "alert" not in text and "javascript" not in text and "onerror" not in text
    assert "Keep pupils safe here." in text


_LINKS = ("<p>" + "Staff report every concern to the DSL on the same day. " * 6 + "</p>"
          "<p>Ring the office on <a href=\"tel:+441753000000\">01753 000000</a>, read the "
          "<a href=\"/policies/anti-bullying.pdf\">anti-bullying policy</a> and the "
          "<a href=\"../safeguarding/\">safeguarding page</a>, or jump to <a href=\"#aims\">the aims</a>.</p>")


def test_phone_links_are_kept_and_relative_links_are_made_whole_from_the_page_s_own_address(project, tmp_path):
    """A school's page links its phone number (tel:) and its own files by relative addresses; both were dropped
    silently. Hand-written expectations: the canonical address resolves the relative ones as a browser would."""
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>Safety Policy</title><link rel=\"canonical\" "
                    "href=\"https://www.example-school.org.uk/about/policies/safety/\"></head><body><main>"
                    "<h1>Safety Policy</h1><h2>1. Aims</h2>" + _LINKS + "</main></body></html>", encoding="utf-8")
    result = import_policy(path, project, TODAY)
    text = " ".join(result.path.read_text(encoding="utf-8").split())  # as YAML folds it back
    assert "[01753 000000](tel:+441753000000)" in text
    assert "[anti-bullying policy](https://www.example-school.org.uk/policies/anti-bullying.pdf)" in text
    assert "[safeguarding page](https://www.example-school.org.uk/about/policies/safeguarding/)" in text
    assert not [note for note in result.notes if "kept as words only" in note]


def test_relative_links_without_the_page_s_address_are_kept_as_words_and_said(project, tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>Safety Policy</title></head><body><main><h1>Safety Policy</h1>"
                    "<h2>1. Aims</h2>" + _LINKS + "</main></body></html>", encoding="utf-8")
    result = import_policy(path, project, TODAY)
    text = result.path.read_text(encoding="utf-8")
    assert "read the anti-bullying policy and the safeguarding page" in " ".join(text.split())
    assert "/policies/anti-bullying.pdf" not in text
    [note] = [note for note in result.notes if "kept as words only" in note]
    assert note.startswith("2 link(s)") and "'anti-bullying policy', 'safeguarding page'" in note
