"""Live preview: ``python -m generator serve [--site staff|parents] [--dev-addr HOST:PORT]``.

Generates one site's Markdown into ``<work_dir>/<site>/`` and runs MkDocs' own development
server on it. MkDocs watches the project's data files, hand-written pages, templates and
theme as well; on a change it rebuilds, and the hook ``serve_hook.py`` (added to the config
only here, never to a real build) first regenerates the Markdown from the data. A data file
with errors prints them in the terminal, shows them at the top of every page, and the
previous pages stay in place until the errors are fixed.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import date
from pathlib import Path

from generator import pipeline
from generator.authoring.serve_cache import SessionCache
from generator.authoring.serve_dirty import PreviewState
from generator.authoring.serve_sources import SourcesWriter
from generator.authoring.settle import settle
from generator.render.guide_cache import GuideCache
from generator.render.templating import compiled_templates

HOOK = Path(__file__).resolve().parent.parent / "authoring" / "serve_hook.py"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# How serve() tells the hook what to regenerate (the hook runs inside MkDocs, in this process).
ENV_PROJECT = "POLICY_SERVE_PROJECT"
ENV_WORK_DIR = "POLICY_SERVE_WORK_DIR"
ENV_TODAY = "POLICY_SERVE_TODAY"


BYTECODE_CACHE = compiled_templates("mkdocs-theme")
"""MkDocs makes a new theme environment for every rebuild; serve_hook gives it this cache (MkDocs
re-executes the hook at each rebuild, so it cannot keep it itself)."""

PROBLEMS: list[str] = []
"""The errors of the last regeneration; serve_hook shows them at the top of every page until fixed."""

CACHE = SessionCache()
"""Each data file's parse and its check against its model, kept in memory for the session (issue 30): a save
parses and checks again only the files that changed; what the last two saves did not ask for is dropped."""

PREVIEW = PreviewState()
"""What the rebuilds keep between saves: whether the dirty build is safe, and what it needs (serve_dirty.py)."""

SOURCES = SourcesWriter()
"""Writes the sites' sources, keeping a digest of each file written: a save writes, and the dirty build reads, only
what changed (serve_sources.py)."""

GUIDES = GuideCache()
"""Each guide's rendered output, kept while nothing it reads changes (render/guide_cache.py): a save renders again
only the guides it touches."""


def watched_paths(project_root: Path) -> list[Path]:
    """What an author may edit: the data, the hand-written pages, and the generator's templates and theme."""
    candidates = [project_root / name for name in ("school.yml", "glossary.yml", "sources.yml", "policies", "decision_trees", "docs",
                                                   "mkdocs.yml", "assets")]
    candidates += [TEMPLATES, pipeline.THEME_DIR, pipeline.BASE_CONFIG]
    seen, paths = set(), []
    for path in candidates:
        resolved = path.resolve()
        if resolved.exists() and resolved not in seen:
            seen.add(resolved)
            paths.append(resolved)
    return paths


def _print(diagnostics) -> None:
    errors = [d for d in diagnostics if d.is_error]
    for diagnostic in errors + [d for d in diagnostics if not d.is_error]:
        print(diagnostic, file=sys.stderr)


def _parse_addr(dev_addr: str) -> tuple[str, int] | None:
    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        return None
    return host, int(port)


def serve(project_root: Path, work_dir: Path, site: str, dev_addr: str, today: date) -> int:
    """Run the development server until interrupted; return the exit code."""
    project_root, work_dir = Path(project_root).resolve(), Path(work_dir).resolve()
    if _parse_addr(dev_addr) is None:
        print(f"--dev-addr '{dev_addr}' is not HOST:PORT, e.g. 127.0.0.1:8000", file=sys.stderr)
        return 2
    result = pipeline.generate(project_root, work_dir, today, preview=True, cache=CACHE, guide_cache=GUIDES,
                               write=SOURCES)
    CACHE.drop_unasked()
    _print(result.diagnostics)
    PROBLEMS[:] = [str(d) for d in result.diagnostics if d.is_error]
    config_file = work_dir / site / "mkdocs.yml"
    if not result.ok:
        if not config_file.is_file():
            print("Fix the errors above, then run serve again: there is no earlier version to show.", file=sys.stderr)
            return 1
        print("Serving the last version that had no errors; fix the errors above and save to see your changes.",
              file=sys.stderr)

    os.environ[ENV_PROJECT] = str(project_root)
    os.environ[ENV_WORK_DIR] = str(work_dir)
    os.environ[ENV_TODAY] = today.isoformat()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    settle()  # the caches are filled: out of the cycle collector's scans (authoring/settle.py)

    _log_like_mkdocs()
    # The config's relative paths (docs/, includes/ for snippets) are relative to the site's folder,
    # as in `generator build`.
    os.chdir(config_file.parent)
    try:
        mkdocs_serve(
            config_file=str(config_file),
            livereload=True,
            watch=[str(path) for path in watched_paths(project_root)],
            dev_addr=dev_addr,
            # A broken link while editing should be a warning in the terminal, not a dead server.
            strict=False,
            hooks=[str(HOOK)],
        )
    except MkDocsException as error:
        print(f"mkdocs: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # e.g. the port is in use
        print(f"Cannot serve on {dev_addr}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0


def _log_like_mkdocs() -> None:
    """MkDocs' CLI sets up its log output; called as a library it has to be done here."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
