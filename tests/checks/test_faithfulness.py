"""Faithfulness: every sentence of an approved policy document is published, or its change is recorded.

The bug each test exists to catch:
- a reworded clause ("must" -> "may") published without anyone noticing;
- a deviation record that excuses more than the words it names;
- a deviation record that quotes words the document or the clause does not have;
- a source document path that escapes the project.
Runs on the neutral fixture school (tests/fixtures/neutral-school), never on a real school's data.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from generator import pipeline
from generator.checks.faithfulness import missing_sentences, normalise, source_sentences

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "neutral-school"
TODAY = date(2026, 11, 24)
POLICY = "policies/mobile-phones.yml"
DOCUMENT = "policies/source/mobile-phones.txt"


@pytest.fixture
def school(tmp_path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "school")
    return tmp_path / "school"


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors(root: Path) -> list[str]:
    result = pipeline.render(root, TODAY)
    return [str(d) for d in result.diagnostics if d.is_error]


def test_the_fixture_school_publishes_its_document_whole(school):
    assert errors(school) == []


def test_one_changed_word_is_a_missing_sentence_at_its_line(school):
    edit(school, POLICY, "Pupils must hand", "Pupils may hand")
    assert errors(school) == [
        f"{DOCUMENT}:7:74: E354 the staff site does not publish this sentence of the approved document: "
        "'Pupils must hand their phones to the office on arrival.' (publish it word for word in "
        f"{POLICY}, or record the change under 'deviations:' with the original words and the reason)"]


def test_a_dropped_clause_is_a_missing_sentence(school):
    edit(school, POLICY, "      - id: staff-room\n        text: Staff may use phones in the staff room.\n", "")
    assert [e.split(": E354")[0] for e in errors(school)] == [f"{DOCUMENT}:11:61"]


DEVIATION = """deviations:
  - clause: phones-to-office
    original: {original}
    published: {published}
    reason: typo fixed
sections:"""


def test_a_recorded_deviation_accepts_exactly_its_words(school):
    edit(school, POLICY, "Pupils must hand their phones", "Pupils must hand in their phones")
    assert len(errors(school)) == 1
    edit(school, POLICY, "sections:", DEVIATION.format(original="must hand their", published="must hand in their"))
    assert errors(school) == []


def test_a_deviation_does_not_excuse_other_changes_in_the_sentence(school):
    edit(school, POLICY, "Pupils must hand their phones to the office",
         "Pupils may hand in their phones to the office")
    edit(school, POLICY, "sections:", DEVIATION.format(original="must hand their", published="may hand in their")
         .replace("must hand their", "hand their").replace("may hand in their", "hand in their"))
    assert [e.split(": E354")[0] for e in errors(school)] == [f"{DOCUMENT}:7:74"]


def test_a_deviation_must_quote_the_document_and_the_clause(school):
    edit(school, POLICY, "sections:", DEVIATION.format(original="must surrender their", published="must give their"))
    assert errors(school) == [
        f"{POLICY}:14:15: E352 'original' is not in {DOCUMENT}: quote the document's words exactly",
        f"{POLICY}:15:16: E353 'published' is not in clause 'phones-to-office': quote the clause's words exactly"]


def test_a_deviation_must_name_a_clause_of_the_policy(school):
    edit(school, POLICY, "sections:", DEVIATION.format(original="must hand their", published="must hand their")
         .replace("phones-to-office", "no-such-clause"))
    assert errors(school) == [
        f"{POLICY}:13:13: E351 deviation names clause 'no-such-clause', which is not in this policy"]


def test_a_source_document_outside_policies_is_refused(school):
    edit(school, POLICY, "source: source/mobile-phones.txt", "source: ../school.yml")
    assert errors(school) == [
        f"{POLICY}:9:9: E350 source document '../school.yml' is not a file inside policies/ "
        "(give the path from policies/, e.g. source/my-policy.txt)"]


COVER = """Mobile Phones Policy

Date approved: 1 September 2025

Approved by the Governing board on 01/09/2025

Review date: September 2027

Policy owner: the Head teacher
"""


def test_cover_details_the_policy_shows_in_its_own_form_are_published(school):
    # Bug: a cover written 'Date approved: 1 September 2025' or 'Review date: September 2027' was an E354 for
    # ever, straight after `import` wrote approved: 2025-09-01 from it: the page shows the same date as
    # 'Date approved | 2025-09-01', and no deviation could record it (a deviation names a clause).
    edit(school, DOCUMENT, "Mobile Phones Policy\n", COVER)
    assert errors(school) == []


def test_a_cover_detail_the_policy_does_not_show_is_still_missing(school):
    edit(school, DOCUMENT, "Mobile Phones Policy\n", COVER.replace("1 September 2025", "2 September 2025")
         .replace("September 2027", "October 2027"))
    assert [e.split(" E354 ")[1] for e in errors(school)] == [
        "the staff site does not publish this sentence of the approved document: 'Date approved: 2 September "
        f"2025' (publish it word for word in {POLICY}, or record the change under 'deviations:' with the original "
        "words and the reason)",
        "the staff site does not publish this sentence of the approved document: 'Review date: October 2027' "
        f"(publish it word for word in {POLICY}, or record the change under 'deviations:' with the original "
        "words and the reason)"]
    edit(school, POLICY, "owner: Head teacher", "owner: Deputy head teacher")
    assert [e.split(" E354 ")[0] for e in errors(school)] == [f"{DOCUMENT}:5:1:", f"{DOCUMENT}:9:1:",
                                                              f"{DOCUMENT}:11:1:"]


def test_sentences_are_split_and_located_as_an_editor_shows_them():
    text = "Title\n\n  First one. Second, e.g. this one! Third?\nSigned:\n- A bullet [with a link](https://x.example).\n"
    found = [(s.text, s.line, s.column) for s in source_sentences(text)]
    assert found == [("Title", 1, 1), ("First one.", 3, 3), ("Second, e.g. this one!", 3, 14), ("Third?", 3, 37),
                     ("A bullet with a link.", 5, 1)]


def test_normalising_ignores_only_case_punctuation_and_apostrophes():
    assert normalise("The School’s  RULES, (all) of them!") == normalise("the schools rules all of them")
    assert normalise("must") != normalise("may")
    sentences = source_sentences("Staff must not post.")
    assert missing_sentences(sentences, "Staff must not post") == []
    assert [s.text for s in missing_sentences(sentences, "Staff must post.")] == ["Staff must not post."]
