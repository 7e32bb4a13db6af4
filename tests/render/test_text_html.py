"""generator/render/text_html.py: one Markdown field of the data to safe HTML, whatever validation let through."""

from __future__ import annotations

from generator.render.text_html import TextConverter

CONVERT = TextConverter({"DSL": "Designated Safeguarding Lead"})


def test_raw_html_is_escaped_not_passed_through():
    """Bug caught: Python-Markdown's default passes <script> and <img onerror> straight to the page."""
    html = str(CONVERT.block('Hello <script>alert(1)</script> <img src=x onerror="alert(2)">\n\n<div>x</div>'))
    assert "<script" not in html and "<img" not in html and "<div" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unsafe_link_targets_lose_their_href():
    """Bug caught: [x](javascript:…) becoming a live link (E206 should stop it first; this is the second lock)."""
    html = str(CONVERT.block("[a](javascript:alert(1)) [b](java\tscript:alert(1)) [c](data:text/html,x) "
                             "![d](javascript:x) [e](https://example.org/) [f](tel:999) [g](#step)"))
    assert 'href="javascript' not in html and "data:text" not in html and 'src="javascript' not in html
    assert '<a href="https://example.org/">e</a>' in html
    assert '<a href="tel:999">f</a>' in html and '<a href="#step">g</a>' in html


def test_abbreviations_and_nested_lists():
    html = str(CONVERT.block("Tell the DSL:\n\n1. first\n    - nested\n2. second"))
    assert '<abbr title="Designated Safeguarding Lead">DSL</abbr>' in html
    assert "<li>first<ul>\n<li>nested</li>" in html


def test_inline_drops_only_a_single_paragraph_wrapper():
    assert str(CONVERT.inline("One **line**")) == "One <strong>line</strong>"
    assert str(CONVERT.inline("One\n\nTwo")) == "<p>One</p>\n<p>Two</p>"
