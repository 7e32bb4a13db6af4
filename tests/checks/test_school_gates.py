"""The gates for whatever school is at the repository's root, run on ITS data (a fork's as much as Wexham's).

Nothing here names a page, clause or word of one school: each gate reads what the school's own files say
and checks the built sites against it. Together with `check` (the rules) and the browser gates in
tests/browser/ (axe, keyboard, layout, zero requests to other hosts), these are what a school's CI runs.

The bug each gate exists to catch:
- data that `check` refuses reaching a build (an error the CI would otherwise only see as a failed page);
- a sentence of an approved document missing from the staff site, or a public list out of date (render);
- staff-only words on the built parents' site, by any route (leak check against published-to-parents.yml);
- a policy or guide with no page on a site it is published on;
- a page that loads a script, style sheet, image or frame from another host.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator import pipeline
from generator.build.leaks import find_leaks
from generator.load.models import Audience
from support import REPO, TODAY


def test_check_finds_no_error():
    result = pipeline.check(REPO, TODAY)
    assert [str(d) for d in result.diagnostics if d.is_error] == []


def test_faithfulness_and_the_reviewed_public_list_hold():
    result = pipeline.render(REPO, TODAY)
    assert [str(d) for d in result.diagnostics if d.is_error] == []
    assert result.rendered is not None


def test_the_parents_site_shows_nothing_beyond_its_reviewed_list(real_project, real_sites: Path):
    assert real_project.public_list is not None, "the school has no published-to-parents.yml"
    _, reviewed = real_project.public_list
    assert find_leaks(real_project, reviewed, real_sites / "parents") == []


def test_every_policy_and_guide_has_its_page_on_each_site_it_is_published_on(real_project, real_sites: Path):
    missing = []
    for policy in real_project.policies:
        if not (real_sites / "staff" / "policies" / policy.id / "index.html").is_file():
            missing.append(f"staff: policy {policy.id}")
    for tree in real_project.trees:
        sites = ["staff"] + (["parents"] if Audience.parents in tree.audiences else [])
        missing += [f"{site}: guide {tree.id}" for site in sites
                    if not (real_sites / site / "what-to-do" / tree.id / "index.html").is_file()]
    assert missing == []


_LOADS = re.compile(r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\ssrc=\"([^\"]*)\""
                    r"|<link\b[^>]*\shref=\"([^\"]*)\"", re.I)
_OTHER_HOST = re.compile(r"(?:https?:)?//")
_FETCHED_LINK = re.compile(r'rel="(?:stylesheet|preload|modulepreload|icon|manifest|prefetch|preconnect|dns-prefetch)')


def loads_from_another_host(tag: str, url: str) -> bool:
    """A tag the browser fetches (not a <link rel="canonical">, which is only an address) aimed at another host."""
    fetched = not tag.lower().startswith("<link") or bool(_FETCHED_LINK.search(tag))
    return fetched and bool(_OTHER_HOST.match(url))


def test_the_host_rule_tells_a_fetch_from_an_address():
    assert loads_from_another_host('<script src="https://cdn.example/a.js"', "https://cdn.example/a.js")
    assert loads_from_another_host('<link rel="stylesheet" href="//fonts.example/x"', "//fonts.example/x")
    assert not loads_from_another_host('<link rel="canonical" href="https://school.example/"', "https://school.example/")
    assert not loads_from_another_host('<img alt="" src="../a.png"', "../a.png")


def test_no_page_loads_anything_from_another_host(real_sites: Path):
    found = []
    for page in sorted(real_sites.rglob("*.html")):
        for match in _LOADS.finditer(page.read_text(encoding="utf-8")):
            url = match.group(1) or match.group(2)
            if loads_from_another_host(match.group(0), url):
                found.append(f"{page.relative_to(real_sites)}: {url}")
    assert found == []
