"""Word documents the import tests need, written with python-docx (real styles, numbering, tables).

Nothing here uses the importer: the .docx made from the seed text is laid out by hand-written
rules, the way an office would have typed the policy in Word.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

REPO = Path(__file__).resolve().parent.parent
WEXHAM = REPO / "tests" / "fixtures" / "wexham"
SEED = WEXHAM / "policies" / "source" / "social-media-policy.txt"
_LINK = re.compile(r"\[([^\]]*(?:\\\][^\]]*)*)\]\(([^)]*)\)|<(https?://[^>]+)>|\*\*([^*]+)\*\*|\*([^*]+)\*")
HEADING_NUMBERING = 9001
"""numId of the multi-level '1.' / '1.1' list attached to the headings."""


def add_heading_numbering(document) -> None:
    """A decimal multi-level list ('1.', '1.1') like Word's 'Heading numbering' button makes."""
    add_numbering(document, HEADING_NUMBERING, [("decimal", "%1."), ("decimal", "%1.%2")])


def add_numbering(document, num_id: int, levels: list[tuple[str, str]]) -> None:
    """A Word list definition numbered ``num_id``: one (number format, level text) per level, from level 0."""
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), str(num_id))
    for level, (fmt, text) in enumerate(levels):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(level))
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            lvl.append(child)
        abstract.append(lvl)
    numbering.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(num_id))
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), str(num_id))
    num.append(ref)
    numbering.append(num)


def number_paragraph(paragraph, num_id: int, level: int) -> None:
    props = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), str(num_id))
    num_pr.append(ilvl)
    num_pr.append(num)
    props.append(num_pr)


def add_rich_text(paragraph, text: str) -> None:
    """Markdown links become real hyperlinks, *x* italic runs; the rest plain runs."""
    position = 0
    for match in _LINK.finditer(text):
        if match.start() > position:
            paragraph.add_run(text[position:match.start()])
        if match.group(4):
            paragraph.add_run(match.group(4)).bold = True
        elif match.group(5):
            paragraph.add_run(match.group(5)).italic = True
        else:
            label = match.group(1) if match.group(1) is not None else match.group(3)
            url = match.group(2) if match.group(2) is not None else match.group(3)
            add_hyperlink(paragraph, label.replace("\\[", "[").replace("\\]", "]"), url)
        position = match.end()
    if position < len(text):
        paragraph.add_run(text[position:])


def add_hyperlink(paragraph, label: str, url: str) -> None:
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = label
    text.set(qn("xml:space"), "preserve")
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


def seed_as_docx(path: Path) -> Path:
    """The governor-approved text as an office would have it in Word: Heading 1/2 with automatic
    numbering, List Bullet / List Bullet 2 (and List Number for the aims in section 2), the misuse
    matrix as a table, links as hyperlinks, the paragraph the text file splits at a page break whole."""
    lines = [line.rstrip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    document = docx.Document()
    add_heading_numbering(document)
    section = ""
    index = 0
    last = None
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.strip():
            continue
        heading = re.match(r"^(\d+)(?:\.(\d+))?\.?\s+([A-Z].*)$", line)
        if heading:
            section = heading.group(1) + ("." + heading.group(2) if heading.group(2) else "")
            last = document.add_paragraph(heading.group(3), style="Heading 2" if heading.group(2) else "Heading 1")
            number_paragraph(last, HEADING_NUMBERING, 1 if heading.group(2) else 0)
            continue
        if section == "3.5" and line == "Contact":
            rows = [["", "Commercial", "Aggressive", "Sexual", "Values"], ["Contact"]]
            while index < len(lines) and not re.match(r"^\d", lines[index]):
                label = lines[index].strip()
                index += 1
                if label in ("Contact", "Conduct", "Content"):
                    rows.append([label])
                elif label:
                    rows[-1].append(re.match(r"^\w+ \((.*)\)\.$", label).group(1))
            table = document.add_table(rows=len(rows), cols=5)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
            last = None
            continue
        bullet = re.match(r"^( ?)- (.*)$", line)
        if bullet:
            style = ("List Bullet 2" if bullet.group(1) else
                     "List Number" if section == "2" else "List Bullet")
            last = document.add_paragraph(style=style)
            add_rich_text(last, bullet.group(2))
            continue
        if line.startswith("<https://") and last is not None:
            last.add_run(" ")
            add_rich_text(last, line)  # the seed breaks this bullet's link onto a line of its own
            continue
        if line[0].islower() and last is not None:
            last.add_run(" " + line)  # the seed's page break: one paragraph in Word
            continue
        style = "Title" if line == "Social Media Policy" else None
        last = document.add_paragraph(style=style)
        add_rich_text(last, line)
    document.save(str(path))
    return path
