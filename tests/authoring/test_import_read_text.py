"""The plain text / Markdown reader: headings, bullets, continuation lines, page-break joins, matrices."""

from __future__ import annotations

from generator.authoring.importer.document import Bullet, Heading, Paragraph, Table
from generator.authoring.importer.read_text import read_text

MARKDOWN = """\
# Anti-bullying Policy

## Purpose

Bullying is never acceptable. See [the DfE guidance](https://www.gov.uk/bullying).

1. Staff must report bullying the same day.

### Who it covers

* Pupils
  * in school
  * on trips
* Staff
carry on the same bullet

## 3. Responding

- Listen.
"""


def test_markdown_headings_bullets_and_links():
    blocks = read_text(MARKDOWN, "policy.md").blocks
    assert blocks == [
        Heading(1, "Anti-bullying Policy"),
        Heading(2, "Purpose"),
        Paragraph("Bullying is never acceptable. See [the DfE guidance](https://www.gov.uk/bullying)."),
        Paragraph("1. Staff must report bullying the same day."),  # a sentence, not a heading
        Heading(3, "Who it covers"),
        Bullet("Pupils", 0), Bullet("in school", 1), Bullet("on trips", 1),
        Bullet("Staff carry on the same bullet", 0),
        Heading(1, "Responding", "3"),
        Bullet("Listen.", 0),
    ]


def test_page_break_join_and_text_matrix():
    text = ("3.5 Misuse\n\nThe text stops in the middle of\n\nthe sentence here.\n\n"
            "Contact\n\nCommercial (spam).\n\nSexual (grooming).\n\n"
            "Conduct\n\nCommercial (scams).\n\nSexual (sharing images).\n\nAfter the table.\n")
    document = read_text(text, "p.txt")
    assert document.blocks == [
        Heading(2, "Misuse", "3.5"),
        Paragraph("The text stops in the middle of the sentence here."),
        Table((("", "Commercial", "Sexual"), ("Contact", "spam", "grooming"), ("Conduct", "scams", "sharing images"))),
        Paragraph("After the table."),
    ]
    assert document.notes == ["line 5: joined to the paragraph before it, which stops mid-sentence "
                              "(a page break in the original?)"]


def test_a_finished_sentence_is_not_joined_to_a_lower_case_paragraph():
    blocks = read_text("It ends here.\n\nlower case start.\n", "p.txt").blocks
    assert blocks == [Paragraph("It ends here."), Paragraph("lower case start.")]


def test_a_heading_with_no_blank_line_after_it_is_noted():
    # Bug: a policy typed with no blank lines ('1. Purpose' then its text on the next line) became one
    # paragraph per block of lines, in a section 'Before section 1', and nothing said why.
    document = read_text("Phones Policy\n\n1. Purpose\nThis policy explains phones.\n\n2. Staff\n\nStaff keep "
                         "phones away.\n", "p.txt")
    assert document.blocks == [Paragraph("Phones Policy"), Paragraph("1. Purpose This policy explains phones."),
                               Heading(1, "Staff", "2"), Paragraph("Staff keep phones away.")]
    assert document.notes == ["line 3: '1. Purpose' looks like a heading, but line 4 follows it with no blank "
                              "line between them, so they were read as one paragraph: in a text file, leave a "
                              "blank line after each heading and between paragraphs, then import again"]
