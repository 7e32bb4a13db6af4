"""Per-file results kept between runs (issue 30): a file read and parsed once is not parsed again while its bytes,
its name and the tool's code stay the same.

A :class:`ResultCache` holds JSON texts by key, in memory (``serve`` and the editor keep one for the whole session)
and, when given a folder, on disk as well (``check`` keeps one under the work folder, ``build/check-cache/``).
On disk values are JSON, never pickles: a file under build/ that someone else wrote can at worst be a wrong
answer, never code that runs (keep the work folder as private as the build folder, PUBLISHING.md). Every hit is decoded afresh, so a later stage that changes what it was
given (the trust's policies get the school's name, shared step groups are put in place) cannot change what the
cache holds.

What a key must cover is the whole of what the result depends on; leaving anything out gives a stale result
(tests/checks/test_incremental_check.py edits a project at random and compares every result with a clean run).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.load.diagnostics import Diagnostic, Severity
from generator.load.source import Source

PACKAGE = Path(__file__).resolve().parent.parent
_LIBRARIES = ("PyYAML", "pydantic", "pydantic-core", "Markdown", "pymdown-extensions")
"""The packages whose behaviour a file's parse or per-file check depends on."""


def _tool_version() -> str:
    """A hash of the generator's Python code and the versions of the libraries it parses and checks with."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}=={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} absent\0".encode())
    return digest.hexdigest()


TOOL_VERSION = _tool_version()


def key_of(*parts: str | bytes) -> str:
    """One key for these parts and the tool's version (each part delimited, so no two lists collide)."""
    digest = hashlib.sha256(TOOL_VERSION.encode())
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        digest.update(f"\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


class ResultCache:
    """Values by key: in memory, and under ``folder`` too when one is given (missing or unwritable: memory only).

    In memory a value is kept pickled (it never leaves the process, and unpickling is several times quicker than
    decoding JSON); on disk it is JSON. Either way every ``get`` gives back new objects."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder
        self._memory: dict[str, bytes] = {}
        self._shared: dict[str, Any] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Any | None:
        kept = self._memory.get(key)
        if kept is not None:
            self.hits += 1
            return pickle.loads(kept)
        value = self._read(key) if self.folder is not None else None
        if value is None:
            self.misses += 1
            return None
        self._memory[key] = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        self.hits += 1
        return value

    def shared(self, key: str) -> Any | None:
        """What :meth:`share` keeps under ``key`` (the object itself: this process only)."""
        return self._shared.get(key)

    def share(self, key: str, value: Any) -> None:
        """Keep ``value`` itself, for callers that only read it (a Source's positions: never changed once read)."""
        self._shared[key] = value

    def _read(self, key: str) -> Any | None:
        try:
            return json.loads((self.folder / key[:2] / key).read_text(encoding="utf-8"))
        except (OSError, ValueError):  # absent, unreadable, or not whole: as if never kept
            return None

    def put(self, key: str, value: Any) -> None:
        self._memory[key] = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        if self.folder is None:
            return
        path = self.folder / key[:2] / key
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            staging = path.with_name(f".{key}.{os.getpid()}.tmp")
            staging.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            staging.replace(path)  # whole or not at all, even with two checks at once
        except OSError:
            pass  # a read-only work folder: the cache stays in memory


def diagnostic_json(diagnostic: Diagnostic) -> list:
    return [diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.code, diagnostic.message,
            diagnostic.severity.value, diagnostic.hint]


def diagnostic_from(value: list) -> Diagnostic:
    path, line, column, code, message, severity, hint = value
    return Diagnostic(path, line, column, code, message, Severity(severity), hint)


def source_json(source: Source) -> dict:
    """Everything a Source holds but its path (which the key and the caller know), as JSON.

    A data file's values are only text, None, lists and mappings with text keys (the YAML reader makes nothing
    else), so they come back from JSON exactly; positions' value paths become lists and are made tuples again."""
    return {"display": source.display, "data": source.data, "text": source.text,
            "positions": [[list(loc), list(position)] for loc, position in source.positions.items()],
            "quoted": sorted((list(loc) for loc in source.quoted), key=json.dumps),  # a set: kept in one order
            "warnings": [diagnostic_json(d) for d in source.warnings]}


def source_from(value: dict, path: Path) -> Source:
    return Source(path, value["display"], value["data"],
                  {tuple(loc): (position[0], position[1]) for loc, position in value["positions"]},
                  {tuple(loc) for loc in value["quoted"]},
                  [diagnostic_from(d) for d in value["warnings"]], value["text"])
