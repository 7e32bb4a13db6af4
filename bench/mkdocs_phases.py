"""A MkDocs hook that timestamps the build's phases, for bench/sizes.py (never used by the real build).

bench/sizes.py adds it to a copy of a generated site's config (``hooks: [this file]``) and reads
the JSON it writes to $BENCH_PHASES_OUT at the end of the build. Hooks run after the plugins
for each event, so a page's "markdown" time is Markdown conversion plus the plugins'
on_page_content, and its "template" time is the Jinja render (navigation included) plus the
plugins' on_post_page. Times are wall-clock (time.time), comparable with the parent's clock.
"""

from __future__ import annotations

import json
import os
import time

_T: dict[str, float] = {"hook_loaded": time.time()}
_PAGE: dict[str, float] = {}
_SUM = {"markdown": 0.0, "template": 0.0}
_COUNT = {"pages": 0}


def _mark(name: str, first: bool = True) -> None:
    if first and name in _T:
        return
    _T[name] = time.time()


def on_config(config, **kwargs):
    _mark("config")


def on_files(files, **kwargs):
    _mark("files")


def on_nav(nav, **kwargs):
    _mark("nav")


def on_pre_page(page, **kwargs):
    _mark("first_pre_page")


def on_page_markdown(markdown, page, **kwargs):
    _PAGE[page.file.src_uri] = time.time()


def on_page_content(html, page, **kwargs):
    _SUM["markdown"] += time.time() - _PAGE.pop(page.file.src_uri, time.time())
    _mark("last_page_content", first=False)


def on_env(env, **kwargs):
    _mark("env")


def on_page_context(context, page, **kwargs):
    _PAGE[page.file.src_uri] = time.time()
    _mark("first_page_context")


def on_post_page(output, page, **kwargs):
    _SUM["template"] += time.time() - _PAGE.pop(page.file.src_uri, time.time())
    _COUNT["pages"] += 1
    _mark("last_post_page", first=False)


def on_post_build(config, **kwargs):
    _mark("post_build")
    out = os.environ.get("BENCH_PHASES_OUT")
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            json.dump({"marks": _T, "sums": _SUM, "pages": _COUNT["pages"]}, handle)
