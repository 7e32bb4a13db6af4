"""A school's own wording of a trust-wide clause (trust-overrides.yml): checked against the trust's policies and
put in place of the trust's wording before the policies are validated."""

from __future__ import annotations

from typing import Any

from generator.checks.schema_messages import _validate_model
from generator.load.diagnostics import Diagnostic
from generator.load.loader import LoadedProject
from generator.load.models import TrustOverrides


def _apply_overrides(loaded: LoadedProject, diagnostics: list[Diagnostic], http: bool) -> dict[str, list[str]]:
    """Put the school's own wording of trust-wide clauses (trust-overrides.yml) into the trust's policies, each
    with a note giving the reason; return the replaced (trust) wordings by policy id, for the faithfulness check."""
    replaced: dict[str, list[str]] = {}
    source = loaded.trust_overrides
    if source is None:
        return replaced
    model = _validate_model(source, TrustOverrides, diagnostics, http)
    if model is None:
        return replaced
    by_id = {p.data.get("id"): p for p in loaded.trust_policies if isinstance(p.data, dict)}
    own = {p.data.get("id") for p in loaded.policies if isinstance(p.data, dict)}
    for index, override in enumerate(model.overrides):
        policy = by_id.get(override.policy)
        if policy is None:
            hint = ("it is the school's own policy: change its wording in its file" if override.policy in own
                    else f"the trust's policies are: {', '.join(sorted(map(str, by_id))) or 'none'}")
            diagnostics.append(source.diagnostic(("overrides", index, "policy"), "E370",
                                                 f"'{override.policy}' is not a trust-wide policy", hint=hint))
            continue
        clause = _find_clause(policy.data, override.clause)
        if clause is None:
            diagnostics.append(source.diagnostic(("overrides", index, "clause"), "E371",
                                                 f"policy '{override.policy}' has no clause '{override.clause}'"))
            continue
        replaced.setdefault(override.policy, []).append(str(clause.get("text") or ""))
        clause["text"] = override.text
        # The reason is an internal note (staff only) unless the school marked it for parents.
        notes = "notes" if override.reason_on_parents_site else "staff_notes"
        clause[notes] = list(clause.get(notes) or []) + [
            {"kind": "info", "text": f"The school's own wording, in place of the trust's: {override.reason}"}]
    return replaced


def _find_clause(data: Any, clause_id: str) -> dict | None:
    """The clause with this id anywhere in a policy's raw data (sections nest)."""
    sections = data.get("sections") if isinstance(data, dict) else None
    for section in sections if isinstance(sections, list) else []:
        if not isinstance(section, dict):
            continue
        for clause in section.get("clauses") or []:
            if isinstance(clause, dict) and clause.get("id") == clause_id:
                return clause
        found = _find_clause(section, clause_id)
        if found is not None:
            return found
    return None
