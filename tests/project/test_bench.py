"""The benchmark scripts measure what they say they measure (issue 7), and bench/run.py runs each named scenario
(issue 24). Small sizes only: fast."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

import corpus  # noqa: E402
import page_weight  # noqa: E402
import run  # noqa: E402
import sizes  # noqa: E402

from generator import pipeline  # noqa: E402
from support import WEXHAM  # noqa: E402


@pytest.fixture(scope="module")
def corpus2(tmp_path_factory) -> tuple[Path, corpus.CorpusInfo]:
    dest = tmp_path_factory.mktemp("corpus") / "x2"
    return dest, corpus.make_corpus(WEXHAM, dest, 2)


def test_corpus_scales_policies_and_trees_and_validates(corpus2):
    dest, info = corpus2
    policies = sorted(p.stem for p in (dest / "policies").glob("*.yml"))
    real = sorted(p.stem for p in (WEXHAM / "policies").glob("*.yml"))
    assert info.policies == 2 * len(real) == len(policies)
    assert set(real) <= set(policies)
    assert {f"{p}-copy-2" for p in real} <= set(policies)
    trees = list((dest / "decision_trees").glob("*.yml"))
    assert info.trees == len(trees) == 2 * max(corpus.TREES_PER_UNIT, len(info.unit_trees))
    result = pipeline.check(dest, date(2024, 10, 1))
    assert result.ok, [str(d) for d in result.diagnostics if d.is_error]


def test_copied_trees_cite_their_own_copy_of_the_policy(corpus2):
    dest, _ = corpus2
    result = pipeline.check(dest, date(2024, 10, 1))
    # Steps of a shared group (decision_trees/shared/) are written once, citing the original policy.
    shared = {node["id"] for path in (dest / "decision_trees" / "shared").glob("*.yml")
              for node in yaml.safe_load(path.read_text(encoding="utf-8"))["nodes"]}
    for tree in result.project.trees:
        for node in tree.nodes:
            if node.id in shared:
                continue
            for citation in node.cites:
                policy = citation.split("#")[0]
                if policy not in result.project.policies_by_id:
                    continue  # a statutory source (generator/data/sources.yml), the same for every copy
                assert ("-copy-2" in tree.id) == policy.endswith("-copy-2"), (tree.id, citation)
            for related in getattr(node, "related_trees", []):
                assert ("-copy-2" in tree.id) == ("-copy-2" in related), (tree.id, related)


def test_copies_are_lightly_varied_not_identical(corpus2):
    dest, _ = corpus2
    result = pipeline.check(dest, date(2024, 10, 1))
    by_id = result.project.policies_by_id
    original = next(p for p in by_id.values() if "-copy-" not in p.id)
    copy = by_id[f"{original.id}-copy-2"]
    texts = lambda policy: [c.text for s, _ in policy.walk_sections() for c in s.clauses if c.text]  # noqa: E731
    before, after = texts(original), texts(copy)
    assert len(before) == len(after)
    changed = sum(a != b for a, b in zip(before, after))
    assert 0 < changed < len(before)


def test_measure_reports_the_childs_own_peak_rss_not_ours(tmp_path):
    ballast = bytearray(200 * 1024 * 1024)  # make this process's peak RSS large
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    small = sizes.measure([sys.executable, "-c", "pass"])
    big = sizes.measure([sys.executable, "-c", "b = bytearray(120 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"])
    assert small["rc"] == 0 and big["rc"] == 0
    assert small["maxrss_mb"] < 60, small
    assert big["maxrss_mb"] > 120, big
    assert small["wall_s"] > 0
    del ballast


def test_measure_reports_failure(tmp_path):
    log = tmp_path / "log"
    result = sizes.measure([sys.executable, "-c", "import sys; print('boom'); sys.exit(3)"], log=log)
    assert result["rc"] == 3
    with pytest.raises(sizes.BenchError, match="boom"):
        sizes._check(result, "probe", log)


def test_alias_bomb_is_refused_quickly(tmp_path):
    files = sizes.alias_bomb_files(tmp_path)
    bomb = files["billion laughs at the top"]
    result = sizes.measure([sys.executable, "-c", sizes.ALIAS_PROBE, str(REPO), str(bomb)], log=tmp_path / "log")
    report = json.loads((tmp_path / "log").read_text().strip().splitlines()[-1])
    assert "E103" in report["outcome"]
    assert report["load_yaml_s"] < 1.0
    assert result["maxrss_mb"] < 200


def test_site_stats_counts_pages_and_bytes(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text("<html>" + "x" * 1000 + "</html>")
    (tmp_path / "a" / "index.html").write_text("<html>y</html>")
    (tmp_path / "a" / "style.css").write_text("body{}")
    stats = sizes.site_stats(tmp_path)
    assert stats["html_pages"] == 2
    assert stats["html_bytes"] == 1013 + 14
    assert stats["html_bytes_max"] == 1013 and stats["html_largest"] == "index.html"
    assert stats["files"] == 3 and stats["total_bytes"] == 1013 + 14 + 6


def test_page_weight_splits_shared_and_page_specific_assets(tmp_path):
    site = tmp_path
    (site / "assets").mkdir()
    (site / "assets" / "main.css").write_text("body{color:red}")
    (site / "assets" / "tree.js").write_text("console.log(1)" * 50)
    (site / "what-to-do" / "t").mkdir(parents=True)
    (site / "index.html").write_text('<link rel="stylesheet" href="assets/main.css"><p>home</p>')
    (site / "what-to-do" / "t" / "index.html").write_text(
        '<link rel="stylesheet" href="../../assets/main.css"><script src="../../assets/tree.js"></script>')
    shared, pages = page_weight.site_assets(site)
    assert pages == 2 and shared == {"assets/main.css": "css"}
    chosen = page_weight.choose_pages(site)
    assert chosen["largest tree"] == "what-to-do/t/index.html"
    weight = page_weight.static_weight(site, chosen["largest tree"], shared)
    assert list(weight["page_specific_assets"]) == ["assets/tree.js"]
    assert weight["own_gzip"] == weight["html_gzip"] + weight["page_specific_gzip"]


def test_run_at_1x_writes_results(tmp_path):
    """The whole benchmark at 1x, one run, no profile or extras: every figure is there."""
    code = sizes.main(["--sizes", "1", "--repeat", "1", "--no-profile", "--no-extras", "--quick", "--no-end-to-end",
                     "--results-dir", str(tmp_path)])
    assert code == 0
    written = list(tmp_path.glob("build-*-quick.json"))
    assert len(written) == 1 and not (tmp_path / "latest.json").exists()
    result = json.loads(written[0].read_text())
    size = result["sizes"][0]
    assert size["size"] == 1
    for site in ("staff", "parents"):
        entry = size["sites"][site]
        assert entry["html_pages"] > 0 and entry["mkdocs"]["wall_s"] > 0 and entry["mkdocs"]["maxrss_mb"] > 20
        assert entry["phases"]["pages"] == entry["html_pages"] - 1  # every page but 404.html
    assert 0 < size["generator_share_of_sequential"] < 1
    assert "| 1× |" in result["table"]


def test_guide_texts_keep_the_words_the_safety_rules_read():
    """At 55x, 'staff' -> 'colleagues' in one copy's help text made it fail S501, so the corpus did not build."""
    import random

    text = "Talk to the DSL with other staff as needed; pupils may be at risk."
    for seed in range(200):
        varied = corpus._vary(text, random.Random(seed), corpus._TREE_SWAPS)
        assert "staff" in varied and "pupils" in varied, varied


