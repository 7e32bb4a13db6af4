"""The rules' view keeps its indexes and per-step texts (issue 17: the rules were quadratic in the number of
guides, building {id: guide} for every text), but an index never goes stale when its list changes.

Planted once each and seen red: the index made once and never again (the appended guide and step are not
found); the step's cached texts shared between steps (the second step shows the first one's title).
"""

from __future__ import annotations

from pathlib import Path

from generator.load.source import Source
from generator.checks.rules.walk import Guide, ProjectView, Step


def _source() -> Source:
    return Source(Path("decision_trees/x.yml"), "decision_trees/x.yml", {}, {})


def _step(guide: Guide, step_id: str, title: str) -> Step:
    return Step(step_id, "outcome", {"title": title}, guide.source, ("nodes", 0), guide)


def test_the_indexes_follow_their_lists():
    first = Guide("first", {}, _source())
    view = ProjectView([first], {}, [], {}, None)
    assert list(view.guides_by_id) == ["first"]
    second = Guide("second", {}, _source())
    view.guides.append(second)
    assert view.guides_by_id == {"first": first, "second": second}
    view.guides = [second]
    assert view.guides_by_id == {"second": second}

    first.steps.append(_step(first, "a", "A"))
    assert list(first.steps_by_id) == ["a"]
    first.steps.append(_step(first, "b", "B"))
    assert list(first.steps_by_id) == ["a", "b"]


def test_each_step_keeps_its_own_texts():
    guide = Guide("g", {}, _source())
    one, two = _step(guide, "one", "First title"), _step(guide, "two", "Second title")
    assert [t.text for t in one.texts()] == ["First title"]
    assert [t.text for t in one.texts()] == ["First title"], "a second walk of the same step"
    assert [t.text for t in two.texts()] == ["Second title"]
