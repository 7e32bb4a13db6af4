"""PDF (a text PDF, as Word or a website prints one) -> neutral document, with pypdf and PDFium.

pypdf (already the project's: the tests read the sites' PDFs with it) checks the file first: encryption,
the number of pages, how far the pages' drawing instructions unpack. PDFium (pdf_text.py) then gives each
piece of text with its position, size and weight, which is what a PDF keeps of a document's structure:
this reader rebuilds lines from the positions, then writes them as the text reader's input, with a blank
line where the page shows a gap or the type changes, a heading printed larger as a Markdown heading,
a line all in bold as **bold**, and a bullet glyph as '-', indented by its level. The text reader
then applies the same rules as for a .txt file (numbered headings, cover lines, lists).

The faithfulness report compares the draft with every piece of text PDFium found, in its order, before
this reader grouped them (so a piece the grouping lost is missing from the draft), less the page
headers and footers repeated on most pages, which are left out with a note.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from generator.checks.cover import cover_details
from generator.authoring.importer.document import Document
from generator.authoring.importer.pdf_text import Piece as _Piece, page_pieces
from generator.authoring.importer.errors import ImportFailure
from generator.authoring.importer.read_text import read_text

MAX_PAGES = 500
"""A policy runs to tens of pages; a PDF of hundreds is a handbook or a scan to split first."""
MAX_CONTENT_BYTES = 40 * 1024 * 1024
"""The most the pages' content streams may unpack to, all together: a 116-page policy unpacks to a few MB;
pypdf alone stops one stream at 75 MB, which would still be minutes of parsing, page after page."""
MIN_CHARACTERS_PER_PAGE = 20
"""Fewer characters than this on average: pictures of text (a scan), not a text PDF."""
_BULLETS = "•●▪■◦○‣-–*·"
_EDGE = 0.08
"""The top and bottom part of a page where running headers and footers are printed."""


@dataclass
class _Line:
    page: int
    x: float
    y: float
    size: float
    bold: bool
    text: str
    bullet: bool = False
    text_x: float = 0.0
    """Where the words start (after a bullet glyph): a bullet's next line starts there too."""


def read_pdf(path: Path) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    name = path.name
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise ImportFailure(f"{name} is password-protected (encrypted), so its text cannot be read: open it, "
                                "save or print a copy without the password (or ask for the original Word "
                                "document), and import that")
        pages = list(reader.pages)
        if len(pages) > MAX_PAGES:
            raise ImportFailure(f"{name} has {len(pages)} pages; the importer takes policies of up to {MAX_PAGES} "
                                "pages: save the policy's own pages as a separate PDF and import that")
        lines: list[_Line] = []
        printed: list[tuple[int, _Piece]] = []
        heights: list[float] = []
        unpacked = 0
        for number, page in enumerate(pages):
            contents = page.get_contents()
            unpacked += len(contents.get_data()) if contents is not None else 0  # measured only: PDFium reads it
            if unpacked > MAX_CONTENT_BYTES:
                raise ImportFailure(f"{name} holds far more drawing instructions than a document of its pages "
                                    f"(over {MAX_CONTENT_BYTES // 1024 // 1024} MB unpacked by page {number + 1}): "
                                    "it may be built to overwhelm a reader, and was not read further. Ask for the "
                                    "original Word document")
        for number, (height, pieces) in enumerate(page_pieces(path)):
            lines += _lines(number, pieces)
            printed += [(number, piece) for piece in pieces]
            heights.append(height)
    except ImportFailure:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError,
            MemoryError, ArithmeticError, IndexError):
        raise ImportFailure(f"{name} could not be read as a PDF (it may be damaged): ask for the file again, or "
                            "for the original Word document") from None
    except Exception as error:  # noqa: BLE001 - pypdf's limits, PDFium's PdfiumError (a file it cannot load)
        if type(error).__module__.startswith("pypdf"):
            raise ImportFailure(f"{name} could not be read as a PDF (it is damaged, or built to overwhelm a "
                                "reader): ask for the original Word document") from None
        raise
    characters = sum(len(line.text) for line in lines)
    if characters < MIN_CHARACTERS_PER_PAGE * max(len(pages), 1):
        raise ImportFailure(f"{name} has no text to import: its pages are pictures of text (a scanned document). "
                            "Ask for the original Word document, or for a PDF saved from it (File > Save As > PDF), "
                            "and import that")
    running = _running_lines(lines, heights)
    first = lines[0].page if lines else 0
    kept = [line for line in lines if _key(line.text) not in running or not _at_edge(line, heights)
            or (line.page == first and _cover_line(line.text))]
    document = read_text(_as_text(kept), name)
    document.source_text = _printed_text(printed, running, heights)
    if running:
        document.notes.append(f"{len(running)} line(s) printed at the top or bottom of most pages (the page's "
                              "header or footer, e.g. a page number) were left out")
    return document


