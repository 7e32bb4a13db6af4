"""Where each page lives on a site: the docs paths the renderers write and link to, and the URL MkDocs gives each."""

from __future__ import annotations


def policy_section_path(policy_id: str, section_id: str) -> str:
    return f"policies/{policy_id}/{section_id}.md"


def policy_pdf_path(policy_id: str, site: str) -> str:
    """The policy's PDF: the whole policy on the staff site, the parents' clauses on the parents' site."""
    return f"policies/{policy_id}/{policy_id}.pdf" if site == "staff" else f"policies/{policy_id}/{policy_id}-for-parents.pdf"


def policy_whole_path(policy_id: str) -> str:
    return f"policies/{policy_id}/whole.md"


def tree_path(tree_id: str) -> str:
    return f"what-to-do/{tree_id}/index.md"


def page_url(path: str) -> str:
    """The URL path MkDocs gives a page (use_directory_urls): 'a/index.md' -> 'a/', 'a/b.md' -> 'a/b/'."""
    if path == "index.md" or path.endswith("/index.md"):
        return path[: -len("index.md")]
    return path[: -len(".md")] + "/"
