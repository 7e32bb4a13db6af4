"""The data format reference page, rendered from the models: every file, every key, its type and meaning.

The models are the one definition of the format; the JSON Schemas for editors (generator/authoring/schema.py) and
this page both come from them, so neither can drift from what `check` accepts. `python -m generator schema`
writes both and `--check` fails when either is out of date.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic_core import core_schema

from generator.authoring.schema import SCHEMAS, DescribedJsonSchema

PAGE = Path(__file__).resolve().parent.parent / "guide" / "data-format.md"
"""Ships with the tool, like the authors' guide: every staff site shows it."""

_MARKDOWN = "Text. Markdown is allowed"
_PLACEHOLDER = re.compile(r"[\w./#-]*<[\w-]+>[\w./#-]*")
_SCALARS = {"string": "text", "boolean": "yes or no", "integer": "whole number", "number": "number", "null": "nothing"}


class ReferenceJsonSchema(DescribedJsonSchema):
    """The models' schema as a reader needs it: plain types, dates as dates."""

    def date_schema(self, schema: core_schema.DateSchema) -> dict:
        return {"type": "string", "format": "date"}


def render_format_reference() -> str:
    lines = [
        "---",
        "title: Data format reference",
        "description: Every data file, every key, its type and what it means, generated from the tool's models.",
        "---",
        "",
        "{% raw %}",
        "# Data format reference",
        "",
        "Every key each data file may hold, as `python -m generator check` reads it. A key not listed here is an",
        "error, so a misspelt key is never silently ignored. Keys marked **required** must be present; the others",
        "may be left out. Texts marked *Markdown* may use **bold**, *italic* and links; raw HTML is always refused.",
        "",
        "This page is generated from the tool's models, as are the JSON Schemas that let VS Code complete keys",
        "and underline mistakes while you type (see the authors' guide). After changing a model, run",
        "`python -m generator schema` to update both.",
        "",
    ]
    for name, (model, pattern, title) in SCHEMAS.items():
        schema = model.model_json_schema(schema_generator=ReferenceJsonSchema)
        definitions = schema.get("$defs", {})
        anchor = _anchor(name.removesuffix(".schema.json"), "")
        lines += [f"## {title}: `{pattern}` {{#{anchor}}}", ""]
        lines += _model_section(schema, definitions, anchor)
        for def_name, definition in definitions.items():
            if definition.get("type") == "object":
                lines += [f"### {_words(def_name)} {{#{_anchor(anchor, def_name)}}}", ""]
                lines += _model_section(definition, definitions, anchor)
    lines += ["{% endraw %}", ""]
    return "\n".join(lines)


def _model_section(schema: dict, definitions: dict, anchor: str) -> list[str]:
    lines = []
    if schema.get("description"):
        lines += [_one_line(schema["description"]), ""]
    properties = schema.get("properties", {})
    if not properties:
        return lines
    required = set(schema.get("required", []))
    lines += ["| Key | Type | Meaning |", "| --- | --- | --- |"]
    for key, field in properties.items():
        meaning = field.get("description", "")
        if meaning.startswith(_MARKDOWN):
            meaning = ""
        meaning = _one_line(meaning)
        if key in required:
            meaning = f"**Required.** {meaning}".strip()
        elif field.get("default") not in (None, [], {}, ""):
            meaning = f"{meaning} Default: `{_value(field['default'])}`.".strip()
        lines.append(f"| `{key}` | {_type(field, definitions, anchor)} | {_cell(meaning)} |")
    return lines + [""]


def _type(field: dict, definitions: dict, anchor: str) -> str:
    """A field's type in words: 'list of [Clause](#…)', 'text (Markdown)', 'one of `staff`, `parents`'."""
    if "$ref" in field:
        name = field["$ref"].rsplit("/", 1)[-1]
        target = definitions.get(name, {})
        if "enum" in target:
            return _type(target, definitions, anchor)
        return f"[{_words(name)}](#{_anchor(anchor, name)})"
    if "enum" in field:
        return "one of " + ", ".join(f"`{_value(value)}`" for value in field["enum"])
    if "anyOf" in field:
        options = [option for option in field["anyOf"] if option.get("type") != "null"]
        return " or ".join(dict.fromkeys(_type(option, definitions, anchor) for option in options))
    kind = field.get("type")
    if kind == "array":
        return "list of " + _type(field.get("items", {}), definitions, anchor)
    if kind == "object":
        values = field.get("additionalProperties")
        return "map of id to " + _type(values, definitions, anchor) if isinstance(values, dict) else "map"
    if field.get("format") == "date":
        return "date (YYYY-MM-DD)"
    if kind == "string" and field.get("description", "").startswith(_MARKDOWN):
        return "text (*Markdown*)"
    return _SCALARS.get(kind, "any value") if isinstance(kind, str) else "any value"


def _anchor(prefix: str, name: str) -> str:
    return f"{prefix}-{name.lower()}" if name else prefix


def _words(name: str) -> str:
    """'ConditionalRole' -> 'Conditional role'."""
    words = "".join(f" {c.lower()}" if c.isupper() and i else c for i, c in enumerate(name))
    return words[:1].upper() + words[1:]


def _one_line(text: str) -> str:
    """The description on one line, with placeholders such as policies/<id>/ as code (never read as HTML)."""
    return _PLACEHOLDER.sub(lambda match: f"`{match.group(0)}`", " ".join(text.split()))


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _value(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
