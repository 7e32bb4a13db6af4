"""Issue 16, point 4: documents the importer must refuse, each with what to do and nothing written.

Every bad input is built here (none is committed). Each message must name the file and a way
forward, never quote the file's content (a marker string is planted in each to check that).
"""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest

from support import TODAY, WEXHAM
from generator.authoring.importer import ImportFailure, import_policy

SECRET = "CONFIDENTIAL-MARKER-7741"


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    (root / "policies").mkdir(parents=True)
    shutil.copy(WEXHAM / "school.yml", root / "school.yml")
    return root


def _docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _ole(*streams: str) -> bytes:
    """Enough of an OLE compound file for the check: its signature and directory names (UTF-16)."""
    body = b"".join(name.encode("utf-16-le") + b"\x00" * 10 for name in streams)
    return bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504 + body + SECRET.encode() * 10


def _png() -> bytes:
    """A 1x1 white PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff"))
            + chunk(b"IEND", b""))


def _refused(project: Path, path: Path, *expected: str) -> str:
    with pytest.raises(ImportFailure) as error:
        import_policy(path, project, TODAY)
    message = str(error.value)
    for phrase in expected:
        assert phrase in message, message
    assert SECRET not in message
    assert sorted(p.name for p in (project / "policies").iterdir()) == [], "nothing may be written"
    return message


def test_password_protected_docx(project, tmp_path):
    path = tmp_path / "policy.docx"
    path.write_bytes(_ole("EncryptedInfo", "EncryptedPackage"))
    _refused(project, path, "policy.docx is password-protected", "remove the password", "save it as .docx")


def test_old_binary_word_doc(project, tmp_path):
    path = tmp_path / "policy.doc"
    path.write_bytes(_ole("WordDocument", "1Table"))
    _refused(project, path, "old-style Word document (.doc", "Save As > 'Word Document (*.docx)'")


def test_macro_enabled_docm(project, tmp_path):
    original = zipfile.ZipFile(io.BytesIO(_docx_bytes(SECRET)))
    path = tmp_path / "policy.docx"  # named .docx on purpose: the content decides
    with zipfile.ZipFile(path, "w") as out:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml",
                                    b"ms-word.document.macroEnabled.main+xml")
            out.writestr(item, data)
        out.writestr("word/vbaProject.bin", b"\x00" * 100)
    _refused(project, path, "macro-enabled document (.docm)", "macros are never opened", "Save As")


def test_corrupt_zip(project, tmp_path):
    path = tmp_path / "policy.docx"
    path.write_bytes(_docx_bytes(SECRET)[:3000])  # cut short, as by a failed copy
    _refused(project, path, "policy.docx is damaged", "save it as .docx")


def test_zip_bomb_refused_from_its_directory(project, tmp_path):
    path = tmp_path / "policy.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("[Content_Types].xml", b"<Types/>")
        out.writestr("word/document.xml", b"\x00" * (150 * 1024 * 1024))  # 150 MB of zeros, ~150 KB packed
    assert path.stat().st_size < 1024 * 1024
    _refused(project, path, "zip bomb", "refused unopened")


def test_50_mb_document(project, tmp_path):
    path = tmp_path / "policy.docx"
    with path.open("wb") as out:  # a sparse file: 50 MB on paper, nothing on disk
        out.truncate(50 * 1024 * 1024)
    _refused(project, path, "policy.docx is 50.0 MB", "up to 20 MB", "pictures")


def test_image_only_document(project, tmp_path):
    document = docx.Document()
    picture = tmp_path / "scan.png"
    picture.write_bytes(_png())  # the scanned page the document holds instead of text
    document.add_picture(str(picture))
    path = tmp_path / "scanned.docx"
    document.save(str(path))
    _refused(project, path, "scanned.docx has no text", "original Word file")


def test_other_kinds(project, tmp_path):
    pdf = tmp_path / "policy.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + SECRET.encode())
    _refused(project, pdf, "policy.pdf could not be read as a PDF")
    binary = tmp_path / "policy.txt"
    binary.write_bytes(b"abc\x00" + SECRET.encode())
    _refused(project, binary, "is not a text file")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("1. Caf\xe9\n".encode("latin-1") + SECRET.encode())
    _refused(project, latin, "is not UTF-8 text")


def test_a_good_docx_with_the_same_builder_is_accepted(project, tmp_path):
    """The refusals above are not the builder's doing: the same document, untouched, imports."""
    path = tmp_path / "policy.docx"
    path.write_bytes(_docx_bytes("Anti-bullying Policy", "Date approved: Autumn 2025", "1. Purpose",
                                 "Bullying is never acceptable."))
    result = import_policy(path, project, TODAY)
    assert result.path == project / "policies" / "anti-bullying.yml" and result.report.ok


