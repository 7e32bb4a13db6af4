"""Build a school's two sites from two checkouts of the tool and compare them byte for byte (issue 24).

For a change that must not change behaviour (scripts/restructure.py moving modules into stage folders):

    git clone -q . /tmp/before && git clone -q . /tmp/after
    (cd /tmp/after && ../../path/to/.venv/bin/python scripts/restructure.py)
    .venv/bin/python scripts/compare_builds.py /tmp/before /tmp/after --today 2026-11-24

Each checkout builds its own copy of the school (``--project``, inside the checkout; the root school by default)
with its own code (``PYTHONPATH`` = the checkout, the same Python and packages), the same ``--today`` and the
same ``SOURCE_DATE_EPOCH`` (the sitemap's dates), with ``--force`` so nothing is reused. Every file of both sites
must be the same, byte for byte; only version.json's fields that name the build itself may differ (when it was
built, from which commit, and the hashes of the tool's own code). Exit status 0 when identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SITES = ("staff", "parents")
VOLATILE = {"built_at", "git_sha", "git_dirty"}
"""version.json fields about the build itself, not the site (with every ``*_sha256``: they hash the tool's code)."""


def build(checkout: Path, project: str, today: str, out: Path, python: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(checkout), "SOURCE_DATE_EPOCH": "1764547200"}
    command = [python, "-m", "generator", "build", "--project", str(checkout / project), "--output", str(out / "site"),
               "--work-dir", str(out / "work"), "--today", today, "--force"]
    result = subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True)
    if result.returncode:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        sys.exit(f"the build from {checkout} failed (its last lines):\n{tail}")


def stable_version(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if key not in VOLATILE and not key.endswith("_sha256")}


def stable_manifest(path: Path) -> dict:
    """build-manifest.json without version.json's hash (that file names the build itself: see VOLATILE)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data.get("files", {}).pop("version.json", None)
    return data


def differences(before: Path, after: Path) -> list[str]:
    """What differs between two built sites: one line per file."""
    files = {path.relative_to(before).as_posix() for path in before.rglob("*") if path.is_file()}
    others = {path.relative_to(after).as_posix() for path in after.rglob("*") if path.is_file()}
    found = [f"only before: {name}" for name in sorted(files - others)]
    found += [f"only after: {name}" for name in sorted(others - files)]
    for name in sorted(files & others):
        if name == "version.json":
            if stable_version(before / name) != stable_version(after / name):
                found.append("differs: version.json (beyond when, from which commit, and the code's hashes)")
        elif name == "build-manifest.json":
            if stable_manifest(before / name) != stable_manifest(after / name):
                found.append("differs: build-manifest.json (beyond version.json's hash)")
        elif (before / name).read_bytes() != (after / name).read_bytes():
            found.append(f"differs: {name}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="checkout of the tool before the change")
    parser.add_argument("after", type=Path, help="checkout of the tool after the change")
    parser.add_argument("--project", default=".", help="the school, as a folder inside each checkout (default: .)")
    parser.add_argument("--today", default="2026-11-24", help="the date both builds check review dates against")
    parser.add_argument("--python", default=sys.executable, help="the Python (with the packages) both builds use")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="compare-builds-") as scratch:
        outputs = {}
        for label, checkout in (("before", args.before.resolve()), ("after", args.after.resolve())):
            outputs[label] = Path(scratch) / label
            build(checkout, args.project, args.today, outputs[label], args.python)
        found = []
        for site in SITES:
            site_found = differences(outputs["before"] / "site" / site, outputs["after"] / "site" / site)
            counted = sum(1 for path in (outputs["before"] / "site" / site).rglob("*") if path.is_file())
            print(f"{site}: {counted} files, {'identical' if not site_found else f'{len(site_found)} differ'}")
            found += [f"{site}: {line}" for line in site_found]
        for line in found:
            print(f"  {line}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
