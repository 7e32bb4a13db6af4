"""Guide format v3, routes (issue 27 item 1): conditions on `also_follow`, `next_step` and answers' targets,
answers with parallel strands, steps that only route (`kind: route`), checked, walked and rendered.

The guide is tests/fixtures/trees-routes.yml, put into a copy of the trees-v2 fixture project. Expected paths,
links and words are written out here by hand from that file, never computed by the code under test.
The bug each test exists to catch is named in its docstring.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from generator.checks.validate import validate_project
from generator.load.loader import load_project
from generator.load.paths import enumerate_paths
from generator.render.renderer import _SiteRenderer
from support import REPO, guide_page

# Named from the repository, not from this file, so the test reads the same wherever its folder is.
FIXTURES = REPO / "tests" / "fixtures"
PROJECT = FIXTURES / "trees-v2"
DATA = FIXTURES / "trees-v2-data"
ROUTES = FIXTURES / "trees-routes.yml"
GUIDE = "decision_trees/routes.yml"
TODAY = date(2026, 11, 24)


def edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(project: Path):
    return validate_project(load_project(project, DATA), TODAY)


def errors(project: Path) -> list[str]:
    return [str(d) for d in run(project)[1] if d.is_error]


def render(validated) -> str:
    renderer = _SiteRenderer(validated, "staff")
    out = type("Out", (), {"docs": {}, "includes": {}})()
    renderer._render_trees(out)
    return guide_page(out, "routes")


def page(project: Path) -> str:
    validated, diagnostics = run(project)
    assert validated is not None, [str(d) for d in diagnostics if d.is_error]
    return render(validated)


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(PROJECT, tmp_path / "p")
    shutil.copy(ROUTES, tmp_path / "p" / GUIDE)
    return tmp_path / "p"


def _section(html: str, step: str) -> str:
    match = re.search(rf'<section class="tree-step" id="{step}".*?</section>', html, re.S)
    assert match, step
    return match.group()


def test_the_routes_guide_is_valid_and_every_strand_is_a_path(project):
    """Planted: enumerate_paths taking only an answer's first target -> red (the police strand had no path)."""
    validated, diagnostics = run(project)
    assert [str(d) for d in diagnostics] == []
    tree = validated.trees_by_id["routes"]
    # Counted by hand from the fixture: 'no' -> the routing step -> the DSL's question, whose 'both' answer
    # starts two strands; the social care strand's conditional follow-up comes back to the question once on
    # each way there (after 'both' and after 'care'), and each time the three targets are walked again.
    assert [str(p) for p in enumerate_paths(tree)] == [
        "is_child_in_danger=yes -> call_999",
        "is_child_in_danger=no > where_to_start=route > who_must_know=both -> social_care_strand",
        "is_child_in_danger=no > where_to_start=route > who_must_know=both > social_care_strand=next_step"
        " > who_must_know=both -> social_care_strand",
        "is_child_in_danger=no > where_to_start=route > who_must_know=both > social_care_strand=next_step"
        " > who_must_know=both -> police_strand",
        "is_child_in_danger=no > where_to_start=route > who_must_know=both > social_care_strand=next_step"
        " > who_must_know=care -> social_care_strand",
        "is_child_in_danger=no > where_to_start=route > who_must_know=both -> police_strand",
        "is_child_in_danger=no > where_to_start=route > who_must_know=care -> social_care_strand",
        "is_child_in_danger=no > where_to_start=route > who_must_know=care > social_care_strand=next_step"
        " > who_must_know=both -> social_care_strand",
        "is_child_in_danger=no > where_to_start=route > who_must_know=care > social_care_strand=next_step"
        " > who_must_know=both -> police_strand",
        "is_child_in_danger=no > where_to_start=route > who_must_know=care > social_care_strand=next_step"
        " > who_must_know=care -> social_care_strand",
    ]


def test_an_unknown_second_strand_is_reported_at_its_target(project):
    """Planted: the checks reading only an answer's first target -> red (the typo went unreported)."""
    edit(project, GUIDE, "{to: police_strand, if:", "{to: police_strnad, if:")
    assert errors(project) == [
        f"{GUIDE}:29:18: E407 unknown step 'police_strnad' (did you mean 'police_strand'?)"]


