"""Issue 25, item 4: documents laid out as real schools publish their policies, each imported as a new user
would (a fresh project, no hand edits), and checked against what a reader of the document expects.

Each case is tests/fixtures/import-corpus/<name>.expect.yml: the school and the address its policy was read
at (and when), the document's file, and the expected title, cover values, sections and number of sentences,
written from reading the document (never from the importer's output). A new layout or cover label is
added by adding a document and its expectations; nothing here changes.

The documents keep each school's layout, cover labels and values, headings and list structure as
published; the body sentences are written for the test in the same shape (the published wording is not
copied). Word documents are built by corpus_docx.py from a small markup (Word's Title style, automatic
heading numbering, List Number and List Bullet styles, cover tables), PDFs are printed by WeasyPrint from
the HTML beside them: both are made with the libraries, as the school's office would make them in Word.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from corpus_docx import build_docx
from support import REPO, TODAY, WEXHAM
from generator.authoring.importer import import_policy

CORPUS = REPO / "tests" / "fixtures" / "import-corpus"
CASES = sorted(CORPUS.glob("*.expect.yml"))


def _document(case: dict, tmp_path: Path) -> Path:
    source = CORPUS / case["document"]
    target = tmp_path / case["file_name"]
    if case["format"] == "docx":
        build_docx(source.read_text(encoding="utf-8"), target)
    elif case["format"] == "pdf":
        import weasyprint

        weasyprint.HTML(string=source.read_text(encoding="utf-8")).write_pdf(str(target))
    else:
        shutil.copy(source, target)
    return target


def _sections(sections: list, out: list) -> list:
    for section in sections:
        out.append(f"{section['number']} {section['title']}")
        _sections(section.get("sections", []), out)
    return out


@pytest.mark.parametrize("path", CASES, ids=[p.name.removesuffix(".expect.yml") for p in CASES])
def test_a_real_schools_document_comes_in_clean(path, tmp_path):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("school", "source", "retrieved", "format", "document", "file_name", "expect"):
        assert case.get(key), f"{path.name}: '{key}' is needed"
    project = tmp_path / "project"
    (project / "policies").mkdir(parents=True)
    shutil.copy(WEXHAM / "school.yml", project / "school.yml")
    result = import_policy(_document(case, tmp_path), project, TODAY)
    data = yaml.load(result.path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    expect = case["expect"]
    assert data["title"] == expect["title"]
    assert data["id"] == expect["id"]
    for key in ("approved", "approved_by", "review_due", "owner"):
        if key in expect:
            assert data[key] == expect[key], key
    assert data.get("placeholders", []) == expect.get("placeholders", [])
    assert _sections(data["sections"], []) == expect["sections"]
    report = result.report
    assert report.missing == [], report.lines()
    if case["format"] == "pdf":
        # A PDF's text comes line by line as printed, and the fonts of the machine that prints it decide where
        # a line wraps: a wrap can only cut a sentence in two, so at least the sentences counted by hand.
        assert report.total >= expect["sentences"], report.lines()
    else:
        assert report.total == expect["sentences"], report.lines()
    assert report.in_draft + sum(len(s) for s in report.elsewhere.values()) == report.total
    for text in expect.get("absent", []):
        assert text not in result.path.read_text(encoding="utf-8"), text


def test_the_corpus_is_the_size_the_issue_asks_for():
    cases = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in CASES]
    assert len(cases) >= 12 and len({c["school"] for c in cases}) >= 8
    assert {c["format"] for c in cases} >= {"docx", "pdf", "html", "txt"}