def test_anchors_plain_material_config_drops_our_theme_and_prunes(tmp_path):
    """bench/anchors.py's plain Material config, from a generated site's config and the package's base config."""
    import anchors

    result = pipeline.generate(REPO / "tests" / "fixtures" / "neutral-school", tmp_path, date(2026, 11, 24))
    assert result.ok, [str(d) for d in result.diagnostics if d.is_error]
    config = yaml.safe_load(anchors.plain_material_config(tmp_path / "staff").read_text(encoding="utf-8"))
    assert "INHERIT" not in config and "custom_dir" not in config["theme"]
    assert "navigation.prune" in config["theme"]["features"]
    assert not {"extra_css", "extra_javascript", "hooks"} & set(config)
    assert config["site_name"].endswith("Staff policies") and config["markdown_extensions"]


def test_anchors_give_plain_material_the_guides_steps_in_their_markdown(tmp_path):
    """Plain Material and the floor must convert the same content as our build: each guide's steps, which our
    theme includes as ready HTML, go back into its Markdown. Bug caught: the anchors run on the Markdown alone
    (title and one line per guide), which would make plain Material look cheaper than it is."""
    import anchors

    result = pipeline.generate(REPO / "tests" / "fixtures" / "wexham", tmp_path, date(2026, 11, 24))
    assert result.ok, [str(d) for d in result.diagnostics if d.is_error]
    docs = anchors.inline_guides(tmp_path / "staff")
    guides = sorted((docs / "what-to-do").glob("*/index.md"))
    assert len(guides) >= 10
    for page in guides:
        text = page.read_text(encoding="utf-8")
        assert text.count('class="tree-step"') >= 2, page
        assert "template: guide.html" not in text, page
    assert (docs / "index.md").read_text(encoding="utf-8") == (tmp_path / "staff" / "docs" / "index.md").read_text(encoding="utf-8")


