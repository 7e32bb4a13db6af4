#!/usr/bin/env bash
# The fork test (issue 13): a copy of this repository with another school's data (the `init` starter) in
# place of the root school's, and the test suite run there. A school's own expectations live with its
# data (checks/), so the copy carries the starter's.
#   bash scripts/fork-check.sh [pytest arguments]     e.g. -m "not browser"
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
fork=$(mktemp -d)/fork
trap 'rm -rf "$(dirname "$fork")"' EXIT
mkdir "$fork"
git -C "$repo" archive HEAD | tar -x -C "$fork"
cd "$fork"
# The root school's data out; the tool's own files (generator/, sources.yml for now, tests/) stay.
rm -rf school.yml glossary.yml policies decision_trees docs/parents docs/shared docs/staff \
       published-to-parents.yml trust.yml trust checks schemas
ln -s "$repo/.venv" .venv
[ -e "$repo/node_modules" ] && ln -s "$repo/node_modules" node_modules
PYTHONPATH="$fork" .venv/bin/python -m generator init "$fork/.starter" >/dev/null 2>&1
cp -r .starter/. . && rm -rf .starter
git init -q && git add -A && git -c user.email=fork@example.invalid -c user.name=fork commit -qm "fork"
echo "fork-check: $(grep '^name:' school.yml) in place of the root school, in $fork" >&2
PYTHONPATH="$fork" .venv/bin/python -m pytest -p no:cacheprovider "$@"
