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
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

VERSION_FILE = "version.json"
MANIFEST_FILE = "manifest.json"
SUMS_FILE = "SHA256SUMS"
RELEASES = "releases"
CURRENT = "current"
LOCK_FILE = ".publish.lock"
TARGET_FILE = "publish-target.json"
PARTIAL_SUFFIX = ".partial"
REQUIRED_FILES = ("index.html", "404.html", "search/search_index.json")
DEFAULT_KEEP = 5
_RELEASE_NAME = re.compile(r"^[0-9]{8}T[0-9]{6}(\.[0-9]{3})?Z-[0-9A-Za-z]+(-[0-9]+)?$")


class PublishError(Exception):
    """Why a publish or rollback was refused; nothing live was changed."""


SITE_WORDS = {"staff": "the staff site", "parents": "the parents' site"}


@dataclass(frozen=True)
class Expectation:
    """The school and site a publishing target is for; anything else is refused."""

    school: str
    site: str

    def describe(self) -> str:
        return f"{SITE_WORDS.get(self.site, f'the {self.site!r} site')} of school {self.school!r}"

    def as_json(self) -> str:
        return json.dumps({"school": self.school, "site": self.site}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, where: str) -> "Expectation":
        try:
            data = json.loads(text)
            return cls(str(data["school"]), str(data["site"]))
        except (ValueError, KeyError, TypeError) as error:
            raise PublishError(f"{where} cannot be read ({error}): it says which school and site the folder "
                               "is for; restore it, or move the folder aside and publish afresh") from None


@dataclass
class Release:
    name: str
    path: Path
    version: dict = field(default_factory=dict)

    def describe(self) -> str:
        sha = self.version.get("git_sha", "unknown")
        built = self.version.get("built_at", "unknown")
        return f"{self.name} (git {sha}, built {built})"


@dataclass
class Outcome:
    """What a publish or rollback did: the release now live, the one it replaced, what was pruned."""

    live: Release
    replaced: str | None
    pruned: list[str] = field(default_factory=list)
    where: str = ""


# --------------------------------------------------------------------------------------------
# Checking a build and its manifest


from generator.checks.freshness import PREVIEW_KEY  # noqa: E402 - version.json's list of why a build is a preview only
from generator.publish.publish_gate import gate_release  # noqa: E402
from generator.build.site_manifest import check_against_manifest, copy_checked  # noqa: E402


def check_build(site: Path, expect: Expectation, allow_preview: bool = False) -> dict:
    """Return the build's version.json, or raise PublishError naming everything wrong with it:
    not validated, incomplete (a page of its own list is missing), or not the school and site
    ``expect`` names; or a preview build (placeholder DSL contacts) unless ``allow_preview``: staff in the
    middle of a concern must find the DSL's real name and number; or not what the build made (a file added,
    changed, missing or not a regular file since: :mod:`generator.build.site_manifest`)."""
    return _checked_build(site, expect, allow_preview)[0]


