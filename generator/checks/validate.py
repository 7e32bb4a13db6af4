"""Turn loaded sources into a validated :class:`Project`, collecting every problem.

Order matters (as in mkdocs' config validation): each file is checked against its model
first; cross references (citations, contacts, tree graphs) are checked only once every
file is individually valid, so one typo does not produce a cascade of confusing errors.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
import re
import typing
from datetime import date, timedelta
from pathlib import Path
from types import UnionType
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from generator.checks.cover import term_date
from generator.load.diagnostics import Diagnostic, Severity
from generator.checks.faithfulness import normalise
from generator.load.front_matter import check_front_matter, settings_text
from generator.checks.guide_graph import all_targets as _all_targets, trap_diagnostics, unreachable_steps
from generator.load.loader import LoadedProject
from generator.load.source import Source
from generator.load.models import (BUILTIN_ROLES, Audience, DecisionTree, Glossary, Outcome, Policy, PublicList, Question,
                              School, ServiceDirectory, SharedGroup, SourceRegistry, Trust, TrustOverrides, Use)
from generator.checks.markup import find_problems, line_column
from generator.load.urls import excerpt, hidden_character
from generator.load.models.base import due_date
from generator.load.models.roles import role_ids
from generator.load.models.tree import CONTINUE
from generator.load.project import Page, Project, clause_text, index_clauses, source_texts
from generator.checks.rules import ProjectView, build_view, run_rules

REVIEW_WARNING_DAYS = 60
MAX_TEXT_CHARS = 20_000
"""The longest text one value of a data file may hold (the longest real clause is about 600 characters)."""
TREE_REVIEW_DAYS = 365

# cite('policy#clause') and contact('id') calls in hand-written pages, checked before rendering.
_PAGE_CALL = re.compile(r"""\b(cite|contact)\(\s*["']([^"']*)["']""")
# Jinja text that is shown, not run: {% raw %}…{% endraw %} and {# comments #}.
_PAGE_INERT = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}|\{#.*?#\}", re.S)

_WEB_ADDRESS = re.compile(r"^https?://[^\s<>\"'(){}\[\]\\^`|]+$")
_EMAIL = re.compile(r"^[^@\s<>()\[\]\"',;:]+@[^@\s<>()\[\]\"',;:]+\.[^@\s<>()\[\]\"',;:]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-.]*$")
_FORMATS = {
    "url": (_WEB_ADDRESS, "is not a web address", "write it in full, starting with https://"),
    "website": (_WEB_ADDRESS, "is not a web address", "write it in full, starting with https://"),
    "staff_url": (_WEB_ADDRESS, "is not a web address", "write it in full, starting with https://"),
    "parents_url": (_WEB_ADDRESS, "is not a web address", "write it in full, starting with https://"),
    "email": (_EMAIL, "is not an email address", "write just the address, e.g. office@example.sch.uk"),
    "phone": (_PHONE, "is not a phone number",
              "use digits, spaces, '+', '-' and brackets only; put opening hours or extensions in 'hours' or 'notes'"),
}


def validate_project(loaded: LoadedProject, today: date) -> tuple[Project | None, list[Diagnostic]]:
    """Validate everything; the project is None when any error was found."""
    diagnostics: list[Diagnostic] = list(loaded.diagnostics)
    http = allows_http(loaded)
    school = _validate_model(loaded.school, School, diagnostics, http) if loaded.school else None
    glossary = _validate_model(loaded.glossary, Glossary, diagnostics, http) if loaded.glossary else None
    if loaded.trust is not None and loaded.trust.data is not None:
        _validate_model(loaded.trust, Trust, diagnostics, http)
    overridden = _apply_overrides(loaded, diagnostics, http)
    policies = [(s, _validate_model(s, Policy, diagnostics, http)) for s in loaded.policies + loaded.trust_policies]
    trees = [(s, _validate_model(s, DecisionTree, diagnostics, http)) for s in loaded.trees]
    groups = [(s, _validate_model(s, SharedGroup, diagnostics, http)) for s in loaded.groups]
    registries = [(s, _validate_model(s, SourceRegistry, diagnostics, http))
                  for s in (loaded.builtin_sources, loaded.sources) if s is not None]
    services = _validate_model(loaded.services, ServiceDirectory, diagnostics, http) if loaded.services else None
    invalid = any(model is None for _, model in policies + trees + groups + registries)
    invalid = invalid or (loaded.services is not None and services is None)
    for page in loaded.pages:  # checked even when a data file is broken: a page's markup needs no data
        diagnostics.extend(_check_page_markup(page, http))
    if any(d.is_error for d in diagnostics) or school is None or glossary is None or invalid:
        return None, diagnostics

    public_list = _validate_model(loaded.public_list, PublicList, diagnostics) if loaded.public_list else None
    project = Project(school=school, glossary=glossary, policies=[p for _, p in policies],
                      trees=[t for _, t in trees], pages=loaded.pages, today=today)
    if public_list is not None:
        project.public_list = (loaded.public_list, public_list)
    project.overridden = overridden
    project.texts = source_texts(loaded)
    project.contacts = {**(services.contacts if services else {}), **school.contacts}
    project.roles = {**BUILTIN_ROLES, **school.roles}
    _check_sources(project, registries, diagnostics)
    _check_policies(project, policies, diagnostics)
    _check_deviations(project, policies, loaded.documents, diagnostics)
    _check_glossary(loaded.glossary, glossary, diagnostics)
    _check_trees(project, trees, groups, loaded.school, diagnostics)
    _check_pages(project, loaded.pages, diagnostics)
    _check_emergency_panel(project, loaded.school, diagnostics)
    _warn_reviews(project, policies, trees, diagnostics)
    if not any(d.is_error for d in diagnostics):
        # The safeguarding rules read the guides as a reader does: only once every file is well formed.
        breaches, project.waivers = run_rules(rules_view(loaded))
        diagnostics.extend(breaches)
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    return project, diagnostics


def rules_view(loaded: LoadedProject) -> ProjectView:
    """The safety rules' view of a loaded project (shared step groups included)."""
    return build_view(loaded.trees, loaded.groups, loaded.pages, loaded.school)


# --- per-file schema validation -------------------------------------------------------------

def _validate_model(source: Source, model: type[BaseModel], diagnostics: list[Diagnostic], allow_http: bool = False):
    unsafe = list(_check_text(source, allow_http))
    diagnostics.extend(unsafe)
    try:
        validated = model.model_validate(source.data)
    except ValidationError as error:
        # A value refused as unsafe text (E206) is not reported again for its form (e.g. not a time limit).
        unsafe_at = {(d.line, d.column) for d in unsafe}
        diagnostics.extend(d for d in _schema_diagnostics(source, model, error, already_reported=bool(unsafe))
                           if (d.line, d.column) not in unsafe_at)
        return None
    return None if unsafe else validated


def _strings(data: Any, loc: tuple = ()) -> Iterable[tuple[tuple, str]]:
    """Every string in the data with its key path, in document order (a stack, not nested generators:
    those cost a step per level for every string)."""
    stack = [(loc, data)]
    while stack:
        loc, data = stack.pop()
        if isinstance(data, str):
            yield loc, data
        elif isinstance(data, dict):
            stack.extend((loc + (key,), value) for key, value in reversed(data.items()))
        elif isinstance(data, list):
            stack.extend((loc + (index,), data[index]) for index in range(len(data) - 1, -1, -1))


def _check_text(source: Source, allow_http: bool = False) -> Iterable[Diagnostic]:
    """Refuse anything in any text that would become HTML or a live address of the author's making.

    This runs on every string of every data file, whatever its field, so a new field in a
    model cannot open a way for a <script> or a javascript: link to reach a page. The
    constructs and the URL rule are in generator.checks.markup and generator.load.urls.
    """
    for loc, value in _strings(source.data):
        field = next((part for part in reversed(loc) if isinstance(part, str)), None)
        if len(value) > MAX_TEXT_CHARS:
            # Refused before anything reads it: every later stage costs more per character (issue 23).
            yield source.diagnostic(loc, "E210", f"'{field}' holds {len(value):,} characters; a text is limited to "
                                    f"{MAX_TEXT_CHARS:,}", hint="split it into several clauses, items or steps")
            continue
        problems = find_problems(value, allow_http)
        if problems:
            problem = problems[0]
            line, column = source.position_in_value(loc, value, problem.offset)
            yield Diagnostic(source.display, line, column, "E206", problem.message, hint=problem.hint)
            continue
        if field in _FORMATS and len(loc) >= 1 and loc[-1] == field:
            pattern, what, hint = _FORMATS[field]
            hidden = hidden_character(value)
            if hidden:  # refused as in ids: it shows one address and leads to another
                yield source.diagnostic(loc, "E207", f"'{field}': '{excerpt(value.strip())}' holds {hidden}, an "
                                                     "invisible or direction-changing character",
                                        hint="type the address again by hand")
            elif not pattern.match(value.strip()):
                yield source.diagnostic(loc, "E207", f"'{field}': '{excerpt(value.strip())}' {what}", hint=hint)


def allows_http(loaded: LoadedProject) -> bool:
    """school.yml's 'site: allow_http_links: true' (read before the school file is validated)."""
    data = loaded.school.data if loaded.school else None
    site = data.get("site") if isinstance(data, dict) else None
    value = site.get("allow_http_links") if isinstance(site, dict) else None
    return str(value).lower() in ("true", "yes", "on", "y", "t", "1")  # what the model reads as true


def _schema_diagnostics(source: Source, model: type[BaseModel], error: ValidationError,
                        already_reported: bool = False) -> list[Diagnostic]:
    found = _located_diagnostics(source, model, error)
    if not found and not already_reported:
        # Never lose an error: if no error could be placed, report the first one at the file's start.
        item = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in item["loc"])
        found = [Diagnostic(source.display, 1, 1, "E205", f"{where}: {item['msg']}")]
    return found


