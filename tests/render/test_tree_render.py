"""Issue 3, parts 4-6 without a browser: how each decision tree is rendered and built.

Every step is a <section class="tree-step" id="<node id>" data-kind="question|outcome">, every
answer is a plain link to a step on the same page, the whole tree is drawn as an inline SVG, and
the page stays light: its own HTML plus tree.js plus the tree block of site.css, gzipped, is under
30 KB for every tree (so for the largest).
"""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml

from generator.render.diagram import render_svg
from generator.load.models import Audience, Question
from support import guide_page, run_generator

REPO = Path(__file__).resolve().parents[2]
PAGE_BUDGET = 30 * 1024
TREE_JS = REPO / "generator" / "theme" / "assets" / "javascripts" / "tree.js"
SITE_CSS = REPO / "generator" / "theme" / "assets" / "stylesheets" / "site.css"
CSS_START = "Decision trees (issue 3)"
CSS_END = "end of decision trees"


def site_trees(project, site: str):
    return [tree for tree in project.trees if site == "staff" or Audience.parents in tree.audiences]


def tree_cases(project):
    return [(site, tree) for site in ("staff", "parents") for tree in site_trees(project, site)]


class _TreePage(HTMLParser):
    """The steps of a built tree page: id -> {kind, start, links: [(class, href, data-answer)]}."""

    def __init__(self):
        super().__init__()
        self.steps: dict[str, dict] = {}
        self.ids: list[str] = []
        self.in_tree = 0
        self.depth = 0
        self.current: str | None = None
        self.step_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag in {"br", "img", "input", "hr", "meta", "link", "wbr", "source"}:
            return
        self.depth += 1
        classes = (attrs.get("class") or "").split()
        if tag == "section" and "tree-step" in classes:
            assert self.current is None, "a tree step inside another"
            self.current = attrs["id"]
            self.step_depth = self.depth
            self.steps[attrs["id"]] = {"kind": attrs.get("data-kind"), "start": "data-start" in attrs, "links": []}
        elif tag == "a" and self.current:
            self.steps[self.current]["links"].append((classes, attrs.get("href", ""), attrs.get("data-answer")))

    def handle_endtag(self, tag):
        if tag in {"br", "img", "input", "hr", "meta", "link", "wbr", "source"}:
            return
        if self.current and tag == "section" and self.depth == self.step_depth:
            self.current = None
        self.depth -= 1


def parse(path: Path) -> _TreePage:
    parser = _TreePage()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def tree_css() -> str:
    css = SITE_CSS.read_text(encoding="utf-8")
    assert CSS_START in css and CSS_END in css, "site.css has lost its marked decision-tree block"
    return css[css.index(CSS_START): css.index(CSS_END)]


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def page_weight(page: Path) -> dict[str, int]:
    html = gz(page.read_bytes())
    js = gz(TREE_JS.read_bytes())
    css = gz(tree_css().encode("utf-8"))
    return {"html": html, "js": js, "css": css, "total": html + js + css}


# --- the Markdown the generator writes ------------------------------------------------------

def _href(target: str) -> str:
    """Where an answer or next step links: '#step' in the same guide, '../tree/#step' in another."""
    tree, _, step = target.rpartition("#")
    return f"../{tree}/#{step}" if tree else f"#{step}"


def test_rendered_markdown_has_one_section_per_node(real_project):
    from generator.render.renderer import render_project
    from generator.pipeline import BASE_CONFIG, THEME_DIR

    rendered = render_project(real_project, BASE_CONFIG, THEME_DIR)
    assert real_project.trees, "there are no decision trees to render"
    for site, tree in tree_cases(real_project):
        text = guide_page(rendered[site], tree.id)
        sections = re.findall(r'<section class="tree-step" id="([^"]+)" data-kind="(question|outcome)"', text)
        assert sections == [(node.id, node.kind) for node in tree.nodes], f"{site} {tree.id}"
        assert text.count('data-start="true"') == 1
        # The steps are ready HTML (issue 17): nothing asks Markdown to convert inside them.
        assert 'markdown="1"' not in text and "{ ." not in text, f"{site} {tree.id}"
        for node in tree.nodes:
            if isinstance(node, Question):
                for answer in node.answers:
                    assert f'<a href="{_href(answer.next)}" class="tree-answer" data-answer="{answer.id}"' in text


def test_template_code_in_a_guide_is_shown_not_run(tmp_path):
    """Text from the data that looks like template code shows as typed on the built page. Bug caught: the steps
    given to MkDocs' template engine (e.g. included by theme/guide.html) — planted, the build fails on the include.
    The staff site only: the page looked at is the staff site's, and each site's guides go through the same steps."""
    import html
    import json
    import sys

    sys.path.insert(0, str(REPO / "tests" / "broken"))
    import broken_cases

    project = broken_cases.copy_project(tmp_path / "project")
    typed = "{{ config.site_name }} {% include 'main.html' %} {# hidden #} {{'{'}}"
    tree = project / "decision_trees" / "pupil-contacts-me.yml"
    text = tree.read_text(encoding="utf-8")
    old = "question: Does any of these apply to what the pupil sent or said?"
    assert old in text
    tree.write_text(text.replace(old, "question: " + json.dumps(f"Does any of these apply? {typed}")), encoding="utf-8")
    result = run_generator("build", "--project", str(project), "--output", str(tmp_path / "site"),
                           "--work-dir", str(tmp_path / "work"), "--today", "2026-11-30", "--site", "staff")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (tmp_path / "site" / "staff" / "what-to-do" / "pupil-contacts-me" / "index.html").read_text(encoding="utf-8")
    shown = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert f"Does any of these apply? {typed}" in shown
    assert page.count("<html") == 1 and page.count('class="tree-step"') > 1


