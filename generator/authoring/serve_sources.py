"""The live preview's writing of each site's sources: only what changed, found without reading the files back.

``generator build`` writes a site's folder with ``mkdocs_build.write_sources``, which reads every file back to see
whether it changed: at 10x (about 400 files) that was 0.06-0.09 s of each save, and MkDocs' dirty build then needed
two listings of the folder (each file's time and size, before and after) to know what the save changed. ``serve``
writes the folder itself, so it knows: :class:`SourcesWriter` keeps a digest of each file it wrote, by path, writes
a file only when its digest changed and removes what a regeneration no longer has, and tells the dirty build which
files it added, changed or removed (:class:`Written`).

The first write to a folder (the session's first regeneration, or one after a write that failed part-way) compares
with what is on disk, as ``write_sources`` does: the folder may hold an earlier session's files. Nothing else
writes there while ``serve`` runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.mkdocs_build import _source_files
from generator.render.renderer import RenderedSite


@dataclass
class Written:
    """What one write did to a site's folder (paths relative to it)."""

    added: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)

    @property
    def touched(self) -> set[str]:
        return self.added | self.changed | self.removed


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


class SourcesWriter:
    """``write_sources`` for one process that is the only writer of its folders (serve)."""

    def __init__(self):
        self._digests: dict[Path, dict[str, bytes]] = {}
        self.last: dict[Path, Written | None] = {}
        """What the last write to each folder did (None: it failed part-way, so what the folder holds is not known);
        a folder is taken out by :meth:`forget_last` (a save that wrote nothing leaves none)."""

    def forget_last(self) -> None:
        """Before a regeneration: what the last one wrote is no longer news."""
        self.last = {}

    def __call__(self, rendered: RenderedSite, site_dir: Path) -> bool:
        """Write one site's folder; return whether anything changed (as ``write_sources``)."""
        site_dir = Path(site_dir).resolve()
        known = self._digests.pop(site_dir, None)  # put back only when the whole write has gone through
        self.last[site_dir] = None  # unknown until it has
        written, now = Written(), {}
        for relative, data in _source_files(rendered):
            now[relative] = digest = _digest(data)
            path = site_dir / relative
            if known is not None:
                if known.get(relative) == digest:
                    continue
                existed = relative in known
            else:  # the folder's first write: what is on disk decides
                if path.is_file() and path.read_bytes() == data:
                    continue
                existed = path.exists()
            (written.changed if existed else written.added).add(relative)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        stale = (set(known) - set(now) if known is not None else
                 {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()} - set(now))
        for relative in sorted(stale):
            (site_dir / relative).unlink(missing_ok=True)
            written.removed.add(relative)
            _remove_empty_parents(site_dir / relative, site_dir)
        self._digests[site_dir] = now
        self.last[site_dir] = written
        return bool(written.touched)


def _remove_empty_parents(path: Path, top: Path) -> None:
    folder = path.parent
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
