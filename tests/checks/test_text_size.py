"""A text's cost grows with its length, never with its square (issue 23, item 7).

A 400 KB clause took 3 minutes to build and a 1 MB one never finished: WeasyPrint lays out all
the rest of a paragraph at every page break (to count its lines for ``widows``). Two guards, none
of them timed: ``check`` refuses a text over ``MAX_TEXT_CHARS`` with a located error, and the
printed policy splits a long paragraph into short blocks, so the lines WeasyPrint lays out grow
with the text (counted, not timed).
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from generator import pipeline
from generator.render.document import PRINT_PART_CHARS, _markdown_filter
from generator.checks.texts import MAX_TEXT_CHARS

REPO = Path(__file__).resolve().parents[2]
NEUTRAL = REPO / "tests" / "fixtures" / "neutral-school"
TODAY = date(2026, 11, 24)
SENTENCE = "Staff must tell the DSL about every concern on the same day, in writing, and keep a copy. "


def _text(length: int) -> str:
    return (SENTENCE * (length // len(SENTENCE) + 1))[:length]


def _school_with_clause(tmp_path: Path, text: str) -> Path:
    school = tmp_path / "school"
    shutil.copytree(NEUTRAL, school)
    policy = school / "policies" / "mobile-phones.yml"
    old = "text: Staff may use phones in the staff room."  # line 31, the value at column 15
    policy.write_text(policy.read_text(encoding="utf-8").replace(old, f'text: "{text}"'), encoding="utf-8")
    return school


def test_a_text_over_the_limit_is_refused_where_it_is(tmp_path):
    school = _school_with_clause(tmp_path, _text(20_001))
    errors = [str(d) for d in pipeline.check(school, TODAY).diagnostics if d.is_error]
    assert errors == ["policies/mobile-phones.yml:31:15: E210 'text' holds 20,001 characters; a text is limited "
                      "to 20,000 (split it into several clauses, items or steps)"]


def test_a_text_at_the_limit_is_accepted(tmp_path):
    assert MAX_TEXT_CHARS == 20_000  # the figure the authors' guide states
    school = _school_with_clause(tmp_path, _text(20_000))
    assert [str(d) for d in pipeline.check(school, TODAY).diagnostics if d.is_error] == []


def test_a_long_paragraph_is_printed_in_parts_after_sentences_with_every_word():
    text = "A [link](https://example.org/a) that **stays whole.** " + _text(5_000)
    html = str(_markdown_filter()(text))
    assert html.count('<span class="part">') == 3  # 5,055 characters, parts of about 2,000
    assert '<a href="https://example.org/a">link</a>' in html and "<strong>stays whole.</strong>" in html
    for part in html.split('<span class="part">')[1:-1]:  # the text itself ends mid-sentence
        assert part.rstrip().endswith(".</span>")  # each part ends after a sentence
    words = re.sub(r"<[^>]*>", " ", html).split()
    assert words == "A link that stays whole.".split() + _text(5_000).split()


def test_a_short_paragraph_is_printed_as_it_is():
    assert "part" not in str(_markdown_filter()(_text(PRINT_PART_CHARS)))


def _lines_laid_out(monkeypatch, length: int) -> int:
    """How many times WeasyPrint fits a line of text while printing one paragraph of ``length``."""
    weasyprint = pytest.importorskip("weasyprint")
    from weasyprint.layout import inline

    calls = 0
    original = inline.split_first_line

    def counted(*args, **kwargs):
        nonlocal calls
        calls += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(inline, "split_first_line", counted)
    css = (REPO / "generator" / "templates" / "print" / "print.css").read_text(encoding="utf-8")
    body = _markdown_filter()(_text(length))
    weasyprint.HTML(string=f"<style>{css}</style><div class='clause'><p>{body}</p></div>").write_pdf()
    return calls


def test_printing_a_paragraph_twice_as_long_lays_out_about_twice_the_lines(monkeypatch):
    # One paragraph of 10,000 characters is ~120 lines over 3 pages, 20,000 ~240 over 5. Laid out again
    # at every page break it costs ~264 and ~816 lines (ratio 3.1); in parts, ~2.
    short, long = _lines_laid_out(monkeypatch, 10_000), _lines_laid_out(monkeypatch, 20_000)
    assert 1.8 < long / short < 2.4, (short, long)