def test_trees_on_each_site(real_project, real_sites: Path):
    for site in ("staff", "parents"):
        built = {p.parent.name for p in (real_sites / site / "what-to-do").glob("*/index.html")}
        assert built == {tree.id for tree in site_trees(real_project, site)}, site


# --- the built pages ------------------------------------------------------------------------

def test_every_node_is_a_section_with_its_own_id(real_project, real_sites: Path):
    for site, tree in tree_cases(real_project):
        page = parse(real_sites / site / "what-to-do" / tree.id / "index.html")
        assert list(page.steps) == [node.id for node in tree.nodes], f"{site} {tree.id}"
        for node in tree.nodes:
            assert page.steps[node.id]["kind"] == node.kind
            assert page.steps[node.id]["start"] == (node is tree.nodes[0])
        duplicates = {i for i in page.ids if page.ids.count(i) > 1}
        assert not duplicates, f"{site} {tree.id}: duplicate ids {duplicates}"


def test_answer_links_point_to_existing_steps(real_project, real_sites: Path):
    for site, tree in tree_cases(real_project):
        page = parse(real_sites / site / "what-to-do" / tree.id / "index.html")
        start = tree.nodes[0].id
        for node in tree.nodes:
            links = page.steps[node.id]["links"]
            answers = [(href, answer) for classes, href, answer in links if "tree-answer" in classes]
            follow = [href for classes, href, _ in links if "tree-next" in classes]
            restart = [href for classes, href, _ in links if "tree-restart" in classes]
            for classes, href, _ in links:
                if href.startswith("#"):
                    assert href[1:] in page.steps, f"{site} {tree.id} {node.id}: {href} is not a step"
            if isinstance(node, Question):
                assert answers == [(_href(a.next), a.id) for a in node.answers], f"{site} {tree.id} {node.id}"
            else:
                assert not answers
                assert follow == ([_href(node.next_step.next)] if node.next_step else [])
            assert restart == ([] if node.id == start else [f"#{start}"]), f"{site} {tree.id} {node.id}"


def test_safeguarding_trees_show_the_emergency_panel_on_every_step(real_project, real_sites: Path):
    # The panel is on every step of a safeguarding guide but those its authors said are about an adult (the
    # LADO, an employer's process, a complaint: `concern_about` other than a child) or turned off by name
    # (`emergency_panel: false`), and on no step of any other guide. Written from the format's rules here, not
    # by calling the renderer's own test (step_shows_emergency_panel).
    adult = {"adult_working_with_children", "other_adult"}
    for site, tree in tree_cases(real_project):
        html = (real_sites / site / "what-to-do" / tree.id / "index.html").read_text(encoding="utf-8")
        steps = re.findall(r'<section class="tree-step".*?</section>', html, re.S)
        assert len(steps) == len(tree.nodes)
        for node, step in zip(tree.nodes, steps):
            has_panel = 'class="tree-emergency"' in step and 'href="tel:999"' in step
            opted_out = getattr(node, "emergency_panel", None) is False or \
                (getattr(node, "concern_about", None) or tree.concern_about) in adult
            expected = tree.safeguarding and not opted_out if getattr(node, "emergency_panel", None) is not True \
                else True
            assert has_panel == expected, f"{site} {tree.id} {node.id}"


def test_the_whole_tree_is_drawn_inline(real_project, real_sites: Path):
    for site, tree in tree_cases(real_project):
        html = (real_sites / site / "what-to-do" / tree.id / "index.html").read_text(encoding="utf-8")
        svg = render_svg(tree)
        assert svg in html, f"{site} {tree.id}: the diagram was changed by Markdown"
        assert 'role="img"' in svg and "<title" in svg
        assert svg.count("<rect") == len(tree.nodes)
        overview = html[html.index('<details class="tree-overview"'):]
        assert "Whole tree: diagram and every step" in overview
        # ... and every step is written out beside it, for printing and review.
        written = re.findall(r"<h3[^>]*>(Question|Outcome): ", overview)
        questions = sum(isinstance(node, Question) for node in tree.nodes)
        assert written.count("Question") == questions and written.count("Outcome") == len(tree.nodes) - questions


