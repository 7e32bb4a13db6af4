"""Issue 25, item 1: covers as schools lay them out, titles without 'Policy', month and term dates.

Each document is written here by hand, in the layouts the issue found failing; the expected values are read
off the document, not from the importer.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import docx
import pytest
import yaml

from support import TODAY, WEXHAM
from generator.authoring.importer import import_policy
from generator.load.models.base import due_date

COVER_LINES = """Mobile Phones

Approved by: Finance & Premises Committee
Date of last review: 26 January 2023
Next review due by: January 2024

1. Introduction

Pupils may bring a mobile phone to school if they walk home alone.

2. Storage

Phones are handed to the class teacher at the start of the day.
"""


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    (root / "policies").mkdir(parents=True)
    shutil.copy(WEXHAM / "school.yml", root / "school.yml")
    return root


def _imported(project: Path, path: Path) -> tuple[dict, object]:
    result = import_policy(path, project, TODAY)
    return yaml.load(result.path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader), result


@pytest.mark.parametrize("gap", ["\n", "\n\n"], ids=["consecutive lines", "blank lines between"])
def test_a_cover_on_consecutive_lines_gives_each_detail(project, tmp_path, gap):
    """Issue 25: approved_by and owner were 'Finance & Premises Committee Date of last review: 26 January 2023
    Next review due by: January 2024', the dates stand-ins, and 'January 2024' refused as review_due (E204)."""
    path = tmp_path / "mobile-phones.txt"
    path.write_text(COVER_LINES.replace("Committee\n", "Committee" + gap).replace("2023\n", "2023" + gap),
                    encoding="utf-8")
    data, result = _imported(project, path)
    assert (data["id"], data["title"]) == ("mobile-phones", "Mobile Phones")
    assert data["approved_by"] == "Finance & Premises Committee"
    assert data["approved"] == "2023-01-26"
    assert data["review_due"] == "January 2024"
    assert data["placeholders"] == ["owner"]  # the only detail this cover does not give
    assert [(s["number"], s["title"]) for s in data["sections"]] == [("1", "Introduction"), ("2", "Storage")]
    # the site's sentence splitter counts a heading '1. Introduction' as '1.' and 'Introduction': 2 headings (4),
    # 2 sentences and the title are in the draft's text; the three cover lines are its details
    assert (result.report.total, result.report.in_draft, result.report.missing) == (10, 7, [])
    assert [line for lines in result.report.elsewhere.values() for line in lines] == [
        "Approved by: Finance & Premises Committee", "Date of last review: 26 January 2023",
        "Next review due by: January 2024"]


def test_a_cover_table_in_word_gives_its_details_and_the_title_style_names_the_policy(project, tmp_path):
    """Issue 25: 'Reviewed: | October 2011' became two bullets in section 0 and no date was taken; a title
    without the word 'Policy' became 'Imported policy'."""
    document = docx.Document()
    document.add_paragraph("Mobile Phones and Electronic Devices in Schools", style="Title")
    table = document.add_table(rows=0, cols=2)
    for label, value in (("Reviewed:", "October 2011"), ("Next review:", "October 2012"),
                         ("Approved by:", "Governing Body"), ("Author:", "Mrs J Patel"), ("Version:", "3.1")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.add_paragraph("Introduction", style="Heading 1")
    document.add_paragraph("Phones are not allowed in lessons.")
    path = tmp_path / "phones.docx"
    document.save(str(path))
    data, result = _imported(project, path)
    assert data["title"] == "Mobile Phones and Electronic Devices in Schools"
    assert data["id"] == "mobile-phones-and-electronic-devices-in"  # the first six words
    assert (data["approved"], data["review_due"]) == ("October 2011", "October 2012")
    assert (data["approved_by"], data["owner"]) == ("Governing Body", "Mrs J Patel")
    assert "placeholders" not in data
    assert [(s["number"], s["title"]) for s in data["sections"]] == [("1", "Introduction")]
    # the version is a cover detail with no place in the policy's details: said, not lost, not a section 0
    assert any("the cover gives the version '3.1'" in note for note in result.notes)
    assert result.report.missing == []


def test_with_no_title_in_the_document_the_file_name_gives_it(project, tmp_path):
    path = tmp_path / "online-safety_2024.txt"
    path.write_text("1. Aims\n\nWe keep pupils safe online.\n", encoding="utf-8")
    data, result = _imported(project, path)
    assert data["title"] == "Online safety 2024"
    assert "Imported policy" not in result.path.read_text(encoding="utf-8")
    assert any("taken from the file's name, 'online-safety_2024.txt'" in note for note in result.notes)


@pytest.mark.parametrize("written, last_day", [
    ("January 2024", date(2024, 1, 31)),
    ("February 2024", date(2024, 2, 29)),  # a leap year
    ("December 2025", date(2025, 12, 31)),
    ("Spring term 2025", date(2025, 3, 31)),
    ("Summer 2025", date(2025, 8, 31)),
    ("Autumn 2024", date(2024, 12, 31)),
    ("2024-06-05", date(2024, 6, 5)),
])
def test_a_month_or_a_term_means_its_last_day(written, last_day):
    """The rule the authors' guide and the data-format page state: a review due in a month is overdue the day
    after the month ends."""
    assert due_date(written) == last_day


@pytest.mark.parametrize("written", ["january 2024", "Janvier 2024", "Jan 2024", "Winter 2024", "2024"])
def test_other_month_words_are_still_refused(written):
    with pytest.raises(ValueError, match="is not a date"):
        due_date(written)