def _located_diagnostics(source: Source, model: type[BaseModel], error: ValidationError) -> list[Diagnostic]:
    found: dict[tuple, Diagnostic] = {}
    for item in error.errors(include_url=False):
        located = _locate(source.data, tuple(item["loc"]))
        if located is None:
            continue  # an error for the union branch that does not match what the author wrote
        loc, last_missing = located
        diagnostic = _describe(source, model, item, loc, last_missing)
        if diagnostic is None:
            continue
        found.setdefault((diagnostic.line, diagnostic.column, diagnostic.message), diagnostic)
    return list(found.values())


def _locate(data: Any, loc: tuple) -> tuple[tuple, bool] | None:
    """Map a pydantic loc onto the data, dropping union tags; None drops the error.

    pydantic reports an error for every branch of a union ('ListItem', 'function-after[…]');
    only the branch of the same shape as the author's value (mapping or text) is kept.
    """
    clean: list = []
    current = data
    for index, part in enumerate(loc):
        if isinstance(current, dict) and index == len(loc) - 1 and current.get("kind") == part:
            return tuple(clean), False  # a check of the whole step (its model validator), at the step
        if isinstance(current, dict) and index < len(loc) - 1 and (
                current.get("kind") == part or (part == "use" and "kind" not in current)):
            continue  # a discriminated union's tag (a step's kind), even where a key has the same name
        if isinstance(current, dict) and part in current:
            clean.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            clean.append(part)
            current = current[part]
        elif isinstance(part, str) and index < len(loc) - 1:
            is_model_branch = part[:1].isupper() or (isinstance(current, dict) and current.get("kind") == part)
            if is_model_branch != isinstance(current, dict):
                return None
        elif index == len(loc) - 1 and isinstance(part, str) and _branch_fits(part, current) is not None:
            # A union's branch named last ('function-after[_check_snake(), str]', 'list[…]'): pydantic's name for
            # it is no key to show; the error is the value's own if the branch is of the value's shape, else dropped.
            return (tuple(clean), False) if _branch_fits(part, current) else None
        elif index == len(loc) - 1:
            clean.append(part)
            return tuple(clean), True
        else:
            return None
    return tuple(clean), False


