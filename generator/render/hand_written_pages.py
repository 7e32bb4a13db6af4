"""The school's hand-written pages (``docs/<site>/*.md``): their place in the menu, their title, and their
rendering in a sandbox (their authors write content, not code)."""

from __future__ import annotations

import re

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from generator.load.front_matter import front_matter_block
from generator.render.templating import compiled_templates


_COMPILED: dict = {}
"""A hand-written page's compiled template code by its text (with the import line), for the page sandbox."""


class HandWrittenPages:
    """The hand-written pages, for the site renderer (``renderer._SiteRenderer``) they are a part of."""

    def _pages_in_menu_order(self) -> tuple[list, list]:
        """This site's hand-written pages: those with a nav_order (lowest first), then the rest by path."""
        pages = [page for page in self.project.pages if self.site in page.sites]
        ordered = sorted((page for page in pages if page_nav_order(page.text) is not None),
                         key=lambda page: (page_nav_order(page.text), page.relative))
        return ordered, sorted((page for page in pages if page not in ordered), key=lambda page: page.relative)

    def _render_page(self, page) -> str:
        self.current_path = page.relative
        # The import sits on the page's first line so template errors keep the author's line numbers.
        source = '{% from "partials/macros.md.j2" import cite, contact with context %}' + page.text
        env = self._page_env()
        # What from_string does, with the compiling done once per page text: check renders every page, then the
        # sites render them again, and serve does both at every save (issue 30). The sandbox's settings never
        # change, so its code for a text is always the same.
        code = _COMPILED.get(source)
        if code is None:
            if len(_COMPILED) > 1000:
                _COMPILED.clear()
            code = _COMPILED[source] = env.compile(source)
        return env.template_class.from_code(env, code, env.make_globals(None)).render()

    def _page_env(self) -> jinja2.Environment:
        """A sandbox for hand-written pages: their authors write content, not code.

        Pages may call cite() and contact() and show values such as {{ school.name }}, but a
        sandboxed template cannot reach Python's internals ('{{ cycler.__init__.__globals__ }}'
        would otherwise run any command on the machine that builds the site) nor change the data.
        """
        if self._sandbox is None:
            self._sandbox = ImmutableSandboxedEnvironment(
                loader=self.env.loader, undefined=jinja2.StrictUndefined, autoescape=False,
                trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                bytecode_cache=compiled_templates("page-sandbox"))  # a sandbox compiles differently: its own cache
            self._sandbox.filters.update(self.env.filters)
            self._sandbox.globals.update(self.env.globals)
        return self._sandbox


def page_nav_order(text: str) -> int | None:
    """A hand-written page's ``nav_order: N`` from its front matter: it leads the menu (lowest first)."""
    front = front_matter_block(text)
    # A YAML comment may follow the number ('nav_order: 1  # first'): check accepts it, so it must count here.
    match = front and re.search(r"^nav_order:[ \t]*(\d+)[ \t]*(?:#.*)?$", front.group(1), re.MULTILINE)
    return int(match.group(1)) if match else None


def page_title(text: str) -> str | None:
    """A hand-written page's title from its front matter or first heading (for links to it)."""
    # As mkdocs reads it: the front matter's title, else the first heading; a 'title:' line in the body is text.
    front = front_matter_block(text)
    match = (front and re.search(r"^title:[ \t]*(.+)$", front.group(1), re.MULTILINE)) or \
        re.search(r"^# (.+)$", text[front.end() if front else 0:], re.MULTILINE)
    return match.group(1).strip().strip("'\"") if match else None
