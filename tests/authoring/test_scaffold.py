"""`python -m generator new policy|tree <id>`: a valid, commented starting file, never an overwrite."""

from __future__ import annotations

import json
import re
import shutil
import sys
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from generator import cli, pipeline
from generator.authoring.scaffold import ScaffoldError, new_file
from generator.authoring.schema import load_as_editor

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "broken"))

import broken_cases as corpus  # noqa: E402

TODAY = date(2026, 11, 24)


@pytest.fixture
def project(tmp_path) -> Path:
    return corpus.copy_project(tmp_path / "project")


def new(project: Path, kind: str, file_id: str) -> int:
    # '--' so that an id starting with '-' reaches the id check rather than argparse's options.
    return cli.main(["new", "--project", str(project), "--today", TODAY.isoformat(), kind, "--", file_id])


def test_new_policy_and_tree_pass_check_and_build(project, capsys):
    assert new(project, "policy", "anti-bullying") == 0
    assert "Wrote policies/anti-bullying.yml" in capsys.readouterr().err
    assert new(project, "tree", "lost-school-laptop") == 0
    policy = (project / "policies" / "anti-bullying.yml").read_text(encoding="utf-8")
    tree = (project / "decision_trees" / "lost-school-laptop.yml").read_text(encoding="utf-8")
    assert policy.startswith("# yaml-language-server: $schema=../schemas/policy.schema.json\n")
    assert tree.startswith("# yaml-language-server: $schema=../schemas/tree.schema.json\n")
    assert sum(line.lstrip().startswith("#") for line in tree.splitlines()) >= 10, "commented for a new author"
    result = pipeline.check(project, TODAY)
    assert result.ok, [str(d) for d in result.diagnostics]
    # The new policy's approval, review date and owner are stand-ins the tool made up: they are marked
    # as such (bug caught: the site stated "approved <today> by the Governing Body" as a fact).
    new_files = [d for d in result.diagnostics if "anti-bullying" in d.path or "lost-school-laptop" in d.path]
    assert sorted((d.path, d.code) for d in new_files) == [("policies/anti-bullying.yml", "W505")] * 4
    assert sorted(re.search(r"'(\w+)'", d.message).group(1) for d in new_files) == [
        "approved", "approved_by", "owner", "review_due"]
    # The same files build into real pages (one build for both).
    built = corpus.generator("build", "--project", str(project), "--today", TODAY.isoformat())
    assert built.returncode == 0, built.stderr
    assert (project / "site" / "staff" / "what-to-do" / "lost-school-laptop" / "index.html").is_file()
    page = (project / "site" / "staff" / "policies" / "anti-bullying" / "index.html").read_text(encoding="utf-8")
    assert "to be confirmed" in page and "Governing Body" not in page and "Head Teacher" not in page


def test_new_tree_cites_the_first_clause_of_the_first_policy(project):
    path = new_file(project, "tree", "some-tree", TODAY)
    first_policy = sorted((project / "policies").glob("*.yml"))[0]
    loaded = pipeline.check(project, TODAY)
    expected = next(citation for citation in loaded.project.clauses if citation.startswith(first_policy.stem + "#"))
    assert f"      - {expected}\n" in path.read_text(encoding="utf-8")
    assert "# CHANGE THIS" in path.read_text(encoding="utf-8")


def test_new_files_are_valid_in_the_editor(project):
    for kind, name, schema in (("policy", "a-policy", "policy"), ("tree", "a-tree", "tree")):
        path = new_file(project, kind, name, TODAY)
        data = load_as_editor(path.read_text(encoding="utf-8"))
        validator = jsonschema.Draft7Validator(json.loads((REPO / "schemas" / f"{schema}.schema.json").read_text()))
        assert list(validator.iter_errors(data)) == []


def test_refuses_to_overwrite(project, capsys):
    existing = project / "policies" / "social-media.yml"
    before = existing.read_bytes()
    assert new(project, "policy", "social-media") == 1
    assert "Nothing was written: policies/social-media.yml already exists" in capsys.readouterr().err
    assert existing.read_bytes() == before


def test_refuses_an_id_used_by_another_file(project, capsys):
    shutil.copy(project / "policies" / "social-media.yml", project / "policies" / "renamed.yml")
    assert new(project, "policy", "social-media") == 1
    shutil.move(project / "policies" / "social-media.yml", project / "policies" / "old-name.yml")
    assert new(project, "policy", "social-media") == 1
    assert "the id 'social-media' is already used by policies/old-name.yml" in capsys.readouterr().err


@pytest.mark.parametrize("bad, hint", [
    ("Anti Bullying", "'anti-bullying'"),
    ("anti_bullying", "'anti-bullying'"),
    ("-anti", "'anti'"),
    ("anti--bullying", "'anti-bullying'"),
    ("../../etc/passwd", "'etc-passwd'"),
    ("", "'anti-bullying'"),
    ("ünïcode", "'n-code'"),
])
def test_refuses_bad_ids(project, capsys, bad, hint):
    assert new(project, "policy", bad) == 1
    message = capsys.readouterr().err
    assert f"Nothing was written: '{bad}' is not a valid id: use lower-case letters, digits and single hyphens" in message
    assert hint in message
    assert not list((project / "policies").glob("*anti*"))


def test_refuses_long_ids(project):
    with pytest.raises(ScaffoldError, match="keep ids to 60 or fewer"):
        new_file(project, "tree", "a" * 61, TODAY)


def test_a_tree_needs_a_policy(tmp_path):
    (tmp_path / "policies").mkdir()
    with pytest.raises(ScaffoldError, match="add the policy first"):
        new_file(tmp_path, "tree", "some-tree", TODAY)
    assert not (tmp_path / "decision_trees" / "some-tree.yml").exists()


def test_command_line_help_lists_new(capsys):
    with pytest.raises(SystemExit):
        cli.main(["new", "--help"])
    assert "policy" in capsys.readouterr().out
