"""JSON Schemas for editors, generated from the models: ``python -m generator schema [--check]``.

The schemas let VS Code (Red Hat's YAML extension) complete keys, show each key's
description and underline mistakes while an author types. The models stay the one
definition of the format; this module only translates them, with two adjustments:

* What an editor sees. The editor reads YAML 1.2 (``1.0`` is a number, ``true`` a
  boolean, ``2025-09-01`` a string), while the generator's loader keeps every scalar as
  the text written and lets the model decide. So a text field accepts any scalar (a
  section ``number: 3.1`` or ``version: 1.0`` is fine to both), a yes/no field accepts
  what pydantic accepts (``yes``, ``no``, ``true`` …), and a date is a string of the
  form YYYY-MM-DD.
* Rules the models check in code are written out where JSON Schema can say them: id,
  step id, citation and review-date patterns, and the contacts every school file needs.

What JSON Schema cannot say (cross references, tree graphs, raw HTML) is left to
``python -m generator check``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from generator.load.models import DecisionTree, Glossary, Policy, School, ServiceDirectory, SharedGroup, SourceRegistry
from generator.load.models import base as model_base
from generator.load.models.school import REQUIRED_CONTACTS
from generator.load.models.trust import Trust, TrustOverrides

DIALECT = "http://json-schema.org/draft-07/schema#"
"""Draft 7: the dialect the YAML extension supports fully (pydantic's $defs/$ref work in it)."""

SCHEMAS: dict[str, tuple[type[BaseModel], str, str]] = {
    "policy.schema.json": (Policy, "policies/*.yml", "Policy"),
    "tree.schema.json": (DecisionTree, "decision_trees/*.yml", "Decision tree"),
    "school.schema.json": (School, "school.yml", "School"),
    "glossary.schema.json": (Glossary, "glossary.yml", "Glossary"),
    "shared-steps.schema.json": (SharedGroup, "decision_trees/shared/*.yml", "Shared steps"),
    "sources.schema.json": (SourceRegistry, "sources.yml", "Sources"),
    "services.schema.json": (ServiceDirectory, "generator/data/services.yml", "National services"),
    "trust.schema.json": (Trust, "trust.yml", "Trust"),
    "trust-overrides.schema.json": (TrustOverrides, "trust-overrides.yml", "A school's overrides of trust policies"),
}
"""File name -> (model, the data files it describes, title)."""

ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
TERM_OR_DATE = model_base.TERM_OR_DATE
# The words pydantic reads as true/false (any case); YAML 1.2 editors see most of them as strings.
_BOOL_WORDS = ("true", "false", "yes", "no", "on", "off", "y", "n", "t", "f")
_SCALAR_TYPES = ["string", "number", "boolean"]

# The models' code-checked rules, by the validator function's name -> extra JSON Schema keywords.
# The description is used where the field has none of its own.
_VALIDATOR_KEYWORDS: dict[str, dict[str, Any]] = {
    "_check_slug": {"pattern": model_base._SLUG.pattern,
                    "description": "An id: lower-case words joined by hyphens, e.g. 'no-friending-pupils'."},
    "_check_snake": {"pattern": model_base._SNAKE.pattern,
                     "description": "A step id: lower-case words joined by underscores, e.g. 'is_child_in_danger'."},
    "_check_citation": {"pattern": model_base._CITATION.pattern,
                        "description": "A citation: 'policy-id#clause-id' or 'source-id#part-id', "
                                       "e.g. 'mobile-phones#phones-to-office'."},
    "_check_target": {"pattern": model_base._TARGET.pattern,
                      "description": "A step: 'step_id', or 'tree-id#step_id' for a step of another tree."},
    "_check_time_limit": {"pattern": model_base._TIME_LIMIT.pattern,
                          "description": "immediately | within 1 hour | same day | within 24 hours | "
                                         "within 1 working day | within N working days."},
    "_check_term_date": {"pattern": TERM_OR_DATE,
                         "description": "A term ('Autumn 2025', 'Spring term 2026'), a month ('January 2026') or a date "
                                        "written year-month-day ('2025-12-31'); a term or a month means its last day."},
    "_check_markdown": {"description": "Text. Markdown is allowed (**bold**, *italic*, [link text](https://…)); "
                                       "raw HTML is refused."},
}


class DescribedJsonSchema(GenerateJsonSchema):
    """pydantic's generator, with the rules the models check in code described (shared with the reference page)."""

    def function_after_schema(self, schema: core_schema.AfterValidatorFunctionSchema) -> JsonSchemaValue:
        json_schema = super().function_after_schema(schema)
        function = schema.get("function", {}).get("function")
        extra = _VALIDATOR_KEYWORDS.get(getattr(function, "__name__", ""))
        if extra and "$ref" not in json_schema:
            json_schema = {**json_schema, **extra}
        return json_schema

    def field_title_should_be_set(self, schema) -> bool:
        return False  # 'Title' for 'title' adds nothing to the description an editor shows


class EditorJsonSchema(DescribedJsonSchema):
    """The described schema, adjusted to what an editor reading YAML 1.2 sees."""

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        json_schema = super().str_schema(schema)
        # The loader keeps '3.1', '1.0' and 'true' as text; an editor sees a number or a boolean.
        json_schema["type"] = list(_SCALAR_TYPES)
        return json_schema

    def bool_schema(self, schema: core_schema.BoolSchema) -> JsonSchemaValue:
        words = sorted({variant for word in _BOOL_WORDS for variant in (word, word.capitalize(), word.upper())})
        return {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": words}, {"type": "integer", "enum": [0, 1]}]}

    def date_schema(self, schema: core_schema.DateSchema) -> JsonSchemaValue:
        return {"type": "string", "format": "date", "pattern": ISO_DATE}


def _school_extras(schema: dict) -> None:
    contacts = schema["properties"]["contacts"]
    contacts["required"] = list(REQUIRED_CONTACTS)
    contacts["propertyNames"] = {"pattern": model_base._SNAKE.pattern}


_EXTRAS = {"school.schema.json": _school_extras}


def build_schema(name: str) -> dict:
    model, pattern, title = SCHEMAS[name]
    generated = model.model_json_schema(schema_generator=EditorJsonSchema)
    if name in _EXTRAS:
        _EXTRAS[name](generated)
    schema = {"$schema": DIALECT, "title": f"{title} ({pattern})"}
    schema.update({key: value for key, value in generated.items() if key != "title"})
    return schema


def schema_text(name: str) -> str:
    return json.dumps(build_schema(name), indent=2, ensure_ascii=False) + "\n"


def write_schemas(out_dir: Path, check_only: bool = False) -> list[str]:
    """Write every schema whose content changed; return the names that changed (or would)."""
    changed = []
    for name in SCHEMAS:
        path = out_dir / name
        text = schema_text(name)
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        changed.append(name)
        if not check_only:
            out_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return changed


# --- reading YAML as an editor does ----------------------------------------------------------

class EditorLoader(yaml.SafeLoader):
    """PyYAML with YAML 1.2's core schema, as the YAML extension reads a file.

    ``yaml.safe_load`` is YAML 1.1: it turns ``yes`` and ``on`` into booleans and
    ``2025-09-01`` into a date, which no editor does; this loader resolves only 1.2's
    null, booleans, integers and floats, and leaves everything else a string.
    """


EditorLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+.0123456789")),
):
    EditorLoader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


def _construct_int(loader: EditorLoader, node: yaml.ScalarNode) -> int:
    value = loader.construct_scalar(node)
    return int(value, 0) if value.startswith(("0o", "0x")) else int(value)


def _construct_bool(loader: EditorLoader, node: yaml.ScalarNode) -> bool:
    return loader.construct_scalar(node).lower() == "true"


EditorLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
EditorLoader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


def load_as_editor(text: str) -> Any:
    """The value an editor's YAML 1.2 parser sees, for checking files against the schemas."""
    return yaml.load(text, Loader=EditorLoader)  # noqa: S506 - a SafeLoader subclass
