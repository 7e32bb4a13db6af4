"""Plain text and Markdown -> neutral document.

The rules are the ones a policy typed in Word and saved as text (or written in Markdown)
follows: blank lines separate paragraphs; '1.', '3.1' or '#' start headings; '-', '*' or
'•' start bullets, indented for sub-bullets; a line straight after a bullet continues it.
"""

from __future__ import annotations

import re

from generator.checks.cover import cover_details
from generator.authoring.importer.document import Bullet, Document, Heading, Paragraph, Table, list_marker
from generator.authoring.importer.errors import ImportFailure

_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")
_BULLET = re.compile(r"^(\s*)(?:[-*•‣◦▪]|(\(?[a-z]\)|\([ivx]{1,4}\)))\s+(.*)$")
_NUMBERED_ITEM = re.compile(r"^(\s*)(\d{1,2}[.)])\s+(.*)$")
_SENTENCE_END = re.compile(r"[.:;!?]\W*$")
# A matrix written out as text: a row label on its own line, then "Column (cell)." lines.
_MATRIX_CELL = re.compile(r"^([A-Z][\w/ -]{0,40}?) \((.+)\)\.?$")
_ROW_LABEL = re.compile(r"^[A-Z][\w/-]*(?: [\w/-]+){0,3}$")


def read_text(text: str, name: str) -> Document:
    """Blocks of a text or Markdown file (``text`` already decoded)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    document = Document(blocks=[], source_text=[line.strip() for line in lines if line.strip()])
    blocks = document.blocks
    indents: list[int] = []
    previous_line_blank = True
    heading_like = None  # (line number, text) of a paragraph's one line that would be a heading on its own
    for index, raw in enumerate(lines):
        line = raw.rstrip()
        if not line.strip():
            previous_line_blank = True
            continue
        next_blank = index + 1 >= len(lines) or not lines[index + 1].strip()
        last = blocks[-1] if blocks else None
        bullet = _BULLET.match(line)
        numbered = _NUMBERED_ITEM.match(line)
        if numbered and isinstance(last, Bullet) and not previous_line_blank:
            bullet = numbered
        heading = None if bullet else _heading(line, previous_line_blank, next_blank)
        cover_line = bool(last) and isinstance(last, Paragraph) and bool(cover_details(last.text))
        if heading:
            blocks.append(heading)
            indents = []
        elif bullet:
            indent = len(bullet.group(1).expandtabs(4))
            if not isinstance(last, Bullet):
                indents = []
            while indents and indent < indents[-1]:
                indents.pop()
            if not indents or indent > indents[-1]:
                indents.append(indent)
            # A number or letter the document gives an item ('2.', '(b)') is its own: kept, never renumbered.
            marker = f"{list_marker(bullet.group(2))} " if bullet.group(2) else ""
            blocks.append(Bullet(marker + _clean(bullet.group(3)), depth=len(indents) - 1))
        elif cover_details(line.strip()) or (cover_line and not previous_line_blank):
            # 'Approved by: …' / 'Date of last review: …' on consecutive lines: each line is one detail.
            blocks.append(Paragraph(_clean(line)))
        elif not previous_line_blank and isinstance(last, (Bullet, Paragraph)):
            # A line straight after a bullet or a paragraph carries it on (Markdown's rule).
            blocks[-1] = _extend(last, line)
            if heading_like and isinstance(last, Paragraph):
                document.notes.append(
                    f"line {heading_like[0]}: '{heading_like[1]}' looks like a heading, but line {index + 1} "
                    "follows it with no blank line between them, so they were read as one paragraph: in a text "
                    "file, leave a blank line after each heading and between paragraphs, then import again")
        elif (isinstance(last, Paragraph) and line.strip()[0].islower()
              and not _SENTENCE_END.search(last.text)):
            # A paragraph cut in two by a page break: the second half starts in lower case.
            blocks[-1] = _extend(last, line)
            document.notes.append(f"line {index + 1}: joined to the paragraph before it, which stops mid-sentence "
                                  "(a page break in the original?)")
        else:
            blocks.append(Paragraph(_clean(line)))
            if _heading(line, previous_line_blank, True):
                heading_like = (index + 1, line.strip())
                previous_line_blank = False
                continue
        heading_like = None
        previous_line_blank = False
    document.blocks = _find_text_matrices(blocks)
    return document


def decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw:
        raise ImportFailure(f"{name} is not a text file (it holds binary data): save the policy as a Word "
                            "document (.docx) or as plain text (.txt, UTF-8) and import that")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailure(f"{name} is not UTF-8 text: in your editor use 'Save as' with the encoding "
                            "'UTF-8', or save it from Word as .docx, and import that") from None


def _heading(line: str, previous_blank: bool, next_blank: bool) -> Heading | None:
    markdown = _MARKDOWN_HEADING.match(line)
    if markdown:
        title = _clean(markdown.group(2))
        numbered = _NUMBERED_HEADING.match(title)
        if numbered:
            return Heading(numbered.group(1).count(".") + 1, numbered.group(2).strip(), numbered.group(1))
        return Heading(len(markdown.group(1)), title)
    numbered = _NUMBERED_HEADING.match(line.strip())
    if not (numbered and previous_blank and next_blank):
        return None
    title = numbered.group(2).strip()
    # A numbered heading is short and does not read as a sentence; '1. Staff must…' is a clause.
    if len(title.split()) > 12 or _SENTENCE_END.search(title) or not title[0].isupper():
        return None
    return Heading(numbered.group(1).count(".") + 1, title, numbered.group(1))


def _clean(text: str) -> str:
    return " ".join(text.split())


def _extend(block: Bullet | Paragraph, line: str) -> Bullet | Paragraph:
    text = block.text + " " + _clean(line)
    return Bullet(text, block.depth, block.starts_list) if isinstance(block, Bullet) else Paragraph(text)


def _find_text_matrices(blocks: list) -> list:
    """Turn 'Label' + 'Column (cell).' paragraph runs into a Table when every group has the same columns."""
    out: list = []
    index = 0
    while index < len(blocks):
        groups, end = _matrix_groups(blocks, index)
        if len(groups) >= 2:
            columns = tuple(column for column, _ in groups[0][1])
            rows = [("",) + columns] + [(label,) + tuple(cell for _, cell in cells) for label, cells in groups]
            out.append(Table(tuple(rows)))
            index = end
        else:
            out.append(blocks[index])
            index += 1
    return out


def _matrix_groups(blocks: list, start: int) -> tuple[list, int]:
    groups: list = []
    index = start
    while index < len(blocks):
        label = blocks[index]
        if not (isinstance(label, Paragraph) and _ROW_LABEL.match(label.text)):
            break
        cells = []
        cursor = index + 1
        while cursor < len(blocks) and isinstance(blocks[cursor], Paragraph):
            match = _MATRIX_CELL.match(blocks[cursor].text)
            if not match:
                break
            cells.append((match.group(1), match.group(2)))
            cursor += 1
        if len(cells) < 2 or (groups and [c for c, _ in cells] != [c for c, _ in groups[0][1]]):
            break
        groups.append((label.text, cells))
        index = cursor
    return groups, index
