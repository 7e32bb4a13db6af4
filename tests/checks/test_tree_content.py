"""Safety rules for the shipped decision trees, checked from the models.

The validator checks that a tree is well formed (ids, links, citations, no traps). These
tests check what a Designated Safeguarding Lead relies on the trees to say: that every
safeguarding tree starts with "is a child in immediate danger?" and sends "yes" to 999
and the DSL, that suspected indecent images are never copied, that nobody is told to
promise a child secrecy, and that "I'm not sure" always leads somewhere safe.

Each runs on the school at the repository's root (whatever school that is) and on the example school
tests/fixtures/wexham, so a fork with another school's trees runs them on its own trees, and the rules about
Wexham's guides (the indecent images guide, a parents' guide) always have a tree to check.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from generator.load.models import Audience, DecisionTree, Outcome, Question
from generator.load.models.timing import TimeSpec
from generator.pipeline import check
from generator.load.project import Project
from generator.checks.guide_graph import successors
from support import WEXHAM

REPO_ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 24)
SCHOOLS = {"root-school": REPO_ROOT, "example-wexham": WEXHAM}

NOT_SURE = "I'm not sure"
INDECENT_IMAGES_TREE = "indecent-images"
# The timescales the trees may use (the model refuses any other). A new one must be added here
# on purpose, after checking it against the procedure it comes from.
KNOWN_WHEN = {
    "immediately",
    "same day",
    "within 1 working day",
}
# The kinds a time limit in the source's own words may have (`when: {kind: …, n: …, says: "…"}`), with n where
# the kind counts: the words shown are the source's, the kind is what the rules and the record read.
KNOWN_KINDS = {
    ("working_days", 1),
    ("same_day", None),
    ("as_soon_as_practicable", None),
    ("before_event", None),
}
# Wording that would promise a child (or anyone) secrecy. Allowed only inside 'never' items.
PROMISE_SECRECY = [
    re.compile(r"\bpromis", re.IGNORECASE),
    re.compile(r"\b(will|'ll|can|could|shall)\s+keep\b[^.]*\b(secret|confidential|between)", re.IGNORECASE),
    re.compile(r"\bwon't tell (anyone|anybody)\b", re.IGNORECASE),
    re.compile(r"\bbetween (you and me|us)\b", re.IGNORECASE),
]


def _checked(root: Path) -> Project:
    result = check(root, TODAY)
    if result.project is None:
        problems = "\n".join(str(d) for d in result.diagnostics if d.is_error)
        pytest.fail(f"the project in {root} does not validate:\n{problems}")
    return result.project


@pytest.fixture(scope="module", params=list(SCHOOLS))
def project(request) -> Project:
    return _checked(SCHOOLS[request.param])


@pytest.fixture(scope="module")
def example() -> Project:
    return _checked(WEXHAM)


@pytest.fixture(scope="module")
def indecent_images_trees(project: Project, example: Project) -> list[DecisionTree]:
    """The indecent images guide of this school if it has one, and always the example school's."""
    found = [p.trees_by_id[INDECENT_IMAGES_TREE] for p in (project, example) if INDECENT_IMAGES_TREE in p.trees_by_id]
    assert found, f"the example school has no decision_trees/{INDECENT_IMAGES_TREE}.yml"
    return found


@pytest.fixture(scope="module")
def trees(project: Project) -> list[DecisionTree]:
    assert project.trees, "no decision trees were loaded"
    return project.trees


def _nodes(tree: DecisionTree) -> dict:
    return {node.id: node for node in tree.nodes}


def _outcomes(tree: DecisionTree) -> list[Outcome]:
    return [node for node in tree.nodes if isinstance(node, Outcome)]


def _questions(tree: DecisionTree) -> list[Question]:
    return [node for node in tree.nodes if isinstance(node, Question)]


def _reachable(tree: DecisionTree, start: str) -> set[str]:
    nodes = _nodes(tree)
    seen, frontier = {start}, [start]
    while frontier:
        for target in successors(nodes[frontier.pop()]):
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    return seen