def test_a_step_reached_only_by_a_second_strand_is_reachable(project):
    """Planted: successors() following only an answer's first target -> red (E408 on the police strand)."""
    assert errors(project) == []
    validated, _ = run(project)
    assert "police_strand" in [n.id for n in validated.trees_by_id["routes"].nodes]


def test_a_routing_step_that_leads_round_a_loop_is_a_trap(project):
    """Planted: the graph checks ignoring a routing step's targets -> red (no E409, the loop was unseen)."""
    edit(project, GUIDE, "    next: who_must_know\n", "    next: {to: stuck_here, if: the DSL is away}\n"
         "  - kind: route\n    id: stuck_here\n    title: Wait for the DSL\n    summary: Wait.\n"
         "    next: where_to_start\n")
    found = errors(project)
    assert any(line.startswith(f"{GUIDE}:16:9: E409 step 'where_to_start' is a trap") for line in found), found
    assert any(line.startswith(f"{GUIDE}:21:9: E409 step 'stuck_here' is a trap") for line in found), found


def test_a_strand_may_lead_on_to_a_shared_groups_continue(project):
    """A strand written `continue` in a shared group goes to the using guide's step, its condition kept."""
    edit(project, "decision_trees/shared/danger.yml", '- {id: "no", label: "No", next: continue}',
         '- {id: "no", label: "No", next: [call_999, {to: continue, if: the child is safe now}]}')
    validated, diagnostics = run(project)
    assert [str(d) for d in diagnostics if d.is_error] == []
    answer = validated.trees_by_id["routes"].nodes[0].answers[1]
    assert [(r.to, r.if_) for r in answer.routes] == [("call_999", None), ("where_to_start", "the child is safe now")]


def test_every_strand_and_condition_is_shown_without_scripts(project):
    """Planted: the template showing only an answer's first strand, or dropping a route's condition -> red."""
    html = page(project)
    question = _section(html, "who_must_know")
    assert re.findall(r'<a href="(#\w+)" class="tree-answer" data-answer="(\w+)">', question) == [
        ("#social_care_strand", "both"), ("#police_strand", "both"), ("#social_care_strand", "care")]
    assert "Social care and the police</span>: these apply together, follow each one:" in question
    assert '<em class="tree-if">If a crime may have been committed:</em> <a href="#police_strand"' in question
    assert '<em class="tree-if">If the child is at risk of harm:</em> <a href="#social_care_strand"' in question
    # Each strand's step names the others, so a reader on one strand (without scripts) sees every strand.
    police = _section(html, "police_strand")
    assert 'class="tree-strand-note">This is one of several strands that apply together' in police
    assert '<a href="#social_care_strand" class="tree-follow">Refer to children\'s social care</a>' in police
    care = _section(html, "social_care_strand")
    assert ('<a href="#police_strand" class="tree-follow">Report to the police</a> <em class="tree-if">(if a crime '
            'may have been committed)</em>.</p>') in care


def test_conditional_also_follow_and_next_read_as_words(project):
    """Planted: a conditional 'also follow' shown in the unconditional list -> red."""
    care = _section(page(project), "social_care_strand")
    assert re.findall(r'<p class="tree-also-follow[^"]*">.*?</p>', care) == [
        '<p class="tree-also-follow"><strong>Also follow:</strong> <a href="../concern/#tell_the_dsl" '
        'class="tree-follow" data-tree="concern">I am worried about a child: Tell the DSL now</a></p>',
        '<p class="tree-also-follow tree-also-follow-if"><strong>If the image was shared by a member of staff:'
        '</strong> also follow <a href="../allegation/#report_allegation" class="tree-follow" '
        'data-tree="allegation">A concern about an adult who works here: Tell the head teacher</a></p>']
    assert ('<strong>Next, if the child is still at risk:</strong> <a href="#who_must_know" class="tree-next" '
            'data-answer="next_step">Review the referral in a week</a>') in care


def test_a_routing_step_has_its_words_and_links_and_no_actions(project):
    """Planted: a routing step rendered as an outcome (no link on) -> red."""
    step = _section(page(project), "where_to_start")
    assert 'data-kind="route"' in step
    assert "The DSL decides who else must know</h2>" in step
    assert re.findall(r'<a href="(#\w+)" class="tree-answer"', step) == ["#who_must_know"]
    assert "What to do" not in step and "tree-actions" not in step


