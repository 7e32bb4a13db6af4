#!/usr/bin/env python3
"""The schools this repository builds, and where each school's each site is published (for the workflows).

    python scripts/ci_matrix.py schools [DIR]    # prints schools=<JSON> for $GITHUB_OUTPUT
    python scripts/ci_matrix.py school-list [DIR]  # prints "<id>\t<folder>" per school, for a shell loop
    python scripts/ci_matrix.py targets          # prints self_hosted=<JSON> and rsync=<JSON>

``schools``: the schools of the repository (or DIR), read as ``python -m generator build --all`` reads
them (generator/load/trust.py): every ``{id, folder}`` that ``trust.yml`` lists, or with no ``trust.yml`` the
school at the root (``school.yml``) alone. Each is ``{"id": <id>, "dir": <folder>}``; each folder must hold
a ``school.yml`` with that id. Needs the generator's packages (the project's venv).

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
TOOL = Path(__file__).resolve().parent.parent
"""The repository holding the generator (its trust.yml loader is the one definition of the format)."""


class MatrixError(Exception):
    pass


def list_schools(repo: Path) -> list[dict]:
    """The schools `build --all` builds, in trust.yml's order; MatrixError with file:line:column when it is wrong."""
    sys.path.insert(0, str(TOOL))
    import yaml

    from generator.load.diagnostics import DiagnosticError
    from generator.load.trust import TrustError, trust_schools

    try:
        listed = trust_schools(repo, None)
    except DiagnosticError as error:
        raise MatrixError("\n".join(str(d) for d in error.diagnostics)) from None
    except TrustError as error:
        raise MatrixError(f"no school found in {repo}: {error}") from None
    schools = []
    for school in listed:
        folder = Path(school.folder).as_posix()
        school_file = repo / folder / "school.yml"
        if not school_file.is_file():
            raise MatrixError(f"{school_file} does not exist (listed in trust.yml)")
        found = (yaml.safe_load(school_file.read_text(encoding="utf-8")) or {}).get("id")
        if found != school.id:
            # The id names the school's GitHub environments and its build's version.json: they must agree.
            raise MatrixError(f"{school_file}: its id is {found!r}, but trust.yml lists the school in {folder!r} "
                              f"as {school.id!r}")
        schools.append({"id": school.id, "dir": folder})
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
    if argv[1:2] in (["schools"], ["school-list"]) and len(argv) <= 3:
        repo = Path(argv[2]) if len(argv) == 3 else TOOL
        try:
            schools = list_schools(repo)
            if argv[1] == "schools":
                print("schools=" + json.dumps(schools))
            else:
                print("".join(f"{school['id']}\t{school['dir']}\n" for school in schools), end="")
        except MatrixError as error:
            for line in str(error).splitlines():
                print(f"::error::{line}", file=sys.stderr)
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
