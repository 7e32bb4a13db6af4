"""Putting a built site in place in one atomic step, so the live folder is always a whole build (old or new),
and removing what a killed build left behind (its staging folder, its half-made copies)."""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
from pathlib import Path


def _staging_prefix(output: Path) -> str:
    return f".{output.name}-staging-"


def remove_stale_staging(output: Path) -> None:
    """Staging folders left by a build that was killed (its process is gone) are removed."""
    for folder in output.parent.glob(_staging_prefix(output) + "*"):
        _remove_if_left_by_dead_build(folder, folder.name.removeprefix(_staging_prefix(output)).split("-", 1)[0])


def _remove_if_left_by_dead_build(folder: Path, pid: str) -> None:
    """Remove a folder a build made for itself (named with its process id) once that process is gone."""
    if folder.is_dir() and not folder.is_symlink() and not (pid.isdigit() and _alive(int(pid))):
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # an earlier build of this same process, which has finished with it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _renameat2():
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # pragma: no cover - not glibc 2.28+ on Linux
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


def exchange(a: Path, b: Path) -> None:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE)."""
    function = _renameat2()
    if function is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    if function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a))


def swap(new: Path, target: Path) -> None:
    """Put new at target so that target is, at every instant, a complete build (old or new).

    An existing target is exchanged with new in one atomic step; the old build, now at new's
    path (inside the staging folder), is removed afterwards. Where the exchange is not
    available (not Linux), the old two-rename swap is used, with the old copy kept until
    the new one is in place.
    """
    if not target.exists() and not target.is_symlink():
        os.rename(new, target)
        return
    try:
        exchange(new, target)
    except OSError as error:
        if error.errno not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise
        old = target.with_name(f".{target.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(target, old)
        os.rename(new, target)
        shutil.rmtree(old, ignore_errors=True)
        return
    shutil.rmtree(new, ignore_errors=True)
