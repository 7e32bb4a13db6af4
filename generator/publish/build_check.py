"""Checking a build and its manifest: what may be published (validated, complete, the school and site expected,
untouched since the build), the copy gated again, and a release checked against its manifest.json."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from generator.checks.freshness import PREVIEW_KEY  # version.json's list of why a build is a preview only
from generator.publish.publish_gate import gate_release
from generator.build.site_manifest import check_against_manifest, copy_checked
from generator.publish.layout import MANIFEST_FILE, REQUIRED_FILES, SUMS_FILE, VERSION_FILE, PublishError
from generator.publish.target import SITE_WORDS, Expectation


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
            problems.append("fill in the real contact details in school.yml (S701), confirm the starter's example "
                            "content (W520) and build again, or publish it for review only with --preview")
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
