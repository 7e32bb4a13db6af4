"""Editor support: the JSON Schemas are current, accept every valid file as an editor reads it, and reject mistakes."""

from __future__ import annotations

import datetime
import json
import shutil
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator import cli
from generator.authoring.schema import SCHEMAS, build_schema, load_as_editor, write_schemas

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "broken"))

import broken_cases as corpus  # noqa: E402

SCHEMA_LINE = {
    "policies/*.yml": "# yaml-language-server: $schema=../schemas/policy.schema.json",
    "decision_trees/*.yml": "# yaml-language-server: $schema=../schemas/tree.schema.json",
    "school.yml": "# yaml-language-server: $schema=schemas/school.schema.json",
    "glossary.yml": "# yaml-language-server: $schema=schemas/glossary.schema.json",
}


def validator(name: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads((REPO / "schemas" / name).read_text(encoding="utf-8")))


def schema_for(relative: str) -> str:
    for name, (_, pattern, _) in SCHEMAS.items():
        if Path(relative).match(pattern):
            return name
    raise AssertionError(f"no schema for {relative}")


def data_files(root: Path = REPO) -> list[str]:
    found = []
    for pattern in SCHEMA_LINE:
        found += sorted(p.relative_to(root).as_posix() for p in root.glob(pattern))
    return found


def editor_errors(path: Path, relative: str) -> list[str]:
    data = load_as_editor(path.read_text(encoding="utf-8"))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator(schema_for(relative)).iter_errors(data)]