def _group_use_message(group: Any, used: Any) -> str:
    """A shared group's `use:` step (groups hold questions and outcomes only), in the author's terms."""
    own = group.get("id") if isinstance(group, dict) else None
    if used == own:
        return (f"'use': the group '{excerpt(str(used))}' uses itself, so its steps would include themselves "
                "without end; a shared group holds questions and outcomes only")
    return (f"'use': a shared group cannot use another group ('{excerpt(str(used))}'); it holds questions and "
            "outcomes only: write the steps here, or have the guide use both groups")


def _branch_fits(part: str, value: Any) -> bool | None:
    """Whether pydantic's union branch ``part`` is of the shape of the value; None if ``part`` names no branch."""
    if part.startswith(("list[", "tuple[", "set[")):
        return isinstance(value, list)
    if part[:1].isupper() or part.startswith("dict["):
        return isinstance(value, dict)
    if "[" in part or part in ("str", "int", "float", "bool"):
        return not isinstance(value, (list, dict))
    return None


def _describe(source: Source, model: type[BaseModel], item: dict, loc: tuple,
              last_missing: bool) -> Diagnostic | None:
    kind = item["type"]
    message = item["msg"].removeprefix("Value error, ")
    if kind == "value_error" and message.startswith("raw HTML is not allowed"):
        return None  # reported as E206 by _check_text, for every field alike
    hint = None
    field = next((p for p in reversed(loc) if isinstance(p, str)), None)
    where = f"'{field}': " if field else ""
    if kind == "value_error" and isinstance(_value_at(source.data, loc), dict):
        where = ""  # a check of a whole mapping (e.g. a step): its message names what it needs
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else ("allowed keys: " + ", ".join(allowed) if allowed else None)
        line, column = source.key_position(loc)
        return Diagnostic(source.display, line, column, "E201", f"unknown key '{loc[-1]}'", hint=hint)
    if kind == "missing":
        line, column = source.position(loc[:-1])
        return Diagnostic(source.display, line, column, "E202", f"missing required key '{loc[-1]}'")
    step = _value_at(source.data, loc)
    if kind == "step_kind" and model is SharedGroup and isinstance(step, dict) and "use" in step and "kind" not in step:
        return source.diagnostic(loc + ("use",), "E203", _group_use_message(source.data, step["use"]))
    if kind in ("union_tag_invalid", "union_tag_not_found", "step_kind"):
        return source.diagnostic(loc, "E203", "a step's 'kind' must be 'question' or 'outcome'")
    if kind.startswith("date"):
        meant = _meant_date(str(item.get("input")), terms=False)
        return source.diagnostic(loc, "E204", f"{where}'{excerpt(str(item.get('input')))}' is not a valid date",
                                 hint=f"write it as YYYY-MM-DD: did you mean {meant}?" if meant
                                 else "write it as YYYY-MM-DD, e.g. 2025-09-01")
    if kind == "value_error" and "is not a date" in message:
        meant = _meant_date(str(item.get("input")), terms=True)
        return source.diagnostic(loc, "E204", where + message, hint=f"did you mean {meant}?" if meant else None)
    if kind == "enum" and "expected" in item.get("ctx", {}):
        message = f"'{excerpt(str(item.get('input')))}' is not allowed; expected {item['ctx']['expected']}"
    elif kind == "too_short" and isinstance(item.get("input"), str):
        message = "must not be empty"
    elif kind == "too_short":
        wanted, actual = item["ctx"]["min_length"], item["ctx"].get("actual_length")
        message = f"needs at least {wanted} {'entry' if wanted == 1 else 'entries'}" + (
            f", has {actual}" if actual is not None else "")
    elif kind == "bool_parsing":
        return _at(source, loc, "E205", f"{where}'{excerpt(str(item.get('input')))}' is not yes or no",
                   hint="write true or false")
    elif kind == "string_type" and item.get("input") is None:
        return _at(source, loc, "E205", f"'{field}' is empty" if field else "an entry is empty",
                   hint=f"write the text after '{field}:'" if field and field == loc[-1] else None)
    elif kind == "string_type" and _is_colon_trap(source, loc, item.get("input")):
        key = next(iter(item["input"]))
        return source.diagnostic(loc, "E205", f"{where}expected text, but the ': ' after '{key[-30:]}' made YAML "
                                              "read it as 'key: value'",
                                 hint="put the whole text in double quotes, or write '>-' and the text on the next "
                                      "line, indented")
    elif kind == "string_type":
        message = f"expected text, got {_describe_input(item.get('input'))}"
    elif kind == "list_type":
        return _at(source, loc, "E205", f"{where}expected a list, got {_describe_input(item.get('input'))}",
                   hint="write each entry on its own line, starting with '- '")
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        return _at(source, loc, "E205", f"{where}expected keys and values ('key: value' lines), "
                                        f"got {_describe_input(item.get('input'))}")
    elif kind == "bool_type":
        message = f"expected true or false, got {_describe_input(item.get('input'))}"
    odd = _ODD_CHARACTER.search(message)
    if odd and isinstance(item.get("input"), str) and "\n" not in item["input"]:
        line, column = source.position(loc)
        column += int(odd.group(1)) - 1 + (1 if tuple(loc) in source.quoted else 0)
        return Diagnostic(source.display, line, column, "E205", where + message)
    return _at(source, loc, "E205", where + message)


