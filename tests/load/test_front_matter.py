"""A hand-written page's front matter: `check` refuses every setting a page may not give, at its line (E209).

The bug these catch: `check` read a page's body (raw HTML, links, template code) but not its front
matter, which mkdocs hands to a theme that does not autoescape. `tree_start:` went into a link's href,
`description:` into a <meta> attribute, `template:` showed the page through guide.html, 404.html or
Material's redirect.html, and a first line 'Key: value' with no '---' was read as a setting too. Only the
gate after mkdocs stopped a live script, at the built page; a redirect template or a swallowed line went
through (tests/fixtures/neutral-school, as in tests/render/test_page_sandbox.py).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from mkdocs.utils import meta as mkdocs_meta

from generator import pipeline
from generator.load import front_matter
from support import TODAY

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "neutral-school"
PAGE = "docs/staff/page.md"
ALLOWED = "(allowed keys: title, description, nav_order, search, starter)"


def page_errors(tmp_path: Path, text: str) -> list[str]:
    school = tmp_path / "school"
    shutil.copytree(FIXTURE, school)
    (school / "docs" / "staff").mkdir(parents=True)
    (school / PAGE).write_text(text, encoding="utf-8")
    return [str(d) for d in pipeline.check(school, TODAY).diagnostics if d.is_error]


def test_the_settings_the_projects_pages_use_are_accepted(tmp_path):
    text = ("---\ntitle: How to report a concern\n"
            "description: Who to call, and what “immediate danger” means.\n"
            "nav_order: 1\nsearch:\n  boost: 2\n---\n\n# How to report a concern\n\nCall the office.\n")
    assert page_errors(tmp_path, text) == []


def test_a_page_cannot_choose_its_template_or_the_guides_skip_link(tmp_path):
    """Bug: no list of allowed keys. 'template: redirect.html' with 'location:' made the page a redirect
    (meta refresh and an inline script); 'tree_start' broke out of the skip link's href into an event handler."""
    text = ('---\ntemplate: redirect.html\nlocation: https://evil.example/\n'
            'tree_start: \'x" onfocus="alert(1)" autofocus="\'\ntags:\n  - Urgent\n---\n\n# A page\n')
    assert page_errors(tmp_path, text) == [
        f"{PAGE}:2:1: E209 a page cannot set 'template' in its front matter {ALLOWED}",
        f"{PAGE}:3:1: E209 a page cannot set 'location' in its front matter {ALLOWED}",
        f"{PAGE}:4:1: E209 a page cannot set 'tree_start' in its front matter {ALLOWED}",
        f"{PAGE}:5:1: E209 a page cannot set 'tags' in its front matter {ALLOWED}",
    ]


def test_a_misspelt_setting_gets_a_suggestion(tmp_path):
    text = "---\ntitel: A page\nsearch:\n  bost: 2\n---\n\n# A page\n"
    assert page_errors(tmp_path, text) == [
        f"{PAGE}:2:1: E209 a page cannot set 'titel' in its front matter (did you mean 'title'?)",
        f"{PAGE}:4:3: E209 a page cannot set 'search.bost' in its front matter (did you mean 'boost'?)",
    ]


def test_a_description_cannot_end_its_attribute(tmp_path):
    """Bug: any text allowed in 'description', which the theme writes into content="…" as it is: a straight
    double quote ended the attribute and the rest became a meta refresh to another site."""
    text = "---\ndescription: '0;url=https://evil.example/\" http-equiv=\"refresh'\n---\n\n# A page\n"
    assert page_errors(tmp_path, text) == [
        f"{PAGE}:2:14: E209 'description' must be one line of text of at most 300 characters with no straight "
        "double quote '\"' (write “curly quotes”), not '0;url=https://evil.example/\" http-equiv=…' (48 characters)",
    ]


def test_each_setting_is_of_its_kind(tmp_path):
    """Bugs: values unchecked. A nav_order of 5000 digits stopped check with an internal error (Python refuses
    to read an int that long); a quoted or worded nav_order was silently ignored; a huge title went into
    every page's menu."""
    text = ("---\ntitle:\n  - A list\ndescription: " + "A" * 301 + "\nnav_order: '1'\nsearch: 2\n---\n\n# A page\n")
    assert page_errors(tmp_path, text) == [
        f"{PAGE}:3:3: E209 'title' must be one line of text of at most 120 characters, not a list",
        f"{PAGE}:4:14: E209 'description' must be one line of text of at most 300 characters with no straight "
        "double quote '\"' (write “curly quotes”), not "
        "'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA…' (301 characters)",
        f"{PAGE}:5:12: E209 'nav_order' must be a whole number from 0 to 999, without quotes, e.g. 1, not '1'",
        f"{PAGE}:6:1: E209 'search' must hold settings, not '2' (write 'boost:' and its value on the next line, "
        "indented)",
    ]
    text = "---\nnav_order: " + "9" * 5000 + "\n---\n\n# A page\n"
    assert page_errors(tmp_path / "long", text) == [
        f"{PAGE}:2:12: E209 'nav_order' must be a whole number from 0 to 999, without quotes, e.g. 1, not "
        "'9999999999999999999999999999999999999999…' (5000 characters)",
    ]


