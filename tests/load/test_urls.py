"""The URL rule (generator/load/urls.py): an address is judged as a browser and Markdown read it.

Expected verdicts are written by hand from the HTML and URL standards, not computed by the code.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator import pipeline
from generator.load.urls import judge, normalise
from support import copy_valid_project

TODAY = date(2026, 11, 24)
REFUSED = "'javascript:' links are not allowed"


@pytest.mark.parametrize("space", [
    "\u00a0",  # NO-BREAK SPACE: Markdown strips it around a target (bug: it passed check, then was live)
    "\u3000",  # IDEOGRAPHIC SPACE
    "\u2003",  # EM SPACE
    "\u202f",  # NARROW NO-BREAK SPACE
    "\u1680",  # OGHAM SPACE MARK
    "\x0b",    # LINE TABULATION (a C0 control)
    "\x85",    # NEXT LINE (a C1 control)
    "\x01",    # START OF HEADING: a control that is not a space (bug: only spaces and format characters removed)
    "\x7f",    # DELETE
])
def test_any_unicode_space_or_control_around_a_scheme_is_ignored(space):
    assert judge(f"{space}javascript:alert(1)") == REFUSED
    assert judge(f"java{space}script:alert(1)") == REFUSED  # stricter than a browser, which never joins them


@pytest.mark.parametrize("url, named", [
    ("https://example.org/\u202egpj.exe", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("https://exa\u200bmple.org/", "U+200B ZERO WIDTH SPACE"),
    ("https://example.org/\u2066x\u2069", "U+2066 LEFT-TO-RIGHT ISOLATE"),
    ("https://example.org/\u200fx", "U+200F RIGHT-TO-LEFT MARK"),
    ("https://example.org/\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("https://example.org/&#x202E;gpj.exe", "U+202E RIGHT-TO-LEFT OVERRIDE"),  # written as an entity
    ("\u2060javascript:alert(1)", "U+2060 WORD JOINER"),
])
def test_an_invisible_or_direction_changing_character_is_refused_anywhere_in_an_address(url, named):
    assert judge(url) == f"an address may not hold an invisible or direction-changing character ({named})"


@pytest.mark.parametrize("url", [
    "&amp;#106;avascript:alert(1)",          # decoded twice: '&#106;avascript:', then 'javascript:'
    "&amp;amp;#106;avascript:alert(1)",      # three times
    "javascript&amp;colon;alert(1)",
    "&amp;#x6A;avascript:alert(1)",
])
def test_entities_are_decoded_until_nothing_changes(url):
    # Bug caught: entities decoded once, so an address encoded twice was judged as a relative path.
    assert judge(url) == REFUSED


@pytest.mark.parametrize("url", [
    "javascript\\:alert(1)",        # Markdown writes 'javascript:alert(1)' into the page
    "JavaScript\\:alert(1)",
])
def test_markdown_backslash_escapes_are_undone_before_judging(url):
    # Bug caught: the backslash escapes not undone, so 'javascript\:' was judged as a relative path.
    assert judge(url) == REFUSED


@pytest.mark.parametrize("url", ["https://example.org/a page", "page.md#top", "#top", "mailto:office@example.org",
                                 "tel:+44 1234 567890", "../policies/index.md"])
def test_ordinary_addresses_still_pass(url):
    assert judge(url) is None



def test_one_address_is_judged_by_its_options_each_time_it_is_asked():
    """judge() is kept per call (an lru_cache, issue 30): the bug this catches is a verdict kept under the address
    alone, so that a site allowing http:// links, or a link's verdict, is given to the next question about the same
    address with other options (the gate asks of links and images, with and without allow_http, in one process)."""
    address = "http://intranet.example/rota"
    assert judge(address) is not None
    assert judge(address, allow_http=True) is None
    assert judge(address) is not None
    assert judge("https://example.org/logo.png") is None
    image_refused = "an image must be a file of this site, not a 'https:' address"
    assert judge("https://example.org/logo.png", image=True) == image_refused
    assert judge("https://example.org/logo.png") is None

def test_normalise_removes_every_ignored_character():
    assert normalise("\u3000 <java\tscript\u00a0:x\u200b>") == "javascript:x>"


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_valid_project(tmp_path)


def _edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _errors(project: Path) -> list[str]:
    return [str(d) for d in pipeline.check(project, TODAY).diagnostics if d.is_error]


HINT = " (links must start with https://, mailto: or tel:, or be a page of this site)"


@pytest.mark.parametrize("space, escape", [("\u00a0", "\\u00a0"), ("\u3000", "\\u3000")])
def test_a_link_behind_a_unicode_space_fails_check_at_its_source_line(project, space, escape):
    # sample-tree.yml line 29: '      - text: Call **999** and ask for the police.' (the text starts at column 15;
    # the space is at offset 22 of the new text, the j of javascript at 23: column 38).
    _edit(project, "decision_trees/sample-tree.yml", "Call **999** and ask for the police.",
          f"Call **999**, see [x]({space}javascript:alert(1)).")
    assert _errors(project) == [
        f"decision_trees/sample-tree.yml:29:38: E206 {REFUSED} (found 'javascript:alert(1)')" + HINT]


def test_a_web_address_field_with_a_direction_override_fails_check(project):
    # school.yml's contacts carry 'url:' fields (a format field, not Markdown), as sources.yml does.
    text = (project / "school.yml").read_text(encoding="utf-8")
    line = text[:text.index("url: https://")].count("\n") + 1
    column = len(text[:text.index("url: https://")].rsplit("\n", 1)[-1]) + 1 + len("url: ")
    _edit(project, "school.yml", "url: https://", "url: https://\u202e")
    errors = _errors(project)
    assert len(errors) == 1 and errors[0].startswith(f"school.yml:{line}:{column}: E207 'url': 'https://\\u202e")
    assert errors[0].endswith("holds U+202E RIGHT-TO-LEFT OVERRIDE, an invisible or direction-changing character "
                              "(type the address again by hand)")
