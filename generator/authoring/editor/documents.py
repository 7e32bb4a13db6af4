"""Which files the editor offers, and the one way a path from the browser becomes a file: inside the project.

A path comes from the browser as text ('policies/social-media.yml'); it is accepted only when it names one of the
files listed here (so '../', an absolute path, a symbolic link out or a file of another kind is refused), and then
checked once more against the project's folder after links are resolved (load/containment.py, as trust folders
are)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.load.containment import leaves
from generator.load.diagnostics import Diagnostic
from generator.load.files import list_files


@dataclass(frozen=True)
class Document:
    path: str
    """Relative to the project, with '/' (as diagnostics name files)."""
    kind: str
    """policy, guide, shared (a group of steps guides share), school (contacts), glossary, sources (the external
    documents the guides cite), site (the school's mkdocs.yml: how its sites look) or page."""
    schema: str | None
    """The JSON Schema that drives its form (schemas/<name>.schema.json); None for a hand-written page."""


KINDS = {"policy": "policy", "guide": "tree", "shared": "shared-steps", "school": "school", "glossary": "glossary",
         "sources": "sources", "site": None}
"""A document's kind -> its schema's name (None: edited as text, as a hand-written page is)."""

TOP_FILES = (("school.yml", "school"), ("glossary.yml", "glossary"), ("sources.yml", "sources"), ("mkdocs.yml", "site"))
"""The single files at the top of a project the editor offers; check guards each (the school's mkdocs.yml: E390–E392)."""

NEW_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class OutsideProject(ValueError):
    """A path from the browser that is not one of the project's editable files."""


def list_documents(root: Path) -> list[Document]:
    """Every file the editor offers, in the order the list shows them: the school (its contacts), the glossary,
    the sources, the site's settings, the policies, the guides and their shared groups of steps, the hand-written
    pages."""
    ignored: list[Diagnostic] = []  # check reports odd files; the editor just leaves them out
    found = []
    for name, kind in TOP_FILES:
        if (root / name).is_file() and not (root / name).is_symlink():
            found.append(Document(name, kind, KINDS[kind]))
    for folder, kind in (("policies", "policy"), ("decision_trees", "guide"), ("decision_trees/shared", "shared")):
        for path in list_files(root / folder, (".yml",), root, ignored):
            found.append(Document(path.relative_to(root).as_posix(), kind, KINDS[kind]))
    for path in list_files(root / "docs", (".md",), root, ignored, recursive=True):
        found.append(Document(path.relative_to(root).as_posix(), "page", None))
    return found


def find_document(root: Path, written: str) -> tuple[Document, Path]:
    """The document ``written`` names, and its file; OutsideProject when it names nothing the editor offers."""
    for document in list_documents(root):
        if document.path == written:
            path = root / document.path
            if leaves(path, root):
                raise OutsideProject(f"'{written}' {leaves(path, root)}")
            return document, path
    raise OutsideProject(f"'{written}' is not one of the project's policies, guides, pages, school.yml, "
                         "glossary.yml, sources.yml or mkdocs.yml")


def new_document_path(root: Path, kind: str, new_id: str) -> tuple[Document, Path]:
    """Where a new policy or guide with id ``new_id`` goes; OutsideProject for an id that is not a plain id or
    a file that exists already."""
    if kind not in ("policy", "guide") or not NEW_ID.match(new_id or "") or len(new_id) > 80:
        raise OutsideProject(f"'{new_id}' is not an id: lower-case words joined by hyphens, e.g. 'anti-bullying'")
    folder = "policies" if kind == "policy" else "decision_trees"
    path = root / folder / f"{new_id}.yml"
    if path.exists() or path.is_symlink():
        raise OutsideProject(f"{folder}/{new_id}.yml exists already")
    if leaves(path, root):
        raise OutsideProject(f"{folder}/{new_id}.yml {leaves(path, root)}")
    return Document(f"{folder}/{new_id}.yml", kind, KINDS[kind]), path
