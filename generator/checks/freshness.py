"""The early check of `build` (issue 17): a hash of every raw input of a site, taken before anything is loaded.

A site whose version.json carries the same hash was built, successfully, from exactly these inputs, so
`build` leaves it as it is without loading, validating or rendering anything. The hash covers, byte for
byte, every file the loader can read (school.yml, glossary.yml, sources.yml, the reviewed public list,
trust-overrides.yml, the school's site settings mkdocs.yml, everything under policies/, decision_trees/, docs/
and assets/, every trust.yml above the project, the trust's shared policies and its overrides file), the whole generator package (code, templates, theme, base
config, the tool's pages and data), the installed packages and Python, the --today date and the git
state that version.json records. Anything left out would let a stale site through: tests/checks/test_freshness.py
checks that every file the loader reads is covered.

Only the loader (for its lookup of the trust) and the standard library are imported here, not the models or
the renderer, so the check costs little more than reading the files.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.load.trust_files import TRUST_FILE, find_trust, trust_policies_folder

VERSION_FILE = "version.json"
PREVIEW_KEY = "preview_only"
"""version.json key listing why a build is a preview only (e.g. the DSL's contact is still a placeholder)."""
RAW_KEY = "raw_inputs_sha256"
"""version.json's hash of a site's raw inputs (:func:`raw_inputs_keys`)."""

PACKAGE = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("school.yml", "glossary.yml", "sources.yml", "published-to-parents.yml", "trust-overrides.yml",
                 "mkdocs.yml", "pack.lock")
PROJECT_FOLDERS = ("policies", "decision_trees", "docs", "assets")
_SKIPPED = {"__pycache__"}


class _Digest:
    def __init__(self):
        self._hash = hashlib.sha256()

    def add(self, label: str, data: bytes) -> None:
        self._hash.update(f"{label}\0{len(data)}\0".encode())
        self._hash.update(data)

    def add_path(self, label: str, path: Path, skip: set[str] = frozenset()) -> None:
        """A file's bytes, a link's target, a folder's entries (recursively), or what kind of thing is there.

        Symbolic links are never followed (the loader refuses them, and a link out of the project must not
        make this walk endless); FIFOs and devices are never opened."""
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            self.add(label, b"absent")
            return
        except OSError as error:
            self.add(label, f"unreadable {error.errno}".encode())
            return
        if stat.S_ISREG(mode):
            try:
                self.add(label, b"file\0" + path.read_bytes())
            except OSError as error:
                self.add(label, f"unreadable {error.errno}".encode())
        elif stat.S_ISLNK(mode):
            self.add(label, b"link\0" + os.fsencode(os.readlink(path)))
        elif stat.S_ISDIR(mode):
            try:
                names = sorted(os.listdir(path))
            except OSError as error:
                self.add(label, f"unreadable folder {error.errno}".encode())
                return
            self.add(label, b"folder\0" + "\0".join(names).encode("utf-8", "surrogateescape"))
            for name in names:
                if name not in skip:
                    self.add_path(f"{label}/{name}", path / name, skip)
        else:
            self.add(label, f"special {stat.S_IFMT(mode)}".encode())

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


@dataclass(frozen=True)
class RawInputs:
    """The early hash of each site asked for, and the git state version.json records (taken once)."""

    keys: dict[str, str]
    git: tuple[str, bool | None]


def raw_inputs(root: Path, today: date, sites: tuple[str, ...]) -> RawInputs:
    """Hash the project's raw files, the tool, the environment, ``today`` and the git state, once per site."""
    git = git_state(root)
    return RawInputs(raw_inputs_keys(root, today, sites, git), git)


def unchanged(output: Path, raw: RawInputs) -> bool:
    """Whether every site asked for is a complete build, in ``output``, made from exactly these raw inputs."""
    return all(_complete(output / site) and _recorded(output / site).get(RAW_KEY) == key
               for site, key in raw.keys.items())


def recorded_preview(output: Path, sites) -> list[str]:
    """Why the builds in ``output`` may be published as previews only, as their version.json recorded it."""
    reasons: list[str] = []
    for site in sites:
        recorded = _recorded(output / site).get(PREVIEW_KEY)
        for reason in recorded if isinstance(recorded, list) else [recorded] if recorded else []:
            if reason not in reasons:
                reasons.append(str(reason))
    return reasons


COMPLETE = ("index.html", "404.html", "search/search_index.json")
"""The files without which a site folder is not a whole build (and is rebuilt, whatever its version.json says)."""


def _complete(site_dir: Path) -> bool:
    return all((site_dir / name).is_file() for name in COMPLETE)


def _recorded(site_dir: Path) -> dict:
    try:
        version = json.loads((site_dir / VERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return version if isinstance(version, dict) else {}


def raw_inputs_keys(root: Path, today: date, sites: tuple[str, ...], git: tuple) -> dict[str, str]:
    """The early hash of each of ``sites``: the project's raw files, the tool, the environment and ``today``.

    ``git`` is the (commit, dirty) pair version.json records (see :func:`git_state`)."""
    root = Path(root).resolve()
    digest = _Digest()
    for name in PROJECT_FILES:
        digest.add_path(f"project/{name}", root / name)
    for name in PROJECT_FOLDERS:
        digest.add_path(f"project/{name}", root / name)
    for folder in (root, *root.parents):
        digest.add_path(f"trust:{folder}", folder / TRUST_FILE)  # the loader looks in every folder above
    found = find_trust(root)
    if found is not None:
        # The loader's own lookup of the trust that lists this project, and of its shared policies' folder.
        # The loader lists it with glob(), which follows symbolic links: hash the folder it leads to.
        digest.add_path("trust-policies", trust_policies_folder(*found).resolve())
        # The trust's own overrides file (its versions of pack steps), beside the policies' folder.
        digest.add_path("trust-overrides", trust_policies_folder(*found).parent.resolve() / "trust-overrides.yml")
    digest.add_path("tool", PACKAGE, _SKIPPED)
    digest.add("environment", json.dumps({"python": sys.version, "executable": sys.executable,
                                          "packages": installed_packages()}).encode())
    digest.add("today", today.isoformat().encode())
    digest.add("git", json.dumps(list(git)).encode())
    common = digest._hash
    keys = {}
    for site in sites:
        per_site = common.copy()
        per_site.update(f"site\0{site}".encode())
        keys[site] = per_site.hexdigest()
    return keys


def git_state(root: Path) -> tuple[str, bool | None]:
    """The project's git commit and whether its folder has uncommitted changes ("unknown", None outside git)."""
    sha, dirty = "unknown", None
    try:
        sha = _git(root, "rev-parse", "HEAD").strip()
        dirty = bool(_git(root, "status", "--porcelain", "--untracked-files=normal", "--", ".").strip())
    except (OSError, subprocess.CalledProcessError):
        pass
    return sha, dirty


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True,
                          timeout=60).stdout


def installed_packages() -> list[str]:
    """The installed distributions by name and version (the names of their metadata folders)."""
    found = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found.update(f"{entry}/{name}" for name in names if name.endswith((".dist-info", ".egg-info", ".egg-link", ".pth")))
    return sorted(found)
