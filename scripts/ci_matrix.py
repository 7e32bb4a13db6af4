#!/usr/bin/env python3
"""The schools this repository builds, and where each school's each site is published (for the workflows).

    python scripts/ci_matrix.py schools          # prints schools=<JSON> for $GITHUB_OUTPUT
    python scripts/ci_matrix.py school-list      # prints "<id>\t<folder>" per school, for a shell loop
    python scripts/ci_matrix.py targets          # prints self_hosted=<JSON> and rsync=<JSON>

``schools``: the school at the repository's root (``school.yml``), then every school folder that
``trust.yml`` lists, if there is one (``schools:`` a list of folders, or of ``{path: folder}``).
Each is ``{"id": <id in its school.yml>, "dir": <folder>}``. Needs PyYAML (the project's venv).

``targets``: reads that list from the SCHOOLS environment variable and crosses it with the two
sites. Each site's route comes from STAFF_PUBLISH_ROUTE and PARENTS_PUBLISH_ROUTE (repository
variables): ``self-hosted`` (a runner inside the school network), ``rsync`` (over SSH from
GitHub's runner) or ``off`` (not published). Each target is
``{"school", "dir", "site", "environment": "<school>-<site>", "runner"}``; the GitHub
environment of that name holds the target's secrets and required reviewers (PUBLISHING.md).
Standard library only, so it runs before any set-up.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

SITES = ("staff", "parents")
ROUTES = ("self-hosted", "rsync", "off")
RUNNER_LABEL = "school-intranet"


class MatrixError(Exception):
    pass


def list_schools(repo: Path) -> list[dict]:
    import yaml

    folders = ["."]
    trust = repo / "trust.yml"
    if trust.is_file():
        data = yaml.safe_load(trust.read_text(encoding="utf-8")) or {}
        for entry in data.get("schools") or []:
            # {id, folder} as `python -m generator build --all` reads it (generator/models/trust.py), or {path}.
            folder = (entry.get("folder") or entry.get("path")) if isinstance(entry, dict) else entry
            if not isinstance(folder, str) or not folder or folder.startswith("/") or ".." in Path(folder).parts:
                raise MatrixError(f"{trust}: each school must be a folder inside the repository, not {folder!r}")
            if Path(folder).as_posix() != ".":  # the root school is listed already
                folders.append(Path(folder).as_posix())
    schools, seen = [], set()
    for folder in folders:
        school_file = repo / folder / "school.yml"
        if not school_file.is_file():
            if folder == ".":
                continue  # a trust repository may keep no school at its root
            raise MatrixError(f"{school_file} does not exist (listed in trust.yml)")
        school_id = (yaml.safe_load(school_file.read_text(encoding="utf-8")) or {}).get("id")
        if not isinstance(school_id, str) or not school_id:
            raise MatrixError(f"{school_file} has no id")
        if school_id in seen:
            raise MatrixError(f"{school_file}: the id {school_id!r} is used by two schools")
        seen.add(school_id)
        schools.append({"id": school_id, "dir": folder})
    if not schools:
        raise MatrixError(f"no school found in {repo} (no school.yml, and no trust.yml listing any)")
    return schools


def list_targets(schools: list[dict], routes: dict[str, str]) -> dict[str, list[dict]]:
    problems = [f"Set the repository variable {site.upper()}_PUBLISH_ROUTE to one of {', '.join(ROUTES)} "
                f"(it is {routes.get(site) or 'not set'}; see PUBLISHING.md)"
                for site in SITES if routes.get(site) not in ROUTES]
    if problems:
        raise MatrixError("\n".join(problems))
    found: dict[str, list[dict]] = {"self-hosted": [], "rsync": []}
    for school in schools:
        for site in SITES:
            if routes[site] == "off":
                continue
            found[routes[site]].append({
                "school": school["id"], "dir": school["dir"], "site": site,
                "environment": f"{school['id']}-{site}",
                # The root school's intranet runner keeps the label it always had; a trust's other
                # schools each get their own runner, labelled <school id>-intranet.
                "runner": RUNNER_LABEL if school["dir"] == "." else f"{school['id']}-intranet",
            })
    return found


def main(argv: list[str]) -> int:
    if argv[1:] in (["schools"], ["school-list"]):
        repo = Path(__file__).resolve().parent.parent
        try:
            schools = list_schools(repo)
            if argv[1] == "schools":
                print("schools=" + json.dumps(schools))
            else:
                print("".join(f"{school['id']}\t{school['dir']}\n" for school in schools), end="")
        except MatrixError as error:
            print(f"::error::{error}", file=sys.stderr)
            return 1
        return 0
    if argv[1:] == ["targets"]:
        try:
            schools = json.loads(os.environ.get("SCHOOLS") or "[]")
            found = list_targets(schools, {site: os.environ.get(f"{site.upper()}_PUBLISH_ROUTE", "").strip()
                                           for site in SITES})
        except (MatrixError, ValueError) as error:
            for line in str(error).splitlines():
                print(f"::error::{line}", file=sys.stderr)
            return 1
        print("self_hosted=" + json.dumps(found["self-hosted"]))
        print("rsync=" + json.dumps(found["rsync"]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
