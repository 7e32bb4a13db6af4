"""The guides (decision trees) once every file is valid: shared step groups put in place (`use:`), step,
answer and criterion ids, every step's citations, contacts, roles and links (within the guide and to other guides,
on the same sites), then the graph checks of generator.checks.guide_graph."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
import re
from typing import Any

from generator.checks.guides_cache import kept_tree_check
from generator.checks.guide_graph import all_targets as _all_targets, trap_diagnostics, unreachable_steps
from generator.checks.jurisdiction import check_jurisdiction
from generator.checks.references import _check_citation, _check_contact, _check_roles, _duplicate_ids, _warn_source
from generator.checks.texts import _strings
from generator.load.diagnostics import Diagnostic
from generator.load.file_cache import ResultCache
from generator.load.source import Source
from generator.load.models import DecisionTree, Outcome, Question, RouteStep, SharedGroup, Use
from generator.load.models.tree import CONTINUE, Route, flat_actions, route_locs
from generator.load.project import Project


_CONTACT_CALL = re.compile(r"""\{\{-?\s*contact\(\s*["']([^"']*)["']\s*\)\s*-?\}\}""")
"""{{ contact("id") }} in a tree's text: found by this pattern, never by evaluating the text as a template."""


_SITE_NAMES = {"staff": "staff", "parents": "parents'"}


@dataclass
class _Placed:
    """A step of an expanded tree and where it is written (the tree's file, or a shared group's)."""

    node: Question | Outcome | RouteStep
    source: Source
    loc: tuple


def _check_trees(project: Project, trees: list[tuple[Source, DecisionTree]],
                 groups: list[tuple[Source, SharedGroup]], school_source: Source,
                 diagnostics: list[Diagnostic], cache: ResultCache | None = None) -> None:
    check_tree = kept_tree_check(_check_tree, cache)  # each guide's own checks, read back while unchanged
    groups_by_id: dict[str, tuple[Source, SharedGroup]] = {}
    for source, group in groups:
        if group.id in groups_by_id:
            diagnostics.append(source.diagnostic(("id",), "E301", f"duplicate shared group id '{group.id}' "
                                                                  f"(also in {groups_by_id[group.id][0].display})"))
        if source.path.stem != group.id:
            diagnostics.append(source.diagnostic(("id",), "E302",
                                                 f"shared group id '{group.id}' does not match the file name "
                                                 f"'{source.path.name}'",
                                                 hint=f"rename the file to {group.id}.yml or change the id"))
        groups_by_id[group.id] = (source, group)
        _check_group_exits(source, group, diagnostics)
    seen: dict[str, Source] = {}
    expanded = []
    for source, tree in trees:
        project.sources[f"tree:{tree.id}"] = source.display
        if tree.id in seen:
            diagnostics.append(source.diagnostic(("id",), "E301", f"duplicate tree id '{tree.id}' (also in {seen[tree.id].display})"))
        seen[tree.id] = source
        if source.path.stem != tree.id:
            diagnostics.append(source.diagnostic(("id",), "E302",
                                                 f"tree id '{tree.id}' does not match the file name '{source.path.name}'",
                                                 hint=f"rename the file to {tree.id}.yml or change the id"))
        before = len(diagnostics)
        placed = _expand(source, tree, groups_by_id, diagnostics)
        # A tree whose `use:` is broken is not graph-checked: its missing steps would only repeat the error.
        expanded.append((source, placed, len(diagnostics) > before))
    # Using trees show a group's steps as their own: the project holds every tree expanded.
    project.trees = [tree.model_copy(update={"nodes": [p.node for p in placed]})
                     for (_, tree), (_, placed, _) in zip(trees, expanded)]
    by_id = {tree.id: tree for tree in project.trees}
    reported: set[tuple] = set()  # a shared group's problem is reported once, not once per tree using it
    graph_checked = []
    for (source, placed, broken_use), tree in zip(expanded, project.trees):
        found: list[Diagnostic] = []
        reachable = check_tree(project, source, tree, placed, by_id, found, check_graph=not broken_use)
        if reachable is not None:
            graph_checked.append((tree, placed, reachable))
        for diagnostic in found:
            key = (diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.code, diagnostic.message)
            if key not in reported:
                reported.add(key)
                diagnostics.append(diagnostic)
    # Whether a step can finish is a question about every guide at once: links lead from one to another.
    diagnostics.extend(trap_diagnostics(graph_checked))


