"""The safety rules declared to read one guide (registry `reads="one-guide"`) find on each part alone (a guide with
the shared groups it uses, a shared group, a page; checks/rules_cache.py) exactly what they find on the whole
project: their findings may then be kept per part and read back while that part is unchanged (issue 30).

The bug it exists to catch: a rule declared per guide that looks at another guide (or at the school's contacts),
whose kept findings would go stale when that other guide changes. Planted once and seen red: S401 (an outcome
reaches the DSL by handing over to another safeguarding guide) declared 'one-guide' -> red, its parts found
outcomes of Wexham's guides that hand over to another guide.
"""

from __future__ import annotations

import pytest

from support import REPO
from test_rules import FAILING, TREE, project_with

from generator.checks.rules import RULES
from generator.checks.rules_cache import parts, per_part_rules
from generator.checks.validate import rules_view
from generator.load.loader import load_project

WEXHAM = REPO / "tests" / "fixtures" / "wexham"


def _compare(root) -> set[str]:
    """Each per-guide rule's findings on the parts against the whole project's; the codes found."""
    loaded = load_project(root)
    whole = rules_view(loaded)
    views = [make_view() for _, make_view in parts(loaded.trees, loaded.groups, loaded.pages, loaded.school)]
    assert len(views) == len(loaded.trees) + len(loaded.groups) + len(loaded.pages)
    found = set()
    for item in per_part_rules():
        expected = set(item.check(whole))
        assert {d for view in views for d in item.check(view)} == expected, item.code
        found.update(d.code for d in expected)
    return found


def test_on_the_example_school_each_per_guide_rule_finds_the_same_on_its_parts():
    _compare(WEXHAM)  # no findings here, but hand-overs across guides that S401 reads (the plant above)


HAND_OVER = """  - kind: outcome
    id: hand_over
    title: Write it down, then follow the other guide
    actions:
      - text: Write down what you saw, in the words you heard.
        who: you
    also_follow: [dsl-cannot-be-reached]
"""


def test_an_outcome_handing_over_to_another_guide_is_judged_the_same_on_its_parts(tmp_path):
    """The one place in these tests where a rule's answer depends on another guide: an outcome reaching the DSL
    only through the safeguarding guide it hands over to (S401 reads whether that guide is a safeguarding one)."""
    root = project_with(tmp_path)
    with (root / TREE).open("a", encoding="utf-8") as tree:
        tree.write(HAND_OVER)
    _compare(root)


def test_on_each_rules_failing_case_each_per_guide_rule_finds_the_same_on_its_parts(tmp_path):
    """The rules' failing cases (tests/checks/test_rules.py) break every rule, per-guide ones included: the
    comparison is made where there is something to find."""
    found = set()
    for number, (_, edits, _) in enumerate(FAILING):
        found |= _compare(project_with(tmp_path / str(number), *edits))
    per_guide = {item.code for item in per_part_rules()}
    assert per_guide <= found, per_guide - found


def test_the_rules_that_look_across_guides_are_declared_so():
    """Counted by hand from the rules' modules: whether the DSL-cannot-be-reached guide exists (S405), hand-overs
    to other safeguarding guides (S401), which groups the guides start with (S102), the school's contacts (S701)."""
    assert sorted(item.code for item in RULES if item.reads == "project") == ["S102", "S401", "S405", "S701"]
    assert {item.reads for item in RULES} == {"one-guide", "project"}
