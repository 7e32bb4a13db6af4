"""What lets a build skip work it has done before: the keys (a hash of everything mkdocs reads for a site, and
of everything its build reads), mkdocs' last output kept with its key in the work folder, and the pages that passed
the last gate. Anything a key leaves out would let a stale page through (tests/build/test_build_cache.py)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path, PurePosixPath

from generator.render import guide_steps
from generator.checks.freshness import RAW_KEY, VERSION_FILE, installed_packages
from generator.build.site_manifest import refresh_manifest_entry
from generator.build.swap import _remove_if_left_by_dead_build
from generator.render.renderer import RenderedSite
from generator.render.search_index import ENTRIES_FILE


INPUTS_KEY = "inputs_sha256"
"""version.json's hash of everything a site's build reads (see :func:`inputs_key`)."""

# The build's own code: how mkdocs is run and everything done to its output (build/mkdocs_build.py and the modules
# of the generator it runs, directly or not; tests/build/test_build_cache.py checks the list against the imports).
_BUILD_CODE = [Path(__file__).resolve().parent.parent / name for name in (
                   "build/mkdocs_build.py",
                   "build/caches.py",
                   "build/swap.py",
                   "load/diagnostics.py",
                   "build/gate.py",
                   "build/gate_trace.py",
                   "render/guide_steps.py",
                   "render/search_index.py",
                   "build/site_manifest.py",
                   "load/urls.py",
               )]


def read_after_mkdocs(include: str) -> bool:
    """Whether a file of a site's includes/ is read only after mkdocs, by :func:`finish_site`: a guide's
    steps and the guides' search entries. mkdocs reads includes/ through snippets alone, and the only
    snippet is the generator's abbreviations.md (``check`` refuses snippet includes in pages and data)."""
    path = PurePosixPath(include)
    return include == ENTRIES_FILE or (path.parent.as_posix() == guide_steps.FOLDER and path.suffix == ".html")


class _Digest:
    def __init__(self):
        self._hash = hashlib.sha256()

    def add(self, label: str, data: bytes | str) -> None:
        data = data if isinstance(data, bytes) else data.encode("utf-8")
        self._hash.update(f"{label}\0{len(data)}\0".encode())
        self._hash.update(data)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def mkdocs_key(site: RenderedSite) -> str:
    """A hash of everything ``mkdocs build`` reads for one site: its generated sources (docs, other files such
    as PDFs, the includes its snippets read, config), the base config and theme files its config points at,
    the versions of the packages mkdocs runs, Python, and the build's code (which runs it).

    Two mkdocs builds with the same key write the same pages (but for the sitemap's date), so the build
    keeps mkdocs' output with its key and uses it again instead of running mkdocs (:func:`_reuse_mkdocs_output`).
    Anything mkdocs reads that is left out of it would let a stale page through.
    """
    digest = _Digest()
    for kind, files in (("docs", site.docs), ("files", site.files),
                        ("includes", {path: text for path, text in site.includes.items()
                                      if not read_after_mkdocs(path)})):
        for path in sorted(files):
            digest.add(f"{kind}/{path}", files[path])
    digest.add("config", json.dumps(site.config, sort_keys=True, default=str))
    base, theme = site.config.get("INHERIT"), (site.config.get("theme") or {}).get("custom_dir")
    for path in [Path(base)] if base else []:
        digest.add(f"base:{path}", path.read_bytes())
    for path in sorted(Path(theme).rglob("*")) if theme else []:
        if path.is_file():
            digest.add(f"theme:{path.relative_to(theme).as_posix()}", path.read_bytes())
    for path in _BUILD_CODE:
        digest.add(f"code:{path.name}", path.read_bytes())
    # Every installed distribution by name and version: mkdocs runs Material, pymdown, Markdown, Jinja2,
    # MarkupSafe, PyYAML, backrefs… and no list of ours would stay complete.
    digest.add("packages", "\n".join(installed_packages()))
    digest.add("python", sys.version)
    return digest.hexdigest()


def inputs_key(site: RenderedSite, version: dict, gate: bool, allow_http: bool, mkdocs: str | None = None) -> str:
    """A hash of every input of one site's build: what mkdocs reads (:func:`mkdocs_key`), what is added to its
    output after it (the guides' steps and search entries), the --today date and the rest of version.json (but
    not the build time), and the gate's options. ``mkdocs``: the site's :func:`mkdocs_key` when already known.

    Two builds with the same key produce the same site, so a site whose output already carries
    this key is not rebuilt. Anything left out of it would let a stale page through.
    """
    digest = _Digest()
    digest.add("mkdocs", mkdocs or mkdocs_key(site))
    for path in sorted(site.includes):
        if read_after_mkdocs(path):
            digest.add(f"includes/{path}", site.includes[path])
    unstamped = {key: value for key, value in version.items() if key != "built_at"}
    digest.add("version", json.dumps(unstamped, sort_keys=True))
    digest.add("options", json.dumps({"gate": gate, "allow_http": allow_http}))
    return digest.hexdigest()