def _expand(source: Source, tree: DecisionTree, groups_by_id: dict, diagnostics: list[Diagnostic]) -> list[_Placed]:
    """The tree's steps with each `use:` replaced by the group's steps (`next: continue` pointed at the tree's step)."""
    own = {node.id: index for index, node in enumerate(tree.nodes) if not isinstance(node, Use)}
    placed: list[_Placed] = []
    used: set[str] = set()
    for index, node in enumerate(tree.nodes):
        here = ("nodes", index)
        if not isinstance(node, Use):
            placed.append(_Placed(node, source, here))
            continue
        if node.use not in groups_by_id:
            close = difflib.get_close_matches(node.use, list(groups_by_id), n=1)
            diagnostics.append(source.diagnostic(here + ("use",), "E410",
                                                 f"unknown shared step group '{node.use}': there is no "
                                                 f"decision_trees/shared/{node.use}.yml",
                                                 hint=f"did you mean '{close[0]}'?" if close else None))
            continue
        if node.use in used:
            diagnostics.append(source.diagnostic(here + ("use",), "E412",
                                                 f"the shared group '{node.use}' is used twice in this tree"))
            continue
        used.add(node.use)
        group_source, group = groups_by_id[node.use]
        if node.continue_ is None:
            if any(target == CONTINUE for step in group.nodes for target in _all_targets(step)):
                diagnostics.append(source.diagnostic(here + ("use",), "E411",
                                                     f"the shared group '{node.use}' leads on to 'continue', but "
                                                     "this 'use:' names no 'continue:' step",
                                                     hint="add 'continue: <step id>', the step of this tree that "
                                                          "comes next"))
        exits = _use_exits(source, here, node, group, own, diagnostics)
        continue_to = node.continue_
        if continue_to is not None and continue_to not in own:
            close = difflib.get_close_matches(continue_to, list(own), n=1)
            diagnostics.append(source.diagnostic(here + ("continue",), "E407", f"unknown step '{continue_to}'",
                                                 hint=f"did you mean '{close[0]}'?" if close else None))
            continue_to = None  # reported here, at the 'use:', not again in the group's file
        for g_index, step in enumerate(group.nodes):
            if step.id in own:
                diagnostics.append(source.diagnostic(("nodes", own[step.id], "id"), "E412",
                                                     f"step id '{step.id}' is also a step of the shared group "
                                                     f"'{group.id}' ({group_source.display})",
                                                     hint="give this tree's step another id"))
            placed.append(_Placed(_continue_to(step, continue_to, exits), group_source, ("nodes", g_index)))
    return placed


def _check_group_exits(source: Source, group: SharedGroup, diagnostics: list[Diagnostic]) -> None:
    """E411 where a group's step leaves by an exit the group does not declare (reported once, in its file)."""
    for index, step in enumerate(group.nodes):
        for route, loc in _step_routes(step, ("nodes", index)):
            if route.exit is not None and route.exit not in group.exits:
                declared = ", ".join(group.exits) or "none"
                close = difflib.get_close_matches(route.exit, group.exits, n=1)
                diagnostics.append(source.diagnostic(
                    loc, "E411", f"exit '{route.exit}' is not one of the group's exits (declared: {declared})",
                    hint=f"did you mean '{close[0]}'?" if close else "add it to the group's 'exits:' list"))


def _step_routes(step, here: tuple) -> list[tuple[Route, tuple]]:
    """Every route of a step (answers' strands, a routing step's, 'also follow') with where its target (or
    exit) is written."""
    values = [(a.next, here + ("answers", i, "next")) for i, a in enumerate(getattr(step, "answers", []))]
    values += [(step.next, here + ("next",))] if isinstance(step, RouteStep) else []
    values += [(step.also_follow, here + ("also_follow",))] if isinstance(step, Outcome) else []
    return [(route, loc[:-1] + ("exit",) if route.exit is not None else loc)
            for value, at in values for route, loc in route_locs(value, at)]


def _use_exits(source: Source, here: tuple, node: Use, group: SharedGroup, own: dict,
               diagnostics: list[Diagnostic]) -> dict[str, str]:
    """The `use:`'s map of the group's named exits to this tree's steps, each checked (E411, E407)."""
    exits: dict[str, str] = {}
    for name in group.exits:
        if name not in node.exits:
            diagnostics.append(source.diagnostic(here + ("use",), "E411",
                                                 f"the shared group '{node.use}' leads out by exit '{name}', but "
                                                 "this 'use:' names no step for it",
                                                 hint=f"add 'exits: {{{name}: <step id>}}', the step of this "
                                                      "tree that exit leads to"))
    for name, step in node.exits.items():
        if name not in group.exits:
            close = difflib.get_close_matches(name, group.exits, n=1)
            declared = ", ".join(group.exits) or "none"
            diagnostics.append(source.diagnostic(here + ("exits", name), "E411",
                                                 f"the shared group '{node.use}' has no exit '{name}' "
                                                 f"(its exits: {declared})",
                                                 hint=f"did you mean '{close[0]}'?" if close else None))
        elif step not in own:
            close = difflib.get_close_matches(step, list(own), n=1)
            diagnostics.append(source.diagnostic(here + ("exits", name), "E407", f"unknown step '{step}'",
                                                 hint=f"did you mean '{close[0]}'?" if close else None))
        else:
            exits[name] = step
    return exits


