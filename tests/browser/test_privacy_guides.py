"""No guide's page of either site asks any host but its own for anything: the guides' half of
test_privacy.py's crawl of every page (each loaded, its search used, every request recorded and any not to
127.0.0.1 blocked), in a file of its own so that `make test` (one file to one process) runs the two halves
side by side."""

from __future__ import annotations

import pytest

from browser_harness import SITES, tree_pages
from test_privacy import crawl

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("site", SITES)
def test_no_guide_page_requests_another_host(site, built_sites, site_urls, recorded_context):
    trees = tree_pages(built_sites / site)
    assert trees or site == "parents", "the staff site has no guide's page"  # a school may have no parents' guide
    if trees:
        crawl(site_urls[site], trees, recorded_context, f"the {site} site's guides")
