"""Turn loaded sources into a validated :class:`Project`, collecting every problem.

Order matters (as in mkdocs' config validation): each file is checked against its model
first; cross references (citations, contacts, tree graphs) are checked only once every
file is individually valid, so one typo does not produce a cascade of confusing errors.

The checks of each kind are modules of their own in generator/checks/: texts (every string), schema_messages
(each file against its model), references, policies, trust_overrides, guides, pages and reviews;
validate_project runs them in order.
"""

from __future__ import annotations

from datetime import date

from generator.checks.guides import _check_trees
from generator.checks.pack import _check_pack, _validate_pack
from generator.checks.pages import _check_pages
from generator.checks.policies import _check_deviations, _check_glossary, _check_policies
from generator.checks.references import _check_emergency_panel, _check_sources
from generator.checks.reviews import _warn_reviews
from generator.checks.rules import ProjectView, build_view, run_rules
from generator.checks.check_cache import page_markup, validated_model
from generator.checks.rules_cache import run_rules_kept
from generator.checks.starter import starter_diagnostics
from generator.checks.texts import allows_http
from generator.checks.trust_overrides import _apply_overrides, moved_to_overrides
from generator.load.diagnostics import Diagnostic
from generator.load.file_cache import ResultCache
from generator.load.loader import LoadedProject
from generator.load.models import (BUILTIN_ROLES, DecisionTree, Glossary, Policy, PublicList, School, ServiceDirectory,
                                   SharedGroup, SourceRegistry, Trust)
from generator.load.project import Project, source_texts


def validate_project(loaded: LoadedProject, today: date,
                     cache: ResultCache | None = None) -> tuple[Project | None, list[Diagnostic]]:
    """Validate everything; the project is None when any error was found.

    ``cache``: each file's check against its model is read back when the file, its name, the http setting and the
    tool are unchanged (checks/check_cache.py), and so are the safety rules' findings on each unchanged guide
    (checks/rules_cache.py); every other check across files runs again."""
    diagnostics: list[Diagnostic] = list(loaded.diagnostics)
    http = allows_http(loaded)

    def check_file(source, model, found, allow_http=False):  # each file against its model (cached if asked)
        return validated_model(source, model, found, allow_http, cache)
    school = check_file(loaded.school, School, diagnostics, http) if loaded.school else None
    glossary = check_file(loaded.glossary, Glossary, diagnostics, http) if loaded.glossary else None
    if loaded.trust is not None and loaded.trust.data is not None:
        check_file(loaded.trust, Trust, diagnostics, http)
    recorded: list = []
    overridden = _apply_overrides(loaded, diagnostics, http, recorded)
    pack = _validate_pack(loaded.pack, diagnostics, http)
    policies = [(s, check_file(s, Policy, diagnostics, http)) for s in loaded.policies + loaded.trust_policies]
    trees = [(s, check_file(s, DecisionTree, diagnostics, http)) for s in loaded.trees]
    groups = [(s, check_file(s, SharedGroup, diagnostics, http)) for s in loaded.groups]
    registries = [(s, check_file(s, SourceRegistry, diagnostics, http))
                  for s in (loaded.builtin_sources, loaded.sources) if s is not None]
    services = check_file(loaded.services, ServiceDirectory, diagnostics, http) if loaded.services else None
    invalid = any(model is None for _, model in policies + trees + groups + registries)
    invalid = invalid or (loaded.services is not None and services is None)
    invalid = invalid or (loaded.pack is not None and loaded.pack.source is not None and pack is None)
    for page in loaded.pages:  # checked even when a data file is broken: a page's markup needs no data
        diagnostics.extend(page_markup(page, http, cache))
    if any(d.is_error for d in diagnostics) or school is None or glossary is None or invalid:
        return None, moved_to_overrides(diagnostics, recorded)

    public_list = check_file(loaded.public_list, PublicList, diagnostics) if loaded.public_list else None
    project = Project(school=school, glossary=glossary, policies=[p for _, p in policies],
                      trees=[t for _, t in trees], pages=loaded.pages, today=today)
    if public_list is not None:
        project.public_list = (loaded.public_list, public_list)
    project.overridden = overridden
    project.overrides = recorded
    project.texts = source_texts(loaded)
    project.contacts = {**(services.contacts if services else {}), **school.contacts}
    project.roles = {**BUILTIN_ROLES, **school.roles}
    _check_sources(project, registries, diagnostics)
    _check_pack(project, loaded.pack, pack, loaded.school, diagnostics, cache)
    _check_policies(project, policies, diagnostics)
    _check_deviations(project, policies, loaded.documents, diagnostics)
    _check_glossary(loaded.glossary, glossary, diagnostics)
    _check_trees(project, trees, groups, loaded.school, diagnostics, cache)
    _check_pages(project, loaded.pages, diagnostics)
    _check_emergency_panel(project, loaded.school, diagnostics)
    _warn_reviews(project, policies, trees, diagnostics)
    diagnostics.extend(starter_diagnostics(policies + trees + groups, loaded.pages))
    if not any(d.is_error for d in diagnostics):
        # The safeguarding rules read the guides as a reader does: only once every file is well formed.
        # With a cache, the rules that read one guide (or group, or page) are read back for each unchanged one.
        if cache is None:
            breaches, project.waivers = run_rules(rules_view(loaded))
        else:
            breaches, project.waivers = run_rules_kept(rules_view(loaded), loaded.trees, loaded.groups,
                                                       loaded.pages, loaded.school, cache)
        diagnostics.extend(breaches)
    diagnostics = moved_to_overrides(diagnostics, recorded)
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    return project, diagnostics


def rules_view(loaded: LoadedProject) -> ProjectView:
    """The safety rules' view of a loaded project (shared step groups included)."""
    return build_view(loaded.trees, loaded.groups, loaded.pages, loaded.school)
