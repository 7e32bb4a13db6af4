"""One Markdown text field of the data, converted once to safe HTML (issue 17 item 1).

The decision trees' pages are HTML made by the generator's templates (autoescape on); only the
text fields an author writes in Markdown (help, criteria, actions, never, summary…) go through
Python-Markdown, one field at a time, with a small extension set. Validation already refuses raw
HTML, attribute lists and unsafe link targets in data (E206, generator/checks/markup.py); this converter
refuses them again, whatever validation let through: raw HTML is escaped (the HTML block and
inline-HTML parsers are removed) and a link whose target the project's URL rule
(generator/load/urls.py) refuses, or any image that is not a file of this site, loses its target.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from generator.load.urls import judge


class _SafeLinks(Treeprocessor):
    def __init__(self, md, allow_http: bool):
        super().__init__(md)
        self.allow_http = allow_http

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and judge(value, self.allow_http, image=attribute == "src") is not None:
                    del element.attrib[attribute]


class _Safety(markdown.Extension):
    def __init__(self, allow_http: bool = False):
        super().__init__()
        self.allow_http = allow_http

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md, self.allow_http), "safe_links", 0)


class TextConverter:
    """Markdown → HTML for data text, with the glossary's abbreviations (as every page has)."""

    def __init__(self, abbreviations: dict[str, str], allow_http: bool = False):
        self._md = markdown.Markdown(
            extensions=["abbr", "sane_lists", _Safety(allow_http)],
            extension_configs={"abbr": {"glossary": dict(abbreviations)}},
            output_format="html",
        )
        self._cache: dict[str, Markup] = {}

    def block(self, text: str) -> Markup:
        """A field as block HTML (paragraphs, lists)."""
        found = self._cache.get(text)
        if found is None:
            found = Markup(self._md.reset().convert(text))
            self._cache[text] = found
        return found

    def inline(self, text: str) -> Markup:
        """A one-paragraph field without its <p>…</p>, to sit inside a heading, link or sentence."""
        html = str(self.block(text))
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(html)