def _is_parents_tree(tree: DecisionTree) -> bool:
    return Audience.parents in tree.audiences


def _texts_outside_never(tree: DecisionTree):
    """(where, text) for every piece of reader-facing text except 'never' items."""
    yield "title", tree.title
    yield "use_when", tree.use_when
    for node in tree.nodes:
        if isinstance(node, Question):
            yield f"{node.id}.question", node.question
            if node.help:
                yield f"{node.id}.help", node.help
            for index, item in enumerate(node.criteria):
                yield f"{node.id}.criteria[{index}]", item if isinstance(item, str) else item.text
            for answer in node.answers:
                yield f"{node.id}.answers.{answer.id}", answer.label
        else:
            yield f"{node.id}.title", node.title
            yield f"{node.id}.summary", node.summary
            for index, action in enumerate(_actions(node)):
                yield f"{node.id}.actions[{index}]", action.text
            if getattr(node, "next_step", None):
                yield f"{node.id}.next_step", node.next_step.text
        # v3: what readers see besides (notes, cautions, a question's actions).
        for key in ("notes", "cautions"):
            for index, note in enumerate(getattr(node, key, None) or []):
                yield f"{node.id}.{key}[{index}]", note
        if isinstance(node, Question):
            for index, action in enumerate(_actions(node)):
                yield f"{node.id}.actions[{index}]", action.text


# --- immediate danger ------------------------------------------------------------------------

def test_some_trees_are_safeguarding_trees(trees):
    assert any(tree.safeguarding for tree in trees)


def test_safeguarding_trees_start_with_immediate_danger(trees):
    problems = []
    for tree in (t for t in trees if t.safeguarding):
        first = tree.nodes[0]
        if not isinstance(first, Question):
            problems.append(f"{tree.id}: the first step is not a question")
            continue
        if "immediate danger" not in first.question.lower():
            problems.append(f"{tree.id}: the first question does not ask about immediate danger: {first.question!r}")
        nodes = _nodes(tree)
        yes = [a for a in first.answers if a.id == "yes"]
        if len(yes) != 1:
            problems.append(f"{tree.id}: the first question has no 'yes' answer")
            continue
        target = nodes[yes[0].next]
        if not isinstance(target, Outcome) or not target.urgent:
            problems.append(f"{tree.id}: 'yes' to immediate danger does not lead straight to an urgent outcome")
            continue
        missing = {"police_emergency", "dsl"} - set(target.contacts)
        if missing:
            problems.append(f"{tree.id}: the immediate-danger outcome does not list {sorted(missing)} in contacts")
        if not any("999" in action.text for action in _actions(target)):
            problems.append(f"{tree.id}: the immediate-danger outcome does not tell the reader to call 999")
        # 999 comes first: the first action is the call, before telling anyone.
        if "999" not in _actions(target)[0].text:
            problems.append(f"{tree.id}: calling 999 is not the first action of the immediate-danger outcome")
        not_sure = [a for a in first.answers if a.label.startswith(NOT_SURE)]
        if not not_sure:
            problems.append(f"{tree.id}: the immediate-danger question has no \"I'm not sure\" answer")
        for answer in not_sure:
            unsure = nodes[answer.next]
            if not (isinstance(unsure, Outcome) and unsure.urgent and "police_emergency" in unsure.contacts):
                problems.append(f"{tree.id}: \"I'm not sure\" about immediate danger must lead to an urgent "
                                "outcome that lists police_emergency")
    assert not problems, "\n".join(problems)


def test_urgent_outcomes_mention_999(trees):
    """'urgent' shows a step as an emergency: it must actually say when to call 999."""
    problems = [f"{tree.id}/{outcome.id}" for tree in trees for outcome in _outcomes(tree)
                if outcome.urgent and not (any("999" in a.text for a in _actions(outcome))
                                           and "police_emergency" in outcome.contacts)]
    assert not problems, "urgent outcomes without a 999 action and the police_emergency contact: " + ", ".join(problems)