# '(character 2 is U+0430 CYRILLIC SMALL LETTER A…)' from the id checks: the column points at it.
_ODD_CHARACTER = re.compile(r"\(character (\d+) is U\+")


_LOOSE_ISO = re.compile(r"^((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})$")


def _meant_date(written: str, terms: bool) -> str | None:
    """The date (or term) a date written another way means: '20/11/2026' (British order) -> '2026-11-20'."""
    loose = _LOOSE_ISO.match(written.strip())
    if loose:
        try:
            return date(*map(int, loose.groups())).isoformat()
        except ValueError:
            return None
    meant = term_date(written)
    if not meant or meant == written or (not terms and not meant[0].isdigit()):
        return None
    return meant


def _value_at(data: Any, loc: tuple) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _at(source: Source, loc: tuple, code: str, message: str, **kwargs) -> Diagnostic:
    """A value's diagnostic; for a block (a list or mapping) at its key, which is where the author looks."""
    value: Any = source.data
    for part in loc:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            value = None
            break
    if isinstance(value, (dict, list)) and loc:
        line, column = source.key_position(loc)
        return Diagnostic(source.display, line, column, code, message, **kwargs)
    return source.diagnostic(loc, code, message, **kwargs)


def _is_colon_trap(source: Source, loc: tuple, value: Any) -> bool:
    """Text such as 'Never tell staff: leave it to the DSL' that YAML read as a one-key mapping."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    key = next(iter(value))
    key_line, _ = source.key_position(loc + (key,))
    value_line, _ = source.position(loc + (key,))
    return " " in key and key_line == value_line


def _describe_input(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{excerpt(str(value))}'"


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys the model accepts at a location, for "did you mean" hints."""
    current: Any = model
    for part in loc:
        current = _unwrap(current, part)
        if current is None:
            return []
    if isinstance(current, _Merged):
        return sorted({name for m in current.models for name in m.model_fields})
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any, part: Any) -> Any:
    if isinstance(annotation, _Merged):
        found = [_unwrap(m, part) for m in annotation.models]
        return next((f for f in found if f is not None), None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        info = annotation.model_fields.get(part) if isinstance(part, str) else None
        return _strip(info.annotation) if info else None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is list and isinstance(part, int):
        return _strip(args[0])
    if origin is dict:
        return _strip(args[1])
    return None


def _strip(annotation: Any) -> Any:
    """Annotated[X, …] -> X; Optional/Union -> its model member (the branch a mapping would take)."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, UnionType):
        members = [_strip(a) for a in typing.get_args(annotation) if a is not type(None)]
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        if len(models) == 1:
            return models[0]
        if models:
            return _Merged(models)
        return members[0] if members else None
    return annotation


class _Merged:
    """Several models in one union (tree nodes): keys of any of them are suggestions."""

    def __init__(self, models):
        self.models = models


# --- cross references ------------------------------------------------------------------------

def _duplicate_ids(items: Iterable[tuple[str, tuple]], source: Source, code: str, what: str,
                   diagnostics: list[Diagnostic]) -> None:
    seen: dict[str, tuple] = {}
    for value, loc in items:
        if value in seen:
            line, _ = source.position(seen[value])
            diagnostics.append(source.diagnostic(loc, code, f"duplicate {what} '{excerpt(value)}' (first used at line {line})"))
        else:
            seen[value] = loc


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


_CONTACT_CALL = re.compile(r"""\{\{-?\s*contact\(\s*["']([^"']*)["']\s*\)\s*-?\}\}""")
"""{{ contact("id") }} in a tree's text: found by this pattern, never by evaluating the text as a template."""
_NOT_A_CONTACT = "it is not in school.yml nor the built-in services"
_SITE_NAMES = {"staff": "staff", "parents": "parents'"}


@dataclass
class _Placed:
    """A step of an expanded tree and where it is written (the tree's file, or a shared group's)."""

    node: Question | Outcome
    source: Source
    loc: tuple


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


def _check_trees(project: Project, trees: list[tuple[Source, DecisionTree]],
                 groups: list[tuple[Source, SharedGroup]], school_source: Source,
                 diagnostics: list[Diagnostic]) -> None:
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
        reachable = _check_tree(project, source, tree, placed, by_id, found, check_graph=not broken_use)
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
            placed.append(_Placed(_continue_to(step, continue_to), group_source, ("nodes", g_index)))
    return placed


def _continue_to(step, target: str | None):
    if target is None:
        return step
    if isinstance(step, Question):
        answers = [a.model_copy(update={"next": target}) if a.next == CONTINUE else a for a in step.answers]
        return step.model_copy(update={"answers": answers})
    update: dict = {"also_follow": [target if t == CONTINUE else t for t in step.also_follow]}
    if step.next_step is not None and step.next_step.next == CONTINUE:
        update["next_step"] = step.next_step.model_copy(update={"next": target})
    return step.model_copy(update=update)


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
        for c_index, citation in enumerate(node.cites):
            _check_citation(project, src, tree, citation, here + ("cites", c_index), diagnostics, warned)
        _check_contact_calls(project, src, here, on_parents_site, diagnostics)
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
                _check_target(project, tree, nodes, by_id, answer.next, src, here + ("answers", a_index, "next"),
                              diagnostics)
                if answer.next == node.id:
                    diagnostics.append(src.diagnostic(here + ("answers", a_index, "next"), "E422",
                                                      f"answer '{answer.id}' leads back to its own step "
                                                      f"'{node.id}': the reader would be stuck on it",
                                                      hint="point 'next' at the step that should follow"))
            continue
        for a_index, action in enumerate(node.actions):
            _check_roles(project, src, here + ("actions", a_index, "who"), action.who, diagnostics)
            for c_index, citation in enumerate(action.cites):
                _check_citation(project, src, tree, citation, here + ("actions", a_index, "cites", c_index),
                                diagnostics, warned)
        for c_index, contact in enumerate(node.contacts):
            _check_contact(project, src, here + ("contacts", c_index), contact, on_parents_site, diagnostics)
        for r_index, related in enumerate(node.related_trees):
            if related not in by_id:
                diagnostics.append(src.diagnostic(here + ("related_trees", r_index), "E406",
                                                  f"unknown related tree '{related}'"))
        for f_index, target in enumerate(node.also_follow):
            _check_target(project, tree, nodes, by_id, target, src, here + ("also_follow", f_index), diagnostics)
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
    files = {p.source.display for p in placed} | {source.display}
    if check_graph and not any(d.is_error and d.path in files for d in diagnostics):
        unreachable, reachable = unreachable_steps(tree, placed)
        diagnostics.extend(unreachable)
        return reachable
    return None


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


def _check_contact(project: Project, source: Source, loc: tuple, contact: str, on_parents_site: bool,
                   diagnostics: list[Diagnostic]) -> None:
    if contact not in project.contacts:
        diagnostics.append(source.diagnostic(loc, "E405", f"unknown contact '{contact}': {_NOT_A_CONTACT}",
                                             hint=_contact_hint(project, contact)))
    elif on_parents_site and not project.contacts[contact].public:
        diagnostics.append(source.diagnostic(loc, "E418",
                                             f"contact '{contact}' is 'public: false', but this tree is published "
                                             "on the parents' site",
                                             hint="name a public contact, or make the tree staff-only"))


def _check_contact_calls(project: Project, source: Source, here: tuple, on_parents_site: bool,
                         diagnostics: list[Diagnostic]) -> None:
    data: Any = source.data
    for part in here:
        data = data[part]
    for loc, text in _strings(data, here):
        for match in _CONTACT_CALL.finditer(text):
            _check_contact(project, source, loc, match.group(1), on_parents_site, diagnostics)


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


def _check_target(project: Project, tree: DecisionTree, nodes: dict, by_id: dict, target: str, source: Source,
                  loc: tuple, diagnostics: list[Diagnostic]) -> None:
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


# The only template code a hand-written page may hold: contact("id"), cite("policy#clause"),
# the school's name, {% raw %}…{% endraw %} and {# comments #}. Anything else would run
# arbitrary Jinja (the build's Python objects) or print text that skipped every check.
_PAGE_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_PAGE_TEMPLATE_ALLOWED = re.compile(
    r"""\{\{-?\s*(?:(?:contact|cite)\(\s*(?:"[^"\\{}<>]*"|'[^'\\{}<>]*')\s*\)|school\.(?:name|website)|today_text)\s*-?\}\}"""
    r"""|\{%-?\s*(?:raw|endraw)\s*-?%\}|\{#.*?#\}""", re.S)


_RAW_TAG_LITERAL = re.compile(r"""\{\{-?\s*(?:"\{% (?:raw|endraw) %\}"|'\{% (?:raw|endraw) %\}')\s*-?\}\}""")


def _check_page_markup(page: Page, allow_http: bool) -> list[Diagnostic]:
    """Raw HTML, unsafe links, attribute lists, snippet includes, template code and front matter settings
    a hand-written page may not have."""
    found = check_front_matter(page)
    blank = lambda m: re.sub(r"[^\n]", " ", m.group())  # noqa: E731
    inert = _PAGE_INERT.sub(blank, _RAW_TAG_LITERAL.sub(blank, page.text))  # {% raw %}…{% endraw %} shows, never runs
    for match in _PAGE_TEMPLATE.finditer(inert):
        if not _PAGE_TEMPLATE_ALLOWED.fullmatch(match.group()):
            line, column = line_column(page.text, match.start())
            found.append(Diagnostic(page.display, line, column, "E208",
                                    f"template code '{excerpt(match.group(), 30)}' is not allowed in a page",
                                    hint='use {{ contact("id") }}, {{ cite("policy#clause") }} or {{ school.name }}; '
                                         "write {% raw %}…{% endraw %} around text that shows curly brackets"))
    for problem in find_problems(page.text, allow_http, page=True):
        line, column = line_column(page.text, problem.offset)
        found.append(Diagnostic(page.display, line, column, "E206", problem.message, hint=problem.hint))
    return found


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


def _check_pages(project: Project, pages: list[Page], diagnostics: list[Diagnostic]) -> None:
    for page in pages:
        if any(d.is_error and d.path == page.display for d in diagnostics):
            continue  # its markup was refused (see validate_project)
        found = len(diagnostics)
        text = _PAGE_INERT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), page.text)
        for number, line in enumerate(text.splitlines(), start=1):
            for match in _PAGE_CALL.finditer(line):
                function, argument = match.groups()
                column = match.start() + 1
                if function == "contact" and argument not in project.contacts:
                    diagnostics.append(Diagnostic(page.display, number, column, "E405",
                                                  f"unknown contact '{argument}': {_NOT_A_CONTACT}",
                                                  hint=_contact_hint(project, argument)))
                elif function == "contact" and "parents" in page.sites and not project.contacts[argument].public:
                    diagnostics.append(Diagnostic(page.display, number, column, "E363",
                                                  f"a parents' page names contact '{argument}', which is marked "
                                                  "'public: false' in school.yml",
                                                  hint="name a public contact here, or move the page to docs/staff/"))
                if function == "cite":
                    ref = project.clauses.get(argument)
                    if ref is None:
                        close = difflib.get_close_matches(argument, list(project.clauses), n=1)
                        diagnostics.append(Diagnostic(page.display, number, column, "E403",
                                                      f"cites '{argument}', which is not a clause in policies/",
                                                      hint=f"did you mean '{close[0]}'?" if close else None))
                    elif "parents" in page.sites and Audience.parents not in ref.audiences:
                        diagnostics.append(Diagnostic(page.display, number, column, "E404",
                                                      f"a parents' page cites '{argument}', a clause not published to parents",
                                                      hint="cite a clause whose audiences include 'parents'"))
        if len(diagnostics) == found:
            diagnostics.extend(_try_render(project, page))