def test_front_matter_follows_the_data_files_yaml_rules(tmp_path):
    """Bug: front matter read by mkdocs' plain YAML loader only: a list, an alias or a duplicate key passed."""
    assert page_errors(tmp_path / "list", "---\n- title\n- description\n---\n\n# A page\n") == [
        f"{PAGE}:2:1: E209 the front matter must be settings, one 'key: value' a line {ALLOWED}"]
    assert page_errors(tmp_path / "anchor", "---\ntitle: &t A page\ndescription: *t\n---\n\n# A page\n") == [
        f"{PAGE}:2:8: E103 YAML anchor '&t' is not allowed: write the value out in full"]
    assert page_errors(tmp_path / "twice", "---\ntitle: One\ntitle: Two\n---\n\n# A page\n") == [
        f"{PAGE}:3:1: E105 duplicate key 'title' (first given at line 2): YAML would silently keep only the last one"]


def test_a_first_line_mkdocs_reads_as_a_setting_is_refused(tmp_path):
    """Bug: only front matter between '---' lines looked at. Without them mkdocs reads a first line
    'Key: value' as a setting (MultiMarkdown): 'template: 404.html' needed no front matter at all, and a page
    starting 'Note: …' silently lost that line."""
    assert page_errors(tmp_path / "template", "template: 404.html\n\n# A page\n") == [
        f"{PAGE}:1:1: E209 the first line, 'template: …', would be read as a page setting and not shown "
        "(start the page with a heading ('# Title'), or put its settings between two '---' lines)"]
    assert page_errors(tmp_path / "note", "Note: this page is new.\n\n# A page\n") == [
        f"{PAGE}:1:1: E209 the first line, 'Note: …', would be read as a page setting and not shown "
        "(start the page with a heading ('# Title'), or put its settings between two '---' lines)"]


def test_template_code_cannot_change_the_front_matter(tmp_path):
    """Bug: front matter checked as written only. mkdocs reads the rendered page, where '{# … #}' before the
    '---' (E208 allows comments) made front matter that check had not seen."""
    hidden = "{# a note #}---\ntemplate: 404.html\n---\n\n# A page\n"
    assert page_errors(tmp_path / "hidden", hidden) == [
        f"{PAGE}:1:1: E209 template code here changes the page's front matter (the settings mkdocs reads from the "
        "page) (keep template code out of the front matter and off the page's first line)"]
    inside = "---\ntitle: A page\ndescription: About {{ school.name }}\n---\n\n# A page\n"
    assert page_errors(tmp_path / "inside", inside) == [
        f"{PAGE}:3:1: E209 template code here changes the page's front matter (the settings mkdocs reads from the "
        "page) (keep template code out of the front matter and off the page's first line)"]


def test_front_matter_is_found_where_mkdocs_finds_it():
    """Bug: mkdocs (an upgrade) finding a page's settings where check does not look."""
    assert (front_matter._YAML_BLOCK.pattern, front_matter._YAML_BLOCK.flags) == (
        mkdocs_meta.YAML_RE.pattern, mkdocs_meta.YAML_RE.flags)
    assert (front_matter._META_LINE.pattern, front_matter._META_LINE.flags) == (
        mkdocs_meta.META_RE.pattern, mkdocs_meta.META_RE.flags)
    for text in ("---\ntitle: A\n...\n\n# A\n", "--- \ntitle: A\n---\t\n# A\n", "Title: A\n\n# A\n", "# A\n"):
        found = front_matter.settings_text(text)
        assert (found is not None) == bool(mkdocs_meta.get_data(text)[1]), text


def test_a_nav_order_followed_by_a_comment_still_orders_the_menu():
    """Bug caught: check accepted 'nav_order: 1  # first' (YAML reads 1) but the menu's reader ignored the line,
    so the page silently lost its place at the top of the menu."""
    from generator.render.hand_written_pages import page_nav_order

    assert page_nav_order("---\ntitle: Report\nnav_order: 1  # first in the menu\n---\n\n# Report\n") == 1
    assert page_nav_order("---\nnav_order: 12\n---\n") == 12
    # front matter as mkdocs (and check) find it: closed by '...', or '---' with spaces after it
    assert page_nav_order("---\nnav_order: 2\n...\n\n# P\n") == 2
    assert page_nav_order("---\nnav_order: 4\n---  \n\n# P\n") == 4
    assert page_nav_order("---\ntitle: x\n---\n\nnav_order: 1\n") is None  # in the body, not a setting


def test_a_pages_title_comes_from_its_front_matter_or_first_heading_never_its_body():
    """Bug caught: links to a hand-written page took its title from any line starting 'title:', body included,
    so a page explaining 'title: Head teacher' was linked as "Head teacher"."""
    from generator.render.hand_written_pages import page_title

    assert page_title("---\ntitle: 'Report a concern'\n---\n\n# Reporting\n") == "Report a concern"
    assert page_title("---\nnav_order: 1\n---\n\n# Reporting\n\ntitle: Head teacher\n") == "Reporting"
    assert page_title("# Reporting\n\ntitle: Head teacher\n") == "Reporting"
    assert page_title("Some text only.\n") is None
