"""Decide what kind of file an import was given, refusing the ones it must not open.

Everything here looks at sizes, a few bytes and the prolog of each XML part (where a document
type would be declared); nothing is extracted to disk and no file content is ever quoted in a
message (a refused file may be hostile, or confidential).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from generator.authoring.importer.errors import ImportFailure

MAX_FILE_BYTES = 20 * 1024 * 1024
"""A policy's .docx is usually well under 1 MB; 20 MB leaves room for logos and photos."""
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
"""The most a .docx may unpack to, counted from its zip directory before anything is read."""
MAX_RATIO = 200
"""A part that unpacks to more than 1 MB and compresses better than this is a zip bomb, not a document."""
RATIO_FROM_BYTES = 1024 * 1024
"""The ratio is judged on a part's unpacked size: below this, a part cannot do harm whatever its ratio."""
MAX_PARTS = 5000
MAX_PROLOG_BYTES = 64 * 1024
"""How far into an XML part its root element must start: Word writes one line of declaration before it."""

_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_WORD_STREAM = "WordDocument".encode("utf-16-le")
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}
HTML_SUFFIXES = {".html", ".htm"}
_SAVE_AS_DOCX = "open it in Word and use File > Save As > 'Word Document (*.docx)', then import the .docx"


def check_file(path: Path) -> str:
    """'docx', 'pdf', 'html', 'markdown' or 'text'; raise ImportFailure for anything else."""
    name = path.name
    if not path.is_file():
        raise ImportFailure(f"{path} was not found (or is not a file)")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportFailure(f"{name} is {size / 1024 / 1024:.1f} MB; the importer takes documents up to "
                            f"{MAX_FILE_BYTES // 1024 // 1024} MB. Large Word files are nearly always pictures: "
                            "save a copy without them (delete them, or use Compress Pictures) and import that")
    if size == 0:
        raise ImportFailure(f"{name} is empty")
    with path.open("rb") as handle:
        head = handle.read(8)
    suffix = path.suffix.lower()
    if head == _OLE_MAGIC:
        _refuse_ole(path)
    if head.startswith(b"PK"):
        _check_zip(path, suffix)
        return "docx"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        raise ImportFailure(f"{name} is a Rich Text (RTF) file: {_SAVE_AS_DOCX}")
    if suffix in (".docx", ".docm", ".dotx", ".dotm", ".doc", ".dot"):
        raise ImportFailure(f"{name} is not a readable Word document (it may be damaged, or only partly copied): "
                            f"{_SAVE_AS_DOCX}")
    if suffix == ".pdf":
        raise ImportFailure(f"{name} is not a PDF (it does not start as one): it may be damaged; ask for the file "
                            "again, or for the original Word document")
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix not in TEXT_SUFFIXES:
        raise ImportFailure(f"{name}: the importer reads Word documents (.docx), PDFs with text (.pdf), web pages "
                            f"saved as .html, plain text (.txt) and Markdown (.md), not '{suffix}' files: "
                            f"{_SAVE_AS_DOCX}")
    return "markdown" if suffix in (".md", ".markdown") else "text"


def swollen_part(part: zipfile.ZipInfo) -> bool:
    """A part whose unpacked size is large and far beyond what its packed size could honestly hold."""
    return part.file_size > RATIO_FROM_BYTES and part.file_size > MAX_RATIO * max(part.compress_size, 1)


def _refuse_doctype(archive: zipfile.ZipFile, part: zipfile.ZipInfo, name: str, damaged: str) -> None:
    """Refuse an XML part that declares a document type (DTD): Word never writes one, and its entities are
    how a hostile file asks a reader to fetch a local file or a web address ('XXE') or to expand text a
    billion times. The part's prolog is read up to its root element; no entity is ever resolved or loaded.
    """
    with archive.open(part) as stream:
        chunk = stream.read(5)
        looks_xml = chunk.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \r\n\t").startswith(b"<")
        if not (looks_xml or part.filename.lower().endswith((".xml", ".rels"))):
            return
        parser = etree.XMLPullParser(events=("start",), resolve_entities=False, load_dtd=False, no_network=True)
        read = 0
        try:
            while chunk and read < MAX_PROLOG_BYTES:
                parser.feed(chunk)
                read += len(chunk)
                root = next(iter(parser.read_events()), (None, None))[1]
                if root is not None:
                    info = root.getroottree().docinfo
                    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
                        raise ImportFailure(
                            f"{name} declares an XML document type (a DTD, with or without entities), which Word "
                            "never writes: such a declaration can make a program read files from this computer "
                            "or from the web, so the document was refused unopened and nothing was written. If it "
                            f"really is the policy, {_SAVE_AS_DOCX}")
                    return
                chunk = stream.read(4096)
        except etree.XMLSyntaxError:
            pass
    raise ImportFailure(damaged)  # no root element where Word puts it


def _refuse_ole(path: Path) -> None:
    data = path.read_bytes()  # at most MAX_FILE_BYTES, checked above
    if _ENCRYPTED_STREAM in data:
        raise ImportFailure(f"{path.name} is password-protected (encrypted), so it cannot be read: open it in Word, "
                            "remove the password (File > Info > Protect Document > Encrypt with Password, and "
                            "clear the box), save it as .docx and import that copy")
    if _WORD_STREAM in data:
        raise ImportFailure(f"{path.name} is an old-style Word document (.doc, Word 97-2003): {_SAVE_AS_DOCX}")
    raise ImportFailure(f"{path.name} is an old-style Office file, not a Word document the importer can read: "
                        f"{_SAVE_AS_DOCX}")


def _check_zip(path: Path, suffix: str) -> None:
    name = path.name
    damaged = (f"{name} is damaged (it is not a complete Word document): ask for the file again, or open it in "
               "Word, let Word repair it, and save it as .docx")
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                raise ImportFailure(f"{name} holds {len(parts)} parts, far more than a Word document: it was refused "
                                    f"unopened. {_SAVE_AS_DOCX}")
            unpacked = sum(part.file_size for part in parts)
            swollen = [p for p in parts if swollen_part(p)]
            if unpacked > MAX_UNPACKED_BYTES or swollen:
                raise ImportFailure(f"{name} would unpack to {unpacked / 1024 / 1024:.0f} MB"
                                    + (" and is compressed far more than any document" if swollen else "")
                                    + ": it looks like a 'zip bomb' and was refused unopened. If it really is the "
                                    f"policy, {_SAVE_AS_DOCX}")
            names = {part.filename for part in parts}
            if "[Content_Types].xml" not in names:
                raise ImportFailure(damaged)
            types = archive.read("[Content_Types].xml")
            for part in parts:
                _refuse_doctype(archive, part, name, damaged)
    except zipfile.BadZipFile:
        raise ImportFailure(damaged) from None
    except (OSError, RuntimeError, ValueError, NotImplementedError):
        raise ImportFailure(damaged) from None
    if suffix in (".docm", ".dotm") or b"macroEnabled" in types or any(n.lower().endswith("vbaproject.bin")
                                                                         for n in names):
        raise ImportFailure(f"{name} is a macro-enabled document (.docm); macros are never opened here. "
                            "Open it in Word and use File > Save As > 'Word Document (*.docx)', which leaves the "
                            "macros out, then import the .docx")
    if b"wordprocessingml.document.main" not in types:
        kind = ("a spreadsheet" if b"spreadsheetml" in types else "a presentation" if b"presentationml" in types
                else "not a Word document")
        raise ImportFailure(f"{name} is {kind}: import the policy's Word document (.docx)")
