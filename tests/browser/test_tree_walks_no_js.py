"""Every path through every decision tree walked with JavaScript off: the other half of test_tree_walks.py's
walks (there with JavaScript on), in a file of its own so that `make test` (one file to one process) runs the
two halves side by side. What is walked and checked is told in test_tree_walks.py."""

from __future__ import annotations

import pytest

from test_tree_walks import CASE_IDS, CASES, walk_every_path

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("site,tree", CASES, ids=CASE_IDS)
def test_every_path_reaches_its_outcome_without_javascript(site, tree, browser, example_urls):
    walk_every_path(site, tree, False, browser, example_urls)
