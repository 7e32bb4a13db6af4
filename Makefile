# The conventions everyone relies on. Each target sets the machine up first (fast when done).
PYTHON := .venv/bin/python

.PHONY: setup setup-build build serve test test-fast check bench lighthouse clean

## Everything `make test` needs (Debian's chromium, nginx, rsync, zip; pinned Python packages). No Node.js.
setup:
	@bash scripts/setup.sh test

## What building, serving and checking need: the venv with requirements.txt only.
setup-build:
	@bash scripts/setup.sh build

## Build both sites: the staff site into site/staff/, the parents' site into site/parents/.
build: setup-build
	$(PYTHON) -m generator build

## Build and serve the staff site with live reload on http://127.0.0.1:8000 (SITE=parents for the other).
serve: setup-build
	$(PYTHON) -m generator serve --site $(or $(SITE),staff)

# One test process per core (pytest-xdist); each file's tests stay in one process, so a module's
# expensive fixture (a corpus of builds, a served site, a browser page) is made once.
PARALLEL := -n auto --dist loadfile

## Run every test, browser tests included.
test: setup
	$(PYTHON) -m pytest $(PARALLEL)

## Run every test that needs no browser (`-m "not browser"`): quicker while working.
test-fast: setup
	$(PYTHON) -m pytest $(PARALLEL) -m "not browser"

## Check the data files and print every problem found.
check: setup-build
	$(PYTHON) -m generator check

bench: setup
	$(PYTHON) bench/run.py

## Optional: Lighthouse scores of the built sites (needs Node.js 22.19+ and `npm ci`; see scripts/lighthouse.py).
lighthouse:
	$(PYTHON) scripts/lighthouse.py

clean:
	rm -rf site build test-artifacts
