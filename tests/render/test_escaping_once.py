"""Text from the data is escaped exactly once where it is written: in the guide diagram's SVG, in a guide's
step (an action's `if:`), and in the review calendar (RFC 5545 TEXT values).

The bug each test exists to catch:
- the diagram escaping text that is already escaped (readers see a literal '&lt;'), or not escaping the
  SVG's <title> (a '<script>' in a guide's title becomes an element; an '&' breaks the SVG);
- a step's `if:` condition printed with `|safe` (its words reach the page as markup, unescaped);
- calendar values keeping raw line breaks, ';' or ',' (each ends or splits the value in a calendar program),
  or long lines left unfolded.
Expected values are written out by hand.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import icalendar

from generator import pipeline
from generator.render.diagram import render_svg
from generator.load.models import DecisionTree
from support import REPO, TODAY, guide_page

SVG = "{http://www.w3.org/2000/svg}"


def _tree(question: str, title: str = "A guide") -> DecisionTree:
    return DecisionTree.model_validate({
        "id": "d", "title": title, "use_when": "U.", "audiences": ["staff"], "owner": "O",
        "last_reviewed": "2026-09-01", "version": "1", "safeguarding": False, "nodes": [
            {"kind": "question", "id": "a", "question": question, "answers": [
                {"id": "x", "label": "Under 13 &amp; alone", "next": "end_a"},
                {"id": "y", "label": "Typed as &amp;lt;", "next": "end_b"}]},
            *({"kind": "outcome", "id": f"end_{k}", "title": f"End {k}", "summary": "S.",
               "actions": [{"text": "Act.", "who": "you"}], "cites": ["p#c"]} for k in "ab")]})


def _shown(svg: str) -> list[str]:
    """The SVG's words as a reader sees them (parsed: entities decoded once, as a browser does)."""
    return [node.text or "" for node in ElementTree.fromstring(svg).iter(f"{SVG}tspan")]


def test_the_diagram_shows_character_references_as_the_page_does():
    """Bug caught: '&lt;' escaped again, shown as a literal '&lt;' (planted: no decoding -> red; decoding
    twice -> red)."""
    svg = render_svg(_tree("Is the child &lt; 13 &amp; alone, at AT&T?"))
    assert "Is the child < 13 & alone, at AT&T?" in " ".join(_shown(svg))
    assert "Under 13 & alone" in " ".join(_shown(svg))
    assert "Typed as &lt;" in " ".join(_shown(svg))  # decoded once, as Markdown does: not 'Typed as <'
    assert "&amp;lt; 13" not in svg and "&amp;amp;" not in svg


def test_the_diagrams_title_is_escaped():
    """Planted: the <title> written without escape() -> red (a <script> element, or an SVG that does not parse)."""
    hostile = '<script>alert("x")</script> & \'quoted\''
    tree = _tree("First?").model_copy(update={"title": hostile})  # past validation, as a broken check would let it
    svg = render_svg(tree)
    root = ElementTree.fromstring(svg)
    assert [element.tag for element in root.iter() if element.tag.endswith("script")] == []
    assert root.find(f"{SVG}title").text == (
        "Diagram of the whole tree '<script>alert(\"x\")</script> & 'quoted'': 1 questions and 2 outcomes. "
        "Every step is also written out below.")


def test_a_steps_if_condition_is_escaped_text_not_markup(tmp_path):
    """Planted: `{{ action.if_ | safe }}` in trees/tree.html.j2 -> red (the '<' and '&' reach the page raw and
    the emphasis is not rendered)."""
    from generator.load.loader import load_project
    from generator.render.renderer import _SiteRenderer
    from generator.checks.validate import validate_project

    project = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "fixtures" / "trees-v2", project)
    tree = project / "decision_trees" / "concern.yml"
    old = "if: the child is already known to children's social care"
    text = tree.read_text(encoding="utf-8")
    assert old in text
    tree.write_text(text.replace(old, 'if: "the child is *under* 13 & < 16"'), encoding="utf-8")
    validated, diagnostics = validate_project(load_project(project, REPO / "tests" / "fixtures" / "trees-v2-data"),
                                              TODAY)
    assert validated is not None, [str(d) for d in diagnostics if d.is_error]
    out = type("Out", (), {"docs": {}, "includes": {}})()
    _SiteRenderer(validated, "staff")._render_trees(out)
    assert '<em class="tree-if">If the child is <em>under</em> 13 &amp; &lt; 16:</em>' in guide_page(out, "concern")


