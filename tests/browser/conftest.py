"""Fixtures for the real-browser quality gates (issue 4): built sites, local servers, Chromium.

The tests drive Debian's Chromium (/usr/bin/chromium) through Playwright's sync API against the
two built sites, each served by its own static server on 127.0.0.1. The helpers are in
browser_harness.py beside this file.

Where the sites come from: the session's build of the real data (``real_sites``), or
``POLICY_TEST_SITES=/path`` (a directory holding built ``staff/`` and ``parents/``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser_harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    RequestRecorder,
    missing_sites,
    serve_directory,
)


@pytest.fixture(scope="session")
def built_sites(request: pytest.FixtureRequest) -> Path:
    """A directory holding the built ``staff/`` and ``parents/`` sites.

    Normally the session's one build of the real data (``real_sites`` in tests/conftest.py, at the
    tests' fixed date); ``POLICY_TEST_SITES=/path`` tests prebuilt sites instead.
    """
    prebuilt = os.environ.get("POLICY_TEST_SITES")
    root = Path(prebuilt).resolve() if prebuilt else request.getfixturevalue("real_sites")
    missing = missing_sites(root)
    if missing:
        pytest.fail(f"{root} has no built site for: {', '.join(missing)} (no <site>/index.html)", pytrace=False)
    return root


@pytest.fixture(scope="session")
def site_urls(built_sites: Path) -> Iterator[dict[str, str]]:
    """Base URL of each site, each on its own server: {"staff": "http://127.0.0.1:N/", "parents": ...}."""
    with serve_directory(built_sites / "staff") as staff, serve_directory(built_sites / "parents") as parents:
        yield {"staff": staff, "parents": parents}


@pytest.fixture(scope="session")
def example_urls(wexham_sites: Path) -> Iterator[dict[str, str]]:
    """The example school's sites (tests/fixtures/wexham), served like ``site_urls``: for tests of features that
    need content a school may not have (a parents' guide, a report-a-concern page, long pages, search queries
    written for its pages), so that they hold whatever school is at the root."""
    with serve_directory(wexham_sites / "staff") as staff, serve_directory(wexham_sites / "parents") as parents:
        yield {"staff": staff, "parents": parents}


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session: Debian's build, as Playwright may download none."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def recorded_context(browser):
    """A fresh desktop-sized browser context whose requests are recorded: yields (context, recorder).

    Every request goes through the RequestRecorder, which blocks anything not to 127.0.0.1, so no
    test can reach another host even by mistake.
    """
    context = browser.new_context(viewport=DESKTOP, service_workers="allow")
    recorder = RequestRecorder().attach(context)
    try:
        yield context, recorder
    finally:
        context.close()
