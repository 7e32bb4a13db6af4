"""A policy's own checks once every file is valid: its id and file name, dates, section and clause ids, the
approval history, related policies, and recorded deviations from the document it was written from; and the
glossary's terms."""

from __future__ import annotations

from typing import Iterable

from generator.checks.faithfulness import normalise
from generator.checks.references import _duplicate_ids
from generator.checks.schema_messages import _validate_model
from generator.load.diagnostics import Diagnostic
from generator.load.source import Source
from generator.load.models import Glossary, Policy
from generator.load.models.base import due_date
from generator.load.project import Project, clause_text, index_clauses


def _check_policies(project: Project, policies: list[tuple[Source, Policy]], diagnostics: list[Diagnostic]) -> None:
    seen_policy: dict[str, Source] = {}
    for source, policy in policies:
        if policy.id in seen_policy:
            diagnostics.append(source.diagnostic(("id",), "E301",
                                                 f"duplicate policy id '{policy.id}' (also in {seen_policy[policy.id].display})"))
        seen_policy[policy.id] = source
        if source.path.stem != policy.id:
            diagnostics.append(source.diagnostic(("id",), "E302",
                                                 f"policy id '{policy.id}' does not match the file name '{source.path.name}'",
                                                 hint=f"rename the file to {policy.id}.yml or change the id"))
        project.sources[f"policy:{policy.id}"] = source.display
        if due_date(policy.review_due) < due_date(policy.approved):
            diagnostics.append(source.diagnostic(("review_due",), "E307",
                                                 f"review_due '{policy.review_due}' is before approved "
                                                 f"'{policy.approved}'",
                                                 hint="a review falls after the approval: check both dates"))
        _duplicate_ids(_section_and_clause_ids(source.data), source, "E303", "section or clause id", diagnostics)
        _check_versions(source, policy, diagnostics)
        project.clauses.update(index_clauses(policy))
    known = {policy.id for _, policy in policies}
    for source, policy in policies:
        for index, related in enumerate(policy.related_policies):
            if related.id is not None and related.id not in known:
                diagnostics.append(source.diagnostic(("related_policies", index, "id"), "E304",
                                                     f"related policy '{related.id}' is not in policies/",
                                                     hint="remove the id to list it as not yet published"))


def check_policy_source(source: Source) -> list[Diagnostic]:
    """The errors one policy file has on its own (text, model, duplicate ids): what `import` checks a draft for."""
    diagnostics: list[Diagnostic] = []
    if _validate_model(source, Policy, diagnostics) is not None:
        _duplicate_ids(_section_and_clause_ids(source.data), source, "E303", "section or clause id", diagnostics)
    return [d for d in diagnostics if d.is_error]


def _check_versions(source: Source, policy: Policy, diagnostics: list[Diagnostic]) -> None:
    """The approval history runs oldest first and ends with the current approval."""
    versions = policy.versions
    for index in range(1, len(versions)):
        earlier, later = versions[index - 1], versions[index]
        if due_date(later.approved) < due_date(earlier.approved):
            diagnostics.append(source.diagnostic(
                ("versions", index, "approved"), "E308",
                f"versions must be listed oldest first: '{later.approved}' comes after '{earlier.approved}'"))
    if versions and (versions[-1].approved, versions[-1].approved_by) != (policy.approved, policy.approved_by):
        current = versions[-1]
        diagnostics.append(source.diagnostic(
            ("versions", len(versions) - 1, "approved"), "E309",
            f"the last version (approved {current.approved} by {current.approved_by}) must be the current one: "
            f"approved {policy.approved} by {policy.approved_by}",
            hint="add the new approval to the end of versions, or correct approved/approved_by"))


def _section_and_clause_ids(data: dict) -> Iterable[tuple[str, tuple]]:
    def walk(sections: list, loc: tuple):
        for s_index, section in enumerate(sections):
            here = loc + (s_index,)
            yield section["id"], here + ("id",)
            for c_index, clause in enumerate(section.get("clauses") or []):
                yield clause["id"], here + ("clauses", c_index, "id")
            yield from walk(section.get("sections") or [], here + ("sections",))

    yield from walk(data["sections"], ("sections",))


def _check_glossary(source: Source, glossary: Glossary, diagnostics: list[Diagnostic]) -> None:
    _duplicate_ids(((entry.term, ("terms", i, "term")) for i, entry in enumerate(glossary.terms)),
                   source, "E305", "glossary term", diagnostics)


def _check_deviations(project: Project, policies: list[tuple[Source, Policy]], documents: dict,
                      diagnostics: list[Diagnostic]) -> None:
    """Each recorded deviation names a real clause, quotes the document and matches the clause's words."""
    for source, policy in policies:
        document = documents.get(source.display)
        if document is not None:
            project.documents[policy.id] = document
        for index, deviation in enumerate(policy.deviations):
            loc = ("deviations", index)
            ref = project.clauses.get(f"{policy.id}#{deviation.clause}")
            if ref is None:
                diagnostics.append(source.diagnostic(loc + ("clause",), "E351",
                                                     f"deviation names clause '{deviation.clause}', which is not in "
                                                     f"this policy"))
                continue
            if document is None:
                diagnostics.append(source.diagnostic(loc, "E352", "a deviation needs the policy's 'source' document "
                                                                  "to compare with"))
            elif normalise(deviation.original) not in normalise(document.text):
                diagnostics.append(source.diagnostic(loc + ("original",), "E352",
                                                     f"'original' is not in {document.display}: quote the document's "
                                                     f"words exactly"))
            if normalise(deviation.published) not in normalise(clause_text(ref.clause)):
                diagnostics.append(source.diagnostic(loc + ("published",), "E353",
                                                     f"'published' is not in clause '{deviation.clause}': quote the "
                                                     f"clause's words exactly"))
