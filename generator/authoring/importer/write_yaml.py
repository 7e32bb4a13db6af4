"""Draft -> the text of policies/<id>.yml, commented for the author who checks it.

Every value is written either as a folded block (``>-``, long text wrapped at spaces) or
double-quoted with escapes, never as a plain scalar: plain YAML would read 'No', '3.1' or
'Note: …' as something other than the text. The caller loads the text back and compares it
with the data, so a writer mistake fails the import instead of changing a word.
"""

from __future__ import annotations

import json
import re
import textwrap

from generator.authoring.importer.draft import Draft

WIDTH = 110
_UNSAFE_IN_BLOCK = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|  |^\s|\s$")
_ESCAPE = re.compile(r"[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
AUDIENCE_PROMPT = "# AUDIENCE? staff, governors, volunteers, pupils, parents (public site) or dsl"
# Text that YAML reads back unchanged without quotes (the loader keeps every scalar as text).
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,.'’()/&-]*[A-Za-z0-9.)’']|[A-Za-z0-9]")


def policy_yaml(draft: Draft, header: list[str]) -> str:
    data = draft.data
    out = ["# yaml-language-server: $schema=../schemas/policy.schema.json", "#"]
    out += [f"# {line}".rstrip() for line in header]
    if draft.statements:
        out += ["#", "# Found on the cover and not copied here: they belong in school.yml (vision, values,",
                "# inclusion_statement), which every policy page shows."]
        for kind, text, known in draft.statements:
            label = "already in school.yml" if known else "NOT yet in school.yml"
            out += [f"#   {kind} ({label}):"] + [f"#     {line}" for line in textwrap.wrap(text, WIDTH - 8)]
    if draft.notes:
        out += ["#", "# Import notes:"] + [f"#   - {line}" for note in draft.notes
                                           for line in [note]]
    out.append("")
    out.append(f"id: {_quoted(data['id'])}")
    for key in ("title", "short_title"):
        out += _pair(key, data[key], 0)
    out.append("# summary: one sentence saying what the policy covers (shown in the register and search results)")
    for key in ("period", "approved", "approved_by", "review_due", "owner"):
        if key in data:
            if key in draft.stand_ins:
                out.append(f"# PLACEHOLDER ({draft.stand_ins[key]}): confirm it, then remove '{key}' from "
                           "'placeholders' below.")
            out += _pair(key, data[key], 0)
    if data.get("placeholders"):
        out.append("# Values above that are stand-ins until the author confirms them: the site shows them as "
                   "'to be confirmed'.")
        out += ["placeholders:"] + [f"  - {name}" for name in data["placeholders"]]
    if "source" in data:
        out += _pair("source", data["source"], 0)
    else:
        out.append("# source: the build checks every sentence of the approved document is published. Save it as Plain")
        out.append("# Text (.txt) in policies/source/ and name it here, e.g. 'source: source/my-policy.txt'.")
    out.append("# Who the policy is for by default; each clause below says who it is for.")
    out += ["audiences:"] + [f"  - {a}" for a in data["audiences"]]
    if data.get("signatories"):
        out.append("signatories:")
        for person in data["signatories"]:
            out += _pair("- name", person["name"], 2) + _pair("role", person["role"], 4)
    out.append("# related_policies: the policies this one names, e.g. '- title: Behaviour policy'")
    out.append("sections:")
    for section in data["sections"]:
        out += _section(section, 2)
    return "\n".join(out) + "\n"


def _section(section: dict, indent: int) -> list[str]:
    pad = " " * indent
    out = [f"{pad}- id: {_quoted(section['id'])}", f"{pad}  number: {json.dumps(section['number'])}"]
    out += _pair("title", section["title"], indent + 2)
    if section["clauses"]:
        out.append(f"{pad}  clauses:")
        for clause in section["clauses"]:
            out += _clause(clause, indent + 4)
    if section["sections"]:
        out.append(f"{pad}  sections:")
        for child in section["sections"]:
            out += _section(child, indent + 4)
    return out


def _clause(clause: dict, indent: int) -> list[str]:
    pad = " " * indent
    out = [f"{pad}- id: {_quoted(clause['id'])}", f"{pad}  {AUDIENCE_PROMPT}", f"{pad}  audiences:",
           f"{pad}    - staff"]
    if "text" in clause:
        out += _pair("text", clause["text"], indent + 2)
    if clause.get("items"):
        out.append(f"{pad}  items:")
        out += _items(clause["items"], indent + 4)
    if "matrix" in clause:
        matrix = clause["matrix"]
        out.append(f"{pad}  matrix:")
        out.append(f"{pad}    columns:")
        out += [line for column in matrix["columns"] for line in _pair("-", column, indent + 6)]
        out.append(f"{pad}    rows:")
        for row in matrix["rows"]:
            out += _pair("- heading", row["heading"], indent + 6)
            out.append(f"{pad}        cells:")
            out += [line for cell in row["cells"] for line in _pair("-", cell, indent + 10)]
    return out


def _items(items: list, indent: int) -> list[str]:
    out = []
    for item in items:
        if isinstance(item, str):
            out += _pair("-", item, indent)
        else:
            out += _pair("- text", item["text"], indent)
            out.append(" " * indent + "  items:")
            out += _items(item["items"], indent + 4)
    return out


def _pair(key: str, value: str, indent: int) -> list[str]:
    """'key: value' at indent; a key of '-' writes a list entry. Long text folds onto the following lines."""
    pad = " " * indent
    lead = f"{pad}{key}" if key == "-" else f"{pad}{key}:"
    # Folded lines are indented past the key's own column ('- text:' puts the key two columns in).
    body = " " * (indent + (4 if key.startswith("- ") else 2))
    if len(lead) + len(value) + 3 <= WIDTH or _UNSAFE_IN_BLOCK.search(value):
        return [f"{lead} {_quoted(value)}"]
    lines = textwrap.wrap(value, WIDTH - len(body), break_long_words=False, break_on_hyphens=False)
    return [f"{lead} >-"] + [body + line for line in lines]


def _quoted(value: str) -> str:
    if _PLAIN.fullmatch(value) and not re.fullmatch(r"[0-9.]+|null|Null|NULL", value):
        return value
    text = json.dumps(value, ensure_ascii=False)
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