def _printed_text(printed: list[tuple[int, _Piece]], running: set[str], heights: list[float]) -> list[str]:
    """Every piece of text as PDFium found it, in its order, before this reader made lines and paragraphs of
    them (so text the grouping dropped is still counted), less the running headers and footers."""
    out = []
    for page, piece in printed:
        edge = not (heights[page] * _EDGE <= piece.y <= heights[page] * (1 - _EDGE))
        for text in piece.text.split("\n"):
            text = " ".join(text.split())
            if text and not (edge and _key(text) in running and not (page == printed[0][0] and _cover_line(text))):
                out.append(text)
    return out


def _lines(page: int, pieces: list[_Piece]) -> list[_Line]:
    """Pieces on one baseline (within a point and a half) make a line, left to right; lines top to bottom."""
    rows: dict[float, list[_Piece]] = {}
    for piece in pieces:
        for offset, text in enumerate(t for t in piece.text.split("\n") if t.strip()):
            y = piece.y - offset * piece.size * 1.2  # a piece's later lines have no position of their own
            key = next((k for k in rows if abs(k - y) < 1.5), y)
            rows.setdefault(key, []).append(_Piece(piece.x, y, piece.size, piece.bold, text))
    out = []
    for y in sorted(rows, reverse=True):
        row = sorted(rows[y], key=lambda p: p.x)
        words = [p for p in row if p.text.strip() not in _BULLETS]
        bullet = bool(words) and row[0].text.strip() in _BULLETS
        text = " ".join(" ".join(p.text for p in (words if bullet else row)).split())
        size = max((p.size for p in words), default=row[0].size)
        out.append(_Line(page, row[0].x, y, size, bool(words) and all(p.bold for p in words), text, bullet,
                         words[0].x if words else row[0].x))
    return out


def _cover_line(text: str) -> bool:
    """A running header that is the document's cover ('Issued: May 2020' at the top of every page): kept once,
    from the first page."""
    return bool(cover_details(text)) or bool(re.match(r"^title\s*:", text, re.I))


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _at_edge(line: _Line, heights: list[float]) -> bool:
    height = heights[line.page]
    return line.y > height * (1 - _EDGE) or line.y < height * _EDGE


def _running_lines(lines: list[_Line], heights: list[float]) -> set[str]:
    """Lines printed at the top or bottom of most pages ('Page 3 of 12', the school's name): the running
    header and footer, which are not part of the policy's text."""
    pages = len(heights)
    if pages < 2:
        return set()
    printed = {(_key(line.text), line.page) for line in lines if _at_edge(line, heights)}
    on_pages = Counter(key for key, _ in printed)
    return {key for key, count in on_pages.items() if count >= max(2, pages // 2)}


def _as_text(lines: list[_Line]) -> str:
    """The lines as the text reader reads a file: paragraphs apart where the page shows a break."""
    if not lines:
        return ""
    sizes: Counter = Counter()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    body = sizes.most_common(1)[0][0]
    gaps = Counter(round(a.y - b.y, 1) for a, b in zip(lines, lines[1:]) if a.page == b.page and a.y > b.y)
    spacing = min((gap for gap, _ in gaps.most_common(3)), default=body * 1.2)
    bullet_x = sorted({round(line.x) for line in lines if line.bullet})

    def kind(line: _Line) -> str:
        return ("heading" if line.size > body * 1.15 else "bullet" if line.bullet else "bold" if line.bold
                else "text")

    groups: list[tuple[str, list[_Line]]] = []
    previous = None
    for line in lines:
        this = kind(line)
        # lines of larger type are further apart: a heading wrapped over two lines is still one
        step = max(spacing, line.size * 1.25) if this == "heading" else spacing
        apart = previous is None or (
            line.page != previous.page and not _continues(previous, line)
            or line.page == previous.page and previous.y - line.y > step * 1.3
            or this == "heading" and abs(line.size - previous.size) > 0.5)  # a title, then a heading
        last = groups[-1][0] if groups else None
        same = not apart and (this == last != "bullet" or (
            last == "bullet" and this == "text" and abs(line.x - groups[-1][1][0].text_x) < 3))
        if same:
            groups[-1][1].append(line)
        else:
            groups.append((this, [line]))
        previous = line
    out: list[str] = []
    for index, (this, group) in enumerate(groups):
        text = " ".join(line.text for line in group)
        if this == "bullet":
            depth = next((i for i, x in enumerate(bullet_x) if abs(x - group[0].x) < 3), 0)
            out.append("    " * depth + "- " + text)
            if index + 1 < len(groups) and groups[index + 1][0] != "bullet":
                out.append("")
            continue
        if this == "heading":
            text = text if re.match(r"^\d", text) else "# " + text
        elif this == "bold":
            text = f"**{text}**"
        elif any(cover_details(line.text) for line in group):
            text = "\n".join(line.text for line in group)  # a cover's lines, one detail each
        out += ["", text, ""]
    return "\n".join(out) + "\n"


def _continues(previous: _Line, line: _Line) -> bool:
    """A paragraph carried over a page break: the page's last line stops mid-sentence, or the next page's
    first line starts in lower case."""
    return line.text[:1].islower() or not previous.text.rstrip().endswith((".", ":", ";", "!", "?", ")"))