def test_schemas_are_current(tmp_path, capsys):
    assert write_schemas(REPO / "schemas", check_only=True) == [], "run `python -m generator schema`"
    assert cli.main(["schema", "--check", "--project", str(REPO)]) == 0
    assert cli.main(["schema", "--check", "--out", str(tmp_path)]) == 1
    assert "Out of date: policy.schema.json, tree.schema.json, school.schema.json, glossary.schema.json" in \
        capsys.readouterr().err
    assert cli.main(["schema", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(SCHEMAS)
    assert cli.main(["schema", "--check", "--out", str(tmp_path)]) == 0


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_is_valid_draft_7_and_useful(name):
    schema = json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["description"], "the model's docstring describes the file"
    objects = [schema] + [d for d in schema.get("$defs", {}).values() if d.get("type") == "object"]
    for definition in objects:
        assert definition["additionalProperties"] is False, definition.get("title")
    described = [key for key, value in schema["properties"].items() if value.get("description")]
    assert len(described) >= len(schema["properties"]) // 3, "field docstrings become descriptions"


def test_descriptions_come_from_docstrings():
    tree = build_schema("tree.schema.json")
    assert tree["properties"]["title"]["description"].startswith("Phrased as the situation")
    assert tree["$defs"]["Answer"]["properties"]["next"]["description"] == (
        "The step this answer leads to: 'step_id', or 'tree-id#step_id' in another tree; `{to: step, if: \"…\"}`\n"
        "for a condition; a list for parallel strands that all apply (`[social_care_strand, police_strand]`).")


@pytest.mark.parametrize("relative", data_files())
def test_every_data_file_names_its_schema(relative):
    first = (REPO / relative).read_text(encoding="utf-8").splitlines()[0]
    pattern = next(p for p in SCHEMA_LINE if Path(relative).match(p))
    assert first == SCHEMA_LINE[pattern]


@pytest.mark.parametrize("relative", data_files())
def test_every_shipped_data_file_is_valid_in_the_editor(relative):
    assert editor_errors(REPO / relative, relative) == []


def _dates_as_text(value):
    """JSON has no date type: an editor shows an unquoted date as a string, so compare it as one."""
    if isinstance(value, dict):
        return {key: _dates_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(item) for item in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


@pytest.mark.parametrize("relative", data_files())
def test_every_shipped_data_file_is_valid_read_as_yaml_1_1(relative):
    """The same files read by yaml.safe_load (YAML 1.1: 'yes' is True, dates are dates), as older tools do."""
    data = _dates_as_text(yaml.safe_load((REPO / relative).read_text(encoding="utf-8")))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator(schema_for(relative)).iter_errors(data)]
    assert errors == []


def test_vscode_maps_the_schemas():
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapped = {Path(path).name: globs for path, globs in settings["yaml.schemas"].items()}
    assert mapped == {name: [pattern] for name, (_, pattern, _) in SCHEMAS.items()}
    for path in settings["yaml.schemas"]:
        assert (REPO / path).is_file()
    extensions = json.loads((REPO / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_editor_reading_of_yaml_traps():
    """What the YAML extension sees (YAML 1.2), which the schemas are written for."""
    data = load_as_editor("a: yes\non: 1\nversion: 1.0\ndate: 2025-09-01\nflag: true\nnothing:\nn: 0x1F\n")
    assert data == {"a": "yes", "on": 1, "version": 1.0, "date": "2025-09-01", "flag": True, "nothing": None,
                    "n": 31}


def test_yaml_traps_are_valid_in_the_editor(tmp_path):
    """Files the generator accepts must not be underlined: unquoted numbers as text, yes/no flags, 1/0."""
    text = (REPO / "tests/broken/_valid/files/decision_trees/sample-tree.yml").read_text(encoding="utf-8")
    text = (text.replace("version: 1.0", "version: 2")
                .replace("urgent: true", "urgent: 1")
                .replace("title: Tell the DSL now", "title: 1984")
                .replace("        label: No", "        label: no"))
    path = tmp_path / "t.yml"
    path.write_text(text, encoding="utf-8")
    assert editor_errors(path, "decision_trees/t.yml") == []


SCHEMA_CASES = [case for case in corpus.cases() if case.meta.get("schema")]


def test_corpus_has_schema_cases():
    kinds = {case.name.split("-")[0] for case in SCHEMA_CASES}
    assert {"e201", "e202", "e205"} <= kinds
    assert any("enum" in case.name for case in SCHEMA_CASES)


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=[case.name for case in SCHEMA_CASES])
def test_schema_rejects_broken_corpus_case(case, tmp_path):
    """The editor underlines the mistake before the author runs `check`."""
    project = tmp_path / "project"
    for name in ("school.yml", "glossary.yml"):
        project.mkdir(exist_ok=True)
        shutil.copy(REPO / "tests" / "fixtures" / "wexham" / name, project / name)
    corpus.apply_case(case, project)
    relative = case.meta["schema"]
    assert editor_errors(project / relative, relative), f"the schema accepts {relative} of {case.name}"


def test_valid_corpus_sample_is_valid_in_the_editor():
    files = REPO / "tests/broken/_valid/files"
    for path in sorted(files.rglob("*.yml")):
        relative = path.relative_to(files).as_posix()
        assert editor_errors(path, relative) == [], relative


# --- the data format reference page (generator/guide/data-format.md), from the same models -------------------------

# Keys an author must be able to look up, by file: chosen by hand from the authors' guide and the issues that added
# them, not from the models. The bug this catches: a renderer that drops nested models or list items (a key only
# reachable through `sections[].clauses[]` or `steps[].actions[]` missing from the page).
KEYS_AN_AUTHOR_LOOKS_UP = {
    "policy": ["review_due", "deviations", "versions", "minute_ref", "also_called", "matrix", "signatories"],
    "tree": ["use_when", "also_called", "never", "criteria", "select", "no_further_action", "also_follow",
             "always_available", "editor_note", "decided_by", "when", "if", "continue"],
    "school": ["contacts", "placeholder", "public", "emergency_panel", "allow_http_links", "roles"],
    "trust": ["schools", "folder", "shared"],
    "trust-overrides": ["overrides", "reason"],
}


def test_the_data_format_reference_is_current_and_lists_what_authors_look_up():
    from generator.authoring.format_reference import PAGE, render_format_reference

    text = render_format_reference()
    assert PAGE.read_text(encoding="utf-8") == text, "run `python -m generator schema --reference`"
    for file, keys in KEYS_AN_AUTHOR_LOOKS_UP.items():
        start = text.index(f"{{#{file}}}")
        following = [text.find(f"{{#{other}}}", start + 1) for other in KEYS_AN_AUTHOR_LOOKS_UP if other != file]
        end = min([position for position in following if position > start] or [len(text)])
        section = text[start:end]
        missing = [key for key in keys if f"| `{key}` |" not in section]
        assert missing == [], f"the reference's {file} section does not list {missing}"


def test_schema_check_fails_when_the_reference_page_is_stale(tmp_path, monkeypatch, capsys):
    from generator.authoring import format_reference

    stale = tmp_path / "data-format.md"
    stale.write_text("an older version\n", encoding="utf-8")
    monkeypatch.setattr(format_reference, "PAGE", stale)
    assert cli.main(["schema", "--check", "--project", str(REPO)]) == 1
    assert "Out of date: " in capsys.readouterr().err
    assert cli.main(["schema", "--reference", "--out", str(tmp_path / "schemas")]) == 0
    assert cli.main(["schema", "--check", "--project", str(REPO)]) == 0
