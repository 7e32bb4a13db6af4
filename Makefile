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

# Tests in parallel processes (pytest-xdist), one more than the machine has cores: a browser test spends
# part of its time waiting (0.5 s of network quiet after each page), which the extra process fills (a fourth
# process on two cores was tried once: not faster, 1,015 s against 916 s, though with more tests). Each file's
# tests run in one process, so a module's own fixture (a corpus of builds, a built school, a served site) is
# made once; the two shared site builds are made once for all of them (tests/conftest.py). Files are handed out
# in the order tests/conftest.py puts them, the longest first (--no-loadscope-reorder: otherwise the files with
# the most tests go first, whatever they cost, and a long file handed out last runs on alone at the end).
# (Not --dist loadgroup: pytest-xdist 3.8 marks a group by renaming the test, which pytest 9.2 ignores.)
PARALLEL := -n $(shell echo $$(( $$(nproc) + 1 ))) --dist loadfile --no-loadscope-reorder

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
