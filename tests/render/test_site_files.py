"""How a build holds its rendered sites (generator/render/site_files.py, issue 30: peak memory at 55×): compressed
texts and PDFs as paths, read back as the very texts and bytes a plain dict would give, in the same order.

Bugs these exist to catch: a packed mapping that changes a text (wrong codec: 'é' or '—' mangled, or a text cut),
that loses the order pages were rendered in (the menu and the sources follow it), a PDF held by its path read as
the path's text rather than the file's bytes, and a build whose packed render differs from the plain one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator import pipeline
from generator.render.renderer import render_project
from generator.render.site_files import PackedTexts, SiteFiles

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TODAY = date(2024, 10, 1)


def test_packed_texts_give_back_each_text_as_it_was_in_the_order_given():
    texts = PackedTexts()
    texts["b.md"] = "Café — “quoted”\n" * 50
    texts["a.md"] = ""
    texts["c/d.md"] = "# Title\n\n- one\n- two\n"
    assert list(texts) == ["b.md", "a.md", "c/d.md"]
    assert texts["b.md"] == "Café — “quoted”\n" * 50 and texts["a.md"] == ""
    assert dict(texts) == {"b.md": "Café — “quoted”\n" * 50, "a.md": "", "c/d.md": "# Title\n\n- one\n- two\n"}
    assert "a.md" in texts and "x.md" not in texts and texts.get("x.md") is None
    texts.update({"a.md": "now"})
    assert texts["a.md"] == "now" and len(texts) == 3
    with pytest.raises(TypeError):
        texts["e.md"] = b"bytes"


def test_site_files_read_a_file_given_by_its_path_when_asked(tmp_path):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.7 first")
    files = SiteFiles({"x.ics": b"BEGIN:VCALENDAR"})
    files["policies/a/a.pdf"] = pdf
    pdf.write_bytes(b"%PDF-1.7 second")  # read when asked, not when given
    assert files["policies/a/a.pdf"] == b"%PDF-1.7 second"
    assert dict(files.items()) == {"x.ics": b"BEGIN:VCALENDAR", "policies/a/a.pdf": b"%PDF-1.7 second"}


@pytest.fixture(scope="module")
def wexham():
    result = pipeline.check(FIXTURES / "wexham", TODAY)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.project


def test_a_packed_render_is_the_plain_render(wexham):
    plain = render_project(wexham, pipeline.BASE_CONFIG, pipeline.THEME_DIR)
    packed = render_project(wexham, pipeline.BASE_CONFIG, pipeline.THEME_DIR, packed=True)
    for name in ("staff", "parents"):
        assert isinstance(packed[name].docs, PackedTexts) and isinstance(packed[name].includes, PackedTexts)
        assert list(packed[name].docs.items()) == list(plain[name].docs.items()), name
        assert list(packed[name].includes.items()) == list(plain[name].includes.items()), name
        assert packed[name].config == plain[name].config and packed[name].published == plain[name].published
