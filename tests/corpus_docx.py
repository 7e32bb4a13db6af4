"""A Word document from a few lines of markup, with python-docx: how the import corpus makes its .docx files.

    title: Online Safety Policy          Word's Title style
    cover: Approved by | Governing Body  a row of a two-column cover table (consecutive rows: one table)
    h1: Aims                             Heading 1, numbered by Word's automatic heading numbering ('1')
    h2: The governing board              Heading 2, numbered by it ('1.1')
    p: Text.                             an ordinary paragraph
    bold: Pupils                         a paragraph all in bold
    num: Text.                           List Number (Word shows '1.', '2.', ...)
    bullet: Text.                        List Bullet
    bullet2: Text.                       List Bullet 2
"""

from __future__ import annotations

from pathlib import Path

import docx

from import_docs import HEADING_NUMBERING, add_heading_numbering, number_paragraph


def build_docx(markup: str, path: Path) -> Path:
    document = docx.Document()
    add_heading_numbering(document)
    cover = None
    for line in markup.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, text = line.partition(": ")
        if kind != "cover":
            cover = None
        if kind == "title":
            document.add_paragraph(text, style="Title")
        elif kind == "cover":
            label, _, value = text.partition(" | ")
            if cover is None:
                cover = document.add_table(rows=0, cols=2)
            cells = cover.add_row().cells
            cells[0].text, cells[1].text = label, value
        elif kind in ("h1", "h2"):
            heading = document.add_paragraph(text, style="Heading 1" if kind == "h1" else "Heading 2")
            number_paragraph(heading, HEADING_NUMBERING, 0 if kind == "h1" else 1)
        elif kind == "p":
            document.add_paragraph(text)
        elif kind == "bold":
            document.add_paragraph().add_run(text).bold = True
        elif kind == "num":
            document.add_paragraph(text, style="List Number")
        elif kind in ("bullet", "bullet2"):
            document.add_paragraph(text, style="List Bullet" if kind == "bullet" else "List Bullet 2")
        else:
            raise ValueError(f"unknown markup line: {line}")
    document.save(str(path))
    return path