def _with_doctype(tmp_path: Path, doctype: str, part: str = "word/document.xml", text: bytes = b"") -> Path:
    """A real Word document whose `part` has `doctype` after its XML declaration, and `text` after
    'Keep pupils safe.' in the body (the entity reference an attacker would plant)."""
    original = zipfile.ZipFile(io.BytesIO(_docx_bytes("Safety Policy", "1. Aims", "Keep pupils safe.",
                                                      "Staff must report concerns.")))
    path = tmp_path / "policy.docx"
    with zipfile.ZipFile(path, "w") as out:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == part:
                data = data.replace(b"?>", b"?>" + doctype.encode(), 1)
            if item.filename == "word/document.xml" and text:
                data = data.replace(b"Staff must report concerns.", b"Staff must report " + text + b" concerns.")
            out.writestr(item, data)
    return path


@pytest.mark.parametrize("doctype, part", [
    # issue 23: an external entity naming a local file, used in the text ('Staff must report &x; concerns.')
    ('<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>', "word/document.xml"),
    # 'billion laughs': entities that expand to gigabytes if anything ever expands them
    ('<!DOCTYPE w:document [<!ENTITY a "{secret}"><!ENTITY x "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
     "word/document.xml"),
    # a document type alone, naming an outside DTD: nothing to expand, still never written by Word
    ('<!DOCTYPE w:document SYSTEM "http://127.0.0.1:9/{secret}.dtd">', "word/document.xml"),
    # the same in a part the reader only looks up (styles), not the document's text
    ('<!DOCTYPE w:styles [<!ENTITY x SYSTEM "file://{secret}">]>', "word/styles.xml"),
])
def test_xml_document_types_and_entities_are_refused(project, tmp_path, doctype, part):
    """Issue 23: an XXE .docx imported with exit 0, silently dropped ' concerns.' and reported '3 of 3
    sentences'. Any DTD in any XML part is refused before python-docx opens the file, with what to do."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    path = _with_doctype(tmp_path, doctype.format(secret=secret), part, b"&x;" if "ENTITY x" in doctype else b"")
    _refused(project, path, "policy.docx declares an XML document type (a DTD", "refused unopened",
             "nothing was written", "Save As > 'Word Document (*.docx)'")


def test_text_the_parser_left_out_fails_the_faithfulness_count(project, tmp_path, monkeypatch):
    """The second wall, with the DTD check switched off: python-docx's parser keeps an entity it will not
    expand as an empty node, so ' concerns.' vanished from what it returned. The count is made from the
    words in the document's own bytes, so the sentence is missing from the draft and nothing is written."""
    from generator.authoring.importer import guard

    monkeypatch.setattr(guard, "_refuse_doctype", lambda *args: None)
    path = _with_doctype(tmp_path, '<!DOCTYPE w:document [<!ENTITY x "">]>', text=b"&x;")
    message = _refused(project, path, "some of the text would be lost", "NOT FOUND in the draft")
    assert "Staff must report &x; concerns." in message, message


def test_a_document_type_after_a_long_comment_is_still_found(project, tmp_path):
    """The prolog is read up to the root element, not only its first bytes."""
    path = _with_doctype(tmp_path, "<!--" + " " * 20000 + '--><!DOCTYPE w:document [<!ENTITY x "y">]>',
                         text=b"&x;")
    _refused(project, path, "declares an XML document type")


def test_zip_bomb_caught_by_its_ratio_alone(project, tmp_path):
    """A part of 30 MB of zeros: under the 100 MB total and the 20 MB file limits, so only the ratio of its
    unpacked size to its packed size (about 1000:1) can refuse it. Judged on the packed size (~30 KB, far
    under 1 MB) the bomb would be opened."""
    from generator.authoring.importer import guard

    original = zipfile.ZipFile(io.BytesIO(_docx_bytes("Safety Policy", "1. Aims", "Keep pupils safe.")))
    path = tmp_path / "policy.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in original.infolist():
            out.writestr(item, original.read(item))
        out.writestr("word/media/image1.bin", b"\x00" * (30 * 1024 * 1024))
    info = zipfile.ZipFile(path).getinfo("word/media/image1.bin")
    assert info.compress_size < 100 * 1024 and path.stat().st_size < guard.MAX_FILE_BYTES
    assert sum(i.file_size for i in zipfile.ZipFile(path).infolist()) < guard.MAX_UNPACKED_BYTES
    _refused(project, path, "is compressed far more than any document", "zip bomb")


