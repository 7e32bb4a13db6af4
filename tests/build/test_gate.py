"""The built-HTML gate (generator/build/gate.py) on small hand-written pages, and how its findings are traced back
to the source line that wrote them (generator/build/gate_trace.py). The big adversarial run is in
tests/security/test_injection_corpus.py; these are quick and each names the bug it catches."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from generator.build.gate import check_site, scan_html
from generator.build.gate_trace import SourceIndex


def messages(html: str) -> list[str]:
    findings, _ = scan_html(html)
    return [finding.message for finding in findings]


@pytest.mark.parametrize("html, found", [
    ('<img srcset="a.png 1x, javascript:alert(1) 2x">',
     "<img src='javascript:alert(1)'>: an image must be a file of this site, not a 'javascript:' address"),
    ('<img src="a.png" srcset="a.png 1x, https://evil.example/b.png 2x">',
     "<img src='https://evil.example/b.png'>: an image must be a file of this site, not a 'https:' address"),
    ('<picture><source srcset="//evil.example/b.png"></picture>',
     "<source src='//evil.example/b.png'>: an address starting with '//' (or '\\') goes to another site"),
    # srcset candidates are split at commas, so a data: address is cut at its own comma: refused all the same.
    ('<link rel="preload" as="image" imagesrcset="a.png 1x, data:image/png;base64,AA 2x">',
     "<link src='data:image/png;base64'>: an image must be a file of this site, not a 'data:' address"),
])
def test_every_candidate_of_a_srcset_is_judged(html, found):
    # Bug caught: the gate no longer checked srcset (or judged it whole: 'a.png 1x, javascript:…' read as a path).
    assert messages(html) == [found]


def test_a_srcset_of_the_sites_own_files_passes():
    assert messages('<img srcset="a.png 1x, ../b.png 2x, /c.png 300w">') == []


@pytest.mark.parametrize("href", [
    "&amp;#106;avascript:alert(1)",          # the parser decodes once: '&#106;avascript:' is left for the rule
    "&amp;amp;#106;avascript:alert(1)",
    "&amp;amp;#x6A;avascript&amp;amp;colon;alert(1)",
])
def test_an_address_encoded_several_times_is_decoded_until_nothing_changes(href):
    # Bug caught: entities decoded once after the parser's own decoding, so '&amp;amp;#106;' passed.
    found = messages(f'<a href="{href}">x</a>')
    assert len(found) == 1 and found[0].endswith(": 'javascript:' links are not allowed")


def test_a_finding_names_the_source_line_that_wrote_it(tmp_path: Path):
    page = tmp_path / "site" / "guide" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<p>Hello</p>\n<p><a href="javascript:alert(\'Wexham\')">x</a></p>\n', encoding="utf-8")
    texts = {
        "docs/staff/guide.md": "# Guide\n",
        "decision_trees/other.yml": "id: other\nhelp: Nothing to see.\n",
        # Line 3 wrote it, with an entity the built page no longer shows.
        "decision_trees/guide.yml": "id: guide\nnodes:\n  - help: \"[x](&#106;avascript:alert('Wexham'))\"\n",
    }
    result = check_site(tmp_path / "site", "site", {"guide.md": ("docs/staff/guide.md", "# Guide\n")},
                        texts=texts)
    assert [str(d) for d in result.diagnostics] == [
        "site/guide/index.html:2:4: E701 <a href='javascript:alert('Wexham')'>: 'javascript:' links are not "
        "allowed (from decision_trees/guide.yml:3) (the build was stopped before this page went live)"]


def test_the_pages_own_source_is_searched_first_and_named_when_no_line_holds_the_text():
    index = SourceIndex({"a.md": "one\nsee [x](javascript:alert(1))\n", "b.yml": "text: '[x](javascript:alert(1))'\n"})
    assert index.trace("javascript:alert(1)", "b.yml") == "b.yml:1"
    assert index.trace("javascript:alert(1)", "a.md") == "a.md:2"
    assert index.trace("<iframe>", "a.md") == "a.md"   # no line holds it: the page's own file, no line
    assert index.trace("<iframe>", None) is None


def test_words_common_to_several_lines_name_no_line():
    # 'javascript' and 'alert' are on both lines: naming one of them would be a guess.
    index = SourceIndex({"a.yml": "x: '&#106;avascript:alert(1)'\ny: '&#106;avascript:alert(2)'\n"})
    assert index.trace("javascript:alert(3)", None) is None


def test_a_search_index_finding_names_the_source_line_too(tmp_path: Path):
    # Material shows the index's text as HTML: a script that reached it is traced like a page's.
    index = tmp_path / "site" / "search" / "search_index.json"
    index.parent.mkdir(parents=True)
    index.write_text('{"docs": [{"location": "guide/", "title": "Guide", '
                     '"text": "<img src=x onerror=alert(\'Wexham-42\')>"}]}', encoding="utf-8")
    texts = {"glossary.yml": "terms:\n  - term: Wexham\n    definition: \"<img src=x onerror=alert('Wexham-42')>\"\n"}
    result = check_site(tmp_path / "site", "site", texts=texts)
    assert [str(d) for d in result.diagnostics] == [
        "site/search/search_index.json:1:1: E701 entry 1 (guide/) text: event handler attribute "
        "onerror='alert('Wexham-42')' is not allowed (from glossary.yml:3)"]


@pytest.mark.parametrize("html, found", [
    ('<iframe src="other-page.html"></iframe>', "<iframe> is not allowed in a page"),
    ('<iframe name="x"></iframe>', "<iframe> is not allowed in a page"),
    ('<object data="a.pdf"></object>', "<object> is not allowed in a page"),
    ('<embed src="a.pdf">', "<embed> is not allowed in a page"),
    ('<base href="/">', "<base> is not allowed in a page"),
])
def test_a_forbidden_element_is_refused_whatever_its_address(html, found):
    # Bug caught: <iframe> dropped from the forbidden elements (a frame of a page of the site itself, or one
    # written in by a later attribute, passed: its address alone was judged, and a relative one is allowed).
    assert messages(html) == [found]


def test_a_search_entry_that_failed_is_checked_again_with_the_memory_of_a_pass(tmp_path: Path):
    """The gate remembers which of the search index's texts passed, by their hash, and does not parse them again
    at the next build (issue 30). A text that failed must never be remembered: checked again with the first run's
    memory, it is still caught. Bug it exists to catch: every text remembered as passed (the second run finds
    nothing)."""
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    bad = '<img src="x" onerror="alert(1)">'
    (site / "search" / "search_index.json").write_text(json.dumps({"docs": [
        {"location": "a/", "title": "Clean", "text": "Nothing to see."},
        {"location": "b/", "title": "Dirty", "text": bad}]}), encoding="utf-8")
    first = check_site(site, "site")
    assert [d.message for d in first.diagnostics] == [
        "entry 2 (b/) text: event handler attribute onerror='alert(1)' is not allowed"]
    # Of the four texts (two titles, two texts), the three clean ones are remembered.
    assert first.entries_passed == {hashlib.sha256(text.encode()).hexdigest()
                                    for text in ("Clean", "Nothing to see.", "Dirty")}
    again = check_site(site, "site", entries_before=first.entries_passed)
    assert [str(d) for d in again.diagnostics] == [str(d) for d in first.diagnostics]
    assert again.entries_passed == first.entries_passed
