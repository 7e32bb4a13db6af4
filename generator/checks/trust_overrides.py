"""A school's overrides (trust-overrides.yml): its own wording of a trust-wide clause, or its own version of one
step of a guide from the pack it adopted. Each is checked against what it replaces and put in its place before the
policies and guides are validated, so every check and safety rule reads the school's version."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from generator.checks.schema_messages import _validate_model
from generator.load.diagnostics import Diagnostic
from generator.load.loader import LoadedProject
from generator.load.models import ClauseOverride, StepOverride, TrustOverrides
from generator.load.project import RecordedOverride
from generator.load.source import Source


def _apply_overrides(loaded: LoadedProject, diagnostics: list[Diagnostic], http: bool,
                     recorded: list[RecordedOverride] | None = None) -> dict[str, list[str]]:
    """Put the school's overrides in place, each kept in ``recorded`` with its reason (for the editors' page and
    :func:`moved_to_overrides`);
    return the replaced (trust) wordings of clauses by policy id, for the faithfulness check."""
    replaced: dict[str, list[str]] = {}
    # The trust's versions of pack steps first, for all its schools; then the school's own, which win.
    for source in (loaded.trust_wide_overrides, loaded.trust_overrides):
        if source is not None:
            _apply_file(loaded, source, diagnostics, http, recorded, replaced)
    return replaced


def _apply_file(loaded: LoadedProject, source: Source, diagnostics: list[Diagnostic], http: bool,
                recorded: list[RecordedOverride] | None, replaced: dict[str, list[str]]) -> None:
    """Put one overrides file's overrides in place (the trust's, or the school's)."""
    model = _validate_model(source, TrustOverrides, diagnostics, http)
    if model is None:
        return
    trust_wide = source is loaded.trust_wide_overrides
    for index, override in enumerate(model.overrides):
        if trust_wide and isinstance(override, ClauseOverride):
            diagnostics.append(source.diagnostic(
                ("overrides", index, "policy"), "E375", "the trust's overrides file replaces steps of the pack's "
                "guides; a trust-wide clause is the trust's own", hint="change the clause in the policy's own "
                "file, or put a school's own wording in that school's trust-overrides.yml"))
            continue
        if isinstance(override, StepOverride):
            applied = _replace_step(loaded, source, index, override, diagnostics)
            kind, owner, item = "step", override.guide, override.step
        else:
            applied = _replace_clause(loaded, source, index, override, diagnostics, replaced)
            kind, owner, item = "clause", override.policy, override.clause
        if applied is not None and recorded is not None:
            line = source.position(("overrides", index))[0]
            written = (source.display, *source.position(("overrides", index, "replace"))) if kind == "step" else None
            recorded.append(RecordedOverride(kind, owner, item, override.reason, f"{source.display}:{line}",
                                             applied or None, written))


def moved_to_overrides(diagnostics: list[Diagnostic], recorded: list[RecordedOverride]) -> list[Diagnostic]:
    """The problems found in a school's version of a pack step, placed where that version is written.

    The replaced step's inner positions were dropped, so every problem inside it is found at the step's own place
    in the pack's file: the one place a school cannot edit, and not where its version is."""
    moves = {o.replaced_at: o.written_at for o in recorded if o.replaced_at and o.written_at}
    return [replace(d, path=moves[key][0], line=moves[key][1], column=moves[key][2])
            if (key := (d.path, d.line, d.column)) in moves else d for d in diagnostics]


def _replace_clause(loaded: LoadedProject, source: Source, index: int, override: ClauseOverride,
                    diagnostics: list[Diagnostic], replaced: dict[str, list[str]]) -> tuple | None:
    """The school's wording in place of the trust's clause, with a note giving the reason."""
    by_id = {p.data.get("id"): p for p in loaded.trust_policies if isinstance(p.data, dict)}
    own = {p.data.get("id") for p in loaded.policies if isinstance(p.data, dict)}
    policy = by_id.get(override.policy)
    if policy is None:
        hint = ("it is the school's own policy: change its wording in its file" if override.policy in own
                else f"the trust's policies are: {', '.join(sorted(map(str, by_id))) or 'none'}")
        diagnostics.append(source.diagnostic(("overrides", index, "policy"), "E370",
                                             f"'{override.policy}' is not a trust-wide policy", hint=hint))
        return None
    clause = _find_clause(policy.data, override.clause)
    if clause is None:
        diagnostics.append(source.diagnostic(("overrides", index, "clause"), "E371",
                                             f"policy '{override.policy}' has no clause '{override.clause}'"))
        return None
    replaced.setdefault(override.policy, []).append(str(clause.get("text") or ""))
    clause["text"] = override.text
    # The reason is an internal note (staff only) unless the school marked it for parents.
    notes = "notes" if override.reason_on_parents_site else "staff_notes"
    clause[notes] = list(clause.get(notes) or []) + [
        {"kind": "info", "text": f"The school's own wording, in place of the trust's: {override.reason}"}]
    return ()


def _replace_step(loaded: LoadedProject, source: Source, index: int, override: StepOverride,
                  diagnostics: list[Diagnostic]) -> tuple[str, int, int] | None:
    """The school's version of a pack guide's step in place of the pack's (the whole step, as written); where the
    pack's step was, or None when it is not replaced."""
    raw = source.data["overrides"][index]
    pack_guides = set(loaded.pack.guides) if loaded.pack is not None else set()
    guides = {t.data.get("id"): t for t in loaded.trees if isinstance(t.data, dict) and t.display in pack_guides}
    guide = guides.get(override.guide)
    if guide is None:
        own = any(isinstance(t.data, dict) and t.data.get("id") == override.guide for t in loaded.trees)
        hint = ("it is the school's own guide: change the step in its file" if own
                else f"the pack's guides are: {', '.join(sorted(map(str, guides))) or 'none (adopt a pack with guide_pack: in school.yml)'}")
        diagnostics.append(source.diagnostic(("overrides", index, "guide"), "E372",
                                             f"'{override.guide}' is not a guide of the school's guide pack",
                                             hint=hint))
        return None
    nodes = guide.data.get("nodes")
    at = next((i for i, node in enumerate(nodes if isinstance(nodes, list) else [])
               if isinstance(node, dict) and node.get("id") == override.step), None)
    if at is None:
        diagnostics.append(source.diagnostic(
            ("overrides", index, "step"), "E373", f"guide '{override.guide}' has no step '{override.step}'",
            hint="copy the step's id from the guide's page (each step's link ends #<id>); a step of a shared group "
                 "the guide uses cannot be replaced for one guide"))
        return None
    if override.replace.id != override.step:
        diagnostics.append(source.diagnostic(
            ("overrides", index, "replace", "id"), "E374",
            f"the replacement's id '{override.replace.id}' is not the step's '{override.step}'",
            hint="keep the step's id, so the guide's other steps still lead to it"))
        return None
    nodes[at] = raw["replace"]
    # The pack's positions of the old step's insides no longer describe it: a message about the school's version
    # falls back to the step's own line in the pack's file.
    inside = [loc for loc in guide.positions if len(loc) > 2 and ("nodes", at) in (loc[:2], loc[1:3])
              and loc not in (("<key>", "nodes", at), ("nodes", at))]
    for loc in inside:
        del guide.positions[loc]
    return (guide.display, *guide.position(("nodes", at)))


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
