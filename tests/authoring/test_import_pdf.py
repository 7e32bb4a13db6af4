"""Issue 25, item 2: text PDFs import like the Word document they were printed from; bad PDFs are refused
with what to do, and nothing is written. The PDFs are printed here by WeasyPrint (the project's own PDF
engine) from hand-written HTML, so each has real fonts, sizes, bold and bullets; expected values are read
off the HTML."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
import weasyprint
import yaml
from pypdf import PdfReader, PdfWriter

from support import TODAY, WEXHAM
from generator.authoring.importer import ImportFailure, import_policy

STYLE = "<style>body { font-family: sans-serif; font-size: 11pt } @page { size: A4; margin: 2cm; " \
        "@bottom-center { content: 'Oak Lane Primary School - Page ' counter(page) } }</style>"
POLICY = f"""<html><head>{STYLE}</head><body>
<h1>Mobile Phones</h1>
<p>Approved by: Finance &amp; Premises Committee<br>Date of last review: 26 January 2023<br>
Next review due by: January 2024</p>
<h2>1. Introduction</h2>
<p>Pupils in Year 5 and 6 may bring a mobile phone to school when they walk home alone. The phone is handed in
to the office at the start of the day and collected at the end of the day.</p>
<p>Staff must:</p>
<ul><li>keep their phone in a locker during lessons and never use it where pupils are present</li>
<li>never photograph pupils</li></ul>
<h2>2. Sanctions</h2>
<p><b>Pupils:</b></p>
<p>A phone used in school is kept until a parent collects it.</p>
</body></html>"""


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    (root / "policies").mkdir(parents=True)
    shutil.copy(WEXHAM / "school.yml", root / "school.yml")
    return root


def _pdf(tmp_path: Path, html: str, name: str = "mobile-phones.pdf") -> Path:
    path = tmp_path / name
    weasyprint.HTML(string=html).write_pdf(str(path))
    return path


def _refused(project: Path, path: Path, *expected: str) -> None:
    with pytest.raises(ImportFailure) as error:
        import_policy(path, project, TODAY)
    for phrase in expected:
        assert phrase in str(error.value), str(error.value)
    assert list((project / "policies").iterdir()) == [], "nothing may be written"


def test_a_text_pdf_imports_with_its_cover_sections_lists_and_every_sentence(project, tmp_path):
    result = import_policy(_pdf(tmp_path, POLICY), project, TODAY)
    data = yaml.load(result.path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert (data["id"], data["title"]) == ("mobile-phones", "Mobile Phones")
    assert (data["approved_by"], data["approved"], data["review_due"]) == (
        "Finance & Premises Committee", "2023-01-26", "January 2024")
    sections = data["sections"]
    assert [(s["number"], s["title"]) for s in sections] == [("1", "Introduction"), ("2", "Sanctions")]
    assert [c.get("text") for c in sections[0]["clauses"]] == [
        "Pupils in Year 5 and 6 may bring a mobile phone to school when they walk home alone. The phone is "
        "handed in to the office at the start of the day and collected at the end of the day.", "Staff must:"]
    assert sections[0]["clauses"][1]["items"] == [
        "keep their phone in a locker during lessons and never use it where pupils are present",
        "never photograph pupils"]
    assert [(s["number"], s["title"]) for s in sections[1]["sections"]] == [("2.1", "Pupils")]
    assert result.report.ok and result.report.missing == []


def test_running_footers_are_left_out_and_a_paragraph_goes_on_over_the_page(project, tmp_path):
    # one long sentence per part, so that no page ends on a full stop by chance
    body = "".join(f"<h2>{n}. Part {n}</h2><p>Staff read {'this part of the policy with care and then ' * 60}"
                   "sign it.</p>" for n in range(1, 7))
    path = _pdf(tmp_path, f"<html><head>{STYLE}</head><body><h1>Long Policy</h1>{body}</body></html>")
    assert len(PdfReader(str(path)).pages) >= 3
    result = import_policy(path, project, TODAY)
    text = result.path.read_text(encoding="utf-8")
    assert "Page 2" not in text and "Oak Lane Primary School - Page" not in text
    assert any("header or footer" in note for note in result.notes)
    data = yaml.load(text, Loader=yaml.BaseLoader)
    assert [s["title"] for s in data["sections"]] == [f"Part {n}" for n in range(1, 7)]
    assert all(len(s["clauses"]) == 1 for s in data["sections"])  # each part's paragraph whole
    assert result.report.missing == []


def test_an_image_only_pdf_is_refused_as_a_scan(project, tmp_path):
    from test_import_guard import _png

    picture = base64.b64encode(_png()).decode()
    path = _pdf(tmp_path, f'<html><body><img src="data:image/png;base64,{picture}" '
                          'style="width:17cm;height:25cm"></body></html>', "scan.pdf")
    _refused(project, path, "scan.pdf has no text to import", "pictures of text", "original Word document")


def test_an_encrypted_pdf_is_refused(project, tmp_path):
    writer = PdfWriter(clone_from=str(_pdf(tmp_path, POLICY, "plain.pdf")))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as out:
        writer.write(out)
    _refused(project, path, "locked.pdf is password-protected", "without the password")


def test_a_50_mb_pdf_is_refused_unread(project, tmp_path):
    path = tmp_path / "big.pdf"
    with path.open("wb") as out:
        out.write(b"%PDF-1.7\n")
        out.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper
    _refused(project, path, "big.pdf is 50.0 MB", "up to 20 MB")


def test_a_paragraph_over_a_page_break_is_told_by_its_unfinished_line():
    """The page's last line stops mid-sentence ('… with care and'): the next page's first line goes on with it,
    even when that line starts with a capital ('Governors …'); a finished line ('… sign it.') does not."""
    from generator.authoring.importer.read_pdf import _continues, _Line

    def line(text):
        return _Line(0, 70.0, 100.0, 11.0, False, text)

    assert _continues(line("Staff read the policy with care and"), line("Governors sign it."))
    assert _continues(line("Staff read the policy."), line("and then sign it."))
    assert not _continues(line("Staff read the policy with care."), line("Governors sign it."))


def test_a_pdf_whose_pages_unpack_to_too_much_is_refused(project, tmp_path):
    """A 'PDF bomb': one page whose drawing instructions unpack from a few KB to 48 MB (each of pypdf's own
    per-stream limits, 75 MB, is not reached): parsing it would take minutes."""
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = StreamObject()
    stream.set_data(b"0 0 m\n" * (8 * 1024 * 1024))  # 48 MB of 'move to'
    stream = stream.flate_encode()
    page[NameObject("/Contents")] = writer._add_object(stream)
    path = tmp_path / "bomb.pdf"
    with path.open("wb") as out:
        writer.write(out)
    assert path.stat().st_size < 1024 * 1024
    _refused(project, path, "bomb.pdf holds far more drawing instructions than a document", "by page 1")