def _continue_to(step, target: str | None, exits: dict[str, str] | None = None):
    """The group's step as placed in a tree: `continue` and each named exit pointed at the tree's step."""
    if target is None and not exits:
        return step
    if isinstance(step, Question):
        answers = [a.model_copy(update={"next": _resolve(a.next, target, exits)}) for a in step.answers]
        return step.model_copy(update={"answers": answers})
    if isinstance(step, RouteStep):
        return step.model_copy(update={"next": _resolve(step.next, target, exits)})
    update: dict = {"also_follow": _resolve(step.also_follow, target, exits)}
    if target is not None and step.next_step is not None and step.next_step.next == CONTINUE:
        update["next_step"] = step.next_step.model_copy(update={"next": target})
    return step.model_copy(update=update)


def _resolve(value, target: str | None, exits: dict[str, str] | None = None):
    """A `next`/`also_follow` value with `continue` and each named exit pointed at the using tree's step
    (conditions kept; what the `use:` leaves unnamed stays as it is, reported there)."""
    if isinstance(value, list):
        return [_resolve(item, target, exits) for item in value]
    if isinstance(value, Route):
        if value.exit is not None and value.exit in (exits or {}):
            return value.model_copy(update={"to": exits[value.exit], "exit": None})
        return value.model_copy(update={"to": target}) if value.to == CONTINUE and target else value
    return target if value == CONTINUE and target else value


def _check_tree(project: Project, source: Source, tree: DecisionTree, placed: list[_Placed], by_id: dict,
                diagnostics: list[Diagnostic], check_graph: bool = True) -> set[str] | None:
    """Check one expanded tree; the ids of the steps its first step leads to, or None when its graph went
    unchecked (its errors would only be repeated as unreachable steps or traps)."""
    nodes = {p.node.id: p.node for p in placed}
    _duplicate_ids(((p.node.id, p.loc + ("id",)) for p in placed if p.source is source), source, "E401",
                   "step id", diagnostics)
    on_parents_site = "parents" in project.sites_of(tree)
    warned: set[tuple] = set()
    for p in placed:
        node, src, here = p.node, p.source, p.loc
        if src is source:  # a guide's own step: `exit:` belongs to shared groups only
            for route, loc in _step_routes(node, here):
                if route.exit is not None:
                    diagnostics.append(src.diagnostic(loc, "E411", f"'exit: {route.exit}' leads out of a shared "
                                                      "group, and this step is the guide's own",
                                                      hint="write 'to: <step id>' for a step of this guide"))
        for c_index, citation in enumerate(node.cites):
            _check_citation(project, src, tree, citation, here + ("cites", c_index), diagnostics, warned)
        _check_contact_calls(project, src, here, on_parents_site, diagnostics)
        for at, action in flat_actions(node):  # a question's too, and each alternative of an either group
            _check_roles(project, src, here + at + ("who",), action.who, diagnostics)
            for c_index, citation in enumerate(action.cites):
                _check_citation(project, src, tree, citation, here + at + ("cites", c_index), diagnostics, warned)
        if isinstance(node, Question):
            _duplicate_ids(((a.id, here + ("answers", i, "id")) for i, a in enumerate(node.answers)), src,
                           "E402", "answer id", diagnostics)
            _duplicate_ids(((c.id, here + ("criteria", i, "id")) for i, c in enumerate(node.criteria)
                            if not isinstance(c, str) and c.id), src, "E419", "criterion id", diagnostics)
            if node.select == "many" and not node.criteria:
                diagnostics.append(src.diagnostic(here + ("select",), "E420",
                                                  "'select: many' needs criteria to tick",
                                                  hint="add the items under 'criteria:', or remove 'select'"))
            if node.decided_by is not None:
                _check_roles(project, src, here + ("decided_by",), node.decided_by, diagnostics)
            for a_index, answer in enumerate(node.answers):
                for c_index, contact in enumerate(answer.contacts):
                    _check_contact(project, src, here + ("answers", a_index, "contacts", c_index), contact,
                                   on_parents_site, diagnostics)
                for route, loc in route_locs(answer.next, here + ("answers", a_index, "next")):
                    _check_target(project, tree, nodes, by_id, route.to, src, loc, diagnostics)
                    if route.to == node.id:
                        diagnostics.append(src.diagnostic(loc, "E422",
                                                          f"answer '{answer.id}' leads back to its own step "
                                                          f"'{node.id}': the reader would be stuck on it",
                                                          hint="point 'next' at the step that should follow"))
            continue
        if isinstance(node, RouteStep):
            for route, loc in route_locs(node.next, here + ("next",)):
                _check_target(project, tree, nodes, by_id, route.to, src, loc, diagnostics)
                if route.to == node.id:
                    diagnostics.append(src.diagnostic(loc, "E422", f"the routing step '{node.id}' leads to itself",
                                                      hint="point 'next' at the step that should follow"))
            continue
        if not isinstance(node.record, bool):
            _check_roles(project, src, here + ("record", "keeper"), node.record.keeper, diagnostics)
        for c_index, contact in enumerate(node.contacts):
            _check_contact(project, src, here + ("contacts", c_index), contact, on_parents_site, diagnostics)
        for r_index, related in enumerate(node.related_trees):
            if related not in by_id:
                diagnostics.append(src.diagnostic(here + ("related_trees", r_index), "E406",
                                                  f"unknown related tree '{related}'"))
        for route, loc in route_locs(node.also_follow, here + ("also_follow",)):
            _check_target(project, tree, nodes, by_id, route.to, src, loc, diagnostics)
        if node.next_step is not None:
            _check_target(project, tree, nodes, by_id, node.next_step.next, src, here + ("next_step", "next"),
                          diagnostics)
            if node.next_step.next == node.id:
                diagnostics.append(src.diagnostic(here + ("next_step", "next"), "E422",
                                                  f"the next step of '{node.id}' is '{node.id}' itself",
                                                  hint="point 'next' at the step that should follow"))
    for g_index, source_id in enumerate(tree.guidance):
        entry = project.external_sources.get(source_id)
        if entry is None:
            close = difflib.get_close_matches(source_id, list(project.external_sources), n=1)
            diagnostics.append(source.diagnostic(("guidance", g_index), "E414",
                                                 f"unknown source '{source_id}': it is not in sources.yml",
                                                 hint=f"did you mean '{close[0]}'?" if close else None))
        else:
            _warn_source(project, source, ("guidance", g_index), entry, warned, diagnostics)
    check_jurisdiction(project, source, tree, diagnostics)
    files = {p.source.display for p in placed} | {source.display}
    if check_graph and not any(d.is_error and d.path in files for d in diagnostics):
        unreachable, reachable = unreachable_steps(tree, placed)
        diagnostics.extend(unreachable)
        return reachable
    return None


