# The conventions everyone relies on. Each target sets the machine up first (fast when done).
PYTHON := .venv/bin/python

.PHONY: setup build serve test check bench clean

setup:
	@bash scripts/setup.sh

## Build both sites: the staff site into site/staff/, the parents' site into site/parents/.
build: setup
	$(PYTHON) -m generator build

## Build and serve the staff site with live reload on http://127.0.0.1:8000 (SITE=parents for the other).
serve: setup
	$(PYTHON) -m generator serve --site $(or $(SITE),staff)

## Run every test, browser tests included.
test: setup
	$(PYTHON) -m pytest

## Check the data files and print every problem found.
check: setup
	$(PYTHON) -m generator check

bench: setup
	$(PYTHON) bench/run.py

clean:
	rm -rf site build test-artifacts
