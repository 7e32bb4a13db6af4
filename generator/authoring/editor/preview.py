"""The page being edited, as the staff site renders it: the render stage's own output for that page (a guide's
steps are the finished HTML the build puts in the page; a policy's page is its Markdown through the site's Markdown
extensions), without mkdocs' theme around it. Shown in a frame whose Content-Security-Policy allows no script."""

from __future__ import annotations

from html import escape
from pathlib import Path

import markdown

from generator.authoring.editor.checking import Checked
from generator.authoring.editor.documents import Document

_EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables", "pymdownx.details",
               "pymdownx.superfences"]
"""The site's Markdown extensions (generator/mkdocs.yml) but snippets, which reads files: the preview reads none."""


def _page_key(document: Document) -> tuple[str, str] | None:
    stem = Path(document.path).stem
    if document.kind == "guide":
        return "includes", f"guides/{stem}.html"
    if document.kind == "policy":
        return "docs", f"policies/{stem}/whole.md"
    if document.kind == "glossary":
        return "docs", "glossary.md"
    if document.kind == "school":
        return "docs", "index.md"
    if document.kind == "page":
        return "origin", document.path
    return None


def page_html(checked: Checked, document: Document) -> tuple[str, str]:
    """(title, a whole HTML page) of the document's page; a page saying why when there is none to show."""
    rendered = checked.result.rendered if checked.result else None
    key = _page_key(document)
    if rendered is None:
        return "No preview", _page("No preview", "<p>The preview shows again once the errors are fixed.</p>")
    if key is None:
        return "No preview", _page("No preview", "<p>This file has no page of its own to preview.</p>")
    where, path = key
    site = rendered["staff"]
    if where == "origin":  # a hand-written page: the page of the first site (staff, then parents) that shows it
        site, path = next(((rendered[name], page) for name in ("staff", "parents")
                           for page, origin in rendered[name].origins.items() if origin[0] == document.path),
                          (site, None))
        where = "docs"
    if where == "includes":
        body = site.includes.get(path)
    else:
        text = site.docs.get(path)
        body = markdown.markdown(_without_front_matter(text), extensions=_EXTENSIONS) if text is not None else None
    if body is None:
        return "No preview", _page("No preview", "<p>Neither site has a page for this file.</p>")
    return document.path, _page(document.path, body)


def _without_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5:]
    return text


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Preview: {escape(title)}</title>'
            '<link rel="stylesheet" href="/assets/preview.css"></head>'
            f'<body><main>{body}</main></body></html>')
