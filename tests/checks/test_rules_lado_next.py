"""S501's "the LADO is reached through the next step" (generator/checks/rules/adults.py, _lado_next), on hand-made
steps: the step after a report is a question whose answer starts parallel strands, or an outcome whose LADO action
is not its first. Both were read wrongly by a planted bug that every fixture-based rules test let through (only an
answer's single target read; only the first action read)."""

from __future__ import annotations

from types import SimpleNamespace

from generator.checks.rules.adults import _lado_next


def _step(step_id: str, *, contacts=(), whos=(), answers=(), next_step: str | None = None):
    actions = [SimpleNamespace(who=set(who)) for who in whos]
    return SimpleNamespace(id=step_id, contacts=set(contacts), actions=actions, answers=list(answers),
                           data={"next_step": {"next": next_step}} if next_step else {},
                           meets=lambda test: any(test(action) for action in actions))


def _tree(*steps):
    tree = SimpleNamespace(steps_by_id={step.id: step for step in steps})
    for step in steps:
        step.tree = tree
    return tree


def test_the_lado_reached_through_one_strand_of_the_next_question_counts():
    report = _step("tell_hr", next_step="what_next")
    question = _step("what_next", answers=[{"id": "both", "next": ["support_the_child", "speak_to_the_lado"]}])
    _tree(report, question, _step("support_the_child", whos=[{"dsl"}]),
          _step("speak_to_the_lado", contacts={"lado"}))
    assert _lado_next(report) is True


def test_a_lado_action_that_is_not_the_first_of_the_next_step_counts():
    report = _step("tell_hr", next_step="decide")
    _tree(report, _step("decide", whos=[{"case_manager"}, {"lado"}]))
    assert _lado_next(report) is True


def test_no_lado_anywhere_next_is_not_counted():
    report = _step("tell_hr", next_step="what_next")
    question = _step("what_next", answers=[{"id": "both", "next": ["support_the_child", "tell_parents"]}])
    _tree(report, question, _step("support_the_child", whos=[{"dsl"}]), _step("tell_parents", whos=[{"you"}]))
    assert _lado_next(report) is False