def test_calendar_values_escape_line_breaks_semicolons_and_commas(tmp_path):
    """Planted (one at a time): raw ';' kept -> red; raw ',' kept -> red; raw line breaks kept -> red."""
    school = tmp_path / "school"
    shutil.copytree(REPO / "tests" / "fixtures" / "neutral-school", school)
    policy = school / "policies" / "mobile-phones.yml"
    policy.write_text(policy.read_text(encoding="utf-8").replace(
        "title: Mobile Phones Policy", 'title: "Phones; tablets, and\\nwatches"', 1)
        .replace("source: source/mobile-phones.txt\n", ""), encoding="utf-8")  # its document names the old title
    result = pipeline.render(school, TODAY)
    assert result.rendered, [str(d) for d in result.diagnostics if d.is_error]
    ics = result.rendered["staff"].files["policies/review-dates.ics"].decode("utf-8")
    unfolded = ics.replace("\r\n ", "").split("\r\n")
    assert "SUMMARY:Policy review due: Phones\\; tablets\\, and\\nwatches" in unfolded
    assert ("DESCRIPTION:The Phones\\; tablets\\, and\\nwatches (approved 2025-09-01 by Governing board) is due "
            "for review by 2027-09-01. Owner: Head teacher.") in unfolded
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Policy review due: Phones; tablets, and\nwatches"
    assert all(len(line.encode("utf-8")) <= 75 for line in ics.split("\r\n"))


def test_rendering_a_guide_escapes_never_items_answer_labels_and_cited_titles(tmp_path):
    """Planted (one at a time, each `| safe` in trees/tree.html.j2): a question's 'never' item -> red; an answer's
    label in the printed list -> red; a cited policy's title -> red; a guidance document's title -> red. Each text
    holds '&' and '<' (raw on the page when not escaped) and Markdown emphasis, rendered only where the field is
    Markdown (never items, labels), kept as written in titles."""
    from generator.load.loader import load_project
    from generator.render.renderer import _SiteRenderer
    from generator.checks.validate import validate_project

    project, data = tmp_path / "p", tmp_path / "d"
    shutil.copytree(REPO / "tests" / "fixtures" / "trees-v2", project)
    shutil.copytree(REPO / "tests" / "fixtures" / "trees-v2-data", data)

    def edit(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    concern = project / "decision_trees" / "concern.yml"
    edit(concern, 'never: ["Never promise the child secrecy."]', 'never: ["Never promise *secrecy* & < 16."]')
    edit(concern, "label: A child told me,", 'label: "A child *told* me & < 16",')
    edit(project / "policies" / "safety.yml", "title: Safety policy", 'title: "Safety *policy* & < 16"')
    edit(data / "sources.yml", "title: Keeping children safe in education 2025",
         'title: "Keeping *children* safe & < 16 2025"')
    validated, diagnostics = validate_project(load_project(project, data), TODAY)
    assert validated is not None, [str(d) for d in diagnostics if d.is_error]
    out = type("Out", (), {"docs": {}, "includes": {}})()
    _SiteRenderer(validated, "staff")._render_trees(out)
    page = guide_page(out, "concern")
    assert "& < 16" not in page
    # The page writes the step twice: as the step a reader answers, and in the list of every step.
    assert page.count("<li>Never promise <em>secrecy</em> &amp; &lt; 16.</li>") == 2
    assert "<li>A child <em>told</em> me &amp; &lt; 16 → <a href=\"#tell_the_dsl\">Tell the DSL now</a></li>" in page
    assert ('School policy: <a href="../../policies/safety/reporting/#tell-the-dsl">Safety *policy* &amp; &lt; 16, '
            "1 ¶1</a>") in page
    assert "<strong>This guide follows:</strong> Keeping *children* safe &amp; &lt; 16 2025, applies in England." in page
