"""What a build made, file by file: ``build-manifest.json``, written by ``build`` once the gate passed, checked by
``publish`` before anything is copied (issue 23).

A built folder can change between the build and the publish: a CI artifact downloaded and edited, a page
"fixed" by hand, a file dropped in beside the pages, a symlink to ``/etc/passwd``. ``publish`` takes only
what the build made: every file listed with its SHA-256, regular files only (no symlink, device, fifo or socket
is ever followed or read), nothing added, nothing missing. The manifest sits in the folder it describes, so
someone who can edit the folder can rewrite it too: that is why ``publish`` also runs the gate again on the copy
it publishes (:mod:`generator.publish.publish_gate`). The manifest catches the careless edit and names the file; the
gate catches the hostile one whatever the manifest says.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

BUILD_MANIFEST = "build-manifest.json"
ALLOW_HTTP = "gate_allows_http_links"
"""The gate's option the build ran with: links to http:// addresses allowed (they are followed only when clicked)."""
# Written by publish into a release, never by build: a build folder holding them is not one build made.
_PUBLISH_FILES = ("manifest.json", "SHA256SUMS")
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_KINDS = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a named pipe (fifo)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def write_site_manifest(site_dir: Path, allow_http: bool = False) -> None:
    """Record every file of a built site (all of them regular files: the build made them) with its SHA-256, and
    the gate's one option (school.yml's allow_http_links), so that publish runs the same gate again."""
    files = {relative: _sha256_of(path) for relative, path, _ in _entries(site_dir) if relative != BUILD_MANIFEST}
    document = {"about": "every file this build made, with its SHA-256; publish refuses a folder that differs",
                ALLOW_HTTP: allow_http, "files": files}
    (site_dir / BUILD_MANIFEST).write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


def refresh_manifest_entry(site_dir: Path, relative: str, old_digest: str) -> None:
    """After the build itself rewrote one file (version.json): record its new hash, only if the manifest held the
    old one (a folder edited since the build stays refused, rather than being vouched for now)."""
    path = site_dir / BUILD_MANIFEST
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document["files"][relative] != old_digest:
            return
    except (OSError, ValueError, KeyError, TypeError):
        return
    document["files"][relative] = _sha256_of(site_dir / relative)
    staging = site_dir.with_name(f".{site_dir.name}-{BUILD_MANIFEST}.tmp")
    staging.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    os.replace(staging, path)


def check_against_manifest(site: Path) -> tuple[dict[str, str], list[str]]:
    """({relative path: SHA-256} of what may be published, [every way the folder differs from what the build
    made]). The dict holds the manifest's files and the manifest itself; it is only to be used when the list is
    empty. No file that is not a regular file is opened, so nothing a link points at is ever read or shown."""
    manifest_path = site / BUILD_MANIFEST
    try:
        mode = os.lstat(manifest_path).st_mode
    except FileNotFoundError:
        return {}, [f"{BUILD_MANIFEST} is missing: only a folder made by `python -m generator build` (whose gate "
                    "writes it) can be published; rebuild it with this version of the generator"]
    if not stat.S_ISREG(mode):
        return {}, [f"{BUILD_MANIFEST}: not a regular file ({_kind(mode)})"]
    raw = manifest_path.read_bytes()
    expected = _listed_files(raw)
    if expected is None:
        return {}, [f"{BUILD_MANIFEST} cannot be read (it must be JSON with \"files\": {{path: SHA-256}}): "
                    "rebuild the site"]
    problems, found = [], {}
    for relative, path, mode in _entries(site):
        if relative == BUILD_MANIFEST:
            continue
        if relative in _PUBLISH_FILES:
            problems.append(f"{relative}: added after the build (publish writes it into a release; a build folder "
                            "never holds one)")
        elif not stat.S_ISREG(mode):
            problems.append(f"{relative}: not a regular file ({_kind(mode)}): only the files the build made are "
                            "published, and what a link or device points at is never read")
        elif "\n" in relative or "\\" in relative:
            problems.append(f"{relative!r}: a file name that cannot be checked")
        elif relative not in expected:
            problems.append(f"{relative}: added after the build (not in {BUILD_MANIFEST})")
        else:
            found[relative] = path
    for relative in sorted(set(expected) - set(found)):
        if not any(problem.startswith(f"{relative}:") for problem in problems):
            problems.append(f"{relative}: missing (the build made it; it is gone)")
    for relative, path in sorted(found.items()):
        digest = read_regular(path)
        if digest is None:
            problems.append(f"{relative}: not a regular file (it was replaced while being checked)")
        elif digest != expected[relative]:
            problems.append(f"{relative}: changed since the build (its SHA-256 differs from {BUILD_MANIFEST})")
    return {**expected, BUILD_MANIFEST: hashlib.sha256(raw).hexdigest()}, problems


