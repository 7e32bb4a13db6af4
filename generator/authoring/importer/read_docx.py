"""Word (.docx) -> neutral document, with python-docx.

python-docx was chosen over mammoth and docx2python because it exposes what the structure
is made of: each paragraph's style and its base styles (so 'Heading 2' or a school's own
heading style based on it is a level-2 heading), outline levels, and the numbering
properties (numId/ilvl) behind Word's automatic numbering, which this reader counts itself
to recover '3.1'. mammoth turns a document into semantic HTML but drops the numbering;
docx2python keeps the numbers' text but not the styles. python-docx is also what the tests
use to write real Word documents, with its only dependencies lxml and typing_extensions.

The file has already passed guard.check_file (size, zip directory, content types).
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.authoring.importer.docx_source import source_paragraphs
from generator.authoring.importer.document import Bullet, Document, Heading, Paragraph, Table, list_marker
from generator.authoring.importer.errors import ImportFailure

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_TYPED_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")
_HEADING_STYLE = re.compile(r"^heading (\d)$", re.I)
_LIST_STYLE = re.compile(r"^list (?:bullet|number|continue|paragraph)(?: (\d))?$", re.I)
_SAFE_URL = re.compile(r"^(?:https?://|mailto:)[^\s<>\"'`\\]+$", re.I)


def read_docx(path: Path) -> Document:
    import docx  # imported here: only imports of Word documents need it

    try:
        word = docx.Document(str(path))
    except Exception:  # noqa: BLE001 - python-docx raises many kinds for a broken package
        raise ImportFailure(f"{path.name} could not be read as a Word document (it may be damaged): open it in "
                            "Word, save it again as .docx and import that") from None
    notes = _footnotes(word)
    if notes:
        raise ImportFailure(f"{path.name} has {notes} footnote(s) or endnote(s), which the importer cannot place in "
                            "a policy yet: in Word, move their text into the paragraphs they belong to (or delete "
                            "them if they are not part of the approved text), save, and import again")
    body = word.element.body
    reader = _Reader(word)
    document = Document(blocks=[], source_text=source_paragraphs(path, str(word.part.partname)))
    for element in _block_elements(body):
        if element.tag == W + "p":
            block = reader.paragraph(element)
        else:
            block = reader.table(element)
        if block is not None:
            document.blocks.append(block)
    document.title = reader.title
    if reader.tracked_changes:
        document.notes.append("the document has tracked changes: the draft follows the text with the changes "
                              "accepted (deleted text left out); check that is the approved version")
    return document


def _footnotes(word) -> int:
    """How many footnotes and endnotes hold text (Word's separator notes have a w:type and are not counted)."""
    from docx.oxml import parse_xml

    count = 0
    for part in word.part.package.iter_parts():
        if str(part.partname) in ("/word/footnotes.xml", "/word/endnotes.xml"):
            root = parse_xml(part.blob)
            for note in root:
                if note.get(W + "type") is None and "".join(t.text or "" for t in note.iter(W + "t")).strip():
                    count += 1
    return count


def _block_elements(parent):
    """Paragraphs and tables of the body in reading order, looking inside content controls."""
    for child in parent.iterchildren():
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml"):
            yield from _block_elements(child)


class _Reader:
    def __init__(self, word):
        self.word = word
        self.part = word.part
        self.styles = {}
        for style in word.styles.element.iterchildren(W + "style"):
            self.styles[style.get(W + "styleId")] = style
        self.numbering = _Numbering(word)
        self.tracked_changes = False
        self.title: str | None = None
        """The first paragraph in Word's Title style."""
        self.last_number: list[int] = []
        """The last section number seen ('3.1' -> [3, 1]), to recognise the next one typed by hand."""

    def paragraph(self, p) -> Heading | Paragraph | Bullet | None:
        text = self._text(p)
        if not text:
            return None
        style_chain = self._style_chain(p)
        names = [s.find(W + "name").get(W + "val") for s in style_chain if s.find(W + "name") is not None]
        if self.title is None and any(name.lower() == "title" for name in names):
            self.title = _plain_text(p)
        level = self._heading_level(p, style_chain, names)
        numbering = self._numbering(p, style_chain)
        plain = _plain_text(p)
        typed = _TYPED_NUMBER.match(plain)
        if level:
            if typed:
                return self._heading(typed.group(1), typed.group(2))
            number = self.numbering.count(*numbering) if numbering else None
            return self._heading(number.rstrip(". ") if number else None, plain, level)
        if typed and not numbering and self._typed_heading(typed.group(1), typed.group(2), text):
            return self._heading(typed.group(1), typed.group(2))
        if numbering:
            number = self.numbering.count(*numbering)
            if number and re.fullmatch(r"\d+(?:\.\d+)+\.?", number.strip()):
                # '3.1' printed by Word before an ordinary paragraph: a numbered clause, not a bullet.
                return Paragraph(f"{number.strip()} {text}")
            depth = numbering[1]
            suffix = next((m.group(1) for m in map(_LIST_STYLE.match, names) if m and m.group(1)), None)
            if suffix and depth == 0 and p.find(f"{W}pPr/{W}numPr/{W}ilvl") is None:
                depth = int(suffix) - 1
            return Bullet(f"{list_marker(number)} {text}" if number and number.strip() else text, depth)
        list_style = next((m for m in map(_LIST_STYLE.match, names) if m), None)
        if list_style:
            return Bullet(text, int(list_style.group(1) or 1) - 1)
        return Paragraph(text)

    def _heading(self, number: str | None, title: str, level: int = 0) -> Heading:
        if number:
            self.last_number = [int(n) for n in re.findall(r"\d+", number)] or self.last_number
            level = number.count(".") + 1
        return Heading(level, title, number)

    def _typed_heading(self, number: str, title: str, text: str) -> bool:
        """'2. Objectives' typed in an ordinary paragraph is a heading when it is short, not a sentence,
        and either bold or the next number in sequence (so '1. Listen.' in a typed list is not)."""
        if len(title.split()) > 12 or not title[:1].isupper() or re.search(r"[.:;!?]\W*$", title):
            return False
        if text.startswith("**") and text.endswith("**"):
            return True
        parts = [int(n) for n in number.split(".")]
        last = self.last_number
        expected = [last[:depth] + [last[depth] + 1] for depth in range(len(last))] + [last + [1]] if last else [[1]]
        return parts in expected

    def table(self, tbl) -> Table | None:
        rows = []
        for tr in tbl.iterchildren(W + "tr"):
            cells = []
            for tc in tr.iterchildren(W + "tc"):
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                if merge is not None and merge.get(W + "val") in (None, "continue"):
                    cells.append("")  # the lower part of a vertically merged cell: its text is above
                    continue
                parts = [self._text(p) for p in tc.iter(W + "p")]
                cells.append(" ".join(part for part in parts if part))
            rows.append(tuple(cells))
        return Table(tuple(rows)) if any(any(row) for row in rows) else None

    # --- text --------------------------------------------------------------------------------

    def _text(self, p) -> str:
        pieces: list[tuple[str, bool, bool, str | None]] = []
        for child in p.iterchildren():
            self._collect(child, pieces)
        return _markdown(pieces)

    def _collect(self, node, pieces: list, link: str | None = None) -> None:
        tag = node.tag
        if tag == W + "r":
            bold, italic = _run_format(node)
            text = "".join((t.text or "") if t.tag == W + "t" else " " for t in node.iterchildren()
                           if t.tag in (W + "t", W + "tab", W + "br", W + "cr"))
            text = text.replace("\u00a0", " ")
            if text:
                pieces.append((text, bold, italic, link))
        elif tag == W + "hyperlink":
            target = None
            rel_id = node.get(R_ID)
            if rel_id and rel_id in self.part.rels and self.part.rels[rel_id].is_external:
                target = self.part.rels[rel_id].target_ref
            for child in node.iterchildren():
                self._collect(child, pieces, target if target and _SAFE_URL.match(target) else None)
        elif tag == W + "del":
            self.tracked_changes = True
        elif tag in (W + "ins", W + "smartTag", W + "fldSimple", W + "sdt", W + "sdtContent", W + "customXml"):
            if tag == W + "ins":
                self.tracked_changes = True
            for child in node.iterchildren():
                self._collect(child, pieces, link)

    # --- styles and numbering ----------------------------------------------------------------

    def _style_chain(self, p) -> list:
        chain = []
        style_id = _val(p.find(f"{W}pPr/{W}pStyle")) or self._default_paragraph_style()
        while style_id and style_id in self.styles and len(chain) < 10:
            style = self.styles[style_id]
            if style in chain:
                break
            chain.append(style)
            style_id = _val(style.find(W + "basedOn"))
        return chain

    def _default_paragraph_style(self) -> str | None:
        for style_id, style in self.styles.items():
            if style.get(W + "type") == "paragraph" and style.get(W + "default") in ("1", "true"):
                return style_id
        return None

    def _heading_level(self, p, chain: list, names: list[str]) -> int:
        for name in names:
            match = _HEADING_STYLE.match(name)
            if match:
                return int(match.group(1))
        for holder in [p] + chain:
            outline = _val(holder.find(f"{W}pPr/{W}outlineLvl"))
            if outline is not None and outline.isdigit() and int(outline) < 9:
                return int(outline) + 1
        return 0

    def _numbering(self, p, chain: list) -> tuple[str, int] | None:
        for holder in [p] + chain:
            num_pr = holder.find(f"{W}pPr/{W}numPr")
            if num_pr is not None:
                num_id = _val(num_pr.find(W + "numId"))
                level = _val(num_pr.find(W + "ilvl"))
                if num_id in (None, "0"):
                    return None  # numbering switched off for this paragraph
                return num_id, int(level) if level and level.isdigit() else 0
        return None


class _Numbering:
    """Word's automatic numbering, counted as Word counts it (per abstract list, deeper levels restart)."""

    def __init__(self, word):
        self.abstract_of: dict[str, str] = {}
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = word.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.iterchildren(W + "abstractNum"):
            abstract_id = abstract.get(W + "abstractNumId")
            for lvl in abstract.iterchildren(W + "lvl"):
                start = _val(lvl.find(W + "start"))
                self.levels[(abstract_id, int(lvl.get(W + "ilvl") or 0))] = (
                    _val(lvl.find(W + "numFmt")) or "decimal", _val(lvl.find(W + "lvlText")) or "",
                    int(start) if start and start.isdigit() else 1)
        for num in root.iterchildren(W + "num"):
            self.abstract_of[num.get(W + "numId")] = _val(num.find(W + "abstractNumId"))

    def count(self, num_id: str, level: int) -> str | None:
        """Advance the list and return the number Word prints ('3.1.'), or None for a bullet."""
        abstract = self.abstract_of.get(num_id)
        if abstract is None:
            return None
        counters = self.counters.setdefault(abstract, [])
        while len(counters) <= level:
            counters.append(self._start(abstract, len(counters)) - 1)
        counters[level] += 1
        del counters[level + 1:]
        fmt, text, _ = self.levels.get((abstract, level), ("decimal", f"%{level + 1}.", 1))
        if fmt in ("bullet", "none"):
            return None

        def number(match):
            index = int(match.group(1)) - 1
            value = counters[index] if index < len(counters) else self._start(abstract, index)
            return _format(value, self.levels.get((abstract, index), ("decimal", "", 1))[0])

        return re.sub(r"%(\d)", number, text)

    def _start(self, abstract: str, level: int) -> int:
        return self.levels.get((abstract, level), ("decimal", "", 1))[2]


def _format(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out += letters
            value -= number
    return out


def _val(element) -> str | None:
    return None if element is None else element.get(W + "val")


def _on(element) -> bool:
    return element is not None and element.get(W + "val") not in ("0", "false", "off")


def _run_format(run) -> tuple[bool, bool]:
    props = run.find(W + "rPr")
    if props is None:
        return False, False
    return _on(props.find(W + "b")), _on(props.find(W + "i"))


def _plain_text(p) -> str:
    return " ".join("".join(t.text or "" for t in p.iter(W + "t")).split())


def _markdown(pieces: list) -> str:
    """Runs -> Markdown: consecutive runs with the same formatting and link are joined first."""
    merged: list[list] = []
    for text, bold, italic, link in pieces:
        if merged and merged[-1][1:] == [bold, italic, link]:
            merged[-1][0] += text
        else:
            merged.append([text, bold, italic, link])
    out = []
    for text, bold, italic, link in merged:
        core = " ".join(text.split())
        if not core:
            out.append(" ")
            continue
        lead = " " if text[:1].isspace() else ""
        tail = " " if text[-1:].isspace() else ""
        if link:
            label = core.replace("[", "\\[").replace("]", "\\]")
            core = f"<{link}>" if core == link else f"[{label}]({link})"
        marks = ("**" if bold else "") + ("*" if italic else "")
        out.append(f"{lead}{marks}{core}{marks[::-1]}{tail}")
    return " ".join("".join(out).split())
