"""A hand-written page's front matter: only the settings the project's pages use, each of its kind (E209).

mkdocs hands whatever a page's front matter says to the theme, and the theme acts on more than the
project's pages need, some of it unsafe in an author's hands: `template:` shows the page through another
template (guide.html, 404.html, Material's redirect.html), `tree_start:` goes unescaped into a link's
address and `description:` into an attribute (mkdocs does not autoescape), the tags plugin reads `tags:`,
and `hide:`, `status:` and `icon:` change the site around the page. So a page may set only the keys below,
each checked at its line by `check`, before the gate after the build (generator/build/gate.py) would see it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from typing import Any

from generator.load.diagnostics import Diagnostic, DiagnosticError
from generator.load.source import Source
from generator.load.strict_yaml import parse_yaml
from generator.load.project import Page
from generator.load.urls import excerpt

# mkdocs.utils.meta's own patterns (mkdocs 1.6.1; tests/load/test_front_matter.py checks they still are): the front
# matter between '---' lines (the second may be '...'), and, when there is none, a first line 'Key: value',
# which mkdocs also reads as a setting (MultiMarkdown's style) and leaves off the page.
_YAML_BLOCK = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
_META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")

Rule = tuple[Callable[[Any, bool], bool], str]
"""Whether a value (and whether it was written in quotes) is of the kind a key needs; that kind, in words."""


def _line_of_text(limit: int, double_quote: bool = True) -> Rule:
    def fits(value: Any, quoted: bool) -> bool:
        return (isinstance(value, str) and 0 < len(value) <= limit and "\n" not in value
                and (double_quote or '"' not in value))
    words = f"one line of text of at most {limit} characters"
    return fits, words if double_quote else words + " with no straight double quote '\"' (write “curly quotes”)"


def _number(pattern: str, words: str) -> Rule:
    # Without quotes: in quotes YAML makes it text, which render.page_nav_order (it reads 'nav_order: 1' from
    # the page as written) and Material's search do not take for a number.
    def fits(value: Any, quoted: bool) -> bool:
        return isinstance(value, str) and not quoted and re.fullmatch(pattern, value) is not None
    return fits, words


_SETTINGS: dict[str, Rule | dict[str, Rule]] = {
    "title": _line_of_text(120),
    # The theme writes it into <meta name="description" content="…"> as it is: a '"' would end the attribute.
    "description": _line_of_text(300, double_quote=False),
    "nav_order": _number(r"[0-9]{1,3}", "a whole number from 0 to 999, without quotes, e.g. 1"),
    "search": {"boost": _number(r"[0-9]{1,2}(?:\.[0-9]{1,2})?", "a number without quotes, e.g. 2")},
    # Marks a page `init` copied from the starter (checks/starter.py, W520); the theme does nothing with it.
    "starter": (lambda value, quoted: value == "true" and not quoted, "true, without quotes"),
}
"""What a hand-written page may set: the keys the project's own pages and the authors' guide use."""


def front_matter_block(text: str) -> re.Match | None:
    """A page's front matter as mkdocs finds it: group 1 is the YAML between the lines, end() where the page
    starts. The one definition for check and for render's readers of nav_order and title."""
    return _YAML_BLOCK.match(text)


def settings_text(text: str) -> str | None:
    """The part of a page mkdocs reads as its settings: the front matter, or a first line it takes for one."""
    block = front_matter_block(text)
    if block:
        return block.group()
    first = text.split("\n", 1)[0]
    return first if _META_LINE.match(first) else None


def check_front_matter(page: Page) -> list[Diagnostic]:
    """Every problem with the settings a page gives mkdocs, at its line."""
    block = front_matter_block(page.text)
    if block is None:
        first = _META_LINE.match(page.text.split("\n", 1)[0])
        if first is None:
            return []
        return [Diagnostic(page.display, 1, 1, "E209",
                           f"the first line, '{excerpt(first.group('key'))}: …', would be read as a page setting "
                           "and not shown", hint="start the page with a heading ('# Title'), "
                                                 "or put its settings between two '---' lines")]
    try:
        # The empty first line stands for the opening '---': lines and columns are the page's own.
        source = parse_yaml("\n" + block.group(1), page.path, page.display)
    except DiagnosticError as error:
        return list(error.diagnostics)
    if source is None or not isinstance(source.data, dict):
        return [Diagnostic(page.display, 2, 1, "E209", "the front matter must be settings, one 'key: value' a line",
                           hint="allowed keys: " + ", ".join(_SETTINGS))]
    return source.warnings + list(_check_settings(page, source, _SETTINGS, ()))


def starter_line(page: Page) -> int | None:
    """The line of a page's `starter: true` (a page copied from the starter and not yet confirmed), or None."""
    block = front_matter_block(page.text)
    if block is None:
        return None
    try:
        source = parse_yaml("\n" + block.group(1), page.path, page.display)
    except DiagnosticError:
        return None  # check_front_matter reports it
    if source is None or not isinstance(source.data, dict) or source.data.get("starter") != "true":
        return None
    return source.key_position(("starter",))[0]


def _check_settings(page: Page, source: Source, allowed: dict, loc: tuple) -> Iterator[Diagnostic]:
    values = source.data
    for part in loc:
        values = values[part]
    for key, value in values.items():
        here = loc + (key,)
        rule = allowed.get(key)
        if rule is None:
            close = difflib.get_close_matches(key, list(allowed), n=1)
            line, column = source.key_position(here)
            yield Diagnostic(page.display, line, column, "E209",
                             f"a page cannot set '{excerpt('.'.join(here))}' in its front matter",
                             hint=f"did you mean '{close[0]}'?" if close else "allowed keys: " + ", ".join(allowed))
        elif isinstance(rule, dict) and isinstance(value, dict):
            yield from _check_settings(page, source, rule, here)
        elif isinstance(rule, dict):
            line, column = source.key_position(here)
            example = next(iter(rule))
            yield Diagnostic(page.display, line, column, "E209",
                             f"'{key}' must hold settings, not {_found(value)}",
                             hint=f"write '{example}:' and its value on the next line, indented")
        elif not rule[0](value, here in source.quoted):
            line, column = source.position(here)
            yield Diagnostic(page.display, line, column, "E209", f"'{key}' must be {rule[1]}, not {_found(value)}")


def _found(value: Any) -> str:
    if isinstance(value, str):
        return f"'{excerpt(value)}'" + (f" ({len(value)} characters)" if len(value) > 40 else "")
    return "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) else "nothing"