def _checked_build(site: Path, expect: Expectation, allow_preview: bool) -> tuple[dict, dict[str, str]]:
    """check_build's version.json, and the files that may be published with their SHA-256."""
    site = Path(site)
    if not site.is_dir():
        raise PublishError(f"{site} does not exist or is not a folder: build the site first (`make build`)")
    problems: list[str] = []
    version: dict = {}
    version_path = site / VERSION_FILE
    if not version_path.is_file():
        problems.append(f"{version_path} is missing: only a folder made by `python -m generator build` "
                        "(which writes it after the checks pass) can be published")
    else:
        try:
            version = json.loads(version_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            problems.append(f"{version_path} is not valid JSON ({error})")
        else:
            if not isinstance(version, dict):
                problems.append(f"{version_path} does not hold a JSON object")
                version = {}
            elif version.get("validated") is not True:
                problems.append(f"{version_path} does not say \"validated\": true (it says "
                                f"{json.dumps(version.get('validated'))}): this build did not pass validation")
    if version:
        problems += _identity_problems(version, version_path, expect)
        problems += _page_problems(site, version, version_path)
        if version.get(PREVIEW_KEY) and not allow_preview:
            reasons = version[PREVIEW_KEY] if isinstance(version[PREVIEW_KEY], list) else [version[PREVIEW_KEY]]
            problems += [f"this build is a preview only: {reason}" for reason in reasons]
            problems.append("fill in the real contact details in school.yml and build again, or publish it "
                            "for review only with --preview (S701)")
    for required in REQUIRED_FILES:
        if not (site / required).is_file():
            what = "the search index" if required.startswith("search/") else "a required page"
            problems.append(f"{site / required} is missing ({what}): the build is incomplete")
    files, changes = check_against_manifest(site)
    if changes:
        problems += changes[:30] + ([f"and {len(changes) - 30} more"] if len(changes) > 30 else [])
        problems.append("this folder is not what `python -m generator build` made: publish only an untouched "
                        "build (build it again with `python -m generator build --force`, which rewrites every page "
                        "even when the data did not change, and find out who or what changed it)")
    if problems:
        raise PublishError(f"Refusing to publish {site}:\n  - " + "\n  - ".join(problems))
    return version, files


def _identity_problems(version: dict, version_path: Path, expect: Expectation) -> list[str]:
    school, site = version.get("school_id"), version.get("site")
    if not school or not site:
        return [f"{version_path} does not say which school and site it is (school_id, site): rebuild it "
                "with this version of `python -m generator build`"]
    problems = []
    if site != expect.site:
        problems.append(f"this build is {SITE_WORDS.get(site, repr(site))}, but the target is for "
                        f"{SITE_WORDS.get(expect.site, repr(expect.site))} (wrong site: check the route and "
                        "--expect-site)")
    if school != expect.school:
        problems.append(f"this build is of school {school!r}, but the target is for school {expect.school!r} "
                        "(wrong school: check the route and --expect-school)")
    return problems


def _page_problems(site: Path, version: dict, version_path: Path) -> list[str]:
    pages = version.get("pages")
    if not isinstance(pages, list) or not pages or not all(isinstance(page, str) for page in pages):
        return [f"{version_path} has no list of the build's pages (\"pages\"): rebuild it with this version "
                "of `python -m generator build`"]
    unsafe = [page for page in pages if page.startswith("/") or ".." in page.split("/") or "\\" in page]
    if unsafe:
        return [f"{version_path} lists pages outside the site: {', '.join(map(repr, unsafe[:5]))}"]
    missing = [page for page in pages if not (site / page).is_file()]
    if not missing:
        return []
    shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
    return [f"{len(missing)} of the {len(pages)} pages this build made are missing (the build is incomplete): "
            f"{shown}"]


def _files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every file under root as (posix relative path, path), sorted; symlinks to files count as files."""
    for directory, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(directory, name)
            yield path.relative_to(root).as_posix(), path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _manifest_text(name: str, files: dict[str, str], version: dict) -> str:
    document = {
        "release": name,
        "published_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "version": {key: version.get(key) for key in ("school_id", "site", "git_sha", "git_dirty", "built_at")},
        "files": files,
    }
    return json.dumps(document, indent=1, sort_keys=False) + "\n"


def _sums_text(files: dict[str, str]) -> str:
    return "".join(f"{digest}  {relative}\n" for relative, digest in files.items())


def verify_release(release: Path) -> list[str]:
    """Every way the release differs from its manifest.json (empty when it is complete and intact)."""
    release = Path(release)
    manifest_path = release / MANIFEST_FILE
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        expected: dict[str, str] = manifest["files"]
    except FileNotFoundError:
        return [f"{manifest_path} is missing"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        return [f"{manifest_path} cannot be read ({error})"]
    found = {relative: path for relative, path in _files(release) if relative not in (MANIFEST_FILE, SUMS_FILE)}
    problems = [f"{relative}: missing" for relative in sorted(set(expected) - set(found))]
    problems += [f"{relative}: not in the manifest" for relative in sorted(set(found) - set(expected))]
    for relative in sorted(set(expected) & set(found)):
        if _sha256(found[relative]) != expected[relative]:
            problems.append(f"{relative}: SHA-256 differs from the manifest")
    return problems


# --------------------------------------------------------------------------------------------
# Releases in a publishing folder


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


def _copy_and_gate(source: Path, copy: Path, files: dict[str, str]) -> None:
    """Copy the checked files (regular files only, each hashed as copied), then run the build's gate again on the
    copy, the bytes that will go live: raise PublishError if either finds anything."""
    problems = copy_checked(source, copy, files)
    if problems:
        raise PublishError(f"Refusing to publish {source}: it changed while being published:\n  - "
                           + "\n  - ".join(problems[:20]))
    problems = gate_release(copy)
    if problems:
        raise PublishError(f"Refusing to publish {source}: the gate that `build` runs refuses what would go live "
                           "(the folder was edited after the build):\n  - " + "\n  - ".join(problems[:20]))


def _fsync_tree(root: Path) -> None:
    for _, path in _files(root):
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
    for directory, _, _ in os.walk(root):
        _fsync_dir(Path(directory))


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


def _claim_target(target: Path, expect: Expectation) -> None:
    """Refuse unless ``target`` is for ``expect``'s school and site; record it on the first publish."""
    path = target / TARGET_FILE
    if path.is_file():
        recorded = Expectation.from_json(path.read_text(encoding="utf-8"), str(path))
        _refuse_other_target(recorded, expect, str(target), str(path))
        return
    temporary = target / f".{TARGET_FILE}.tmp.{os.getpid()}"
    temporary.write_text(expect.as_json() + "\n", encoding="utf-8")
    os.replace(temporary, path)


def _refuse_other_target(recorded: Expectation, expect: Expectation, where: str, record: str) -> None:
    if recorded != expect:
        raise PublishError(f"Refusing to publish {expect.describe()} to {where}: that folder is where "
                           f"{recorded.describe()} is published ({record} says so). Check the route's "
                           "folder or address; if the folder really is to change purpose, move it aside and "
                           "publish afresh")


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


def describe_releases(target: Path) -> list[tuple[Release, bool]]:
    """Every release with its version.json, oldest first, and whether it is live."""
    target = Path(target)
    live = current_release(target)
    return [(Release(name, target / RELEASES / name, read_version(target / RELEASES / name)), name == live)
            for name in list_releases(target)]


# --------------------------------------------------------------------------------------------
# The rsync route: the same releases and swap on another machine, over SSH


_TARGET = re.compile(r"^(?P<host>(?:[^@\s/:]+@)?(?:\[[0-9A-Fa-f:.]+\]|[^@\s/:\[\]]+)):(?P<path>/\S*)$")


@dataclass
class Remote:
    """``user@host:/absolute/path`` plus how to reach it: key, pinned host keys, port, ssh program."""

    host: str
    path: str
    ssh_key: Path
    known_hosts: Path
    port: int | None = None
    ssh_program: str = "ssh"
    rsync_program: str = "rsync"

    @classmethod
    def parse(cls, target: str, ssh_key: Path, known_hosts: Path, port: int | None = None, **kwargs) -> "Remote":
        match = _TARGET.match(target)
        if not match:
            raise PublishError(f"--rsync {target!r} is not of the form user@host:/absolute/path")
        path = match["path"].rstrip("/") or "/"
        if path == "/":
            raise PublishError("--rsync must name a folder below /, e.g. deploy@web:/var/www/policies/staff")
        return cls(match["host"], path, Path(ssh_key), Path(known_hosts), port, **kwargs)

    def ssh_command(self) -> list[str]:
        """ssh with only this key and only the pinned host keys; never asks, never trusts a new host."""
        command = [
            self.ssh_program,
            "-i", str(self.ssh_key),
            "-o", "IdentitiesOnly=yes",
            "-o", f"UserKnownHostsFile={self.known_hosts}",
            "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=30",
        ]
        if self.port:
            command += ["-p", str(self.port)]
        return command

    def rsync_command(self, source: Path, extra: list[Path], name: str, link_dest: str | None) -> list[str]:
        """rsync the site (and manifest files) into releases/.<name>.partial/ on the remote."""
        command = [
            self.rsync_program, "--recursive", "--links", "--checksum",
            "--chmod=Du=rwx,Dgo=rx,Fu=rw,Fgo=r", "-e", shlex.join(self.ssh_command()),
        ]
        if link_dest:
            command.append(f"--link-dest=../{link_dest}/")
        command += [f"{source}/"] + [str(path) for path in extra]
        command.append(f"{self.host}:{self.path}/{RELEASES}/.{name}{PARTIAL_SUFFIX}/")
        return command

    def run_script(self, script: str, timeout: float = 300) -> str:
        """Run a POSIX sh script on the remote (fed on standard input); return its standard output."""
        command = self.ssh_command() + [self.host, "sh -s"]
        try:
            result = subprocess.run(command, input=script, capture_output=True, text=True, timeout=timeout)
        except FileNotFoundError:
            raise PublishError(f"{self.ssh_program} is not installed (Debian: apt-get install openssh-client)") from None
        except subprocess.TimeoutExpired:
            raise PublishError(f"ssh to {self.host} did not finish within {timeout:.0f} s") from None
        if result.returncode != 0:
            raise PublishError(f"On {self.host}: {result.stderr.strip() or 'ssh exited with ' + str(result.returncode)}")
        return result.stdout


def _remote_prepare_script(path: str) -> str:
    folder = shlex.quote(path)
    return f"""set -eu
mkdir -p -- {folder}/{RELEASES}
cd -- {folder}
if [ -e {CURRENT} ] && [ ! -L {CURRENT} ]; then
  echo "$(pwd)/{CURRENT} is a real folder or file, not a symlink: move it aside so publish can manage it" >&2
  exit 3
fi
for leftover in {RELEASES}/.*{PARTIAL_SUFFIX} .{CURRENT}.tmp.*; do
  case "$leftover" in *'*'*) ;; *) rm -rf -- "$leftover" ;; esac
done
printf 'current=%s\\n' "$(readlink {CURRENT} 2>/dev/null || true)"
if [ -f {TARGET_FILE} ]; then printf 'target=%s\\n' "$(tr -d '\\n' < {TARGET_FILE})"; fi
ls -1 {RELEASES} | sed 's/^/release=/'
"""


def _remote_finish_script(path: str, name: str, count: int, expect: Expectation) -> str:
    folder, release = shlex.quote(path), shlex.quote(name)
    partial = f"{RELEASES}/.{name}{PARTIAL_SUFFIX}"
    return f"""set -eu
cd -- {folder}
cd -- {shlex.quote(partial)}
if ! sha256sum --quiet --strict -c {SUMS_FILE} >&2; then
  echo "the copy does not match the manifest (manifest mismatch)" >&2
  exit 4
fi
found=$(find . -type f ! -name {MANIFEST_FILE} ! -name {SUMS_FILE} | wc -l)
if [ "$found" -ne {count} ]; then
  echo "the copy holds $found files, the manifest {count} (manifest mismatch)" >&2
  exit 4
fi
cd -- {folder}
if [ ! -e {TARGET_FILE} ]; then
  printf '%s\\n' {shlex.quote(expect.as_json())} > .{TARGET_FILE}.tmp.$$ && mv -T -- .{TARGET_FILE}.tmp.$$ {TARGET_FILE}
fi
mv -T -- {shlex.quote(partial)} {RELEASES}/{release}
ln -sfn -- {RELEASES}/{release} .{CURRENT}.tmp.$$
mv -T -- .{CURRENT}.tmp.$$ {CURRENT}
sync 2>/dev/null || true
printf 'current=%s\\n' "$(readlink {CURRENT})"
ls -1 {RELEASES} | sed 's/^/release=/'
"""


def _remote_prune_script(path: str, names: list[str]) -> str:
    folder = shlex.quote(path)
    lines = [f"set -eu", f"cd -- {folder}/{RELEASES}"]
    for name in names:
        lines.append(f"mv -T -- {shlex.quote(name)} {shlex.quote('.' + name + '.deleting' + PARTIAL_SUFFIX)}")
        lines.append(f"rm -rf -- {shlex.quote('.' + name + '.deleting' + PARTIAL_SUFFIX)}")
    return "\n".join(lines) + "\n"


def _parse_listing(output: str) -> tuple[str | None, list[str]]:
    current, names = None, []
    for line in output.splitlines():
        key, _, value = line.partition("=")
        if key == "current":
            current = _release_from_link(value) if value else None
        elif key == "release" and value and not value.startswith(".") and _RELEASE_NAME.match(value):
            names.append(value)
    return current, sorted(names)


def _parse_target(output: str, where: str) -> Expectation | None:
    for line in output.splitlines():
        key, _, value = line.partition("=")
        if key == "target":
            return Expectation.from_json(value, where)
    return None


def check_ssh_files(remote: Remote) -> None:
    for label, path in (("--ssh-key", remote.ssh_key), ("--known-hosts", remote.known_hosts)):
        if not path.is_file():
            raise PublishError(f"{label} {path} does not exist")
    if remote.ssh_key.stat().st_mode & 0o077:
        raise PublishError(f"--ssh-key {remote.ssh_key} can be read by other users and ssh will refuse it: "
                           f"chmod 600 {remote.ssh_key}")
    if not remote.known_hosts.read_text(encoding="utf-8", errors="replace").strip():
        raise PublishError(f"--known-hosts {remote.known_hosts} is empty: it must hold the server's host key "
                           "(ssh-keyscan it once from a trusted network and check the fingerprint)")


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