def _try_render(project: Project, page: Page) -> list[Diagnostic]:
    """Render a hand-written page as the build will, turning a template error into a located message."""
    import jinja2

    from generator.render.renderer import _SiteRenderer

    problems = []
    for site in page.sites:
        try:
            rendered = _SiteRenderer(project, site)._render_page(page)
        except jinja2.TemplateSyntaxError as error:
            return [Diagnostic(page.display, error.lineno or 1, 1, "E306",
                               f"template error: {error.message}",
                               hint="write {% raw %}…{% endraw %} around text that should show curly brackets as they are")]
        except Exception as error:  # noqa: BLE001 - any failure of the page's own template code is the author's
            line = _template_line(error.__traceback__)
            problems.append(Diagnostic(page.display, line, 1, "E306",
                                       f"template error on the {site} site: {_template_message(error)}"))
            break
        if settings_text(rendered) != settings_text(page.text):
            # mkdocs reads the settings from the rendered page: what check_front_matter read must be all of them.
            line = next((number for number, (written, read) in enumerate(zip(page.text.split("\n"),
                                                                         rendered.split("\n")), start=1)
                         if written != read), 1)
            return [Diagnostic(page.display, line, 1, "E209", "template code here changes the page's front "
                               "matter (the settings mkdocs reads from the page)",
                               hint="keep template code out of the front matter and off the page's first line")]
    return problems


