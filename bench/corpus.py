"""A synthetic but realistic school project at N times the real data, for the benchmarks.

``make_corpus(source, dest, scale)`` copies school.yml, glossary.yml and docs/ from ``source``
and writes ``scale`` copies of every policy and of the unit set of decision trees:

* copy 1 keeps the real ids, so hand-written pages that cite the real policy still resolve;
  copy k (k >= 2) is ``<id>-copy-<k>`` with "(copy k)" in its title;
* every copy's clause wording is lightly varied (a few words swapped, chosen by a seeded
  random generator), so no two copies are byte-for-byte the same page;
* a tree copy's citations point at the same copy of the policy and its related trees at the
  same copy of those trees; audiences are kept, so parents' trees stay on the parents' site.

The unit set of trees is the project's decision_trees/*.yml topped up to ``trees_per_unit``
(10: the number Wexham Court is getting) by cycling through them with new ids. While the
project has no trees yet, the realistic fixtures in bench/fixtures/decision_trees/ stand in,
and the returned :class:`CorpusInfo` says so.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator.load.strict_yaml import load_yaml  # noqa: E402 - needs the repository on sys.path

FIXTURE_TREES = Path(__file__).resolve().parent / "fixtures" / "decision_trees"
TREES_PER_UNIT = 10

# Light rewording: each clause of a copy gets at most one of these, so the text stays realistic.
_SWAPS = [
    ("staff", "colleagues"),
    ("pupils", "children"),
    ("must", "should"),
    ("immediately", "straight away"),
    ("inappropriate", "unsuitable"),
    ("school", "academy"),
    ("social media", "social networking"),
    ("report", "pass on"),
    ("concerns", "worries"),
    ("policy", "document"),
]


@dataclass
class CorpusInfo:
    scale: int
    policies: int
    trees: int
    tree_source: str
    """'decision_trees' (the project's own) or 'bench/fixtures' (stand-ins while it has none)."""
    unit_trees: list[str]
    """Ids of the trees copied at 1x (the project's or the fixtures')."""
    docs_pages: int
    skipped_trees: list[str]
    """The project's tree files left out because they do not validate (work in progress)."""

    def as_dict(self) -> dict:
        return asdict(self)


def copy_id(base: str, copy: int, variant: int = 0) -> str:
    """Id of copy ``copy`` (1-based) of ``base``; ``variant`` > 0 tops the tree unit set up."""
    ident = base if copy == 1 else f"{base}-copy-{copy}"
    return f"{ident}-v{variant + 1}" if variant else ident


def copy_title(title: str, copy: int, variant: int = 0) -> str:
    parts = [f"copy {copy}"] if copy > 1 else []
    if variant:
        parts.append(f"variant {variant + 1}")
    return f"{title} ({', '.join(parts)})" if parts else title


# A guide's texts keep the words that say who is involved: the safety rules read them (who a concern is about,
# who is told), so "staff" -> "colleagues" in a help text made one copy of a guide fail S501 at 55x.
_TREE_SWAPS = [(old, new) for old, new in _SWAPS if old not in ("staff", "pupils")]


def _vary(text: str, rng: random.Random, swaps: list[tuple[str, str]] = _SWAPS) -> str:
    """Swap one word pair in about a third of texts (whole words only, links untouched)."""
    if rng.random() > 0.35 or "](" in text or "<http" in text:
        return text
    old, new = rng.choice(swaps)
    return re.sub(rf"\b{re.escape(old)}\b", new, text, count=1)


def _vary_items(items: list, rng: random.Random) -> list:
    varied = []
    for item in items:
        if isinstance(item, str):
            varied.append(_vary(item, rng))
        else:
            varied.append({**item, "text": _vary(item["text"], rng), "items": _vary_items(item.get("items") or [], rng)}
                          if "items" in item else {**item, "text": _vary(item["text"], rng)})
    return varied


def _vary_sections(sections: list, rng: random.Random) -> list:
    out = []
    for section in sections:
        section = dict(section)
        clauses = []
        for clause in section.get("clauses") or []:
            clause = dict(clause)
            if clause.get("text"):
                clause["text"] = _vary(clause["text"], rng)
            if clause.get("items"):
                clause["items"] = _vary_items(clause["items"], rng)
            clauses.append(clause)
        if "clauses" in section:
            section["clauses"] = clauses
        if section.get("sections"):
            section["sections"] = _vary_sections(section["sections"], rng)
        out.append(section)
    return out


def copy_policy(data: dict, copy: int) -> dict:
    if copy == 1:
        return data
    rng = random.Random(f"{data['id']}:{copy}")
    out = dict(data)
    out["id"] = copy_id(data["id"], copy)
    out["title"] = copy_title(data["title"], copy)
    out["short_title"] = copy_title(data["short_title"], copy)
    out["sections"] = _vary_sections(data["sections"], rng)
    # A copy's wording is varied, so it is not faithful to the original document: it has none.
    out.pop("source", None)
    out.pop("deviations", None)
    # Related policies that are published point at the same copy of that policy.
    out["related_policies"] = [
        {**related, "id": copy_id(related["id"], copy)} if related.get("id") else related
        for related in data.get("related_policies") or []
    ]
    return out


def copy_tree(data: dict, copy: int, variant: int, policy_ids: set[str], tree_ids: set[str]) -> dict:
    """A copy of a tree whose citations and related trees point into the same copy of everything.

    Related trees that are not in the corpus (not written yet, or left out as invalid) are dropped.
    """
    rng = random.Random(f"{data['id']}:{copy}:{variant}")

    def cite(citation: str) -> str:
        policy, clause = citation.split("#", 1)
        return f"{copy_id(policy, copy)}#{clause}" if policy in policy_ids else citation

    def target(value):
        """Any form a `next`/`also_follow` takes (a step, `{to, if}`, a list of either) pointed into this copy."""
        if isinstance(value, list):
            return [target(item) for item in value]
        if isinstance(value, dict):
            return {**value, "to": target(value["to"])} if isinstance(value.get("to"), str) else value
        if not isinstance(value, str):
            return value
        tree, _, step = value.rpartition("#")
        return f"{copy_id(tree, copy)}#{step}" if tree in tree_ids else value

    def vary_action(action: dict) -> dict:
        if "either" in action:  # an either/or group: each alternative is an action
            return {**action, "either": [[vary_action(a) for a in group] if isinstance(group, list)
                                         else vary_action(group) for group in action["either"]]}
        return {**action, "text": _vary(action["text"], rng, _TREE_SWAPS)} if "text" in action else action

    out = dict(data)
    out["id"] = copy_id(data["id"], copy, variant)
    out["title"] = copy_title(data["title"], copy, variant)
    nodes: list[dict] = []
    for node in data["nodes"]:
        node = dict(node)
        if node.get("cites"):
            node["cites"] = [cite(c) for c in node["cites"]]
        if node.get("related_trees"):
            node["related_trees"] = [copy_id(t, copy) for t in node["related_trees"] if t in tree_ids]
        if node.get("answers"):  # a step of another tree ('tree-id#step') is in the same copy of that tree
            node["answers"] = [{**a, "next": target(a["next"])} for a in node["answers"]]
        if node.get("also_follow"):
            node["also_follow"] = target(node["also_follow"])
        if isinstance(node.get("next_step"), dict) and "next" in node["next_step"]:
            node["next_step"] = {**node["next_step"], "next": target(node["next_step"]["next"])}
        if copy == 1 and variant == 0:
            nodes.append(node)
            continue
        if node.get("help"):
            node["help"] = _vary(node["help"], rng, _TREE_SWAPS)
        if node.get("actions"):
            node["actions"] = [vary_action(action) for action in node["actions"]]
        nodes.append(node)
    out["nodes"] = nodes
    return out


def _dump(data: dict, path: Path) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")


def _load(path: Path) -> dict:
    return load_yaml(path, path.name).data


def invalid_tree_files(source: Path, today: date) -> list[str]:
    """The project's tree files with errors; raises if anything else in the project has errors."""
    from generator.pipeline import check

    result = check(source, today)
    errors = [d for d in result.diagnostics if d.is_error]
    # E406 (a related tree that is not written yet) is mended by copy_tree, which drops such links.
    bad_trees = sorted({d.path for d in errors if d.path.startswith("decision_trees/") and d.code != "E406"})
    others = [str(d) for d in errors if not d.path.startswith("decision_trees/")]
    if others:
        raise RuntimeError("the project's data has errors: " + "; ".join(others[:5]))
    return bad_trees


def make_corpus(source: Path, dest: Path, scale: int, trees_per_unit: int = TREES_PER_UNIT,
                today: date = date(2024, 10, 1)) -> CorpusInfo:
    """Write a project ``scale`` times the size of ``source`` into ``dest`` (which must not exist).

    Tree files of the project that do not validate are left out (and listed in the result):
    the trees are being written while the benchmarks run.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    skipped = invalid_tree_files(source, today)
    dest.mkdir(parents=True)
    for name in ("school.yml", "glossary.yml", "sources.yml"):
        if (source / name).is_file():
            shutil.copy2(source / name, dest / name)
    if (source / "docs").is_dir():
        shutil.copytree(source / "docs", dest / "docs")
    else:
        (dest / "docs").mkdir()
    (dest / "policies").mkdir()
    if (source / "policies" / "source").is_dir():  # the original documents policies name in `source:`
        shutil.copytree(source / "policies" / "source", dest / "policies" / "source")
    (dest / "decision_trees").mkdir()
    if (source / "decision_trees" / "shared").is_dir():
        shutil.copytree(source / "decision_trees" / "shared", dest / "decision_trees" / "shared")

    policies = [_load(path) for path in sorted((source / "policies").glob("*.yml"))]
    real_trees = [path for path in sorted((source / "decision_trees").glob("*.yml"))
                  if f"decision_trees/{path.name}" not in skipped]
    tree_files = real_trees or sorted(FIXTURE_TREES.glob("*.yml"))
    trees = [_load(path) for path in tree_files]
    if not trees:
        raise RuntimeError(f"no decision trees in {source / 'decision_trees'} nor in {FIXTURE_TREES}")
    policy_ids = {p["id"] for p in policies}
    tree_ids = {t["id"] for t in trees}
    unit = max(trees_per_unit, len(trees))
    slots = [(trees[i % len(trees)], i // len(trees)) for i in range(unit)]

    for copy in range(1, scale + 1):
        for policy in policies:
            varied = copy_policy(policy, copy)
            _dump(varied, dest / "policies" / f"{varied['id']}.yml")
        for tree, variant in slots:
            varied = copy_tree(tree, copy, variant, policy_ids, tree_ids)
            _dump(varied, dest / "decision_trees" / f"{varied['id']}.yml")
    return CorpusInfo(
        scale=scale,
        policies=len(policies) * scale,
        trees=unit * scale,
        tree_source="decision_trees" if real_trees else "bench/fixtures",
        unit_trees=[t["id"] for t in trees],
        docs_pages=sum(1 for _ in (dest / "docs").rglob("*.md")),
        skipped_trees=skipped,
    )