def test_a_route_if_condition_is_refused_as_html_and_escaped_if_it_got_through(project):
    """The condition is untrusted text. Planted: route_if() writing the condition with |safe -> red."""
    edit(project, GUIDE, "if: a crime may have been committed}", "if: \"<script>alert(1)</script>\"}")
    assert [line.split(" E206 ")[0] for line in errors(project)] == [f"{GUIDE}:29:38:"]
    # The check is the first wall; the template is the second: a script that got through stays text.
    edit(project, GUIDE, "if: \"<script>alert(1)</script>\"}", "if: a crime may have been committed}")
    validated, _ = run(project)
    tree = validated.trees_by_id["routes"]
    question = next(n for n in tree.nodes if n.id == "who_must_know")
    hostile = question.answers[0].routes[1].model_copy(update={"if_": "<script>alert(1)</script>"})
    answers = [question.answers[0].model_copy(update={"next": [question.answers[0].routes[0], hostile]}),
               question.answers[1]]
    nodes = [n.model_copy(update={"answers": answers}) if n.id == "who_must_know" else n for n in tree.nodes]
    validated.trees = [t.model_copy(update={"nodes": nodes}) if t.id == "routes" else t for t in validated.trees]
    html = render(validated)
    assert "<script>alert" not in html
    assert "If &lt;script&gt;alert(1)&lt;/script&gt;:" in html


# --- shared groups with named exits -------------------------------------------------------------

GROUP = "decision_trees/shared/who-else.yml"
_GUIDE_EXAMPLE = re.compile(r"<!-- example: shared-group -->\n```yaml\n(.*?)\n```", re.S)
WHO_ELSE = _GUIDE_EXAMPLE.search((REPO / "generator" / "guide" / "authoring.md").read_text(encoding="utf-8")).group(1)
"""The authors' guide's example of a group with named exits: the tests build it as the guide shows it."""
USE = ("  - use: who-else\n    continue: police_strand\n"
       "    exits: {social_care: social_care_strand, police: police_strand}\n")


@pytest.fixture
def exits_project(project) -> Path:
    (project / GROUP).write_text(WHO_ELSE, encoding="utf-8")
    edit(project, GUIDE, "    next: who_must_know\n  - kind: question\n", "    next: who_else\n" + USE
         + "  - kind: question\n")
    return project


def test_each_named_exit_leads_to_the_step_the_use_names(exits_project):
    """Planted: _resolve ignoring named exits -> red (the strands stayed unresolved)."""
    validated, diagnostics = run(exits_project)
    assert [str(d) for d in diagnostics] == []
    who_else = next(n for n in validated.trees_by_id["routes"].nodes if n.id == "who_else")
    assert [[(r.to, r.if_) for r in a.routes] for a in who_else.answers] == [
        [("social_care_strand", None), ("police_strand", "a crime may have been committed")],
        [("social_care_strand", None)],
        [("police_strand", None)]]


