"""MkDocs hook used only by ``python -m generator serve``: regenerate the Markdown, then rebuild once.

MkDocs loads this file by path (``hooks:`` in the config that serve passes), so it imports
the generator as a package. A real build never loads it: ``generator build`` writes the
Markdown itself.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import date
from pathlib import Path

_CODE_ROOT = Path(__file__).resolve().parent.parent.parent
if str(_CODE_ROOT) not in sys.path:
    sys.path.insert(0, str(_CODE_ROOT))

from generator import pipeline  # noqa: E402
from generator.authoring import serve, serve_dirty, serve_theme  # noqa: E402
from generator.authoring.serve_sources import Written  # noqa: E402
from generator.authoring.settle import settle_once  # noqa: E402
from generator.build.mkdocs_build import finish_site, read_includes  # noqa: E402
from generator.authoring.serve import ENV_PROJECT, ENV_TODAY, ENV_WORK_DIR  # noqa: E402

# MkDocs executes this file afresh at every config load (each rebuild), so what must outlive a
# rebuild (the last errors, the compiled theme templates) lives in generator.authoring.serve.


def regenerate() -> None:
    """Write the Markdown and config from the data; on errors keep the last good files and remember them."""
    project, work_dir, today = os.environ.get(ENV_PROJECT), os.environ.get(ENV_WORK_DIR), os.environ.get(ENV_TODAY)
    if not (project and work_dir and today):
        return
    try:
        result = pipeline.generate(Path(project), Path(work_dir), date.fromisoformat(today), preview=True,
                                   cache=serve.CACHE, guide_cache=serve.GUIDES, write=serve.SOURCES)
    except Exception as error:  # noqa: BLE001 - keep the server up; the message says what happened
        serve.PROBLEMS[:] = [f"internal error: {type(error).__name__}: {error}"]
        print(serve.PROBLEMS[0], file=sys.stderr)
        return
    finally:
        serve.CACHE.drop_unasked()
    errors = [str(d) for d in result.diagnostics if d.is_error]
    serve.PROBLEMS[:] = errors
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"{len(errors)} error(s): showing the last version without errors; fix them and save.",
              file=sys.stderr)


def on_serve(server, config, builder, **kwargs):
    """One rebuild per save: regenerate the sources first, then build once with a freshly loaded config.

    Regenerating inside the build (on_pre_build) came too late for the config, which MkDocs had
    already read, and the files it rewrote under the watched docs/ and mkdocs.yml triggered a
    second, full rebuild. Those two are generated here, so they are not watched: the data,
    hand-written pages, templates and theme are (serve.watched_paths), and a change to any of
    them runs this builder. The build is MkDocs' dirty one when only guides changed (serve_dirty.py).
    """
    server.unwatch(config.docs_dir)
    if config.config_file_path:
        server.unwatch(config.config_file_path)
    build = server.builder
    state, site_folder = serve.PREVIEW, Path(config.config_file_path).parent
    theme_paths = [pipeline.THEME_DIR, pipeline.BASE_CONFIG]
    state.theme = serve_dirty.fingerprint(theme_paths)
    serve_url, site_dir = config.site_url, config.site_dir
    dev_addr = f"{config.dev_addr.host}:{config.dev_addr.port}"

    def regenerate_then_build():
        # At the first save, the first build's garbage is collected and what the session keeps frozen: freezing
        # only before MkDocs' first build left its state scanned (0.13-0.18 s at a save with a full collection at
        # 10x, 0.04-0.10 s frozen here; authoring/settle.py).
        settle_once()
        problems = list(serve.PROBLEMS)
        serve.SOURCES.forget_last()
        regenerate()
        theme = serve_dirty.fingerprint(theme_paths)
        # What the regeneration wrote to this site's folder: nothing when it stopped at an error.
        written = serve.SOURCES.last.get(site_folder.resolve(), Written())
        reason = serve_dirty.full_build_reason(state.built, written, problems != serve.PROBLEMS, theme != state.theme)
        state.changed = set() if written is None else written.added | written.changed
        state.theme = theme
        if reason is not None:
            logging.getLogger("mkdocs").info("Rebuilding the whole site: %s", reason)
            build()
            return
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config

        dirty_config = load_config(config_file=config.config_file_path, site_dir=site_dir, dev_addr=dev_addr,
                                   strict=False, hooks=[str(serve.HOOK)])
        dirty_config.site_url = serve_url
        state.dirty = True
        try:
            mkdocs_build(dirty_config, serve_url=serve_url, dirty=True)
        finally:
            state.dirty = False

    server.builder = regenerate_then_build
    return server


def on_config(config, **kwargs):
    serve_theme.keep_listing(config.theme, dirty=serve.PREVIEW.dirty)  # a dirty build lists no theme files
    return config


def on_pre_build(config, **kwargs):
    serve.PREVIEW.built = False  # until this build ends well, the next one is a full one
    serve.PREVIEW.rebuilt = set()


def on_post_page(output, page, **kwargs):
    serve.PREVIEW.rebuilt.add(page.url)
    return output


def on_post_build(config, **kwargs):
    """The guides' steps and search entries, put in as ``generator build`` does (after mkdocs)."""
    site_dir = Path(config.site_dir)
    includes = read_includes(Path(config.config_file_path).parent / "includes")
    finish_site(site_dir, serve_dirty.keep_or_restore(serve.PREVIEW, site_dir, includes))
    serve.PREVIEW.built = True


def on_env(env, files, **kwargs):
    serve_dirty.keep_titles(serve.PREVIEW, files)
    env.bytecode_cache = serve.BYTECODE_CACHE
    return env


def on_page_markdown(markdown: str, **kwargs) -> str:
    if not serve.PROBLEMS:
        return markdown
    # An indented code block inside the admonition: Markdown escapes it, whatever the message quotes.
    shown = "\n".join("        " + problem for problem in serve.PROBLEMS[:20])
    banner = ('!!! failure "The data files have errors: this preview shows the last version without errors"\n\n'
              + shown + "\n\n")
    return banner + markdown
