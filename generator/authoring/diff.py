"""What changed between two versions of a school's data, for the governors who approve it.

``compare`` takes two validated projects (two folders, or two git revisions checked out by
``checkout_revision``) and returns plain data: per policy, the clauses added, removed, moved
(another section, or another place in the order), reworded (with word-level changes) and
re-audienced, with every clause that becomes visible to parents listed first because it is
about to be published on the public site; then decision trees and contacts that changed.
The wording of the report is in ``templates/diff/``.
"""

from __future__ import annotations

import difflib
import io
import re
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.load.models import Audience, Policy
from generator.load.project import ClauseRef, Project, clause_parts, index_clauses
from generator.render.renderer import TEMPLATES

DATA_PATHS = ("school.yml", "glossary.yml", "policies", "decision_trees", "docs")
"""What a revision's data is: the files the loader reads."""


@dataclass(frozen=True)
class WordChange:
    op: str
    """'same', 'removed' or 'added'."""
    text: str


@dataclass(frozen=True)
class ClauseChange:
    kind: str
    """'added', 'removed', 'moved', 'reworded' or 'audience'."""
    clause_id: str
    old: ClauseRef | None
    new: ClauseRef | None
    words: tuple[WordChange, ...] = ()
    """For 'reworded': the clause's words, each kept, removed or added."""

    @property
    def label(self) -> str:
        return (self.new or self.old).label

    @property
    def old_audiences(self) -> list[str]:
        return sorted(a.value for a in self.old.audiences) if self.old else []

    @property
    def new_audiences(self) -> list[str]:
        return sorted(a.value for a in self.new.audiences) if self.new else []


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str
    new: str


@dataclass
class PolicyChanges:
    policy_id: str
    title: str
    status: str
    """'added', 'removed' or 'changed'."""
    details: list[FieldChange] = field(default_factory=list)
    clauses: list[ClauseChange] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[ClauseChange]:
        return [change for change in self.clauses if change.kind == kind]


@dataclass(frozen=True)
class ItemChange:
    """A decision tree or a contact: added, removed, or changed (with what changed)."""

    id: str
    title: str
    status: str
    details: tuple[FieldChange, ...] = ()


@dataclass
class Changes:
    old_name: str
    new_name: str
    newly_public: list[tuple[str, ClauseChange]] = field(default_factory=list)
    """(policy title, change) for each clause that parents will see and could not before: shown first."""
    no_longer_public: list[tuple[str, ClauseChange]] = field(default_factory=list)
    policies: list[PolicyChanges] = field(default_factory=list)
    trees: list[ItemChange] = field(default_factory=list)
    contacts: list[ItemChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.newly_public or self.no_longer_public or self.policies or self.trees or self.contacts)


def compare(old: Project, new: Project, old_name: str = "old", new_name: str = "new") -> Changes:
    changes = Changes(old_name, new_name)
    old_policies, new_policies = old.policies_by_id, new.policies_by_id
    for policy_id in _ordered(old_policies, new_policies):
        before, after = old_policies.get(policy_id), new_policies.get(policy_id)
        found = _compare_policy(before, after)
        if found.status != "changed" or found.details or found.clauses:
            changes.policies.append(found)
        for change in found.clauses:
            was = Audience.parents in change.old.audiences if change.old else False
            now = Audience.parents in change.new.audiences if change.new else False
            if now and not was:
                changes.newly_public.append((found.title, change))
            elif was and not now:
                changes.no_longer_public.append((found.title, change))
    changes.trees = _compare_items(
        {tree.id: tree for tree in old.trees}, {tree.id: tree for tree in new.trees}, lambda tree: tree.title)
    changes.contacts = _compare_items(old.school.contacts, new.school.contacts, lambda contact: contact.role)
    return changes


def _ordered(old: dict, new: dict) -> list[str]:
    """Keys in the new order, then the removed ones in the old order."""
    return list(new) + [key for key in old if key not in new]