def test_the_guides_group_example_is_valid_in_the_editor_too():
    """The JSON Schema editors use accepts `exits:` and `{exit: …}` as the checker does."""
    import json

    import jsonschema

    from generator.authoring.schema import load_as_editor

    schema = json.loads((REPO / "schemas" / "shared-steps.schema.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft7Validator(schema).iter_errors(load_as_editor(WHO_ELSE))) == []


def test_a_use_that_names_no_step_for_an_exit(exits_project):
    """Planted: _use_exits not checking that every declared exit is mapped -> red (no error at all)."""
    edit(exits_project, GUIDE, "{social_care: social_care_strand, police: police_strand}",
         "{social_care: social_care_strand}")
    assert errors(exits_project) == [
        f"{GUIDE}:20:10: E411 the shared group 'who-else' leads out by exit 'police', but this 'use:' names no step "
        "for it (add 'exits: {police: <step id>}', the step of this tree that exit leads to)"]


def test_a_use_naming_an_exit_the_group_lacks_and_an_unknown_step(exits_project):
    edit(exits_project, GUIDE, "{social_care: social_care_strand, police: police_strand}",
         "{social_care: social_care_strnad, police: police_strand, polcie: police_strand}")
    assert errors(exits_project) == [
        f"{GUIDE}:22:26: E407 unknown step 'social_care_strnad' (did you mean 'social_care_strand'?)",
        f"{GUIDE}:22:77: E411 the shared group 'who-else' has no exit 'polcie' (its exits: social_care, police) "
        "(did you mean 'police'?)"]


def test_a_group_step_leaving_by_an_undeclared_exit(exits_project):
    """Planted: _check_group_exits not run -> red (the misspelt exit was silently a dead end)."""
    edit(exits_project, GROUP, "next: {exit: social_care}", "next: {exit: social_cares}")
    assert errors(exits_project) == [
        f"{GROUP}:18:22: E411 exit 'social_cares' is not one of the group's exits (declared: social_care, police) "
        "(did you mean 'social_care'?)"]


def test_an_exit_in_a_guides_own_step_is_refused(exits_project):
    edit(exits_project, GUIDE, "next: {to: social_care_strand, if: the child is at risk of harm}",
         "next: {exit: social_care, if: the child is at risk of harm}")
    assert errors(exits_project) == [
        f"{GUIDE}:35:22: E411 'exit: social_care' leads out of a shared group, and this step is the guide's own "
        "(write 'to: <step id>' for a step of this guide)"]


# --- the safety rules' walk follows every strand ----------------------------------------------

def test_the_rules_walk_follows_every_strand_condition_and_routing_step(project):
    """Planted: walk.leads reading only a bare target (a strand list or {to, if} unread) -> red: the rules
    would not see the police strand's incoming answer nor the conditional hand-over to another guide."""
    from generator.checks.validate import rules_view

    view = rules_view(load_project(project, DATA))
    guide = view.guides_by_id["routes"]
    steps = guide.steps_by_id
    # Written out from the fixture: who leads to each strand, and where each step hands over to another guide.
    assert [(q.id, a["id"]) for q, a in steps["police_strand"].incoming] == [("who_must_know", "both")]
    assert [(q.id, a["id"]) for q, a in steps["social_care_strand"].incoming] == [
        ("who_must_know", "both"), ("who_must_know", "care")]
    assert [(q.id, a["id"]) for q, a in steps["who_must_know"].incoming] == [("where_to_start", "route")]
    assert steps["social_care_strand"].jumps == [("concern#tell_the_dsl", ("also_follow", 0)),
                                                 ("allegation#report_allegation", ("also_follow", 1, "to"))]
    assert steps["where_to_start"].kind == "route"


@pytest.mark.parametrize("written, expected", [
    ("[call_999, continue]", []),  # straight to the 999 outcome, and on with the guide as well
    ("{to: call_999, if: there is a phone}",
     ["decision_trees/shared/danger.yml:8:41: S102 'yes' to immediate danger does not lead straight to an urgent "
      "outcome"]),
])
def test_yes_to_immediate_danger_must_lead_straight_to_999_whatever_the_form(project, written, expected):
    """S102 reads the new forms: 'yes' with strands leads straight to 999 when its first strand is the urgent
    outcome, without a condition. Planted: the rule reading any first target, condition or not -> red."""
    edit(project, "decision_trees/shared/danger.yml", '{id: "yes", label: "Yes", next: call_999}',
         '{id: "yes", label: "Yes", next: ' + written + '}')
    assert [line.split(" (make")[0] for line in errors(project)] == expected


def test_the_diagram_draws_every_strand_and_the_routing_step(project):
    """Planted: diagram.successors drawing only an answer's first target -> red (no arrow to the police strand)."""
    from generator.render.diagram import render_svg, successors

    validated, _ = run(project)
    tree = validated.trees_by_id["routes"]
    nodes = {node.id: node for node in tree.nodes}
    assert successors(nodes["who_must_know"]) == [("Social care and the police", "social_care_strand"),
                                                  ("Social care and the police", "police_strand"),
                                                  ("Social care only", "social_care_strand")]
    assert successors(nodes["where_to_start"]) == [("Go to", "who_must_know")]
    assert ("Diagram of the whole tree 'A nude image of a pupil has been shared': 2 questions, 1 routing step "
            "and 3 outcomes.") in render_svg(tree)