# --- indecent images -------------------------------------------------------------------------

def _says_never_copy(outcome: Outcome) -> bool:
    return any(all(word in item.lower() for word in ("copy", "forward", "screenshot")) for item in outcome.never)


def test_indecent_images_tree_exists_and_is_safeguarding(example, indecent_images_trees):
    assert example.trees_by_id.get(INDECENT_IMAGES_TREE) is not None
    assert all(tree.safeguarding for tree in indecent_images_trees)


def test_indecent_images_outcomes_never_copy_forward_or_screenshot(indecent_images_trees):
    """Every outcome a reader can reach after saying the material is, or may be, an image of a child."""
    problems = []
    for tree in indecent_images_trees:
        nodes = _nodes(tree)
        image_answers = [(q, a) for q in _questions(tree) for a in q.answers
                         if "under 18" in a.label or (a.label.startswith(NOT_SURE) and q.id == "what_kind_of_material")]
        assert image_answers, "no answer in the indecent images tree says the image is of someone under 18"
        reached = set()
        for _, answer in image_answers:
            reached |= {n for n in _reachable(tree, answer.next) if isinstance(nodes[n], Outcome)}
        assert reached
        for outcome_id in sorted(reached):
            outcome = nodes[outcome_id]
            if not _says_never_copy(outcome):
                problems.append(f"{outcome_id}: no never-do saying not to copy, forward or screenshot the image")
            if not any("delete" in item.lower() for item in outcome.never):
                problems.append(f"{outcome_id}: no never-do saying not to delete the image")
    assert not problems, "\n".join(problems)


def test_urgent_indecent_images_outcomes_also_say_never_copy(indecent_images_trees):
    for outcome in (outcome for tree in indecent_images_trees for outcome in _outcomes(tree)):
        if outcome.urgent:
            assert _says_never_copy(outcome), f"{outcome.id}: an emergency step must still say never copy the image"


def test_trees_that_route_to_indecent_images_say_never_copy(trees):
    """A step that hands over to the indecent images guide keeps the one rule that cannot wait."""
    problems = []
    for tree in trees:
        for outcome in _outcomes(tree):
            if INDECENT_IMAGES_TREE in outcome.related_trees and not any(
                    "copy" in item.lower() and ("forward" in item.lower() or "screenshot" in item.lower())
                    for item in outcome.never):
                problems.append(f"{tree.id}/{outcome.id}")
    assert not problems, "links to the indecent images guide without 'never copy/forward/screenshot': " + ", ".join(problems)


# --- confidentiality --------------------------------------------------------------------------

def test_no_tree_promises_secrecy(trees):
    problems = []
    for tree in trees:
        for where, text in _texts_outside_never(tree):
            for pattern in PROMISE_SECRECY:
                if pattern.search(text):
                    problems.append(f"{tree.id}/{where}: {text!r}")
    assert not problems, "text outside 'never' items that could promise secrecy:\n" + "\n".join(problems)


def test_staff_safeguarding_trees_warn_never_to_promise_secrecy(trees):
    """Where staff listen to a child (the outcome asks for their own words), they are told not to promise secrecy."""
    problems = []
    for tree in trees:
        if not tree.safeguarding or _is_parents_tree(tree):
            continue
        listening = [o for o in _outcomes(tree) if any("own words" in a.text for a in _actions(o))]
        assert listening, f"{tree.id}: no outcome asks for the child's own words"
        for outcome in listening:
            if not any("promise" in item.lower() and "secret" in item.lower() for item in outcome.never):
                problems.append(f"{tree.id}/{outcome.id}")
    assert not problems, "outcomes where a child may talk without 'never promise to keep it secret': " + ", ".join(problems)


# --- "I'm not sure" ---------------------------------------------------------------------------

