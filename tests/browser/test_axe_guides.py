"""axe-core finds no accessibility violation on any guide's page of either site, as loaded and again showing
its first outcome step: the guides' half of test_axe.py's audit of every page (the same rules, none disabled), in
a file of its own so that `make test` (one file to one process) runs the two halves side by side."""

from __future__ import annotations

import pytest

from browser_harness import SITES, tree_pages
from test_axe import audit_every_view

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("site", SITES)
def test_every_guide_page_has_no_axe_violations(site, built_sites, site_urls, browser):
    trees = tree_pages(built_sites / site)
    assert trees or site == "parents", "the staff site has no guide's page"  # a school may have no parents' guide
    audit_every_view(site, site_urls[site], trees, set(trees), browser)
