"""Issue 25: Word's automatic numbering and a text's typed list markers are the document's own.

'List Number' paragraphs lost their '1.' / '2.'; typed by hand they showed as 'a., a.' on the site (each
'1.' started a Markdown list of its own, which the theme letters). Expected values are the numbers Word
shows for these lists, worked out by hand from the list definitions written here.
"""

from __future__ import annotations

from pathlib import Path

import docx
import markdown

from import_docs import add_numbering, number_paragraph
from generator.authoring.importer.document import Bullet, Paragraph
from generator.authoring.importer.read_docx import read_docx
from generator.authoring.importer.read_text import read_text

LETTERED = 9100


def _lettered_list(document) -> None:
    """Level 0 'a)', level 1 '(i)': a list format schools use for sanctions and steps."""
    add_numbering(document, LETTERED, [("lowerLetter", "%1)"), ("lowerRoman", "(%2)")])


def test_word_numbers_and_letters_are_kept_as_word_shows_them(tmp_path):
    document = docx.Document()
    _lettered_list(document)
    document.add_paragraph("Pupils must:")
    for text in ("Switch phones off.", "Hand them in."):
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("Sanctions:")
    for text, level in (("A warning.", 0), ("Spoken.", 1), ("Written.", 1), ("A call home.", 0)):
        number_paragraph(document.add_paragraph(text), LETTERED, level)
    path = tmp_path / "phones.docx"
    document.save(str(path))
    assert read_docx(path).blocks == [
        Paragraph("Pupils must:"), Bullet("1\\. Switch phones off.", 0), Bullet("2\\. Hand them in.", 0),
        Paragraph("Sanctions:"), Bullet("a) A warning.", 0), Bullet("(i) Spoken.", 1), Bullet("(ii) Written.", 1),
        Bullet("b) A call home.", 0),
    ]


def test_typed_markers_in_a_text_file_are_kept():
    blocks = read_text("Staff should:\n\n- listen\n- report\n1. Record it.\n2. Tell the DSL.\n\n"
                       "Sanctions:\n\n(a) A warning.\n(b) A call home.\n", "x.txt").blocks
    assert blocks == [Paragraph("Staff should:"), Bullet("listen"), Bullet("report"), Bullet("1\\. Record it."),
                      Bullet("2\\. Tell the DSL."), Paragraph("Sanctions:"), Bullet("(a) A warning."),
                      Bullet("(b) A call home.")]


def test_a_kept_number_shows_as_written_on_the_page():
    """The escape is what stops '1.' starting a list of its own (an <ol> the theme letters 'a.')."""
    html = markdown.markdown("- 1\\. Switch phones off.\n- 2\\. Hand them in.")
    assert html == "<ul>\n<li>1. Switch phones off.</li>\n<li>2. Hand them in.</li>\n</ul>"
    assert "<ol>" in markdown.markdown("- 1. Switch phones off.")  # what the escape prevents
