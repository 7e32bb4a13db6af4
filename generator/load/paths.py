"""Every start-to-outcome path through a decision tree, for snapshot tests and browser walks."""

from __future__ import annotations

from dataclasses import dataclass

from generator.load.models import DecisionTree, Outcome, Question, RouteStep


@dataclass(frozen=True)
class Step:
    node: str
    choice: str
    """The answer id taken, 'next_step' for an outcome's follow-up, or 'route' for a routing step; an answer or
    routing step with several strands is one path per strand."""


@dataclass(frozen=True)
class TreePath:
    steps: tuple[Step, ...]
    outcome: str

    def __str__(self) -> str:
        """One line, e.g. 'is_child_in_danger=no > contact_kind=friend_request -> report_to_slt'."""
        taken = " > ".join(f"{step.node}={step.choice}" for step in self.steps)
        return f"{taken} -> {self.outcome}" if taken else f"-> {self.outcome}"


def enumerate_paths(tree: DecisionTree) -> list[TreePath]:
    """Depth first, in the order answers are written; a step back to an earlier node is taken at most once.

    Reaching an outcome ends a path; an outcome with a follow-up ("review in a week") also
    continues into the tree, so the follow-up's own paths are covered too.
    """
    nodes = {node.id: node for node in tree.nodes}
    found: list[TreePath] = []

    def walk(node_id: str, steps: tuple[Step, ...], on_path: tuple[str, ...], loops: frozenset):
        node = nodes[node_id]
        edges: list[tuple[str, str]]
        if isinstance(node, Outcome):
            found.append(TreePath(steps, node.id))
            edges = [("next_step", node.next_step.next)] if node.next_step else []
        elif isinstance(node, RouteStep):
            edges = [("route", target) for target in node.targets]
        else:
            assert isinstance(node, Question)
            edges = [(answer.id, target) for answer in node.answers for target in answer.targets]
        for choice, target in edges:
            if "#" in target:  # into another tree's step: the path leaves this tree there
                found.append(TreePath(steps + (Step(node_id, choice),), target))
                continue
            edge = (node_id, choice)
            if target in on_path + (node_id,):
                if edge in loops:
                    continue
                walk(target, steps + (Step(node_id, choice),), on_path + (node_id,), loops | {edge})
            else:
                walk(target, steps + (Step(node_id, choice),), on_path + (node_id,), loops)

    walk(tree.nodes[0].id, (), (), frozenset())
    return found
