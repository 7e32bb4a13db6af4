"""The Word reader: heading styles (and styles based on them), typed and automatic numbers, lists,
links, formatting, tables, tracked changes, and text it cannot place (which must fail the import)."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml

from import_docs import HEADING_NUMBERING, add_heading_numbering, add_hyperlink, number_paragraph
from support import TODAY, WEXHAM
from generator.authoring.importer import ImportFailure, import_policy
from generator.authoring.importer.document import Bullet, Heading, Paragraph, Table
from generator.authoring.importer.read_docx import read_docx

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _save(document, tmp_path: Path) -> Path:
    path = tmp_path / "policy.docx"
    document.save(str(path))
    return path


def test_heading_styles_numbering_and_lists(tmp_path):
    document = docx.Document()
    add_heading_numbering(document)
    school_heading = document.styles.add_style("School Heading", WD_STYLE_TYPE.PARAGRAPH)
    school_heading.base_style = document.styles["Heading 2"]
    document.add_paragraph("Behaviour Policy", style="Title")
    number_paragraph(document.add_paragraph("Aims", style="Heading 1"), HEADING_NUMBERING, 0)
    number_paragraph(document.add_paragraph("Scope", style="Heading 1"), HEADING_NUMBERING, 0)
    number_paragraph(document.add_paragraph("Who", style="School Heading"), HEADING_NUMBERING, 1)
    document.add_paragraph("4.2 Typed number", style="Heading 2")
    document.add_paragraph("Unnumbered", style="Heading 1")
    document.add_paragraph("First", style="List Number")
    document.add_paragraph("Second", style="List Bullet 2")
    blocks = read_docx(_save(document, tmp_path)).blocks
    assert blocks == [
        Paragraph("Behaviour Policy"),
        Heading(1, "Aims", "1"), Heading(1, "Scope", "2"), Heading(2, "Who", "2.1"),
        Heading(2, "Typed number", "4.2"), Heading(1, "Unnumbered", None),
        Bullet("1\\. First", 0), Bullet("Second", 1),  # Word shows '1.' before a List Number paragraph
    ]


def test_links_formatting_and_unsafe_links(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("See ")
    add_hyperlink(paragraph, "the guidance", "https://www.gov.uk/x")
    paragraph.add_run(" and ")
    add_hyperlink(paragraph, "this", "javascript:alert(1)")
    paragraph.add_run(" now. ")
    paragraph.add_run("Must").bold = True
    paragraph.add_run(" and ")
    paragraph.add_run("always").italic = True
    blocks = read_docx(_save(document, tmp_path)).blocks
    assert blocks == [Paragraph("See [the guidance](https://www.gov.uk/x) and this now. **Must** and *always*")]


def test_tables_and_tracked_changes(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for (r, c), text in {(0, 1): "Low", (0, 2): "High", (1, 0): "Risk", (1, 1): "note it", (1, 2): "call"}.items():
        table.cell(r, c).text = text
    paragraph = document.add_paragraph("Kept ")
    paragraph._p.append(parse_xml(f'<w:del {W_NS} w:id="1" w:author="a"><w:r><w:delText>gone</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(f'<w:ins {W_NS} w:id="2" w:author="a"><w:r><w:t>added</w:t></w:r></w:ins>'))
    read = read_docx(_save(document, tmp_path))
    assert read.blocks == [Table((("", "Low", "High"), ("Risk", "note it", "call"))), Paragraph("Kept added")]
    assert any("tracked changes" in note for note in read.notes)


def test_text_the_reader_cannot_place_fails_the_import(tmp_path):
    """Text in a text box is outside the paragraphs' runs: the faithfulness report must catch it."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(WEXHAM / "school.yml", project)
    document = docx.Document()
    document.add_paragraph("Safety Policy")
    document.add_paragraph("1. Purpose", style="Heading 1")
    paragraph = document.add_paragraph("Staff keep pupils safe.")
    paragraph._p.append(parse_xml(
        f'<w:r {W_NS} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
        '<w:p><w:r><w:t>Call 999 if a child is in danger.</w:t></w:r></w:p>'
        '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))
    with pytest.raises(ImportFailure) as error:
        import_policy(_save(document, tmp_path), project, TODAY)
    assert "1 NOT FOUND in the draft:\n    - Call 999 if a child is in danger." in str(error.value)
    assert not (project / "policies" / "safety.yml").exists()


def test_numbers_typed_in_ordinary_paragraphs(tmp_path):
    document = docx.Document()
    for text in ("1. Introduction", "Text.", "2. Objectives and targets", "2.1 Scope", "1. Listen to the child",
                 "7. Out of sequence"):
        document.add_paragraph(text)
    document.add_paragraph().add_run("9. Bold heading").bold = True
    blocks = read_docx(_save(document, tmp_path)).blocks
    assert blocks == [
        Heading(1, "Introduction", "1"), Paragraph("Text."), Heading(1, "Objectives and targets", "2"),
        Heading(2, "Scope", "2.1"), Paragraph("1. Listen to the child"), Paragraph("7. Out of sequence"),
        Heading(1, "Bold heading", "9"),
    ]


def test_paragraphs_numbered_by_the_heading_list_are_numbered_clauses(tmp_path):
    document = docx.Document()
    add_heading_numbering(document)
    number_paragraph(document.add_paragraph("Aims", style="Heading 1"), HEADING_NUMBERING, 0)
    number_paragraph(document.add_paragraph("Staff keep pupils safe."), HEADING_NUMBERING, 1)
    number_paragraph(document.add_paragraph("Staff report concerns."), HEADING_NUMBERING, 1)
    document.add_paragraph("A bullet", style="List Bullet")
    assert read_docx(_save(document, tmp_path)).blocks == [
        Heading(1, "Aims", "1"), Paragraph("1.1 Staff keep pupils safe."), Paragraph("1.2 Staff report concerns."),
        Bullet("A bullet", 0)]
