"""Neutral document -> draft: cover metadata and placeholders, ids, lists, tables, unsafe text."""

from __future__ import annotations

from datetime import date

from generator.authoring.importer.document import Bullet, Document, Heading, Paragraph, Table
from generator.authoring.importer.draft import Context, build_draft

TODAY = date(2026, 11, 24)


def _draft(*blocks, **context):
    return build_draft(Document(list(blocks)), Context(today=TODAY, **context))


def test_cover_details_become_metadata_and_the_rest_are_placeholders():
    draft = _draft(Paragraph("OAK LANE ACADEMY"), Paragraph("ANTI-BULLYING POLICY"),
                   Paragraph("Date approved: 12/03/2024"), Heading(1, "Purpose", "1"), Paragraph("Be kind."))
    data = draft.data
    assert (data["id"], data["title"], data["short_title"]) == ("anti-bullying", "Anti-bullying Policy", "Anti-bullying")
    assert data["approved"] == "2024-03-12"
    assert data["placeholders"] == ["approved_by", "review_due", "owner"]
    assert (data["approved_by"], data["review_due"], data["owner"]) == ("Governing Body", "2027-11-24", "Head Teacher")
    assert "approved: the cover says '12/03/2024', written here as '2024-03-12'" in draft.notes


def test_ids_come_from_first_words_and_are_unique():
    same = "Staff must tell the DSL about any concern at once"
    draft = _draft(Paragraph("Safety Policy"), Heading(1, "Staff must tell"), Paragraph(same + "."), Paragraph(same + " today."),
                   Paragraph(same + " today!"), Paragraph("’Quoted’ <b>words</b> & more"))
    section = draft.data["sections"][0]
    assert section["id"] == "staff-must-tell"
    assert [c["id"] for c in section["clauses"]] == [
        "staff-must-tell-the-dsl", "staff-must-tell-the-dsl-about", "staff-must-tell-the-dsl-about-any",
        "quoted-b-words-b-more"]
    # Raw HTML is kept as text that can never become markup.
    assert section["clauses"][3]["text"] == "’Quoted’ &lt;b>words&lt;/b> & more"


def test_lists_nest_and_attach_to_the_paragraph_before():
    draft = _draft(Heading(1, "Rules", "1"), Paragraph("Staff should:"), Bullet("listen", 0), Bullet("calmly", 1),
                   Bullet("report", 0), Paragraph("Then:"), Bullet("record", 2))
    clauses = draft.data["sections"][0]["clauses"]
    assert clauses[0]["items"] == [{"text": "listen", "items": ["calmly"]}, "report"]
    assert clauses[1]["items"] == ["record"]  # a sub-bullet with no parent bullet stays at the top


def test_tables_become_matrices_or_lists():
    draft = _draft(Heading(1, "Risks", "1"), Paragraph("Misuse:"),
                   Table((("", "Low", "High"), ("Contact", "a", ""))),
                   Table((("Kinds",), ("Spam",))),
                   Table((("Level", "Action"), ("Red", "Call 999"))))
    clauses = draft.data["sections"][0]["clauses"]
    assert clauses[0]["matrix"] == {"columns": ["Low", "High"], "rows": [{"heading": "Contact", "cells": ["a", "—"]}]}
    assert clauses[1]["items"] == ["Kinds", "Spam"]
    assert clauses[2]["text"] == "Level" and clauses[2]["matrix"]["columns"] == ["Action"]


def test_text_before_the_first_heading_is_kept_in_section_0():
    draft = _draft(Paragraph("Safety Policy"), Paragraph("A foreword the governors wrote."), Heading(1, "Aims"),
                   Paragraph("Aim."))
    sections = draft.data["sections"]
    assert [(s["number"], s["title"]) for s in sections] == [("0", "Before section 1"), ("1", "Aims")]
    assert sections[0]["clauses"][0]["text"] == "A foreword the governors wrote."


def test_approved_by_with_its_date_on_one_line_gives_both_details():
    # Bug: 'Approved by the Governing Board: 14 October 2025' made approved_by 'the Governing Board: 14
    # October 2025' (and owner the same), and left 'approved' a stand-in dated today.
    draft = _draft(Paragraph("Phones Policy"), Paragraph("Approved by the Governing Board: 14 October 2025"),
                   Heading(1, "Purpose", "1"), Paragraph("Be kind."))
    data = draft.data
    # 'the' is left out: pages say "approved … by the Governing Board" (bug: "by the the Governing Board").
    assert (data["approved_by"], data["approved"]) == ("Governing Board", "2025-10-14")
    assert data["placeholders"] == ["review_due", "owner"]
    draft = _draft(Paragraph("Phones Policy"), Paragraph("Ratified by Full Governing Body on 18/11/2021"),
                   Heading(1, "Purpose", "1"), Paragraph("Be kind."))
    assert (draft.data["approved_by"], draft.data["approved"]) == ("Full Governing Body", "2021-11-18")
    # A name with a colon but no date after it stays whole.
    draft = _draft(Paragraph("Phones Policy"), Paragraph("Approved by: The Governing Board"),
                   Heading(1, "Purpose", "1"), Paragraph("Be kind."))
    assert draft.data["approved_by"] == "Governing Board" and "approved" in draft.data["placeholders"]
