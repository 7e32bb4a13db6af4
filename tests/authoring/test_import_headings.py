"""Issue 25: headings a document marks only by their look (bold, capitals, a short line ending ':') become
sections; they were one-line clauses in one section 0. Documents written by hand; sections read off them."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
import yaml

from support import TODAY, WEXHAM
from generator.authoring.importer import import_policy

TEXT = """Mobile Phones

Review date:
January 2024

INTRODUCTION

Pupils in Year 5 and 6 may bring a phone to school.

Pupils:

Phones are handed in at the office.

Staff must:

- keep their phone in a locker
- never photograph pupils

**Sanctions**

A phone used in school is kept until a parent collects it.
"""


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    (root / "policies").mkdir(parents=True)
    shutil.copy(WEXHAM / "school.yml", root / "school.yml")
    return root


def _data(project: Path, path: Path) -> dict:
    result = import_policy(path, project, TODAY)
    assert result.report.missing == []
    return yaml.load(result.path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def test_capitals_colon_and_bold_lines_open_sections(project, tmp_path):
    path = tmp_path / "phones.txt"
    path.write_text(TEXT, encoding="utf-8")
    data = _data(project, path)
    assert data["title"] == "Mobile Phones"
    assert data["review_due"] == "January 2024"  # its label and value on two lines
    assert [(s["number"], s["title"]) for s in data["sections"]] == [
        ("1", "INTRODUCTION"), ("2", "Pupils"), ("3", "Sanctions")]
    # 'Staff must:' introduces a list: a clause with its items, not a heading
    pupils = data["sections"][1]["clauses"]
    assert [c.get("text") for c in pupils] == ["Phones are handed in at the office.", "Staff must:"]
    assert pupils[1]["items"] == ["keep their phone in a locker", "never photograph pupils"]


def test_a_bold_heading_under_a_numbered_one_is_its_sub_section(project, tmp_path):
    """Issue 25's '4. Use of mobile phones' with 'Pupils:' in bold under it."""
    document = docx.Document()
    document.add_paragraph("Mobile Phones and Electronic Devices in Schools", style="Title")
    document.add_paragraph("1. Aims")  # typed numbers, in sequence: headings
    document.add_paragraph("We keep pupils safe.")
    document.add_paragraph("2. Use of mobile phones")
    document.add_paragraph().add_run("Pupils:").bold = True
    document.add_paragraph("Phones are switched off.")
    document.add_paragraph().add_run("Staff").bold = True
    document.add_paragraph("Phones stay in the staff room.")
    path = tmp_path / "phones.docx"
    document.save(str(path))
    data = _data(project, path)
    assert [(s["number"], s["title"]) for s in data["sections"]] == [("1", "Aims"), ("2", "Use of mobile phones")]
    assert [(s["number"], s["title"]) for s in data["sections"][1]["sections"]] == [
        ("2.1", "Pupils"), ("2.2", "Staff")]
