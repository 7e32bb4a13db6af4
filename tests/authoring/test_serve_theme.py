"""The live preview's dirty build is given the theme's list of files the last full build made
(authoring/serve_theme.py). This pins what that relies on in the installed MkDocs and Material: the theme's static
files a build finds with the kept list are the ones it finds listing the theme itself, and a dirty build does not
list the theme's folders again.

Bugs they exist to catch: the kept list leaving out a file MkDocs copies (planted: the source maps, *.map, left
out -> red), a
dirty build listing the theme again (planted: the kept list ignored -> red), and a later MkDocs listing the theme
some other way, or finding its static files by other rules, which the first test shows as a difference.
"""

from __future__ import annotations

import shutil

from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from support import TODAY, WEXHAM

from generator import pipeline
from generator.authoring import serve_theme


def _config(tmp_path):
    project, work = tmp_path / "school", tmp_path / "work"
    shutil.copytree(WEXHAM, project, ignore=shutil.ignore_patterns("site", "build"))
    assert pipeline.generate(project, work, TODAY, preview=True).ok
    return load_config(config_file=str(work / "staff" / "mkdocs.yml"), site_dir=str(tmp_path / "site"))


def _theme_files(config) -> list[str]:
    files = get_files(config)
    before = {file.src_uri for file in files}
    files.add_files_from_theme(config.theme.get_env(), config)  # as mkdocs.commands.build.build does
    return sorted(file.src_uri for file in files if file.src_uri not in before)


def test_the_kept_list_finds_the_theme_files_mkdocs_finds_itself(tmp_path, monkeypatch):
    monkeypatch.setattr(serve_theme, "_LISTINGS", {})
    config = _config(tmp_path)
    theirs = _theme_files(config)
    assert len(theirs) > 20 and any(name.endswith(".min.js") for name in theirs), theirs  # Material's own files
    serve_theme.keep_listing(config.theme, dirty=False)  # a full build: lists and keeps
    assert _theme_files(config) == theirs
    serve_theme.keep_listing(config.theme, dirty=True)  # a dirty one: the kept list
    assert _theme_files(config) == theirs


def test_a_dirty_build_does_not_list_the_theme_again(tmp_path, monkeypatch):
    monkeypatch.setattr(serve_theme, "_LISTINGS", {})
    config = _config(tmp_path)
    serve_theme.keep_listing(config.theme, dirty=False)
    config.theme.get_env()  # the full build's listing
    listed = []
    real = serve_theme.jinja2.FileSystemLoader.list_templates
    monkeypatch.setattr(serve_theme.jinja2.FileSystemLoader, "list_templates",
                        lambda self: listed.append(1) or real(self))
    for dirty in (True, True):
        theme = load_config(config_file=config.config_file_path, site_dir=config.site_dir).theme  # each build's own
        serve_theme.keep_listing(theme, dirty=dirty)
        assert len(theme.get_env().list_templates()) > 100
    assert listed == []
    serve_theme.keep_listing(config.theme, dirty=False)
    config.theme.get_env()
    assert listed == [1]  # a full build lists afresh