def is_up_to_date(site_dir: Path, key: str) -> bool:
    """Whether the built site at site_dir is a complete build made from exactly these inputs."""
    try:
        version = json.loads((site_dir / VERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    complete = all((site_dir / name).is_file() for name in ("index.html", "404.html", "search/search_index.json"))
    return complete and isinstance(version, dict) and version.get(INPUTS_KEY) == key


def _record_raw_key(site_dir: Path, raw_key: str) -> None:
    """Add the raw inputs' hash to a site found up to date by its rendered sources (the tool changed in a way
    that changes no page): version.json is replaced in one step, the pages are left as they are."""
    path = site_dir / VERSION_FILE
    document = json.loads(path.read_text(encoding="utf-8"))
    if document.get(RAW_KEY) == raw_key:
        return
    old_digest = hashlib.sha256(path.read_bytes()).hexdigest()
    staging = site_dir.with_name(f".{site_dir.name}-{VERSION_FILE}.tmp")  # not in the published folder
    staging.write_text(json.dumps({**document, RAW_KEY: raw_key}, indent=2, ensure_ascii=False) + "\n",
                       encoding="utf-8")
    os.replace(staging, path)
    refresh_manifest_entry(site_dir, VERSION_FILE, old_digest)


MKDOCS_CACHE_DIR = "mkdocs-cache"
"""In the work folder: each site's last mkdocs output, before anything was added to it, with its :func:`mkdocs_key`."""


def _keep_mkdocs_output(built: Path, cache: Path, key: str) -> None:
    """Keep a copy of what mkdocs wrote, with its key, so a build whose change mkdocs does not read (a guide's
    steps: most edits of a guide) can skip mkdocs. The copy is made beside the old one and renamed into place
    with its key: a build killed half-way leaves the previous copy or none, never a partial one under a key."""
    cache.parent.mkdir(parents=True, exist_ok=True)
    for left in cache.parent.glob(f".{cache.name}.*"):  # by builds that were killed
        made_by = re.fullmatch(rf"\.{re.escape(cache.name)}\.(?:new|old)-(\d+)(?:-\w*)?", left.name)
        if made_by:
            _remove_if_left_by_dead_build(left, made_by.group(1))
    fresh = Path(tempfile.mkdtemp(prefix=f".{cache.name}.new-{os.getpid()}-", dir=cache.parent))
    old = cache.with_name(f".{cache.name}.old-{os.getpid()}")
    try:
        shutil.copytree(built, fresh / "site", symlinks=True)
        (fresh / "key").write_text(key, encoding="utf-8")
        if cache.exists():
            os.replace(cache, old)  # away in one step: never a half-deleted copy under the name
        os.replace(fresh, cache)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def _reuse_mkdocs_output(cache: Path, key: str, target: Path) -> bool:
    """Copy the kept mkdocs output to target if it was made from the same inputs; return whether it was."""
    try:
        kept = (cache / "key").read_text(encoding="utf-8")
    except OSError:
        return False
    if kept != key or not (cache / "site").is_dir():
        return False
    shutil.copytree(cache / "site", target, symlinks=True)
    return True


GATE_CACHE_DIR = "gate-cache"
"""In the work folder: each site's pages that passed the last gate, by their bytes' hash (gate.check_site)."""


_SCRIPT_HASH = re.compile(r"'sha256-[A-Za-z0-9+/]{43}='")


def _passed_before(cache: Path, version: str) -> dict[str, list[str]]:
    """The pages that passed the last gate of this gate version; nothing if the file is another's or damaged
    (its script hashes go into every page's CSP, so only well-formed ones are taken)."""
    try:
        kept = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    passed = kept.get("passed") if isinstance(kept, dict) and kept.get("gate_version") == version else None
    if not isinstance(passed, dict) or not all(
            isinstance(hashes, list) and all(isinstance(h, str) and _SCRIPT_HASH.fullmatch(h) for h in hashes)
            for hashes in passed.values()):
        return {}
    return passed


_DIGEST = re.compile(r"[0-9a-f]{64}")


def _entries_passed_before(cache: Path, version: str) -> frozenset[str]:
    """The search index's field values that passed the last gate of this gate version, by their text's SHA-256;
    nothing if the file is another's or damaged."""
    try:
        kept = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    entries = kept.get("entries") if isinstance(kept, dict) and kept.get("gate_version") == version else None
    if not isinstance(entries, list) or not all(isinstance(h, str) and _DIGEST.fullmatch(h) for h in entries):
        return frozenset()
    return frozenset(entries)
