"""How a rendered site holds its files until the build writes them (issue 30: peak memory at 55×).

A 55× project's two sites are tens of megabytes of Markdown and guides' steps, and its policies' PDFs as many
again; the build holds both sites from the render until the last site is swapped into place. Each mapping here
behaves as the plain dict it replaces (same keys, same order, the same ``str`` or ``bytes`` for each), so every
reader (writing the sources, the keys, the gate, the tests) is unchanged:

- :class:`PackedTexts`: each text kept zlib-compressed (Markdown and HTML shrink about fivefold), unpacked each
  time it is read. Compressed rather than written early and read back: the build checks, after mkdocs, that the
  folder still holds what it wrote (``sources_as_written``), which needs what was rendered, not what is on disk.
- :class:`SiteFiles`: a binary file is held as its bytes or, for a file already on disk that no one else
  changes while the build runs (a policy's PDF in the PDF cache, named by the hash of its HTML), as its path,
  read when asked for.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, MutableMapping
from pathlib import Path

_LEVEL = 1
"""zlib's fastest level: Markdown and HTML still shrink about fivefold, at a small part of rendering's cost."""


class _HeldFiles(MutableMapping):
    """What both mappings share: their values held in a dict, in the order they were given; each says how a value is
    held (``_hold``) and given back (``_give``)."""

    def __init__(self, items: Iterable[tuple] = ()):
        self._held: dict = {}
        self.update(items)

    def __getitem__(self, key: str):
        return self._give(self._held[key])

    def __setitem__(self, key: str, value) -> None:
        self._held[key] = self._hold(key, value)

    def __delitem__(self, key: str) -> None:
        del self._held[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._held)

    def __len__(self) -> int:
        return len(self._held)

    def __contains__(self, key: object) -> bool:
        return key in self._held

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self._held)})"


class PackedTexts(_HeldFiles, MutableMapping[str, str]):
    """A dict of path -> text whose texts are kept compressed."""

    def _hold(self, key: str, text: str) -> bytes:
        if not isinstance(text, str):
            raise TypeError(f"{key}: a text, not {type(text).__name__}")
        return zlib.compress(text.encode("utf-8"), _LEVEL)

    def _give(self, packed: bytes) -> str:
        return zlib.decompress(packed).decode("utf-8")


class SiteFiles(_HeldFiles, MutableMapping[str, bytes]):
    """A dict of path -> bytes whose values may be given as a file's path, read when asked for."""

    def _hold(self, key: str, value: bytes | Path) -> bytes | Path:
        if not isinstance(value, (bytes, Path)):
            raise TypeError(f"{key}: bytes or a path, not {type(value).__name__}")
        return value

    def _give(self, value: bytes | Path) -> bytes:
        return value.read_bytes() if isinstance(value, Path) else value