def as_built(site: Path) -> bool:
    """Whether a built site folder still holds exactly what its build made (a hand-edited, added or removed file
    makes a site that an unchanged-inputs build must make again, not report as up to date)."""
    return not check_against_manifest(site)[1]


def copy_checked(source: Path, destination: Path, files: dict[str, str]) -> list[str]:
    """Copy exactly ``files`` (relative path: SHA-256) from source into destination, regular files only, hashing
    the bytes as they are copied; every file whose copy is not what was checked is named (the folder changed
    during the publish). Only the listed files are copied: one added since the check is left behind."""
    problems = []
    for relative, digest in sorted(files.items()):
        out = destination / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        copied = _copy_regular(source / relative, out)
        if copied is None:
            problems.append(f"{relative}: not a regular file any more (changed during the publish)")
        elif copied != digest:
            problems.append(f"{relative}: changed during the publish (its SHA-256 differs from the one checked)")
        if out.exists():
            os.chmod(out, 0o644)
    for directory, dirs, _ in os.walk(destination):
        for name in dirs:
            os.chmod(Path(directory, name), 0o755)
    os.chmod(destination, 0o755)
    return problems


def read_regular(path: Path) -> str | None:
    """SHA-256 of a regular file, read without following a link; None if it is not one (or is not there)."""
    descriptor = _open_regular(path)
    if descriptor is None:
        return None
    digest = hashlib.sha256()
    with os.fdopen(descriptor, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _copy_regular(path: Path, out: Path) -> str | None:
    descriptor = _open_regular(path)
    if descriptor is None:
        return None
    digest = hashlib.sha256()
    with os.fdopen(descriptor, "rb") as handle, open(out, "wb") as copy:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            copy.write(block)
    return digest.hexdigest()


def _open_regular(path: Path) -> int | None:
    # O_NOFOLLOW: a link is refused, not followed; O_NONBLOCK: a fifo put in a file's place cannot hang the publish.
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        return None
    return descriptor


def _entries(root: Path, prefix: str = "") -> Iterator[tuple[str, Path, int]]:
    """Every entry under root that is not a real folder, as (posix relative path, path, lstat mode), sorted.
    Symbolic links (to folders too) are entries, never followed."""
    with os.scandir(root) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        relative = f"{prefix}{entry.name}"
        mode = entry.stat(follow_symlinks=False).st_mode
        if stat.S_ISDIR(mode):
            yield from _entries(Path(entry.path), f"{relative}/")
        else:
            yield relative, Path(entry.path), mode


def gate_allows_http(site: Path) -> bool:
    """Whether the build's gate allowed http:// links (school.yml's allow_http_links), as its manifest says."""
    try:
        return json.loads((site / BUILD_MANIFEST).read_text(encoding="utf-8")).get(ALLOW_HTTP) is True
    except (OSError, ValueError, AttributeError):
        return False


def _listed_files(raw: bytes) -> dict[str, str] | None:
    try:
        files = json.loads(raw.decode("utf-8"))["files"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(files, dict) or not all(
            isinstance(key, str) and isinstance(value, str) and _DIGEST.match(value) and _safe(key)
            for key, value in files.items()):
        return None
    return files


def _safe(relative: str) -> bool:
    parts = relative.split("/")
    return bool(relative) and not relative.startswith("/") and "\\" not in relative and "\n" not in relative \
        and all(part not in ("", ".", "..") for part in parts)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a file")


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
