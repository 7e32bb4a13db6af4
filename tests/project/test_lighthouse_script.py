"""scripts/lighthouse.py's comparisons measure what they say (issue 14). Lighthouse itself is optional and not
run here: these are the script's own steps, on hand-written pages and runs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import lighthouse  # noqa: E402

SCRIPTS = (
    '<script src="../assets/javascripts/search-words.js" defer></script>\n'
    '<script src="../assets/javascripts/bundle.a5f9d56c.min.js" defer></script>\n'
    '<script src="../assets/javascripts/tree.js" defer></script>\n'
    '<script src="../assets/javascripts/a11y.js" defer></script>\n'
)


def _site(root: Path) -> Path:
    for path in ("", "policies/p/"):
        (root / path).mkdir(parents=True, exist_ok=True)
        (root / path / "index.html").write_text(f"<html><body><p>{path or 'home'}</p>\n{SCRIPTS}</body></html>",
                                                encoding="utf-8")
    (root / "other").mkdir()
    (root / "other" / "index.html").write_text(f"<body>{SCRIPTS}</body>", encoding="utf-8")
    return root


def test_without_material_script_leaves_out_the_bundle_and_nothing_else(tmp_path):
    """Bug caught: the "without Material's script" copy also loses our own scripts (a pattern matching any
    <script>), so its score would not be what Material's bundle alone costs; or the built site is changed."""
    site = _site(tmp_path / "site")
    copy = lighthouse.without_material_script(site, tmp_path / "copy", ["", "policies/p/"])
    expected_scripts = (
        '<script src="../assets/javascripts/search-words.js" defer></script>\n\n'
        '<script src="../assets/javascripts/tree.js" defer></script>\n'
        '<script src="../assets/javascripts/a11y.js" defer></script>\n'
    )
    assert (copy / "index.html").read_text(encoding="utf-8") == \
        f"<html><body><p>home</p>\n{expected_scripts}</body></html>"
    assert (copy / "policies/p/index.html").read_text(encoding="utf-8") == \
        f"<html><body><p>policies/p/</p>\n{expected_scripts}</body></html>"
    # pages not measured, and the built site itself, are as they were
    assert (copy / "other" / "index.html").read_text(encoding="utf-8") == f"<body>{SCRIPTS}</body>"
    assert SCRIPTS in (site / "index.html").read_text(encoding="utf-8")


def test_without_material_script_refuses_a_page_with_no_bundle(tmp_path):
    """Bug caught: Material renames its bundle (or a page stops loading it) and the "without" copy silently
    equals ours, reporting that the bundle costs nothing."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<script src="assets/javascripts/tree.js" defer></script>', encoding="utf-8")
    with pytest.raises(SystemExit, match="no Material bundle"):
        lighthouse.without_material_script(site, tmp_path / "copy", [""])


def _run(performance: int, lcp: float, tbt: float, below: list[str], outside: list[str] = ()) -> dict:
    return {"performance": performance, "accessibility": 100, "best-practices": 100, "seo": 100,
            "metrics": {"fcp_ms": 1070, "lcp_ms": lcp, "si_ms": 1100, "tbt_ms": tbt, "cls": 0},
            "audits_below_full_marks": below, "outside_requests": list(outside)}


def test_several_runs_give_medians_and_keep_every_finding():
    """Bug caught: a mean (or the last run) reported as the page's figure, or a request to another host seen in
    one run only lost from the summary (the script exits 1 on any)."""
    runs = [_run(97, 2200, 160, ["total-blocking-time"]), _run(100, 1300, 30, []),
            _run(100, 1400, 40, [], ["https://fonts.example/x.css"])]
    summary = lighthouse.summarise(runs)
    assert summary["performance"] == 100  # the median; the mean would be 99
    assert summary["performance_runs"] == [97, 100, 100]
    assert summary["metrics_median"]["lcp_ms"] == 1400
    assert summary["metrics_median"]["tbt_ms"] == 40
    assert summary["audits_below_full_marks"] == ["total-blocking-time"]
    assert summary["outside_requests"] == ["https://fonts.example/x.css"]
