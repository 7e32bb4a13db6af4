"""MkDocs hook used only by ``python -m generator serve``: regenerate the Markdown before each rebuild.

MkDocs loads this file by path (``hooks:`` in the config that serve passes), so it imports
the generator as a package. A real build never loads it: ``generator build`` writes the
Markdown itself.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

_CODE_ROOT = Path(__file__).resolve().parent.parent
if str(_CODE_ROOT) not in sys.path:
    sys.path.insert(0, str(_CODE_ROOT))

import jinja2  # noqa: E402

from generator import pipeline  # noqa: E402
from generator.serve import ENV_PROJECT, ENV_TODAY, ENV_WORK_DIR  # noqa: E402


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """MkDocs makes a new theme environment for every rebuild; keeping the compiled theme
    templates between rebuilds saves ~0.4 s a rebuild (a changed template has a new checksum)."""

    def __init__(self):
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


_bytecode_cache = _MemoryBytecodeCache()

_problems: list[str] = []
"""The errors of the last regeneration; shown at the top of every page until fixed."""


def on_pre_build(config, **kwargs) -> None:
    project, work_dir, today = os.environ.get(ENV_PROJECT), os.environ.get(ENV_WORK_DIR), os.environ.get(ENV_TODAY)
    if not (project and work_dir and today):
        return
    try:
        result = pipeline.generate(Path(project), Path(work_dir), date.fromisoformat(today), preview=True)
    except Exception as error:  # noqa: BLE001 - keep the server up; the message says what happened
        _problems[:] = [f"internal error: {type(error).__name__}: {error}"]
        print(_problems[0], file=sys.stderr)
        return
    errors = [str(d) for d in result.diagnostics if d.is_error]
    _problems[:] = errors
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"{len(errors)} error(s): showing the last version without errors; fix them and save.",
              file=sys.stderr)


def on_env(env, **kwargs):
    env.bytecode_cache = _bytecode_cache
    return env


def on_page_markdown(markdown: str, **kwargs) -> str:
    if not _problems:
        return markdown
    # An indented code block inside the admonition: Markdown escapes it, whatever the message quotes.
    shown = "\n".join("        " + problem for problem in _problems[:20])
    banner = ('!!! failure "The data files have errors: this preview shows the last version without errors"\n\n'
              + shown + "\n\n")
    return banner + markdown