def test_a_large_part_that_compresses_like_a_document_is_accepted(project, tmp_path):
    """The ratio's other side: 2 MB of varied bytes (a photo, say) packs at about 1:1 and is opened."""
    import random

    original = zipfile.ZipFile(io.BytesIO(_docx_bytes("Safety Policy", "1. Aims", "Keep pupils safe.")))
    path = tmp_path / "policy.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in original.infolist():
            out.writestr(item, original.read(item))
        out.writestr("word/media/image1.bin", random.Random(7).randbytes(2 * 1024 * 1024))
    assert import_policy(path, project, TODAY).report.ok


def test_footnotes_are_refused_rather_than_dropped(project, tmp_path):
    original = zipfile.ZipFile(io.BytesIO(_docx_bytes("Safety Policy", "1. Aims", "Keep pupils safe.")))
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    notes = (f'<w:footnotes {w}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
             f'</w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>{SECRET}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    path = tmp_path / "policy.docx"
    with zipfile.ZipFile(path, "w") as out:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn" Type="http://schemas.openxml'
                                    b'formats.org/officeDocument/2006/relationships/footnotes" '
                                    b'Target="footnotes.xml"/></Relationships>')
            out.writestr(item, data)
        out.writestr("word/footnotes.xml", notes)
    _refused(project, path, "policy.docx has 1 footnote(s) or endnote(s)", "move their text into the paragraphs")


def test_the_source_words_are_read_from_the_bytes_as_word_shows_them():
    """Hand-written WordprocessingML: runs split mid-word, escapes and character references, a tab, deleted
    text and a field code (neither shown by Word), and a document that names the namespace 'x' not 'w'."""
    from generator.authoring.importer.docx_source import paragraphs

    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (f'<?xml version="1.0"?><w:document xmlns:w="{ns}"><w:body>'
           '<w:p><w:pPr><w:tabs><w:tab w:val="left"/></w:tabs></w:pPr><w:r><w:t>Pup</w:t></w:r>'
           '<w:r><w:t xml:space="preserve">ils &amp; staff</w:t><w:tab/><w:t>&#8217;s &lt;b&gt;</w:t></w:r></w:p>'
           '<w:p><w:del><w:r><w:delText>gone</w:delText></w:r></w:del><w:r><w:instrText>HYPERLINK</w:instrText>'
           '</w:r><w:r><w:t>Kept &x; here.</w:t></w:r></w:p><w:p/><w:p><w:r><w:t/></w:r></w:p></w:body></w:document>')
    assert paragraphs(xml) == ["Pupils & staff \u2019s <b>", "Kept &x; here."]
    assert paragraphs(f'<x:document xmlns:x="{ns}"><x:p><x:r><x:t>One</x:t></x:r></x:p>'
                      '<x:p><x:r><x:t>Two</x:t></x:r></x:p></x:document>') == ["One", "Two"]


def test_many_parts_under_the_ratio_size_are_refused_by_their_unpacked_total(project, tmp_path):
    """120 parts of 1,000,000 zero bytes: each under the 1 MB from which a ratio is judged, the file a few hundred
    KB, so only the sum of the parts' unpacked sizes (114 MB, over the 100 MB limit) can refuse it. Summed from the
    packed sizes (~1 KB each) it would be opened (planted: unpacked total summed from compress_size -> red)."""
    from generator.authoring.importer import guard

    path = tmp_path / "policy.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("[Content_Types].xml", b"<Types/>")
        for index in range(120):
            out.writestr(f"word/media/part{index}.bin", b"\x00" * 1_000_000)
    parts = zipfile.ZipFile(path).infolist()
    assert all(part.file_size < guard.RATIO_FROM_BYTES for part in parts)
    assert path.stat().st_size < guard.MAX_FILE_BYTES
    _refused(project, path, "would unpack to 114 MB", "zip bomb")


def test_a_pdf_is_known_by_its_bytes_whatever_its_name(tmp_path):
    """A PDF saved as 'policy.txt' (or with no suffix) is still a PDF: the file's first bytes say so, and a PDF
    read as text would be refused as binary or, worse, imported as its drawing instructions (planted: a PDF known
    by its suffix only -> red)."""
    from generator.authoring.importer.guard import check_file

    for name in ("policy.txt", "policy", "policy.pdf"):
        path = tmp_path / name
        path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
        assert check_file(path) == "pdf", name