_POLICY_FIELDS = ("title", "period", "approved", "approved_by", "review_due", "owner", "audiences", "signatories",
                  "versions")


def _compare_policy(old: Policy | None, new: Policy | None) -> PolicyChanges:
    policy = new or old
    status = "added" if old is None else "removed" if new is None else "changed"
    result = PolicyChanges(policy.id, policy.title, status)
    old_refs = {ref.clause.id: ref for ref in index_clauses(old).values()} if old else {}
    new_refs = {ref.clause.id: ref for ref in index_clauses(new).values()} if new else {}
    if old and new:
        for name in _POLICY_FIELDS:
            before, after = _show(getattr(old, name)), _show(getattr(new, name))
            if before != after:
                result.details.append(FieldChange(name.replace("_", " "), before, after))
    # A clause whose id changed but whose words did not is the same clause, moved.
    renamed: dict[str, str] = {}
    unmatched_old = {_words_key(ref): clause_id for clause_id, ref in old_refs.items() if clause_id not in new_refs}
    for clause_id, ref in new_refs.items():
        if clause_id not in old_refs and _words_key(ref) in unmatched_old:
            renamed[clause_id] = unmatched_old.pop(_words_key(ref))
    pairs = {new_id: renamed.get(new_id, new_id) for new_id in new_refs
             if new_id in old_refs or new_id in renamed}
    moved = _moved(list(old_refs), [new_id for new_id in new_refs if new_id in pairs], pairs)
    for clause_id in _ordered(old_refs, new_refs):
        if clause_id in old_refs and clause_id not in new_refs and clause_id in renamed.values():
            continue
        before = old_refs.get(pairs.get(clause_id, clause_id)) if clause_id in new_refs else old_refs.get(clause_id)
        after = new_refs.get(clause_id)
        if before is None:
            result.clauses.append(ClauseChange("added", clause_id, None, after))
            continue
        if after is None:
            result.clauses.append(ClauseChange("removed", clause_id, before, None))
            continue
        if clause_id in moved or before.section.id != after.section.id or clause_id in renamed:
            result.clauses.append(ClauseChange("moved", clause_id, before, after))
        old_words, new_words = clause_words(before), clause_words(after)
        if old_words != new_words:
            result.clauses.append(ClauseChange("reworded", clause_id, before, after,
                                               tuple(word_changes(old_words, new_words))))
        if before.audiences != after.audiences:
            result.clauses.append(ClauseChange("audience", clause_id, before, after))
    return result


def _moved(old_order: list[str], new_order: list[str], pairs: dict[str, str]) -> set[str]:
    """Clauses outside the longest run kept in the same order: the ones that were moved."""
    old_ids = [pairs[new_id] for new_id in new_order]
    common_old = [clause_id for clause_id in old_order if clause_id in set(old_ids)]
    matcher = difflib.SequenceMatcher(a=common_old, b=old_ids, autojunk=False)
    kept = {old_ids[block.b + offset] for block in matcher.get_matching_blocks() for offset in range(block.size)}
    return {new_id for new_id in new_order if pairs[new_id] not in kept}


def clause_words(ref: ClauseRef) -> list[str]:
    """A clause's wording (text, list items, matrix cells with their column) as a list of words."""
    clause = ref.clause
    parts = clause_parts(clause)
    if clause.matrix:
        for row in clause.matrix.rows:
            parts.append(row.heading)
            parts += [f"{column} ({cell})." for column, cell in zip(clause.matrix.columns, row.cells)]
    return " ".join(parts).split()


def _words_key(ref: ClauseRef) -> str:
    return " ".join(clause_words(ref))


def word_changes(old: list[str], new: list[str]) -> list[WordChange]:
    """Runs of words kept, removed and added (difflib on words, so a changed word is shown whole)."""
    result: list[WordChange] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            result.append(WordChange("same", " ".join(old[a1:a2])))
            continue
        if a2 > a1:
            result.append(WordChange("removed", " ".join(old[a1:a2])))
        if b2 > b1:
            result.append(WordChange("added", " ".join(new[b1:b2])))
    return result


