"""Issue 16, point 2: every sentence of the source is in the draft or listed, else nothing is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from import_docs import SEED
from support import TODAY, WEXHAM
from generator.authoring.importer import ImportFailure, draft as draft_module, import_policy
from generator.checks.faithfulness import normalise as site_normalise, source_sentences
from generator.authoring.importer.faithfulness import compare, normalise, sentences


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(WEXHAM / "school.yml", root / "school.yml")
    return root


def test_sentences_and_normalisation_are_the_builds_own():
    text = SEED.read_text(encoding="utf-8")
    assert sentences(text.splitlines()) == [s.text for s in source_sentences(text)]
    assert len(sentences(text.splitlines())) == 179
    for sample in ("School’s 'visions' — and *values*", "[www.x.com](https://www.x.com)", "A&amp;B"):
        assert normalise(sample) == site_normalise(sample)


def test_the_real_policy_imports_with_every_sentence_accounted_for(project):
    report = import_policy(SEED, project, TODAY).report
    listed = sum(len(found) for found in report.elsewhere.values())
    assert report.ok and report.missing == []
    assert report.total == 179 == report.in_draft + listed
    # Only the cover, the school's statements and the signature block stay out of the clauses.
    assert listed == 16, report.elsewhere


def test_a_dropped_paragraph_fails_the_import_and_writes_nothing(project, monkeypatch):
    """The planted bug: the importer loses the policy's last paragraph."""
    real = draft_module._Sections.build

    def drop_last(self, preamble, body):
        body = body[:-1] if body else body
        return real(self, preamble, body)

    monkeypatch.setattr(draft_module._Sections, "build", drop_last)
    with pytest.raises(ImportFailure) as error:
        import_policy(SEED, project, TODAY)
    message = str(error.value)
    assert "some of the text would be lost" in message and "3 NOT FOUND in the draft" in message  # 3 sentences
    assert "Any safety concerns or breaches should be brought to the attention" in message
    assert not (project / "policies" / "social-media.yml").exists()
    assert [p.name for p in (project / "policies").iterdir()] == []


def test_one_copy_of_a_repeated_paragraph_cannot_go_missing():
    paragraph = "Staff must report concerns. They must do so at once."
    report = compare([paragraph, "Other text.", paragraph], [paragraph, "Other text."], {})
    assert report.missing == ["Staff must report concerns.", "They must do so at once."]
    assert compare([paragraph, paragraph], [paragraph, paragraph], {}).ok


def test_text_kept_out_of_the_clauses_is_listed_with_its_reason():
    report = compare(["Vision: to learn.", "Pupils are safe."], ["Pupils are safe."],
                     {"for school.yml": ["Vision: to learn."]})
    assert report.ok and report.elsewhere == {"for school.yml": ["Vision: to learn."]}
    assert "  1 for school.yml" in report.lines()
