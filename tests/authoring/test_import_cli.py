"""`python -m generator import FILE [--id ID] [--project DIR] [--force]`: writes a draft that passes check."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from import_docs import SEED, seed_as_docx
from support import REPO, TODAY
from generator import cli, pipeline

sys.path.insert(0, str(REPO / "tests" / "broken"))

import broken_cases as corpus  # noqa: E402


@pytest.fixture
def project(tmp_path) -> Path:
    return corpus.copy_project(tmp_path / "project")


def run(project: Path, *args: str) -> int:
    return cli.main(["import", "--project", str(project), "--today", TODAY.isoformat(), *args])


def test_import_writes_a_draft_that_passes_check_and_builds(project, tmp_path, capsys):
    docx_file = seed_as_docx(tmp_path / "Social Media Policy.docx")
    assert run(project, str(docx_file), "--id", "social-media-draft") == 0
    err = capsys.readouterr().err
    assert "Wrote policies/social-media-draft.yml: 12 sections, 30 clauses" in err
    assert "Faithfulness: 158 of 174 sentences of the source are in the draft's text" in err
    assert "Placeholders to confirm: owner" in err
    result = pipeline.check(project, TODAY)
    assert result.ok, [str(d) for d in result.diagnostics]
    mine = [str(d) for d in result.diagnostics if "social-media-draft" in d.path]
    assert mine == [
        "policies/social-media-draft.yml:41:13: W501 warning: review was due Autumn 2024: the site shows it as overdue",
        "policies/social-media-draft.yml:43:8: W505 warning: 'owner' is a placeholder: the site shows it as 'to be "
        "confirmed' (put the real value in 'owner', then remove 'owner' from 'placeholders')",
    ]
    text = (project / "policies" / "social-media-draft.yml").read_text(encoding="utf-8")
    assert text.count("# AUDIENCE? staff, governors, volunteers, pupils, parents (public site) or dsl") == 30
    built = corpus.generator("build", "--project", str(project), "--today", TODAY.isoformat(), "--site", "staff")
    assert built.returncode == 0, built.stderr
    page = (project / "site" / "staff" / "policies" / "social-media-draft" / "index.html").read_text()
    assert "<td><em>to be confirmed</em></td>" in page


def test_an_existing_policy_is_never_overwritten_without_force(project, capsys):
    target = project / "policies" / "social-media.yml"
    before = target.read_bytes()
    assert run(project, str(SEED)) == 1
    err = capsys.readouterr().err
    assert err.startswith("Nothing was written: policies/social-media.yml already exists: choose another id with "
                          "--id, or replace it with --force")
    assert target.read_bytes() == before
    assert sorted(p.name for p in (project / "policies").iterdir()) == ["social-media.yml", "source"]
    # --force replaces a draft (re-importing a published policy would change the ids trees cite).
    original = project / "policies" / "source" / "social-media-policy.txt"
    assert run(project, str(original), "--id", "draft") == 0
    draft = project / "policies" / "draft.yml"
    assert "\nsource: source/social-media-policy.txt\n" in draft.read_text(encoding="utf-8")
    draft.write_text(draft.read_text(encoding="utf-8").replace("title: Social Media Policy", "title: Edited"))
    assert run(project, str(SEED), "--id", "draft") == 1
    assert "title: Edited" in draft.read_text(encoding="utf-8")
    assert run(project, str(SEED), "--id", "draft", "--force") == 0
    assert "title: Edited" not in draft.read_text(encoding="utf-8")
    assert pipeline.check(project, TODAY).ok


def test_an_id_in_use_in_another_file_is_refused(project, capsys):
    (project / "policies" / "other.yml").write_text(
        (project / "policies" / "social-media.yml").read_text(encoding="utf-8").replace("id: social-media", "id: x"))
    assert run(project, str(SEED), "--id", "x") == 1
    assert "the id 'x' is already used by policies/other.yml" in capsys.readouterr().err


def test_a_bad_id_is_refused_before_reading(project, capsys):
    assert run(project, str(project / "missing.docx"), "--id", "Bad Id") == 1
    assert "'Bad Id' is not a valid id" in capsys.readouterr().err


def test_a_missing_file(project, capsys):
    assert run(project, str(project / "missing.docx")) == 1
    assert "missing.docx was not found" in capsys.readouterr().err


MARKDOWN = """\
# Online Safety Policy

Date approved: 2025-09-01

## 1. Aims

We teach <script>alert(1)</script> safety. See [CEOP](https://www.ceop.police.uk/).

- Report at once
  - to the DSL
"""


def test_markdown_with_markup_in_its_text(project, tmp_path, capsys):
    source = tmp_path / "online-safety.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    assert run(project, str(source)) == 0
    text = (project / "policies" / "online-safety.yml").read_text(encoding="utf-8")
    assert "We teach &lt;script>alert(1)&lt;/script> safety. See [CEOP](https://www.ceop.police.uk/)." in text
    assert "approved: 2025-09-01" in text and "placeholders:\n  - approved_by\n  - review_due\n  - owner\n" in text
    assert pipeline.check(project, TODAY).ok
    source.write_text(MARKDOWN + '\nClick here {: onclick="x"}\n', encoding="utf-8")
    assert run(project, str(source), "--id", "other") == 1
    err = capsys.readouterr().err
    assert "Nothing was written: some of the document's text would not pass `check`" in err
    assert "E206 HTML attributes are not allowed in text" in err
    assert not (project / "policies" / "other.yml").exists()
