"""Issue 16, point 3: importing the real policy gives the hand-encoded policies/social-media.yml.

Imported twice, from policies/source/social-media-policy.txt and from a .docx made from the same
text with Word heading styles, automatic numbering, bullet and numbered lists and a table, then
compared with the hand-encoded file: the same section numbers and titles, the same number of
clauses, the same wording clause by clause (audiences, ids and editorial notes aside). Where the
hand-encoded file departs from the source on purpose, the departure is listed in EXPECTED_DEVIATIONS
with the reason; any other difference fails. `pytest -s` prints the match figures quoted in README.md.
"""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from import_docs import SEED, seed_as_docx
from support import TODAY, WEXHAM
from generator.authoring.importer import import_policy
from generator.authoring.importer.faithfulness import plain

_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
HAND = WEXHAM / "policies" / "social-media.yml"

# Hand-encoded clause id -> why its wording differs from the imported one (the source's own text).
EXPECTED_DEVIATIONS = {
    "read-with-other-policies": "typo fixed by hand: the source says \"the schools visions\"",
    "criminal-incident-types": "the source prints Weapons, Violence and Racism as top-level bullets after a blank "
                               "line; the hand encoding makes them sub-items of 'Distributing, printing or "
                               "viewing information on the following:'",
}
# In the Word version only: the aims are a 'List Number' list, and Word shows '1.', '2.', '3.' before them,
# which the import keeps as the document's own (the text file and the hand encoding have bullets).
DOCX_ONLY_DEVIATIONS = {"policy-aims": "Word's automatic numbers '1.', '2.', '3.' before the three aims"}


def _flatten(items, depth=0):
    for item in items or []:
        if isinstance(item, str):
            yield depth, item
        else:
            yield depth, item["text"]
            yield from _flatten(item.get("items"), depth + 1)


def _clause_words(clause: dict) -> str:
    """The clause's wording as a reader sees it (link targets aside), with each item's depth."""
    parts = [clause.get("text") or ""]
    parts += [f"[{depth}] {text}" for depth, text in _flatten(clause.get("items"))]
    matrix = clause.get("matrix")
    if matrix:
        parts += matrix["columns"] + [c for row in matrix["rows"] for c in [row["heading"]] + row["cells"]]
    return " | ".join(" ".join(plain(_AUTOLINK.sub(r"\1", part)).split()) for part in parts)


def _sections(data: dict):
    def walk(sections):
        for section in sections:
            yield section
            yield from walk(section.get("sections") or [])

    return list(walk(data["sections"]))


def compare(imported: dict, hand: dict) -> dict:
    ours, theirs = _sections(imported), _sections(hand)
    figures = {"sections": (sum(str(a["number"]) == str(b["number"]) and a["title"] == b["title"]
                                for a, b in zip(ours, theirs)), len(theirs)),
               "differing": {}}
    our_clauses = [c for s in ours for c in s.get("clauses") or []]
    hand_clauses = [(s["number"], c) for s in theirs for c in s.get("clauses") or []]
    figures["clauses"] = (len(our_clauses), len(hand_clauses))
    same = 0
    for ours_clause, (number, hand_clause) in zip(our_clauses, hand_clauses):
        if _clause_words(ours_clause) == _clause_words(hand_clause):
            same += 1
        else:
            figures["differing"][hand_clause["id"]] = (_clause_words(ours_clause), _clause_words(hand_clause))
    figures["same wording"] = (same, len(hand_clauses))
    return figures


@pytest.fixture(scope="module")
def hand() -> dict:
    return yaml.safe_load(HAND.read_text(encoding="utf-8"))


@pytest.fixture(params=["txt", "docx"])
def imported(request, tmp_path) -> dict:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(WEXHAM / "school.yml", project / "school.yml")
    source = SEED if request.param == "txt" else seed_as_docx(tmp_path / "social-media-policy.docx")
    result = import_policy(source, project, TODAY)
    assert result.report.ok
    return {"kind": request.param, "data": yaml.safe_load(result.path.read_text(encoding="utf-8"))}


def test_import_matches_the_hand_encoded_policy(imported, hand):
    figures = compare(imported["data"], hand)
    print(f"\n{imported['kind']}: sections {figures['sections'][0]}/{figures['sections'][1]} same number and "
          f"title; clauses {figures['clauses'][0]} imported / {figures['clauses'][1]} hand-encoded; "
          f"wording identical in {figures['same wording'][0]}/{figures['same wording'][1]}; "
          f"differences (all explained): {sorted(figures['differing'])}")
    assert figures["sections"][0] == figures["sections"][1] == len(_sections(imported["data"]))
    assert figures["clauses"][0] == figures["clauses"][1]
    expected = set(EXPECTED_DEVIATIONS) | (set(DOCX_ONLY_DEVIATIONS) if imported["kind"] == "docx" else set())
    assert set(figures["differing"]) == expected, figures["differing"]


def test_the_explained_deviations_are_the_ones_described(imported, hand):
    differing = compare(imported["data"], hand)["differing"]
    ours, theirs = differing["read-with-other-policies"]
    assert "the schools visions" in ours and "the school's visions" in theirs
    # The word change is the one the hand-encoded policy records as a deviation from its source.
    assert [d["clause"] for d in hand["deviations"]] == ["read-with-other-policies"]
    assert hand["deviations"][0]["original"] in ours
    ours, theirs = differing["criminal-incident-types"]
    for item in ("Weapons.", "Violence.", "Racism."):
        assert f"[0] {item}" in ours and f"[1] {item}" in theirs
    if imported["kind"] == "docx":
        ours, theirs = differing["policy-aims"]
        assert [part[:8] for part in ours.split(" | ")[1:]] == ["[0] 1\\. ", "[0] 2\\. ", "[0] 3\\. "]
        assert ours.replace("1\\. ", "").replace("2\\. ", "").replace("3\\. ", "") == theirs


def test_metadata_and_signatories_come_from_the_cover(imported, hand):
    data = imported["data"]
    for key in ("id", "title", "period", "approved", "approved_by", "review_due", "signatories"):
        assert str(data[key]) == str(hand[key]), key
    assert data["placeholders"] == ["owner"]
