# The conventions everyone relies on. Each target sets the machine up first (fast when done).
PYTHON := .venv/bin/python

.PHONY: setup setup-build build serve test check bench lighthouse clean

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

## Run every test, browser tests included.
test: setup
	$(PYTHON) -m pytest

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
