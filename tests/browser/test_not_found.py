"""The 404 page (issue 13, item 7) under a sub-path, at depth, and from file://, with the emergency panel.

The site is served under /policies/ by a server that, like nginx's ``error_page 404`` inside a
``location /policies/ { alias …; }``, answers every missing address below /policies/ with the
site's 404.html. "Styled" means Material's stylesheet and the site's own loaded: the header is
sticky and the emergency panel has its red border. The panel's contacts are the school's own:
the copy built here gives its DSL a name and a phone number that appear nowhere else.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from browser_harness import NoStoreHandler, RequestRecorder, format_violations, run_axe
from site_server import serve_directory

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support import TODAY, WEXHAM, run_generator  # noqa: E402

pytestmark = pytest.mark.browser

PREFIX = "/policies/"
DSL_NAME, DSL_PHONE = "Ms Rowan Ashdown-Test", "01632 960123"  # made up for this test (01632 96xxxx: Ofcom drama range)


class SubPathHandler(NoStoreHandler):
    """The site at /policies/ only; anything else is not found (with the site's 404.html)."""

    def translate_path(self, path):
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(PREFIX):
            return str(Path(self.directory) / "__nothing_here__")
        return super().translate_path("/" + clean[len(PREFIX):])


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory) -> Path:
    """The staff site of a copy of the example school that says it is published at …/policies/, and names its DSL."""
    project = tmp_path_factory.mktemp("sub-path") / "project"
    project.mkdir()
    for name in ("school.yml", "glossary.yml", "sources.yml"):
        shutil.copy(WEXHAM / name, project / name)
    for folder in ("policies", "decision_trees", "docs"):
        shutil.copytree(WEXHAM / folder, project / folder)
    school = (project / "school.yml").read_text(encoding="utf-8")
    dsl = "  dsl:\n    role: Designated Safeguarding Lead (DSL)\n    placeholder: true\n"
    assert dsl in school, "the DSL entry of school.yml changed: update this test's copy"
    school = school.replace(dsl, f"  dsl:\n    role: Designated Safeguarding Lead (DSL)\n    name: {DSL_NAME}\n"
                                 f"    phone: \"{DSL_PHONE}\"\n")
    school += "\nsite:\n  staff_url: https://intranet.example.sch.uk/policies/\n"
    (project / "school.yml").write_text(school, encoding="utf-8")
    out = project / "site"
    result = run_generator("build", "--project", str(project), "--output", str(out), "--site", "staff",
                           "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    return out / "staff"


def check_not_found_page(page, home_url: str) -> None:
    """Styled, one <h1>, the emergency panel with the school's DSL, no axe violation, home link right."""
    assert page.locator("h1").inner_text().strip() == "Page not found"
    assert page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    panel = page.locator(".md-content .admonition.danger")
    assert panel.count() == 1 and panel.is_visible()
    assert page.evaluate("() => getComputedStyle(document.querySelector('.admonition.danger')).borderLeftStyle") \
        == "solid"
    text = " ".join(panel.inner_text().split())
    assert "call 999" in text and "Designated Safeguarding Lead (DSL)" in text
    home = page.locator(".md-content a", has_text="home page")
    assert home.evaluate("a => a.href") == home_url


def test_under_a_sub_path_opened_as_404_html_and_served_at_depth(sub_path_site, browser):
    with serve_directory(sub_path_site, SubPathHandler) as root:
        base = root.rstrip("/") + PREFIX
        context = browser.new_context()
        recorder = RequestRecorder().attach(context)
        try:
            page = context.new_page()
            for url in (base + "404.html", base + "policies/no-such-policy/section/", base + "no-such-page"):
                response = page.goto(url, wait_until="load")
                assert response is not None
                assert response.status == (200 if url.endswith("404.html") else 404)
                check_not_found_page(page, base)
                panel = " ".join(page.locator(".admonition.danger").inner_text().split())
                assert f"{DSL_NAME}, {DSL_PHONE}" in panel
                assert page.locator(".admonition.danger a[href='tel:01632960123']").count() == 1
                violations = run_axe(page)
                assert not violations, format_violations(url, violations)
            failed = [url for _, _, url in recorder.requests if "/assets/" in url and not url.startswith(base)]
            assert failed == [], f"assets asked for outside {PREFIX}: {failed}"
            assert not recorder.blocked
        finally:
            context.close()


@pytest.mark.parametrize("site", ["staff", "parents"])
def test_from_a_folder_as_file_url(built_sites, browser, site):
    folder = built_sites / site
    context = browser.new_context()
    try:
        page = context.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto((folder / "404.html").as_uri(), wait_until="load")
        check_not_found_page(page, folder.as_uri() + "/")
        assert requests and all(url.startswith("file://") or url.startswith("data:") for url in requests), requests
    finally:
        context.close()


@pytest.mark.parametrize("site", ["staff", "parents"])
def test_the_built_404_page_has_no_root_relative_address(built_sites, site):
    """Every asset and link of 404.html is relative to the site's root, never /assets/…"""
    html = (built_sites / site / "404.html").read_text(encoding="utf-8")
    absolute = re.findall(r'(?:href|src)="(/[^"]*)"', html)
    assert absolute == [], absolute
    assert 'href="./assets/stylesheets/site.css"' in html
