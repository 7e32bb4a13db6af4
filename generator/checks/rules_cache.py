"""The safety rules' findings kept per guide, per shared group and per page (issue 30).

A rule declared ``reads="one-guide"`` (checks/rules/registry.py) reads one guide with the shared groups it uses,
or one shared group, or one hand-written page, and of the school only its nation: its findings on that part are
kept under a key of exactly those (:func:`unit_key`) and the tool's code (``key_of``). The rules that look across
guides (``reads="project"``: hand-overs to other safeguarding guides, whether a guide exists, the school's
contacts) run again on the whole project every time, and so do the waivers, which are applied to all the findings
at once. With no cache the rules run as they always did, on the whole project: the clean check that the
incremental one is compared with (tests/checks/test_incremental_check.py, test_rules_cache.py).

A part's view holds only that part: a rule declared per guide that read another guide, or the school's contacts,
would find something else there than on the whole project, which the tests compare.
"""

from __future__ import annotations

import json
from typing import Callable, Iterator

from generator.checks.rules import RULES, ProjectView, RecordedWaiver, Rule, build_view
from generator.checks.rules.waivers import apply_waivers
from generator.load.diagnostics import Diagnostic
from generator.load.file_cache import ResultCache, diagnostic_from, diagnostic_json, key_of
from generator.load.source import Source


def per_part_rules() -> list[Rule]:
    return [item for item in RULES if item.reads == "one-guide"]


def project_rules() -> list[Rule]:
    return [item for item in RULES if item.reads != "one-guide"]


def _identity(source: Source) -> list[str]:
    """What a view reads of a file: its name, its text and its values (the trust's files may differ from the text)."""
    return [source.display, source.text, json.dumps(source.data, ensure_ascii=False, sort_keys=True)]


def _group_id(source: Source) -> str:
    data = source.data if isinstance(source.data, dict) else {}
    return str(data.get("id", source.path.stem))


def _used_groups(tree: Source, groups: dict[str, Source]) -> list[Source]:
    """The shared groups a guide puts in place (`- use: <group>`), in the order of `groups`."""
    nodes = tree.data.get("nodes") if isinstance(tree.data, dict) else None
    used = {str(node["use"]) for node in nodes or [] if isinstance(node, dict) and "use" in node}
    return [source for group_id, source in groups.items() if group_id in used]


def _nation_only(school: Source | None) -> Source | None:
    """The school's file as a part's view sees it: its nation (the FGM duty, S404) and nothing else."""
    if school is None:
        return None
    nation = school.data.get("nation") if isinstance(school.data, dict) else None
    return Source(school.path, school.display, {"nation": nation} if nation is not None else {}, {})


def parts(trees: list[Source], groups: list[Source], pages: list,
          school: Source | None) -> Iterator[tuple[list[str], Callable[[], ProjectView]]]:
    """Each part the per-guide rules are run on: (what its findings depend on, a function making its view)."""
    by_id = {_group_id(source): source for source in groups}
    local = _nation_only(school)
    nation = json.dumps(local.data if local is not None else None, sort_keys=True)
    for tree in trees:
        used = _used_groups(tree, by_id)

        def guide_view(tree=tree, used=used) -> ProjectView:
            view = build_view([tree], used, [], local)
            view.contacts, view.walk_groups = {}, False
            return view
        yield ["guide", *_identity(tree), *[part for group in used for part in _identity(group)], nation], guide_view
    for group in groups:
        def group_view(group=group) -> ProjectView:
            view = build_view([], [group], [], local)
            view.contacts = {}
            return view
        yield ["group", *_identity(group), nation], group_view
    for page in pages:
        def page_view(page=page) -> ProjectView:
            view = build_view([], [], [page], local)
            view.contacts = {}
            return view
        yield ["page", page.display, page.text, json.dumps(list(page.sites)), nation], page_view


def unit_key(read: list[str], rules: list[Rule]) -> str:
    return key_of("safety-rules", ",".join(item.code for item in rules), *read)


def run_rules_kept(view: ProjectView, trees: list[Source], groups: list[Source], pages: list, school: Source | None,
                   cache: ResultCache) -> tuple[list[Diagnostic], list[RecordedWaiver]]:
    """What `run_rules(view)` gives, the per-guide rules' findings read back for each part that is unchanged."""
    found: set[Diagnostic] = set()
    for item in project_rules():
        found.update(item.check(view))
    rules = per_part_rules()
    for read, make_view in parts(trees, groups, pages, school):
        key = unit_key(read, rules)
        kept = cache.get(key)
        if kept is None:
            part_view = make_view()
            kept = [diagnostic_json(d) for item in rules for d in item.check(part_view)]
            cache.put(key, kept)
        found.update(diagnostic_from(d) for d in kept)
    kept_findings, used = apply_waivers(view, sorted(found))
    return sorted(kept_findings), used