def test_every_scenario_of_the_runner_is_a_script_here():
    """Bug caught: a scenario naming a script that was renamed or removed (bench/run.py would fail only when run)."""
    assert set(run.SCENARIOS) == {"sizes", "preview", "one-changed-guide", "check-one-file", "import", "trust",
                                  "anchors", "page-weight", "whole-pipeline"}
    for name, (script, what) in run.SCENARIOS.items():
        text = (REPO / "bench" / script).read_text(encoding="utf-8")
        assert 'if __name__ == "__main__":' in text and what, name


def test_the_runner_picks_the_scenario_and_passes_its_options_on():
    """`make bench` runs bench/run.py alone: the sizes scenario with its defaults; options before a scenario's
    name are the sizes scenario's (as the commands in BENCHMARKS.md were written); an unknown name is refused."""
    assert run.command([]) == [sys.executable, str(REPO / "bench" / "sizes.py")]
    assert run.command(["--sizes", "1,55", "--repeat", "1"])[1:] == [str(REPO / "bench" / "sizes.py"),
                                                                   "--sizes", "1,55", "--repeat", "1"]
    assert run.command(["preview", "--sizes", "1"])[1:] == [str(REPO / "bench" / "preview.py"), "--sizes", "1"]
    assert run.command(["--list"]) is None
    with pytest.raises(SystemExit, match="no scenario 'sizez'"):
        run.command(["sizez"])


def test_one_changed_guide_edits_one_question_of_one_guide(tmp_path):
    import one_changed_guide

    project = tmp_path / "project"
    shutil.copytree(REPO / "tests" / "fixtures" / "wexham", project)
    before = {path: path.read_text(encoding="utf-8") for path in (project / "decision_trees").rglob("*.yml")}
    edited = one_changed_guide.edit_first_question(project)
    changed = [path for path, text in before.items() if path.read_text(encoding="utf-8") != text]
    assert changed == [edited]
    old, new = before[edited].splitlines(), edited.read_text(encoding="utf-8").splitlines()
    differing = [(a, b) for a, b in zip(old, new) if a != b]
    assert len(old) == len(new) and len(differing) == 1
    assert differing[0][0].lstrip().startswith("question: ") and differing[0][1] == differing[0][0] + " now"