def _show(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(_show(item) for item in value) or "—"
    if hasattr(value, "value"):
        return value.value
    if hasattr(value, "model_dump"):
        return ", ".join(str(v) for v in value.model_dump().values() if v is not None)
    return str(value)


def _compare_items(old: dict, new: dict, title) -> list[ItemChange]:
    found = []
    for key in _ordered(old, new):
        before, after = old.get(key), new.get(key)
        if before is None:
            found.append(ItemChange(key, title(after), "added"))
        elif after is None:
            found.append(ItemChange(key, title(before), "removed"))
        elif before != after:
            found.append(ItemChange(key, title(after), "changed", tuple(_field_changes(before, after))))
    return found


def _field_changes(old, new) -> list[FieldChange]:
    """Top-level fields that differ; a tree's steps are compared step by step, by id."""
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    changes = []
    for name in dict.fromkeys([*before, *after]):
        if before.get(name) == after.get(name):
            continue
        if name == "nodes":
            old_nodes = {node["id"]: node for node in before["nodes"]}
            new_nodes = {node["id"]: node for node in after["nodes"]}
            for node_id in _ordered(old_nodes, new_nodes):
                node = new_nodes.get(node_id) or old_nodes[node_id]
                step = f"step “{node.get('question') or node.get('title') or node_id}”"
                if node_id not in new_nodes:
                    changes.append(FieldChange(step, "present", "removed"))
                elif node_id not in old_nodes:
                    changes.append(FieldChange(step, "—", "added"))
                elif old_nodes[node_id] != new_nodes[node_id]:
                    changes.append(FieldChange(step, "as before", "changed"))
            continue
        changes.append(FieldChange(name.replace("_", " "), _show_json(before.get(name)), _show_json(after.get(name))))
    return changes


def _show_json(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(_show_json(item) for item in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_show_json(item)}" for key, item in value.items() if item is not None)
    return str(value)


# --- reading a git revision ----------------------------------------------------------------------


class RevisionError(Exception):
    pass


def checkout_revision(repo: Path, revision: str, into: Path) -> Path:
    """The data files of a git revision, written to ``into`` (then loaded by the normal loader)."""
    listed = subprocess.run(["git", "ls-tree", "--name-only", revision, "--", *DATA_PATHS], cwd=repo,
                            capture_output=True, text=True)
    if listed.returncode != 0:
        raise RevisionError(f"git cannot read revision '{revision}': {listed.stderr.strip()}")
    present = listed.stdout.split()
    if "school.yml" not in present:
        raise RevisionError(f"revision '{revision}' has no school.yml: is {repo} the school's data folder?")
    archive = subprocess.run(["git", "archive", "--format=tar", revision, "--", *present], cwd=repo,
                             capture_output=True)
    if archive.returncode != 0:
        raise RevisionError(f"git cannot read revision '{revision}': {archive.stderr.decode(errors='replace')}")
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into


# --- the report ----------------------------------------------------------------------------------


def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                             autoescape=autoescape, trim_blocks=True, lstrip_blocks=True)
    env.filters["mdtext"] = _markdown_text
    return env


def _markdown_text(value: str) -> str:
    """Data text shown literally in the Markdown report: Markdown and HTML characters escaped."""
    text = str(value).replace("\\", "\\\\")
    for char in "`*_{}[]<>|~":
        text = text.replace(char, "\\" + char)
    return text


def render_markdown(changes: Changes) -> str:
    text = _environment(False).get_template("diff/changes.md.j2").render(changes=changes)
    # Layout only: a blank line before every heading, never more than one in a row.
    text = re.sub(r"\n(#{1,6} )", r"\n\n\1", text)
    return re.sub(r"\n{3,}", "\n\n", text)


def render_html(changes: Changes) -> str:
    css = Markup((TEMPLATES / "print" / "print.css").read_text(encoding="utf-8"))  # our own file, not data
    return _environment(True).get_template("diff/changes.html.j2").render(changes=changes, css=css)
