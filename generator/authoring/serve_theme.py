"""The theme's list of files, kept from one build of the live preview to its dirty rebuilds (issue 30, item 3).

Every MkDocs build lists the theme's files to find its static ones (``Files.add_files_from_theme`` calls the theme
environment's ``list_templates``): Material's folders hold about 14,500 files, most of them icons under ``.icons/``,
and listing and filtering them was 0.08-0.09 s of each save at 10x, the largest part of MkDocs' own work in a dirty
build. The theme cannot change between a full build and a dirty one (a change to the generator's theme or base
config means a full build, ``serve_dirty.full_build_reason``; Material's files are installed), so a dirty build is
given the list the last full build made, through public interfaces only: the ``on_config`` event, ``Theme.get_env``
and Jinja's loader (``get_source``, ``list_templates``). The names under a folder or file starting with a dot are
left out of the kept list: MkDocs refuses them (``'.*'``, ``'*/.*'``) before it looks at them.

tests/authoring/test_serve_theme.py pins what this relies on in the installed MkDocs: the theme's static files
found with the kept list are the ones found without it.
"""

from __future__ import annotations

import jinja2

_LISTINGS: dict[tuple[str, ...], list[str]] = {}
"""The last full build's list of each theme's files, by its folders (kept for the session)."""


class KeptListing(jinja2.BaseLoader):
    """A theme's loader whose list of files is the one kept (templates are still read through the loader)."""

    def __init__(self, loader: jinja2.BaseLoader, names: list[str]):
        self.loader, self.names = loader, names

    def get_source(self, environment, template):
        return self.loader.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return list(self.names)


def keep_listing(theme, dirty: bool) -> None:
    """In the ``on_config`` event: the environment MkDocs makes from ``theme`` lists the files the last full build
    listed, in a dirty build; a full build lists them afresh and keeps the list."""
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        loader = env.loader
        if not isinstance(loader, jinja2.FileSystemLoader):
            return env  # not the loader MkDocs 1.x makes: list as MkDocs does
        key = tuple(str(folder) for folder in loader.searchpath)
        if not dirty or key not in _LISTINGS:
            _LISTINGS[key] = [name for name in loader.list_templates() if not _hidden(name)]
        env.loader = KeptListing(loader, _LISTINGS[key])
        return env

    theme.get_env = get_env


def _hidden(name: str) -> bool:
    return name.startswith(".") or "/." in name