def test_judgement_questions_offer_not_sure(trees):
    """A question with three or more answers, or a checklist, must let the reader say they're not sure."""
    problems = []
    for tree in trees:
        for question in _questions(tree):
            if len(question.answers) >= 3 or question.criteria:
                if not any(answer.label.startswith(NOT_SURE) for answer in question.answers):
                    problems.append(f"{tree.id}/{question.id}")
    assert not problems, "questions without an \"I'm not sure\" answer: " + ", ".join(problems)


def test_not_sure_on_a_checklist_is_treated_as_yes(trees):
    """Unsure whether any of a checklist applies? Treat it as applying."""
    problems = []
    for tree in trees:
        for question in _questions(tree):
            if not question.criteria:
                continue
            targets = {answer.id: answer.next for answer in question.answers}
            not_sure = [a.next for a in question.answers if a.label.startswith(NOT_SURE)]
            if "yes" not in targets:
                problems.append(f"{tree.id}/{question.id}: a checklist question needs a 'yes' answer")
            elif any(target != targets["yes"] for target in not_sure):
                problems.append(f"{tree.id}/{question.id}: \"I'm not sure\" does not go where 'yes' goes")
    assert not problems, "\n".join(problems)


# --- records, timescales, contacts ------------------------------------------------------------

def test_writing_things_down_means_a_record(trees):
    problems = []
    for tree in trees:
        if _is_parents_tree(tree):
            continue
        for outcome in _outcomes(tree):
            if any("write down" in action.text.lower() for action in _actions(outcome)) and not outcome.record:
                problems.append(f"{tree.id}/{outcome.id}")
    assert not problems, "outcomes that ask for a written note but are not marked record: true: " + ", ".join(problems)


def test_safeguarding_trees_keep_records(trees):
    for tree in trees:
        if tree.safeguarding and not _is_parents_tree(tree):
            assert any(o.record for o in _outcomes(tree)), f"{tree.id}: no outcome makes a record for the DSL"


def _actions(node) -> list:
    """A step's actions, each alternative of an `either:` group as an action of its own (v3 format)."""
    return [action for entry in getattr(node, "actions", None) or [] for action in getattr(entry, "either", None) or [entry]]


def _is_known(when) -> bool:
    if isinstance(when, TimeSpec):
        return (when.kind, when.n) in KNOWN_KINDS
    return when in KNOWN_WHEN


def test_timescales_are_known(trees):
    unknown = sorted({f"{tree.id}/{outcome.id}: {action.when!r}" for tree in trees for outcome in _outcomes(tree)
                      for action in _actions(outcome)
                      if action.when is not None and not _is_known(action.when)})
    assert not unknown, ("timescales not in KNOWN_WHEN (check them against the procedure, then add them):\n"
                         + "\n".join(unknown))


def test_safeguarding_trees_name_their_guidance(trees):
    for tree in trees:
        if tree.safeguarding:
            assert tree.guidance, f"{tree.id}: a safeguarding tree must say which statutory guidance it follows"


# --- the parents' site ------------------------------------------------------------------------

def test_the_example_school_has_a_parents_tree(example):
    """So the parents' rules below always have a tree to check."""
    assert any(_is_parents_tree(tree) for tree in example.trees)


def test_parents_trees_cite_only_parents_clauses(project):
    problems = []
    for tree in (t for t in project.trees if _is_parents_tree(t)):
        for node in tree.nodes:
            for citation in getattr(node, "cites", []):
                if citation not in project.clauses:
                    continue  # a statutory source part (sources registry), not a policy clause
                ref = project.clauses[citation]
                if Audience.parents not in ref.audiences:
                    problems.append(f"{tree.id}/{node.id}: {citation}")
    assert not problems, "parents' trees citing clauses not published to parents: " + ", ".join(problems)


def test_parents_trees_use_only_public_contacts(project):
    problems = []
    for tree in (t for t in project.trees if _is_parents_tree(t)):
        for outcome in _outcomes(tree):
            for contact in outcome.contacts:
                if not project.contacts[contact].public:
                    problems.append(f"{tree.id}/{outcome.id}: {contact}")
    assert not problems, "parents' trees listing contacts that are not public: " + ", ".join(problems)
