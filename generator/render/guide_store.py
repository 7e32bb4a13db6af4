"""Guides' rendered outputs kept on disk between builds (issue 30): ``generator build`` is a new process each time,
so without them a one-guide edit at 55× rendered all 880 guides again.

The entries are those of ``guide_cache.GuideCache`` under the same keys (a pure function of the project and the
tool: see guide_cache.py), written as JSON, never pickles: a file under the work folder that someone else wrote can at
worst be a wrong page, never code that runs (keep the work folder as private as the build folder, PUBLISHING.md).
Only the entries of the last render are kept: the others are removed when it ends (``prune``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from generator.render.guide_cache import ALL_CONTACTS, GuideOutput

_ALL = "\0all"
"""How the render having read every contact (``ALL_CONTACTS``) is written (no contact's key holds a NUL)."""


def _as_json(output: GuideOutput) -> dict:
    return {"steps": output.steps, "markdown": output.markdown, "entries": output.entries,
            "published": {kind: sorted(items) for kind, items in output.published.items()},
            "contacts_read": sorted(_ALL if key is ALL_CONTACTS else key for key in output.contacts_read),
            "contacts": output.contacts}


def _from_json(value: dict) -> GuideOutput:
    return GuideOutput(value["steps"], value["markdown"], value["entries"],
                       {kind: set(items) for kind, items in value["published"].items()},
                       frozenset(ALL_CONTACTS if key == _ALL else key for key in value["contacts_read"]),
                       value["contacts"])


class GuideStore:
    """One JSON file per entry in ``folder`` (missing or unwritable: nothing is kept, the render still works).
    ``read``: False to render everything again (``build --force``) and only write what was rendered."""

    def __init__(self, folder: Path, read: bool = True):
        self.folder = folder
        self.reads = read

    def read(self, key: str) -> GuideOutput | None:
        if not self.reads:
            return None
        try:
            return _from_json(json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):  # absent, unreadable or not whole: as if never kept
            return None

    def write(self, key: str, output: GuideOutput) -> None:
        path = self.folder / f"{key}.json"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            staging = path.with_name(f".{key}.{os.getpid()}.tmp")
            staging.write_text(json.dumps(_as_json(output), ensure_ascii=False, separators=(",", ":")),
                               encoding="utf-8")
            staging.replace(path)  # whole or not at all
        except OSError:
            pass

    def prune(self, used: set[str]) -> None:
        """Remove the entries the last render did not use (a guide changed since, a guide removed)."""
        try:
            kept = list(self.folder.glob("*.json"))
        except OSError:
            return
        for path in kept:
            if path.stem not in used:
                path.unlink(missing_ok=True)
