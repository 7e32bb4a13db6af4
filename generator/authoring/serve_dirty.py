"""The live preview's rebuild after a save: MkDocs' dirty build when it is safe, else its full build (issue 30).

MkDocs 1.x's dirty build (``build(config, dirty=True)``) reads and writes again only the pages whose Markdown is
newer than their HTML; every other page keeps the HTML of the last build. That is safe only when nothing those
other pages show has changed, so a save gets the dirty build only when each file the regeneration changed is
- a guide's page or the guides' index (``docs/what-to-do/[<guide>/]index.md``): no page's navigation shows their titles (the menu
  names the index by a fixed title, and a guide is not in the menu), and the guides' pages are out of Material's
  search (their entries are the generator's), or
- a guide's steps or the guides' search entries (``includes/``), which the generator puts in after MkDocs.
Anything else means a full build: a page added or removed (the navigation, links), the config (the menu, the
theme's settings), the abbreviations every page appends, a policy or hand-written page (its title can be in the
menu), the theme (it is watched, and no source shows its change), or the errors shown at the top of every page.

What MkDocs' dirty build does not do, done here: a page it did not read has no title, and the menu names a page
listed by its path by its title (None, found by tests/authoring/test_serve_dirty.py), so the last build's titles are
given to them; Material's search index (and its tags plugin's tags.json) holds only the pages read (its own dirty
merge is for one page, and only when serve was started dirty), so the last build's entries are kept and the rebuilt
pages' replaced in place; and a guide page that was not rebuilt already has its old steps in
it, so each guide page's HTML as MkDocs wrote it (before the steps) is kept, and a guide whose steps changed gets it
back and its new steps put in; the other guides' pages are left as the last build finished them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.authoring.serve_sources import Written
from generator.render import guide_steps
from generator.render.search_index import ENTRIES_FILE

TAGS_FILE = "tags.json"

_GUIDE_SOURCES = re.compile(r"docs/what-to-do/(?:[^/]+/)?index\.md|includes/" + re.escape(guide_steps.FOLDER) + r"/[^/]+\.html")


def fingerprint(paths: list[Path]) -> str:
    """The watched files that reach every page without going through the sources (the theme, the base config)."""
    digest = hashlib.sha256()
    for root in paths:
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\0".encode())
    return digest.hexdigest()


def full_build_reason(built: bool, written: Written | None, problems_changed: bool, theme_changed: bool) -> str | None:
    """Why this save needs MkDocs' full build; None when the dirty build gives the same site. ``written``: what the
    regeneration wrote to the site's folder (serve_sources.py; None when a write failed part-way)."""
    if not built:
        return "the first build"
    if written is None:
        return "the sources were not all written"
    if problems_changed:
        return "the errors shown on every page changed"
    if theme_changed:
        return "the theme or the base config changed"
    if written.added or written.removed:
        return "a file was added or removed"
    others = [path for path in sorted(written.changed)
              if not (_GUIDE_SOURCES.fullmatch(path) or path == f"includes/{ENTRIES_FILE}")]
    if others:
        return f"{others[0]} changed"
    return None


@dataclass
class PreviewState:
    """What the preview keeps between rebuilds (in generator.authoring.serve: MkDocs re-executes the hook)."""

    built: bool = False
    """Whether the last build ended well (a dirty build starts from it)."""
    theme: str = ""
    dirty: bool = False
    """Whether the build under way is a dirty one."""
    rebuilt: set = field(default_factory=set)
    """The pages (their URLs) MkDocs built in the build under way."""
    search_docs: list = field(default_factory=list)
    """Material's search entries of every page, from the last build (before the guides' entries were added)."""
    tag_mappings: list = field(default_factory=list)
    """Material's tags plugin's list of pages and their tags, from the last build."""
    titles: dict = field(default_factory=dict)
    """Each page's title and front matter (by URL) in the last build: the menu names a page listed by its path by
    its title."""
    guide_pages: dict = field(default_factory=dict)
    """Each guide page's HTML as MkDocs wrote it (with the marker where the steps go), by its path in the site."""
    changed: set = field(default_factory=set)
    """The files of the site's work folder the regeneration before the build under way changed (its includes/
    among them: the guides whose steps changed)."""


