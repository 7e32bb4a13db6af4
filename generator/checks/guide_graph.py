"""The guides as one graph: every step must be reachable in its guide and able to reach an outcome.

A step may lead into another guide (`next: other-guide#step`, an outcome's `also_follow`), and a
shared group's steps are part of every guide that uses them. Whether a step can finish is therefore
decided over all the guides together: two guides whose steps lead only into each other are a trap,
however many guides the loop passes through.
"""

from __future__ import annotations

from typing import Protocol

from generator.load.diagnostics import Diagnostic
from generator.load.models import DecisionTree, Outcome, Question, RouteStep
from generator.load.models.tree import CONTINUE, leads_to

StepKey = tuple[str, str]
"""(guide id, step id): a step of one expanded guide (a shared group's step has one per using guide)."""


class PlacedStep(Protocol):
    """A step of an expanded guide and where it is written (validate's _Placed)."""

    node: Question | Outcome | RouteStep
    source: object
    loc: tuple


def all_targets(node: Question | Outcome | RouteStep) -> list[str]:
    """Where a step leads: every strand of its answers, a routing step's targets, or an outcome's 'also follow'
    and follow-up (a condition does not matter here: each conditional route may be taken)."""
    return leads_to(node)


def successors(node: Question | Outcome | RouteStep) -> list[str]:
    """The steps of the same tree a node leads to: answers, follow-up, 'also follow' (not 'tree-id#step')."""
    return [target for target in all_targets(node) if target is not None and "#" not in target]


def unreachable_steps(tree: DecisionTree, placed: list[PlacedStep]) -> tuple[list[Diagnostic], set[str]]:
    """E408 for each step the guide's first step cannot lead to, and the ids of those it can."""
    nodes = {p.node.id: p.node for p in placed}
    start = tree.nodes[0].id
    # Steps shown as a link on every step ('always_available') are reachable from anywhere.
    reachable = {start} | {node.id for node in tree.nodes if node.always_available}
    frontier = list(reachable)
    while frontier:
        for target in successors(nodes[frontier.pop()]):
            if target not in reachable and target in nodes:
                reachable.add(target)
                frontier.append(target)
    found = [p.source.diagnostic(p.loc + ("id",), "E408",
                                 f"step '{p.node.id}' cannot be reached from the first step '{start}'")
             for p in placed if p.node.id not in reachable]
    return found, reachable


def trap_diagnostics(guides: list[tuple[DecisionTree, list[PlacedStep], set[str]]]) -> list[Diagnostic]:
    """E409 for each reachable step from which no outcome can be reached, in any guide, naming its loop.

    `guides` holds each graph-checked guide (expanded), its placed steps and the ids reachable in it.
    A link to a step that is not in the graph (already reported as unknown, or in a guide whose own
    errors kept it out) counts as a way out, so one mistake is not reported twice.
    """
    placed: dict[StepKey, PlacedStep] = {}
    edges: dict[StepKey, list[StepKey]] = {}
    finishes: set[StepKey] = set()
    for tree, steps, _ in guides:
        for p in steps:
            placed[(tree.id, p.node.id)] = p
    for tree, steps, _ in guides:
        for p in steps:
            key = (tree.id, p.node.id)
            targets = [_key(tree.id, target) for target in all_targets(p.node)]
            if isinstance(p.node, Outcome) or any(t is None or t not in placed for t in targets):
                finishes.add(key)
            edges[key] = [t for t in targets if t is not None]
    _spread_finishing(edges, finishes)
    found: list[Diagnostic] = []
    reported: set[tuple] = set()
    for tree, steps, reachable in guides:
        for p in steps:
            key = (tree.id, p.node.id)
            if key in finishes or p.node.id not in reachable:
                continue
            where = p.source.diagnostic(p.loc + ("id",), "E409", "")
            if (where.path, where.line, where.column) in reported:
                continue  # a shared group's step, already reported for another guide using it
            reported.add((where.path, where.line, where.column))
            path = _path_round(key, edges)
            loop = " → ".join([_name(step, tree.id, placed) for step in path[:-1]]
                              + ["back to " + _name(path[-1], tree.id)])
            found.append(p.source.diagnostic(
                p.loc + ("id",), "E409",
                f"step '{p.node.id}' is a trap: no outcome can be reached from it; it leads only round {loop}",
                hint="give one of these steps an answer that leads to an outcome"))
    return found


def _key(tree_id: str, target: str | None) -> StepKey | None:
    if target is None or target == CONTINUE:
        return None  # a shared group's 'continue' or named exit left unresolved: reported at the 'use:'
    if "#" in target:
        other, step = target.split("#", 1)
        return (other, step)
    return (tree_id, target)


def _spread_finishing(edges: dict[StepKey, list[StepKey]], finishes: set[StepKey]) -> None:
    """Mark every step that leads to a finishing step as finishing, until nothing changes."""
    leads_here: dict[StepKey, list[StepKey]] = {}
    for step, targets in edges.items():
        for target in targets:
            leads_here.setdefault(target, []).append(step)
    frontier = list(finishes)
    while frontier:
        for step in leads_here.get(frontier.pop(), ()):
            if step not in finishes:
                finishes.add(step)
                frontier.append(step)


def _path_round(start: StepKey, edges: dict[StepKey, list[StepKey]]) -> list[StepKey]:
    """From a trapped step, its first links followed until a step comes round again (that step last too).

    Every link of a trapped step leads to another trapped step, so the walk always comes round.
    """
    path = [start]
    seen = {start}
    while True:
        step = edges[path[-1]][0]
        path.append(step)
        if step in seen:
            return path
        seen.add(step)


def _name(step: StepKey, tree_id: str, placed: dict[StepKey, PlacedStep] | None = None) -> str:
    """The step as a target is written in this guide, and where it is written (when placed is given)."""
    name = step[1] if step[0] == tree_id else f"{step[0]}#{step[1]}"
    if placed is None:
        return name
    p = placed[step]
    where = p.source.diagnostic(p.loc + ("id",), "E409", "")
    return f"{name} ({where.path}:{where.line})"

