"""The text of a PDF's pages as pieces with their position, size and weight, read with PDFium (pypdfium2).

Why PDFium for the text, when pypdf reads the file's structure: pypdf's text extraction parses each page's
drawing instructions in Python, and a 116-page policy took 7.5 s of CPU in it alone (issue 25's target for a
100-page import is 5 s); PDFium, the PDF engine of Chromium, compiled and long fuzzed, gives the same pieces
for the same document in about 1 s. pypdfium2 (Apache-2.0 or BSD-3-Clause, PDFium BSD-3-Clause) ships
PDFium inside its wheel; it reads the file itself, never the network.

Each piece is one of PDFium's text rectangles (a run of text on one line): its left edge, the baseline of its
first character, that character's font size in points (scaled by its text matrix, as printed) and whether
its font is bold (weight 600 or more, or 'Bold' in
the font's name).
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Piece:
    x: float
    y: float
    size: float
    bold: bool
    text: str


def page_pieces(path: Path) -> list[tuple[float, list[Piece]]]:
    """(page height, pieces in PDFium's reading order) for each page."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        out = []
        for page in document:
            text_page = page.get_textpage()
            out.append((page.get_height(), _pieces(text_page)))
            text_page.close()
            page.close()
        return out
    finally:
        document.close()


def _pieces(text_page) -> list[Piece]:
    """The page's characters in order, cut into pieces where a line ends or the text jumps along its line (a
    bullet glyph and its text, table cells): each piece's text, and its first character's place and type."""
    import pypdfium2.raw as raw

    handle = text_page.raw
    x, y = ctypes.c_double(), ctypes.c_double()
    matrix = raw.FS_MATRIX()
    name, flags = ctypes.create_string_buffer(128), ctypes.c_int()
    pieces: list[Piece] = []
    run: list[str] = []
    start = {"x": 0.0, "y": 0.0, "index": 0, "size": 0.0}
    last_x = 0.0

    def flush() -> None:
        text = "".join(run)
        run.clear()
        if not text.strip():
            return
        index = start["index"]
        raw.FPDFText_GetFontInfo(handle, index, name, len(name), flags)
        bold = raw.FPDFText_GetFontWeight(handle, index) >= 600 or b"bold" in name.value.lower()
        pieces.append(Piece(start["x"], start["y"], start["size"], bold, text))

    for index in range(text_page.count_chars()):
        code = raw.FPDFText_GetUnicode(handle, index)
        character = chr(code) if 0 < code < 0x110000 else ""
        if character in ("\r", "\n", ""):
            flush()
            continue
        if raw.FPDFText_IsGenerated(handle, index) == 1:
            if run:
                run.append(" ")  # a space PDFium adds between words the file placed apart
            continue
        raw.FPDFText_GetCharOrigin(handle, index, x, y)
        if run and (abs(y.value - start["y"]) > 1.0 or x.value - last_x > max(start["size"], 6.0) * 1.5
                    or x.value < last_x - 1.0):
            flush()
        if not run:
            # the font size is in the text's own units: scaled by its matrix, it is in points like the places
            scale = 1.0
            if raw.FPDFText_GetMatrix(handle, index, matrix):
                scale = abs(matrix.d) or abs(matrix.a) or 1.0
            start.update(x=x.value, y=y.value, index=index, size=raw.FPDFText_GetFontSize(handle, index) * scale)
        run.append(character)
        last_x = x.value
    flush()
    return pieces