def keep_or_restore(state: PreviewState, site_dir: Path, includes: Mapping[str, str]) -> Mapping[str, str]:
    """After MkDocs built (on_post_build), before the guides' steps and entries go in: remember a full build's
    search entries and guide pages; give a dirty build the entries it did not rebuild. Returns the includes the
    build is finished with (``finish_site``): after a full build all of them; after a dirty one only the steps of
    the guides whose page MkDocs rebuilt or whose steps changed (given back their page as MkDocs wrote it), because
    every other guide's page is as the last build finished it, steps and all: writing 160 pages twice at each save
    was most of the dirty build's time at 10x."""
    if not state.dirty:
        state.guide_pages = {}  # a full build has every guide's page: a guide removed since is not kept
    index_path = site_dir / "search" / "search_index.json"
    index = json.loads(index_path.read_text(encoding="utf-8"))
    if state.dirty:
        index["docs"] = _merged(state.search_docs, index["docs"], state.rebuilt, _location_page)
        index_path.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")
    state.search_docs = index["docs"]
    # Material's tags plugin lists the pages it read and their tags: the same as the search entries.
    tags_path = site_dir / TAGS_FILE
    if tags_path.is_file():
        tags = json.loads(tags_path.read_text(encoding="utf-8"))
        if state.dirty:
            tags["mappings"] = _merged(state.tag_mappings, tags["mappings"], state.rebuilt, _item_page)
            tags_path.write_text(json.dumps(tags), encoding="utf-8")
        state.tag_mappings = tags["mappings"]
    finished = set()
    for name in includes:
        path = Path(name)
        if path.parent.as_posix() != guide_steps.FOLDER:
            finished.add(name)
            continue
        page = site_dir / "what-to-do" / path.stem / "index.html"
        relative = page.relative_to(site_dir).as_posix()
        if not state.dirty or f"what-to-do/{path.stem}/" in state.rebuilt:
            state.guide_pages[relative] = page.read_text(encoding="utf-8")
            finished.add(name)
        elif f"includes/{name}" in state.changed:
            page.write_text(state.guide_pages[relative], encoding="utf-8")
            finished.add(name)
    return includes if not state.dirty else _Some(includes, finished)


class _Some(Mapping):
    """Some of a site's includes (each still read when it is asked for)."""

    def __init__(self, includes: Mapping[str, str], names: set[str]):
        self._includes, self._names = includes, [name for name in includes if name in names]

    def __getitem__(self, name: str) -> str:
        if name not in self._names:
            raise KeyError(name)
        return self._includes[name]

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _location_page(entry: dict) -> str:
    return entry["location"].partition("#")[0]


def _item_page(mapping: dict) -> str:
    return mapping["item"]["url"]


def _merged(kept: list[dict], rebuilt_entries: list[dict], rebuilt: set[str], page_of) -> list[dict]:
    """The last build's entries, each rebuilt page's replaced by its new ones where the old ones were."""
    new_by_page: dict[str, list[dict]] = {}
    for entry in rebuilt_entries:
        new_by_page.setdefault(page_of(entry), []).append(entry)
    merged, placed = [], set()
    for entry in kept:
        page = page_of(entry)
        if page not in rebuilt:
            merged.append(entry)
        elif page not in placed:
            placed.add(page)
            merged.extend(new_by_page.get(page, []))
    for page, entries in new_by_page.items():  # a rebuilt page that had no entries before
        if page not in placed:
            merged.extend(entries)
    return merged


def keep_titles(state: PreviewState, files) -> None:
    """In a dirty build, before the pages are written (on_env): the pages MkDocs did not read have no title and no
    front matter, and the menu shows a page listed by its path under its title (and Material, an icon or status its
    front matter sets); they are given the last build's. After a full build, and for the pages read, both are
    remembered."""
    if not state.dirty:
        state.titles = {}  # a full build reads every page: a page removed since is not kept
    for file in files.documentation_pages():
        page = file.page
        if page is None:
            continue
        if page.markdown is None and state.dirty:
            page.title, page.meta = state.titles.get(page.url, (None, {}))
        else:
            state.titles[page.url] = (page.title, page.meta)