def _template_line(tb) -> int:
    line = 1
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _template_message(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"unknown key {error}"
    return str(error) or type(error).__name__


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


def _warn_reviews(project: Project, policies: list[tuple[Source, Policy]], trees: list[tuple[Source, DecisionTree]],
                  diagnostics: list[Diagnostic]) -> None:
    for source, policy in policies:
        for name in dict.fromkeys(policy.placeholders):
            diagnostics.append(source.diagnostic((name,) if name in source.data else ("placeholders",), "W505",
                                                 f"'{name}' is a placeholder: the site shows it as 'to be confirmed'",
                                                 severity=Severity.WARNING,
                                                 hint=f"put the real value in '{name}', then remove '{name}' "
                                                      "from 'placeholders'"))
        due = due_date(policy.review_due)
        if due < project.today:
            diagnostics.append(source.diagnostic(("review_due",), "W501",
                                                 f"review was due {policy.review_due}: the site shows it as overdue",
                                                 severity=Severity.WARNING))
        elif due - project.today <= timedelta(days=REVIEW_WARNING_DAYS):
            diagnostics.append(source.diagnostic(("review_due",), "W502",
                                                 f"review is due {policy.review_due}, within {REVIEW_WARNING_DAYS} days",
                                                 severity=Severity.WARNING))
    for source, tree in trees:
        if project.today - tree.last_reviewed > timedelta(days=TREE_REVIEW_DAYS):
            diagnostics.append(source.diagnostic(("last_reviewed",), "W503",
                                                 f"tree last reviewed {tree.last_reviewed}, over a year ago",
                                                 severity=Severity.WARNING))
