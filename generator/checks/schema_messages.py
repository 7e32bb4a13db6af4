"""Each file checked against its model, and pydantic's errors turned into the author's terms: placed at the
file, line and column of the value (or key) at fault, with a hint where one helps (a close key, the date meant)."""

from __future__ import annotations

import difflib
import re
import typing
from datetime import date
from types import UnionType
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.checks.cover import term_date
from generator.checks.texts import _check_text
from generator.load.diagnostics import Diagnostic
from generator.load.source import Source
from generator.load.models import SharedGroup
from generator.load.urls import excerpt


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
        if isinstance(part, str):
            part = _unwrapped(part)
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
            is_model_branch = _names_model(part) or (isinstance(current, dict) and current.get("kind") == part)
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


def _names_model(part: str) -> bool:
    """A union branch that is a model: 'Route', or a model with its own check, 'function-after[_one_place(), Route]'."""
    inner = part.removeprefix("function-after[").removesuffix("]").rpartition(", ")[2] if part.startswith(
        "function-after[") else part
    return inner[:1].isupper()


# pydantic names a model with its own validator after the validator: 'function-after[_fits_kind(), TimeSpec]'.
_WRAPPED_MODEL = re.compile(r"^function-(?:after|before|wrap|plain)\[[^,\]]*\(\), ([A-Z]\w*)\]$")


def _unwrapped(part: str) -> str:
    """A union branch's name without the wrapping of a model validator ('TimeSpec')."""
    match = _WRAPPED_MODEL.match(part)
    return match.group(1) if match else part


def _branch_fits(part: str, value: Any) -> bool | None:
    """Whether pydantic's union branch ``part`` is of the shape of the value; None if ``part`` names no branch."""
    if part.startswith(("list[", "tuple[", "set[")):
        return isinstance(value, list)
    if _names_model(part) or part.startswith("dict["):
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
        allowed = _branch_keys(item["loc"]) or _allowed_keys(model, loc[:-1])
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
    if kind in ("enum", "literal_error") and "expected" in item.get("ctx", {}):
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


def _branch_keys(raw_loc: tuple) -> list[str]:
    """The keys of the union branch pydantic tried, where it names it just before the key (an entry
    `either:` is an EitherGroup, not an Action: its hint names its own keys, not an action's)."""
    from generator.load import models

    branch = raw_loc[-2] if len(raw_loc) > 1 and isinstance(raw_loc[-2], str) else ""
    found = getattr(models, _unwrapped(branch), None) if branch[:1].isupper() else None
    if isinstance(found, type) and issubclass(found, BaseModel) and found is not models.Action:
        return [field.alias or name for name, field in found.model_fields.items()]
    return []


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys the model accepts at a location, for "did you mean" hints."""
    current: Any = model
    for part in loc:
        current = _unwrap(current, part)
        if current is None:
            return []
    if isinstance(current, _Merged):
        return sorted({key for m in current.models for key in _keys(m)})
    if isinstance(current, type) and issubclass(current, BaseModel):
        return _keys(current)
    return []


def _keys(model: type[BaseModel]) -> list[str]:
    """The keys as written in the data: a field's alias where it has one ('if', not 'if_')."""
    return [info.alias or name for name, info in model.model_fields.items()]


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
