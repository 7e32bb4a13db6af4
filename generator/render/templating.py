"""Compiled templates kept for the life of the process.

Every render makes new jinja2 environments (their globals are one project's), and each compiled the
generator's templates again: about 2 s of CPU at each live-preview save at 10× the data (the guides'
template most), and once per policy for the printed PDFs. A bytecode cache keeps the compiled code
between environments. Jinja checks each template's source checksum before using it, so an edited
template is compiled again. The compiled code also depends on the environment's options (autoescape,
trim_blocks, …), which the cache's key does not include: each kind of environment has a cache of its own.
"""

from __future__ import annotations

import jinja2


class MemoryBytecodeCache(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


_CACHES: dict[str, MemoryBytecodeCache] = {}


def compiled_templates(kind: str) -> MemoryBytecodeCache:
    """The cache for one kind of environment: pass the same ``kind`` only for environments made with the same options."""
    return _CACHES.setdefault(kind, MemoryBytecodeCache())
