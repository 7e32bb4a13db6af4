"""generator/render/guide_steps.py: a guide's steps go into its built page in place of the theme's marker, or the
build stops. Hand-written cases; the whole path (render -> mkdocs -> steps -> gate) is tested on built sites
in test_search_index.py (build, live preview), test_tree_render.py and tests/browser/test_offline_bundle.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render.guide_steps import MARKER, insert_guide_steps, steps_path

THEME_GUIDE = Path(__file__).resolve().parents[2] / "generator" / "theme" / "guide.html"


def _page(site: Path, tree_id: str, html: str) -> Path:
    page = site / "what-to-do" / tree_id / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(html, encoding="utf-8")
    return page


def test_the_steps_replace_the_marker_and_nothing_else(tmp_path):
    page = _page(tmp_path, "lost-phone", f"<h1>Lost phone</h1><p>When…</p>{MARKER}<footer>f</footer>")
    other = _page(tmp_path, "other", "<h1>Other</h1>")
    insert_guide_steps(tmp_path, {steps_path("lost-phone"): '<section class="tree-step" id="a">A</section>',
                                  "abbreviations.md": "*[DSL]: x", "search-entries.json": "[]"})
    assert page.read_text(encoding="utf-8") == \
        '<h1>Lost phone</h1><p>When…</p><section class="tree-step" id="a">A</section><footer>f</footer>'
    assert other.read_text(encoding="utf-8") == "<h1>Other</h1>"


@pytest.mark.parametrize("markers", [0, 2])
def test_a_page_without_exactly_one_place_for_its_steps_stops_the_build(tmp_path, markers):
    """Bug caught: a theme change that drops the marker, which would publish guides with no steps."""
    _page(tmp_path, "lost-phone", "<h1>Lost phone</h1>" + MARKER * markers)
    with pytest.raises(ValueError, match=f"has {markers} places for its steps"):
        insert_guide_steps(tmp_path, {steps_path("lost-phone"): "<section>A</section>"})


def test_the_theme_leaves_the_marker_the_build_looks_for():
    """Bug caught: the marker in theme/guide.html and in guide_steps.py drifting apart."""
    assert THEME_GUIDE.read_text(encoding="utf-8").count(MARKER) == 1


def test_the_live_preview_reads_back_the_includes_the_build_wrote(tmp_path):
    """read_includes (the live preview's and the benchmarks' view of includes/) gives what write_sources wrote,
    file by file (planted: only the guides' folder read -> the search entries are lost, red)."""
    from generator.build.mkdocs_build import read_includes, write_sources
    from generator.render.renderer import RenderedSite

    includes = {"abbreviations.md": "*[DSL]: Designated Safeguarding Lead\n", "search-entries.json": "[]\n",
                steps_path("lost-phone"): "<section>Ä step</section>", steps_path("other"): "<section>B</section>"}
    write_sources(RenderedSite("staff", docs={"index.md": "# Home\n"}, includes=dict(includes)), tmp_path)
    found = read_includes(tmp_path / "includes")
    assert dict(found.items()) == includes and len(found) == 4 and found.get("absent.md") is None
    assert dict(read_includes(tmp_path / "nowhere").items()) == {}
