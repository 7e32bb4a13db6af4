"""The YAML writer: any text reads back unchanged through the project's strict loader."""

from __future__ import annotations

from datetime import date

import pytest

from generator.authoring.importer.document import Document, Heading, Paragraph
from generator.authoring.importer.draft import Context, build_draft
from generator.authoring.importer.write_yaml import policy_yaml
from generator.load.strict_yaml import load_yaml

AWKWARD = [
    "no", "3.1", "Null", "NULL", "2024-01-01", "Note: this matters", "- not a bullet", "#StopBullying today", "text # not a comment",
    "\"quoted\" and 'single'", "back\\slash", "ends with colon:", "{not: a mapping}", "[not, a list]",
    "café – naïve “curly”", "null", "~", "&anchor *alias", "!!python/object", "a  double  space",
    "Very long text " * 20 + "end.", "@at and `backtick`", "%percent", "|pipe", ">fold",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_text_reads_back_unchanged(tmp_path, text):
    draft = build_draft(Document([Paragraph("Awkward Policy"), Heading(1, text), Paragraph(text)]),
                        Context(today=date(2026, 11, 24)))
    path = tmp_path / "awkward.yml"
    path.write_text(policy_yaml(draft, ["header"]), encoding="utf-8")
    data = load_yaml(path, "awkward.yml").data
    section = data["sections"][0]
    assert section["title"] == text
    assert section["clauses"][0]["text"] == text
    assert section["clauses"][0]["audiences"] == ["staff"]