def test_page_weight_of_the_largest_tree_is_under_30_kb(real_project, real_sites: Path):
    weights = {}
    for site, tree in tree_cases(real_project):
        weights[f"{site}/{tree.id}"] = page_weight(real_sites / site / "what-to-do" / tree.id / "index.html")
    largest = max(weights, key=lambda key: weights[key]["total"])
    print(f"largest tree page: {largest} {weights[largest]}")
    over = {key: w for key, w in weights.items() if w["total"] >= PAGE_BUDGET}
    assert not over, f"tree pages over {PAGE_BUDGET} bytes gzipped: {over}"


# --- what keeps stepping working and private -------------------------------------------------

def test_material_features_that_would_break_fragment_stepping_are_off():
    config = yaml.safe_load((REPO / "generator" / "mkdocs.yml").read_text(encoding="utf-8"))
    features = config["theme"].get("features", [])
    # Instant navigation swaps pages by script; tracking rewrites the #fragment while scrolling.
    assert "navigation.instant" not in features
    assert "navigation.tracking" not in features
    assert "assets/javascripts/tree.js" in config.get("extra_javascript", [])


def test_tree_script_keeps_answers_in_this_tab_only():
    """Answers survive a reload or Back within the tab (sessionStorage) and go nowhere else (issue 14)."""
    source = TREE_JS.read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.S)
    assert "sessionStorage" in code
    for api in ("localStorage", "indexedDB", "document.cookie", "fetch(", "XMLHttpRequest",
                "sendBeacon", "WebSocket", "history.pushState", "history.replaceState", "caches"):
        assert api not in code, f"tree.js uses {api}"


# --- the diagram (issue 11 item 7) -----------------------------------------------------------

def _diagram_tree(extra_answers=(), loop_to=None):
    from generator.load.models import DecisionTree

    answers_b = [{"id": "x", "label": "Yes, and the image shows a child under 13", "next": "c"},
                 {"id": "y", "label": "Yes, and the image shows a child aged 13 to 17", "next": "end_b"}]
    answers_b += list(extra_answers)
    nodes = [
        {"kind": "question", "id": "a", "question": "First?", "answers": [
            {"id": "x", "label": "Go on", "next": "b"}, {"id": "y", "label": "Stop", "next": "end_a"}]},
        {"kind": "question", "id": "b", "question": "Second?", "answers": answers_b},
        {"kind": "question", "id": "c", "question": "Third?", "answers": [
            {"id": "x", "label": "Back", "next": loop_to or "end_b"}, {"id": "y", "label": "End", "next": "end_c"}]},
    ] + [{"kind": "outcome", "id": f"end_{k}", "title": f"End {k}", "summary": "S.",
          "actions": [{"text": "Act.", "who": "you"}], "cites": ["p#c"]} for k in "abc"]
    return DecisionTree.model_validate({
        "id": "d", "title": "D", "use_when": "U.", "audiences": ["staff"], "owner": "O",
        "last_reviewed": "2026-09-01", "version": "1", "safeguarding": False, "nodes": nodes})


def _svg_text(svg: str) -> str:
    return " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg))


def test_diagram_keeps_whole_labels_that_tell_answers_apart():
    """Bug caught: labels cut at two lines with '…' ('Yes, and the image…' twice)."""
    text = _svg_text(render_svg(_diagram_tree()))
    assert "…" not in text
    assert "child under 13" in text and "child aged 13 to 17" in text


def test_diagram_long_step_titles_are_whole():
    from generator.render.diagram import _wrap

    title = "Is the person who sent the message an adult who works or volunteers at the school, or a governor?"
    assert " ".join(_wrap(title)) == title


def test_diagram_dashes_loops_only():
    """Bug caught: a forward arrow to a step drawn higher up shown as a (dashed) loop."""
    # c -> b goes back up and is a loop (b leads to c): dashed.
    looped = render_svg(_diagram_tree(loop_to="b"))
    assert looped.count('class="loop"') == 1 and "Dashed arrows go back" in looped
    # c -> end_b goes up the page (end_b sits in b's children's row) but is not a loop: solid.
    forward = render_svg(_diagram_tree())
    assert 'class="loop"' not in forward and "stroke-dasharray" not in forward


def test_diagram_scales_to_its_box():
    css = tree_css()
    rule = css[css.index(".md-typeset .tree-diagram svg {"):]
    assert "max-width: 100%" in rule[: rule.index("}")]
    assert 'viewBox="0 0 ' in render_svg(_diagram_tree())


def test_a_contact_whose_role_begins_with_its_name_reads_once(real_sites: Path):
    # Bug: "report it to the police yourself on Police (non-emergency): Police, 101" (the DSL review's L8): the
    # name repeated after a role that already says it. A name the role does not hold is still shown.
    html = (real_sites / "staff" / "what-to-do" / "fgm-or-honour-based-abuse" / "index.html").read_text(encoding="utf-8")
    assert "<strong>Police (non-emergency)</strong>, <a href=\"tel:101\">101</a>" in html
    assert "<strong>Police (non-emergency)</strong>: Police" not in html
    # A name the role does not begin with stays (the fixture's school.yml: Headteacher, Miss N Mehat).
    html = (real_sites / "staff" / "what-to-do" / "allegation-about-staff" / "index.html").read_text(encoding="utf-8")
    assert "<strong>Headteacher</strong>: Miss N Mehat" in html
