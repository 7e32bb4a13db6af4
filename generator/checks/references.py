"""The references every kind of file makes, checked once every file is valid on its own: ids used twice, the
sources registry, roles, contacts (and whether a public page may name them), citations of clauses and sources."""

from __future__ import annotations

import difflib
from typing import Iterable

from generator.load.diagnostics import Diagnostic, Severity
from generator.load.source import Source
from generator.load.models import Audience, DecisionTree, SourceRegistry
from generator.load.models.roles import role_ids
from generator.load.pack import PACK_DISPLAY_PREFIX
from generator.load.project import Project
from generator.load.urls import excerpt


def _duplicate_ids(items: Iterable[tuple[str, tuple]], source: Source, code: str, what: str,
                   diagnostics: list[Diagnostic]) -> None:
    seen: dict[str, tuple] = {}
    for value, loc in items:
        if value in seen:
            line, _ = source.position(seen[value])
            diagnostics.append(source.diagnostic(loc, code, f"duplicate {what} '{excerpt(value)}' (first used at line {line})"))
        else:
            seen[value] = loc


_NOT_A_CONTACT = "it is not in school.yml nor the built-in services"


def _check_sources(project: Project, registries: list[tuple[Source, SourceRegistry]],
                   diagnostics: list[Diagnostic]) -> None:
    """The sources registry: the built-in entries, then the school's (an entry with the same id replaces one)."""
    for source, registry in registries:
        _duplicate_ids(((entry.id, ("sources", i, "id")) for i, entry in enumerate(registry.sources)), source,
                       "E421", "source id", diagnostics)
        for index, entry in enumerate(registry.sources):
            _duplicate_ids(((part.id, ("sources", index, "parts", p, "id")) for p, part in enumerate(entry.parts)),
                           source, "E421", "part id", diagnostics)
            project.external_sources[entry.id] = entry
    for source, registry in registries:
        for index, entry in enumerate(registry.sources):
            if entry.superseded_by and entry.superseded_by not in project.external_sources:
                close = difflib.get_close_matches(entry.superseded_by, list(project.external_sources), n=1)
                diagnostics.append(source.diagnostic(("sources", index, "superseded_by"), "E421",
                                                     f"superseded_by '{entry.superseded_by}' is not a source id",
                                                     hint=f"did you mean '{close[0]}'?" if close else None))


def _check_roles(project: Project, source: Source, loc: tuple, ref, diagnostics: list[Diagnostic]) -> None:
    if isinstance(ref, str):
        items = [(loc, ref)]
    else:
        items = [(loc + (i,) if isinstance(item, str) else loc + (i, "role"), role)
                 for i, (item, role) in enumerate(zip(ref, role_ids(ref)))]
    for where, role in items:
        if role not in project.roles:
            close = difflib.get_close_matches(role, list(project.roles), n=1)
            diagnostics.append(source.diagnostic(where, "E415", f"unknown role '{role}'",
                                                 hint=f"did you mean '{close[0]}'?" if close
                                                 else "add it to school.yml under 'roles:'"))


