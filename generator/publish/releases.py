"""Releases in a publishing folder: their names, which is live, the lock, the atomic swap of ``current``, pruning."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from generator.publish.build_check import _files
from generator.publish.layout import CURRENT, LOCK_FILE, PARTIAL_SUFFIX, RELEASES, VERSION_FILE, PublishError, Release

_RELEASE_NAME = re.compile(r"^[0-9]{8}T[0-9]{6}(\.[0-9]{3})?Z-[0-9A-Za-z]+(-[0-9]+)?$")


def release_name(version: dict, now: datetime | None = None) -> str:
    """``<UTC timestamp>-<short git sha>``, e.g. ``20251124T100512.345Z-1a2b3c4``; sorts by publish time."""
    now = now or datetime.now(timezone.utc)
    stamp = now.strftime("%Y%m%dT%H%M%S.") + f"{now.microsecond // 1000:03d}Z"
    sha = re.sub(r"[^0-9A-Za-z]", "", str(version.get("git_sha") or ""))[:7] or "unknown"
    return f"{stamp}-{sha}"


def list_releases(target: Path) -> list[str]:
    """Names of the complete releases under target/releases, oldest first."""
    folder = Path(target) / RELEASES
    if not folder.is_dir():
        return []
    return sorted(entry.name for entry in folder.iterdir()
                  if not entry.name.startswith(".") and entry.is_dir() and not entry.is_symlink())


def current_release(target: Path) -> str | None:
    """Name of the live release (what ``target/current`` points at), or None before the first publish."""
    link = Path(target) / CURRENT
    if not link.is_symlink():
        if link.exists():
            raise PublishError(f"{link} is a real folder or file, not a symlink: move it aside (e.g. to "
                               f"{link}.old) so publish can manage it, and point the web server at {link}")
        return None
    return _release_from_link(os.readlink(link))


def _release_from_link(pointer: str) -> str | None:
    pointer = pointer.rstrip("/")
    parent, _, name = pointer.rpartition("/")
    if not name or Path(parent).name != RELEASES:
        return None
    return name


def read_version(release: Path) -> dict:
    try:
        data = json.loads((Path(release) / VERSION_FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def releases_to_prune(names: list[str], current: str | None, keep: int, replaced: str | None = None) -> list[str]:
    """The releases beyond the newest ``keep``, sparing the live one, the one before it (by name) and
    ``replaced``, the one that was live until now (which differ after a rollback)."""
    names = sorted(names)
    spared = set(names[-max(keep, 1):]) | {replaced}
    if current in names:
        spared.add(current)
        index = names.index(current)
        if index > 0:
            spared.add(names[index - 1])
    return [name for name in names if name not in spared]


def previous_release(names: list[str], current: str | None) -> str | None:
    """The newest release older than the live one: what a rollback returns to by default."""
    names = sorted(names)
    if current not in names:
        return None
    index = names.index(current)
    return names[index - 1] if index > 0 else None


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold target/.publish.lock so two publishes or rollbacks never run at once on one folder."""
    target.mkdir(parents=True, exist_ok=True)
    handle = open(target / LOCK_FILE, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.EACCES):
                raise PublishError(f"Another publish or rollback is running on {target} "
                                   f"(it holds {target / LOCK_FILE}); try again when it has finished") from None
            raise
        yield
    finally:
        handle.close()



def _clean_leftovers(target: Path) -> None:
    """Remove what an interrupted publish left: partial release folders and temporary symlinks."""
    releases = target / RELEASES
    if releases.is_dir():
        for entry in releases.iterdir():
            if entry.name.startswith(".") and entry.name.endswith(PARTIAL_SUFFIX):
                shutil.rmtree(entry, ignore_errors=True)
    for entry in target.iterdir():
        if entry.name.startswith(f".{CURRENT}.tmp"):
            entry.unlink(missing_ok=True)


def _point_current(target: Path, name: str) -> None:
    """Atomically make target/current point at releases/<name> (relative, so the folder can move)."""
    temporary = target / f".{CURRENT}.tmp.{os.getpid()}"
    temporary.unlink(missing_ok=True)
    os.symlink(f"{RELEASES}/{name}", temporary)
    os.replace(temporary, target / CURRENT)
    _fsync_dir(target)


def _fsync_dir(path: Path) -> None:
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _fsync_tree(root: Path) -> None:
    for _, path in _files(root):
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
    for directory, _, _ in os.walk(root):
        _fsync_dir(Path(directory))


def _bump(name: str) -> str:
    """The next free name for a release published in the same millisecond: ...-1a2b3c4-2, -3, ..."""
    match = re.match(r"^(.*Z-[0-9A-Za-z]+)-([0-9]+)$", name)
    return f"{match[1]}-{int(match[2]) + 1}" if match else f"{name}-2"


def _prune(target: Path, keep: int, replaced: str | None) -> list[str]:
    names = list_releases(target)
    doomed = releases_to_prune(names, current_release(target), keep, replaced)
    for name in doomed:
        # Renamed first so that a half-deleted release never looks like a complete one.
        trash = target / RELEASES / f".{name}.deleting{PARTIAL_SUFFIX}"
        os.rename(target / RELEASES / name, trash)
        shutil.rmtree(trash, ignore_errors=True)
    return doomed


def describe_releases(target: Path) -> list[tuple[Release, bool]]:
    """Every release with its version.json, oldest first, and whether it is live."""
    target = Path(target)
    live = current_release(target)
    return [(Release(name, target / RELEASES / name, read_version(target / RELEASES / name)), name == live)
            for name in list_releases(target)]
