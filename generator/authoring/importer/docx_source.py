"""A Word document's own words, read from the bytes of its main part without an XML parser.

The faithfulness report compares the draft with these. They are read apart from python-docx and
lxml on purpose: text a parser leaves out (an entity it refuses to expand, an element it skips)
is then still counted as the source's, and missing from the draft, so the import fails instead of
reporting '3 of 3 sentences' for a document whose fourth was never read.

The scan knows only what text looks like in WordprocessingML: <w:t> elements inside <w:p>
paragraphs, and <w:tab/> as a space. Deleted text (<w:delText>) and field codes (<w:instrText>)
are other elements, so they are not counted, as Word does not show them.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

WORD_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PREFIX = re.compile(r'xmlns(?::([\w.-]+))?\s*=\s*["\']' + re.escape(WORD_NAMESPACE) + r'["\']')
_REFERENCE = re.compile(r"&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def source_paragraphs(path: Path, part_name: str) -> list[str]:
    """Every paragraph's visible text in the main document part, one string each, whitespace folded."""
    with zipfile.ZipFile(path) as archive:
        data = archive.read(part_name.lstrip("/"))  # its size was checked by guard.check_file
    return paragraphs(_decode(data))


def paragraphs(xml: str) -> list[str]:
    prefixes = {match.group(1) or "" for match in _PREFIX.finditer(xml)} or {"w"}
    names = "|".join(re.escape(f"{prefix}:" if prefix else "") for prefix in sorted(prefixes))
    tags = re.compile(rf"<(/?)(?:{names})(p|t|tab)(?=[\s/>])[^>]*?(/?)>")
    out: list[str] = []
    current: list[str] = []
    position = 0
    for tag in tags.finditer(xml):
        if tag.start() < position:
            continue  # inside a <w:t> already read
        closing, name, empty = tag.groups()
        if name == "p":
            _flush(current, out)
        elif name == "tab" and not closing:
            current.append(" ")
        elif name == "t" and not closing and not empty:
            end = xml.find("</", tag.end())
            end = len(xml) if end == -1 else end
            current.append(_text(xml[tag.end():end]))
            position = end
    _flush(current, out)
    return out


def _flush(current: list[str], out: list[str]) -> None:
    text = " ".join("".join(current).split())
    if text:
        out.append(text)
    current.clear()


def _text(raw: str) -> str:
    """Character content as written: the five XML escapes and character references decoded; any other
    '&name;' kept as it stands, so a sentence built on an entity never matches a draft without it."""
    raw = raw.replace("<![CDATA[", "").replace("]]>", "")

    def decode(match: re.Match) -> str:
        name = match.group(1)
        if name in _NAMED:
            return _NAMED[name]
        try:
            return chr(int(name[2:], 16) if name[1] == "x" else int(name[1:]))
        except (ValueError, OverflowError):
            return match.group(0)

    return _REFERENCE.sub(decode, raw)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")
