"""A guide's steps, put into its built page after mkdocs (issue 17).

A guide's steps are HTML the generator renders itself (templates/trees/tree.html.j2, every value
escaped), 50-100 KB a guide. Going through MkDocs they cost most of a large site's build: as Markdown,
Python-Markdown parses the whole block of HTML only to find where it ends; included by the theme, the
template engine compiles each as a template (12 ms for a 77 KB guide). So the page MkDocs builds holds
the guide's title and when to use it, and the theme's guide.html leaves MARKER where the steps go; after
mkdocs and before the security gate (which reads the result), the build, the live preview and the
offline bundle call :func:`insert_guide_steps` (through ``build.finish_site``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath

FOLDER = "guides"
"""In the site's includes/: one guide's steps per file, guides/<tree-id>.html."""

MARKER = "<!-- the guide's steps (generator/guide_steps.py) -->"
"""Written by theme/guide.html after the page's content. It cannot come from the data: text is escaped
and raw HTML refused, so a comment appears nowhere else on a guide's page."""


def steps_path(tree_id: str) -> str:
    return f"{FOLDER}/{tree_id}.html"


def insert_guide_steps(site_dir: Path, includes: Mapping[str, str]) -> None:
    """Put each guide's steps (``includes``: path -> text, as rendered) in place of its page's MARKER.

    A guide page without exactly one MARKER is an error, never a page without its steps.
    """
    for name, steps in includes.items():
        path = PurePosixPath(name)
        if path.parent.as_posix() != FOLDER or path.suffix != ".html":
            continue
        page = site_dir / "what-to-do" / path.stem / "index.html"
        html = page.read_text(encoding="utf-8")
        if html.count(MARKER) != 1:
            raise ValueError(f"{page}: the guide's page has {html.count(MARKER)} places for its steps, not 1")
        page.write_text(html.replace(MARKER, steps), encoding="utf-8")