def _check_contact_calls(project: Project, source: Source, here: tuple, on_parents_site: bool,
                         diagnostics: list[Diagnostic]) -> None:
    data: Any = source.data
    for part in here:
        data = data[part]
    for loc, text in _strings(data, here):
        for match in _CONTACT_CALL.finditer(text):
            _check_contact(project, source, loc, match.group(1), on_parents_site, diagnostics)


def _check_target(project: Project, tree: DecisionTree, nodes: dict, by_id: dict, target: str | None,
                  source: Source, loc: tuple, diagnostics: list[Diagnostic]) -> None:
    if target is None:
        return  # a shared group's named exit the 'use:' gave no step: reported at the 'use:'
    if target == CONTINUE:
        return  # a shared group's 'continue' left as it is: the missing 'continue:' was reported at the 'use:'
    if "#" in target:
        tree_id, step = target.split("#", 1)
        if tree_id != tree.id:
            other = by_id.get(tree_id)
            if other is None:
                close = difflib.get_close_matches(tree_id, list(by_id), n=1)
                diagnostics.append(source.diagnostic(loc, "E416", f"unknown tree '{tree_id}' in '{target}'",
                                                     hint=f"did you mean '{close[0]}'?" if close else None))
                return
            steps = [node.id for node in other.nodes]
            if step not in steps:
                close = difflib.get_close_matches(step, steps, n=1)
                diagnostics.append(source.diagnostic(loc, "E407", f"unknown step '{step}' in tree '{tree_id}'",
                                                     hint=f"did you mean '{close[0]}'?" if close else None))
                return
            missing = sorted(project.sites_of(tree) - project.sites_of(other))
            if missing:
                diagnostics.append(source.diagnostic(loc, "E417",
                                                     f"tree '{tree_id}' is not published on the {_SITE_NAMES[missing[0]]} site, "
                                                     "where this tree is",
                                                     hint=f"add '{missing[0]}' to the audiences of '{tree_id}', or "
                                                          "link to a tree published there"))
            return
        target = step
    if target not in nodes:
        close = difflib.get_close_matches(target, list(nodes), n=1)
        diagnostics.append(source.diagnostic(loc, "E407", f"unknown step '{target}'",
                                             hint=f"did you mean '{close[0]}'?" if close else None))
