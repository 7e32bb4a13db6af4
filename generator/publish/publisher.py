"""Publish a built site as an immutable release and switch to it atomically; roll back the same way.

Layout of a publishing folder (the web server's document root is ``DIR/current``)::

    DIR/
      current -> releases/20251124T100512.345Z-1a2b3c4   (relative symlink: the live release)
      releases/
        20251120T081500.120Z-0f9e8d7/                     (older releases, kept for rollback)
        20251124T100512.345Z-1a2b3c4/
          index.html, 404.html, search/search_index.json, version.json, ...
          manifest.json                                   (SHA-256 of every file, written by publish)
          SHA256SUMS                                      (the same, for `sha256sum -c`)
      publish-target.json                                 (which school's which site this folder is for)
      .publish.lock                                       (held while a publish or rollback runs)

A publish names the school and site its target is for (``Expectation``: ``--expect-school``,
``--expect-site``) and is refused unless the build's version.json says the same, and unless every
page in the build's own list of pages (``pages`` in version.json, written by ``build``) is present.
The first publish records the expectation in ``publish-target.json``; from then on that folder
refuses any other school or site, so two swapped folder names cannot put the staff site on the
public host either.

A build folder is taken only as the build made it (:mod:`generator.build.site_manifest`: every file listed in its
``build-manifest.json``, unchanged, regular files only); the copy is gated again (:mod:`generator.publish.publish_gate`)
before it can go live. A release is copied into ``releases/.<name>.partial``, every copied file is checked against
the manifest, the folder is renamed to ``releases/<name>``, and only then does ``current`` change:
a new symlink is made beside it and renamed over it (``rename(2)`` is atomic), so a visitor
or a web server sees either the old release or the new one, never a mixture or nothing. A
publish killed at any moment leaves ``current`` pointing at a complete release; the leftovers
(``.partial`` folders, a temporary symlink) are removed by the next publish.

The rsync route does the same on another machine over SSH: rsync into the ``.partial`` folder
(with ``--link-dest`` to the live release, so unchanged files are hard links), ``sha256sum -c``
there, then ``ln -sfn`` + ``mv -T`` for the swap.

Nothing here prints: :class:`PublishError` carries the reason, ``cli`` shows it.

The code lives beside this module by what it does: :mod:`~generator.publish.layout` (the names above,
PublishError, Release, Outcome), :mod:`~generator.publish.target` (Expectation, publish-target.json),
:mod:`~generator.publish.build_check` (the build and a release checked against their manifests),
:mod:`~generator.publish.releases` (the releases, the lock, the swap of ``current``, pruning) and
:mod:`~generator.publish.remote` (the rsync route's SSH, rsync and scripts). This module keeps the entry points
(publish, rollback, publish_rsync) and names the rest that the command line and the tests use from here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from generator.checks.freshness import PREVIEW_KEY  # named here for generator.pipeline, which imports it from here
from generator.publish.build_check import (_checked_build, _copy_and_gate, _manifest_text, _sums_text, check_build,
                                           verify_release)
from generator.publish.layout import (CURRENT, DEFAULT_KEEP, MANIFEST_FILE, PARTIAL_SUFFIX, RELEASES, SUMS_FILE,
                                      TARGET_FILE, Outcome, PublishError, Release)
from generator.publish.releases import (_bump, _clean_leftovers, _fsync_dir, _fsync_tree, _locked, _point_current,
                                        _prune, current_release, describe_releases, list_releases, previous_release,
                                        read_version, release_name, releases_to_prune)
from generator.publish.remote import (Remote, _parse_listing, _parse_target, _remote_finish_script,
                                      _remote_prepare_script, _remote_prune_script, check_ssh_files)
from generator.publish.target import Expectation, _claim_target, _refuse_other_target

__all__ = [
    "DEFAULT_KEEP", "PREVIEW_KEY", "Expectation", "Outcome", "PublishError", "Release", "Remote", "check_build",
    "check_ssh_files", "current_release", "describe_releases", "list_releases", "previous_release", "publish",
    "publish_rsync", "read_version", "release_name", "releases_to_prune", "rollback", "verify_release",
]


def publish(source: Path, target: Path, expect: Expectation, keep: int = DEFAULT_KEEP,
            now: datetime | None = None, _after_copy: Callable[[Path], None] | None = None,
            allow_preview: bool = False) -> Outcome:
    """Publish the built site ``source`` as a new release under ``target`` and make it live.

    Raises PublishError (changing nothing live) if the build is not validated, is incomplete, is
    not the school and site ``expect`` names (or ``target`` was set up for another), or if the copy
    does not match the manifest. ``_after_copy`` lets tests tamper with the copy.
    """
    source, target = Path(source), Path(target).absolute()
    if keep < 1:
        raise PublishError("--keep must be at least 1")
    version, files = _checked_build(source, expect, allow_preview)
    with _locked(target):
        _claim_target(target, expect)
        _clean_leftovers(target)
        previous = current_release(target)
        releases = target / RELEASES
        releases.mkdir(exist_ok=True)
        name = release_name(version, now)
        while (releases / name).exists():
            name = _bump(name)
        partial = releases / f".{name}{PARTIAL_SUFFIX}"
        try:
            _copy_and_gate(source, partial, files)
            (partial / MANIFEST_FILE).write_text(_manifest_text(name, files, version), encoding="utf-8")
            (partial / SUMS_FILE).write_text(_sums_text(files), encoding="utf-8")
            if _after_copy:
                _after_copy(partial)
            problems = verify_release(partial)
            if problems:
                raise PublishError(f"Refusing to publish {source}: the copy in {partial} does not match the "
                                   "manifest (manifest mismatch):\n  - " + "\n  - ".join(problems[:20]))
            _fsync_tree(partial)
            os.rename(partial, releases / name)
            _fsync_dir(releases)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        _point_current(target, name)
        pruned = _prune(target, keep, previous)
    return Outcome(Release(name, releases / name, version), previous, pruned, str(target))


def rollback(target: Path, release: str | None = None) -> Outcome:
    """Point ``current`` at ``release`` (default: the release before the live one) after verifying it."""
    target = Path(target).absolute()
    if not (target / RELEASES).is_dir():
        raise PublishError(f"{target} has no releases/ folder: nothing has been published there")
    with _locked(target):
        _clean_leftovers(target)
        names = list_releases(target)
        live = current_release(target)
        if release is None:
            release = previous_release(names, live)
            if release is None:
                if live is None:
                    raise PublishError(f"{target / CURRENT} does not point at a release; name one with --release "
                                       f"(releases: {', '.join(names) or 'none'})")
                raise PublishError(f"There is no release older than the live one ({live}) to roll back to; "
                                   f"releases: {', '.join(names)}")
        elif release not in names:
            raise PublishError(f"There is no release called {release!r} in {target / RELEASES}; "
                               f"releases: {', '.join(names) or 'none'}")
        problems = verify_release(target / RELEASES / release)
        if problems:
            raise PublishError(f"Refusing to roll back to {release}: it does not match its manifest:\n  - "
                               + "\n  - ".join(problems[:20]))
        _point_current(target, release)
    path = target / RELEASES / release
    return Outcome(Release(release, path, read_version(path)), live, [], str(target))


def publish_rsync(source: Path, remote: Remote, expect: Expectation, keep: int = DEFAULT_KEEP,
                  now: datetime | None = None, _before_finish: Callable[[], None] | None = None,
                  allow_preview: bool = False) -> Outcome:
    """Publish over SSH: rsync into a partial release, verify it there, swap ``current``, prune.
    Refused like :func:`publish`, the remote folder's publish-target.json included."""
    source = Path(source)
    if keep < 1:
        raise PublishError("--keep must be at least 1")
    version, files = _checked_build(source, expect, allow_preview)
    check_ssh_files(remote)
    if shutil.which(remote.rsync_program) is None:
        raise PublishError(f"{remote.rsync_program} is not installed here (Debian: apt-get install rsync)")
    listing = remote.run_script(_remote_prepare_script(remote.path))
    where = f"{remote.host}:{remote.path}"
    recorded = _parse_target(listing, f"{where}/{TARGET_FILE}")
    if recorded is not None:
        _refuse_other_target(recorded, expect, where, f"{where}/{TARGET_FILE}")
    live, names = _parse_listing(listing)
    name = release_name(version, now)
    while name in names:
        name = _bump(name)
    with tempfile.TemporaryDirectory(prefix="publish-manifest-") as scratch:
        # rsync sends a private copy, checked and gated here: the source folder may change while it is sent.
        checked = Path(scratch) / "site"
        _copy_and_gate(source, checked, files)
        manifest, sums = Path(scratch) / MANIFEST_FILE, Path(scratch) / SUMS_FILE
        manifest.write_text(_manifest_text(name, files, version), encoding="utf-8")
        sums.write_text(_sums_text(files), encoding="utf-8")
        os.chmod(manifest, 0o644)
        os.chmod(sums, 0o644)
        command = remote.rsync_command(checked, [manifest, sums], name, live if live in names else None)
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
        except subprocess.TimeoutExpired:
            raise PublishError(f"rsync to {remote.host} did not finish within 30 minutes") from None
        if result.returncode != 0:
            raise PublishError(f"rsync to {remote.host} failed (exit {result.returncode}): "
                               f"{result.stderr.strip()}")
    if _before_finish:
        _before_finish()
    try:
        output = remote.run_script(_remote_finish_script(remote.path, name, len(files), expect))
    except PublishError as error:
        raise PublishError(f"Refusing to publish {source} to {remote.host}:{remote.path}: {error}") from None
    now_live, names = _parse_listing(output)
    if now_live != name:
        raise PublishError(f"After the swap, {remote.path}/{CURRENT} points at {now_live}, not {name}")
    doomed = releases_to_prune(names, now_live, keep, live)
    if doomed:
        remote.run_script(_remote_prune_script(remote.path, doomed))
    return Outcome(Release(name, Path(remote.path) / RELEASES / name, version), live, doomed,
                   f"{remote.host}:{remote.path}")
