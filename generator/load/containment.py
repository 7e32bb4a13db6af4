"""Every folder the tool reads stays inside the repository (issue 23): a trust's shared folder and each school's
folder, checked after symbolic links are resolved.

Data files themselves are opened without following a link (load.read_text refuses one, E107); what this adds is
the folders above them, which a path such as ``shared: /etc/school`` or ``../other-repo``, or a folder that is a
symbolic link to elsewhere, would lead out of the repository, so that another folder's files were read (and
published on the parents' site) as if they were the school's.
"""

from __future__ import annotations

import os
from pathlib import Path

OUTSIDE_HINT = ("write a folder inside the repository, relative to trust.yml; replace a symbolic link with the "
                "folder itself")


def leaves(path: Path, repository: Path) -> str | None:
    """None when ``path`` is inside ``repository`` once links are resolved; else how it leaves: 'is outside the
    repository' (written so: an absolute path elsewhere, or '..' above it) or 'leads out of the repository through a
    symbolic link'."""
    repository = Path(os.path.abspath(repository))
    written = Path(os.path.normpath(os.path.abspath(path)))
    if not written.is_relative_to(repository):
        return "is outside the repository"
    if not path.resolve().is_relative_to(repository.resolve()):
        return "leads out of the repository through a symbolic link"
    return None


def trust_left_behind(school: Path, trust_file: str) -> Path | None:
    """The trust.yml of the repository that ``school``'s folder is in as written, when the folder leads out of
    that repository through a symbolic link (so the trust, found from where the folder really is, is not found)."""
    written = Path(os.path.normpath(os.path.abspath(school)))
    for folder in (written, *written.parents):
        if (folder / trust_file).is_file():
            return folder / trust_file if leaves(written, folder) else None
    return None