def _contact_hint(project: Project, contact: str) -> str:
    close = difflib.get_close_matches(contact, list(project.contacts), n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "add it to school.yml under 'contacts:', or name one of school.yml's: " + ", ".join(project.school.contacts)


def _pack_contact_hint(contact: str) -> str:
    """A pack's guide is not the school's to edit: the contact it names goes into school.yml."""
    return (f"this guide comes from the guide pack school.yml adopts: add '{contact}' to school.yml under "
            "'contacts:' (with 'placeholder: true' until the school has the details)")


def _check_contact(project: Project, source: Source, loc: tuple, contact: str, on_parents_site: bool,
                   diagnostics: list[Diagnostic]) -> None:
    if contact not in project.contacts:
        from_pack = source.display.startswith(PACK_DISPLAY_PREFIX)
        diagnostics.append(source.diagnostic(loc, "E405", f"unknown contact '{contact}': {_NOT_A_CONTACT}",
                                             hint=_pack_contact_hint(contact) if from_pack
                                             else _contact_hint(project, contact)))
    elif on_parents_site and not project.contacts[contact].public:
        diagnostics.append(source.diagnostic(loc, "E418",
                                             f"contact '{contact}' is 'public: false', but this tree is published "
                                             "on the parents' site",
                                             hint="name a public contact, or make the tree staff-only"))


def _check_citation(project: Project, source: Source, tree: DecisionTree, citation: str, loc: tuple,
                    diagnostics: list[Diagnostic], warned: set | None = None) -> None:
    prefix, part = citation.split("#", 1)
    entry = project.external_sources.get(prefix)
    if entry is not None:
        parts = [p.id for p in entry.parts]
        if part not in parts:
            close = difflib.get_close_matches(part, parts, n=1)
            diagnostics.append(source.diagnostic(loc, "E413", f"cites '{citation}': the source '{prefix}' has no "
                                                              f"part '{part}'",
                                                 hint=f"did you mean '{prefix}#{close[0]}'?" if close else None))
        else:
            _warn_source(project, source, loc, entry, warned if warned is not None else set(), diagnostics)
        return
    ref = project.clauses.get(citation)
    if ref is None:
        known = list(project.clauses) + [f"{s.id}#{p.id}" for s in project.external_sources.values() for p in s.parts]
        close = difflib.get_close_matches(citation, known, n=1)
        where = ("which is not a clause in policies/" if prefix in project.policies_by_id
                 else "which is neither a clause in policies/ nor a part of a source in sources.yml")
        diagnostics.append(source.diagnostic(loc, "E403", f"cites '{citation}', {where}",
                                             hint=f"did you mean '{close[0]}'?" if close else None))
    elif Audience.parents in tree.audiences and Audience.parents not in ref.audiences:
        diagnostics.append(source.diagnostic(loc, "E404",
                                             f"a parents' tree cites '{citation}', a clause not published to parents",
                                             hint="cite a clause whose audiences include 'parents'"))


def _warn_source(project: Project, source: Source, loc: tuple, entry, warned: set,
                 diagnostics: list[Diagnostic]) -> None:
    """Superseded, wrong-nation and out-of-force sources: a warning once per file (the page shows a note)."""
    for problem in project.source_problems(entry):
        key = (source.display, entry.id, problem)
        if key in warned:
            continue
        warned.add(key)
        if problem == "superseded":
            code, message, hint = "W410", f"cites '{entry.id}', which is superseded by '{entry.superseded_by}'", \
                f"cite '{entry.superseded_by}' instead"
        elif problem == "jurisdiction":
            nations = ", ".join(nation.value for nation in entry.jurisdiction)
            code, message, hint = "W411", (f"cites '{entry.id}', which applies in {nations}, not in "
                                           f"{project.school.nation.value} (school.yml 'nation')"), None
        elif problem == "draft":
            code, message, hint = "W413", f"cites '{entry.id}', a {entry.status} version, as guidance in force", \
                "cite the edition in force: a draft or consultation is not guidance until it is published"
        else:
            code, message, hint = "W412", f"cites '{entry.id}', which is not in force on {project.today}", None
        diagnostics.append(source.diagnostic(loc, code, message, severity=Severity.WARNING, hint=hint))


def _check_emergency_panel(project: Project, source: Source, diagnostics: list[Diagnostic]) -> None:
    """Every contact the emergency panels list exists; the parents' panel lists public contacts only."""
    for site in ("staff", "parents"):
        for index, key in enumerate(getattr(project.school.emergency_panel, site) or []):
            loc = ("emergency_panel", site, index)
            if key not in project.contacts:
                diagnostics.append(source.diagnostic(loc, "E405", f"unknown contact '{key}': {_NOT_A_CONTACT}",
                                                     hint=_contact_hint(project, key)))
            elif site == "parents" and not project.contacts[key].public:
                diagnostics.append(source.diagnostic(loc, "E418", f"contact '{key}' is 'public: false', but the "
                                                     "parents' emergency panel is on the public site",
                                                     hint="name a public contact here"))
