"""The parents' leak check (generator/build/leaks.py) catches staff-only words by every route the site has,
and knows which words are staff-only from the models' own declarations (generator/load/models/shown.py).

Each test plants a leak in a small site folder made by hand (no build: the check reads files) and
expects the leak by name; the expected entries are written out here, not computed by the check.
The bug each test exists to catch:
- a text field added to a model without saying where it may be shown (the check would not know it);
- the check reading only a clause's first line (its list items leak), or a note's first paragraph;
- the check skipping the PDFs, the search index, an SVG, a text attribute or a page's description;
- an override's reason, an editor's note or a step's source shown on the parents' site unseen, and
  a trust override's reason rendered on the parents' site (it is staff-only unless marked).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from generator import pipeline
from generator.build.leaks import find_leaks
from generator.load.models import PublicList
from generator.load.models.base import StrictModel
from generator.load.models.shown import STAFF_ONLY, WITH_ITEM, declarations, texts, undeclared
from support import REPO, TODAY

NEUTRAL = REPO / "tests" / "fixtures" / "neutral-school"
TREES = REPO / "tests" / "fixtures" / "trees-v2"
REVIEWED = PublicList(clauses=["mobile-phones#phones-to-office", "mobile-phones#what-this-covers"],
                      contacts=["dsl", "police_emergency"])
# Staff-only: the second list item of a staff clause (its first line is the clause's text).
ITEMS = """        text: Staff must keep personal phones out of sight in classrooms.
        items:
          - Phones stay in the staff lockers during lessons.
          - Staff phones are never used to photograph pupils.
        notes:
          - kind: info
            text: "The locker rule was added in 2025.\\n\\nAsk the office manager for a locker key."
"""
STAFF_ITEM = "Staff phones are never used to photograph pupils."


def _subclasses(model: type) -> list[type]:
    return [sub for child in model.__subclasses__() for sub in (child, *_subclasses(child))]


def test_every_text_field_of_every_model_says_where_it_may_be_shown():
    """A new text field without a declaration fails here (planted: Clause.text's declaration removed -> red)."""
    import generator.load.models  # noqa: F401  (every model defined)

    models = _subclasses(StrictModel)
    assert len(models) > 30
    # A field whose type could not be resolved hides whether it holds text.
    assert [m.__name__ for m in models if not m.__pydantic_complete__] == []
    assert [name for model in models for name in undeclared(model)] == []


def test_the_staff_only_fields_are_these():
    """Making a staff-only field public is a decision this list records (planted: Outcome.editor_note shown with
    its guide -> red)."""
    import generator.load.models  # noqa: F401

    staff_only = {name for model in _subclasses(StrictModel) for name, shown in declarations(model).items()
                  if shown is STAFF_ONLY}
    assert staff_only == {"Clause.staff_notes", "Deviation.original", "Deviation.reason", "ClauseOverride.reason",
                          "Question.source", "Question.editor_note", "Outcome.source", "Outcome.editor_note",
                          "RouteStep.source", "RouteStep.editor_note", "RouteStep.waive",
                          # A safety rule's waiver is for the editors (listed on the staff site's editors' page).
                          "Waiver.reason", "Waiver.agreed_by", "Question.waive", "Outcome.waive", "DecisionTree.waive",
                          # A guide pack's title: `init` names it in the terminal; no site shows it.
                          "GuidePack.title",
                          # Why a school replaced a trust's clause or a pack's step: the editors' page (and a clause's
                          # staff notes); every override has one.
                          "Override.reason", "StepOverride.reason"}


def test_a_declaration_on_a_holder_caps_the_texts_inside_it():
    """An editorial note is shown with its clause, but under `staff_notes` it is staff-only."""
    from generator.load.models import Clause

    clause = Clause.model_validate({"id": "c", "text": "Clause words.",
                                    "notes": [{"kind": "info", "text": "Public note."}],
                                    "staff_notes": [{"kind": "info", "text": "Internal note."}]})
    assert texts(clause, {STAFF_ONLY}) == ["Internal note."]
    assert texts(clause, {WITH_ITEM}) == ["Clause words.", "Public note."]


@pytest.fixture(scope="module")
def school(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("leaks") / "school"
    shutil.copytree(NEUTRAL, root)
    policy = root / "policies" / "mobile-phones.yml"
    text = policy.read_text(encoding="utf-8")
    old = "        text: Staff must keep personal phones out of sight in classrooms.\n"
    assert old in text
    policy.write_text(text.replace(old, ITEMS), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def project(school):
    result = pipeline.check(school, TODAY)
    assert [str(d) for d in result.diagnostics if d.is_error] == []
    return result.project


def site_with(tmp_path: Path, body: str = "<p>Nothing to see.</p>", head: str = "") -> Path:
    site = tmp_path / "parents"
    site.mkdir(exist_ok=True)
    (site / "index.html").write_text(f"<html><head>{head}<title>Home</title></head><body>{body}</body></html>",
                                     encoding="utf-8")
    return site


def write_pdf(path: Path, words: str) -> None:
    from weasyprint import HTML

    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=f"<p>{words}</p>").write_pdf(path)


def test_a_clean_site_has_no_leak(project, tmp_path):
    assert find_leaks(project, REVIEWED, site_with(tmp_path, "<p>Pupils must hand their phones to the office on "
                                                            "arrival.</p>")) == []


def plant_in_page(site: Path, words: str) -> None:
    (site / "page.html").write_text(f"<p>{words}</p>", encoding="utf-8")


def plant_in_attribute(site: Path, words: str) -> None:
    (site / "page.html").write_text(f'<img src="a.png" alt="{words}">', encoding="utf-8")


def plant_in_description(site: Path, words: str) -> None:
    (site / "page.html").write_text(f'<head><meta name="description" content="{words}"></head>', encoding="utf-8")


def plant_in_svg(site: Path, words: str) -> None:
    (site / "diagram.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg"><text>{words}</text></svg>',
                                      encoding="utf-8")


def plant_in_pdf(site: Path, words: str) -> None:
    write_pdf(site / "policies" / "mobile-phones" / "mobile-phones.pdf", words)


def plant_in_search(site: Path, words: str) -> None:
    (site / "search").mkdir()
    entries = {"docs": [{"location": "x/", "title": "Phones", "text": f"<p>{words}</p>"}]}
    (site / "search" / "search_index.json").write_text(json.dumps(entries), encoding="utf-8")


def plant_in_calendar(site: Path, words: str) -> None:
    folded = f"SUMMARY:{words}"
    (site / "dates.ics").write_text(f"BEGIN:VCALENDAR\r\n{folded[:40]}\r\n {folded[40:]}\r\nEND:VCALENDAR\r\n",
                                    encoding="utf-8")


@pytest.mark.parametrize("plant", [plant_in_page, plant_in_attribute, plant_in_description, plant_in_svg,
                                   plant_in_pdf, plant_in_search, plant_in_calendar],
                         ids=lambda plant: plant.__name__)
def test_a_staff_only_list_item_is_found_by_every_route(project, tmp_path, plant):
    """Planted: only a clause's first line read -> red; PDFs skipped -> red (plant_in_pdf); the search index,
    SVGs, attributes, the description or text files skipped -> red (each)."""
    site = site_with(tmp_path)
    plant(site, STAFF_ITEM)
    assert find_leaks(project, REVIEWED, site) == [f"clause mobile-phones#out-of-sight: '{STAFF_ITEM}'"]


def test_every_paragraph_of_a_note_counts(project, tmp_path):
    """The note's second paragraph alone, on the site (planted: a text's first line only -> red)."""
    site = site_with(tmp_path, "<p>Ask the office manager for a locker key.</p>")
    assert find_leaks(project, REVIEWED, site) == [
        "clause mobile-phones#out-of-sight: 'Ask the office manager for a locker key.'"]


def test_a_staff_only_contacts_note_is_a_leak(school, tmp_path):
    copy = tmp_path / "school"
    shutil.copytree(school, copy)
    path = copy / "school.yml"
    text = path.read_text(encoding="utf-8")
    old = '    role: Deputy Designated Safeguarding Lead\n'
    assert old in text
    path.write_text(text.replace(old, old + "    notes: Lives on the Eastfield estate, ask before visiting.\n"),
                    encoding="utf-8")
    project = pipeline.check(copy, TODAY).project
    site = site_with(tmp_path, "<p>Lives on the Eastfield estate, ask before visiting.</p>")
    assert find_leaks(project, REVIEWED, site) == [
        "contact deputy_dsl: 'Lives on the Eastfield estate, ask before visiting.'"]


# --- guides: staff-only texts of a published guide, and an unpublished guide's words ----------------

@pytest.fixture(scope="module")
def guides():
    from generator.load.loader import load_project
    from generator.checks.validate import validate_project

    project, diagnostics = validate_project(load_project(TREES, REPO / "tests" / "fixtures" / "trees-v2-data"), TODAY)
    assert [str(d) for d in diagnostics if d.is_error] == []
    return project


@pytest.mark.parametrize("words, expected", [
    ("EDITOR-NOTE-SECRET: check the local timescale", "guide concern: 'EDITOR-NOTE-SECRET: check the local timescale'"),
    ("KCSIE 2025 paras 55-70, paraphrased", "guide concern: 'KCSIE 2025 paras 55-70, paraphrased'"),
])
def test_an_editors_note_or_a_source_of_a_published_guide_is_a_leak(guides, tmp_path, words, expected):
    """Planted: Question.editor_note (or source) declared as shown with its guide -> red."""
    site = site_with(tmp_path, f"<p>{words}</p>")
    assert find_leaks(guides, PublicList(trees=["concern", "allegation"]), site) == [expected]


def test_an_unpublished_guides_words_are_a_leak(guides, tmp_path):
    """Its sentences are; a three-word answer label (everyday words any page may hold) is not."""
    site = site_with(tmp_path, "<p>Something a child says or does worries you.</p><p>Nothing needs doing</p>")
    assert find_leaks(guides, PublicList(trees=["allegation"]), site) == [
        "guide concern: 'Something a child says or does worries you.'"]
    assert find_leaks(guides, PublicList(trees=["concern", "allegation"]), site) == []


# --- trust overrides: the reason is an internal note ---------------------------------------------

REASON = "Approved by the local governing board; Year 5 and 6 pupils who walk home alone keep a phone."


@pytest.fixture(scope="module")
def trust(tmp_path_factory) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    from trust import make_trust

    root = tmp_path_factory.mktemp("trust") / "trust"
    make_trust(root, 2)
    policy = root / "trust" / "policies" / "trust-phones.yml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("audiences:\n  - staff\n",
                                                                  "audiences:\n  - staff\n  - parents\n", 1),
                      encoding="utf-8")
    school = root / "schools" / "school-02"
    (school / "trust-overrides.yml").write_text(
        "overrides:\n  - policy: trust-phones\n    clause: out-of-sight\n"
        "    text: Staff hand personal phones to the school office at the start of the day.\n"
        f"    reason: \"{REASON}\"\n", encoding="utf-8")
    pipeline.review_public(school, TODAY, update=True)
    return school


def rendered_docs(school: Path, site: str) -> str:
    result = pipeline.render(school, TODAY)
    assert result.rendered, [str(d) for d in result.diagnostics if d.is_error]
    return "\n".join(result.rendered[site].docs.values())


def test_an_override_reason_is_shown_to_staff_but_not_to_parents(trust):
    """Planted: the parents' site showing every note (clause.notes + staff_notes) -> red."""
    parents = rendered_docs(trust, "parents")
    assert "Staff hand personal phones to the school office at the start of the day." in parents
    assert "walk home alone" not in parents
    assert REASON in rendered_docs(trust, "staff")


def test_an_override_reason_marked_for_parents_is_shown_to_them(trust, tmp_path):
    copy = tmp_path / "school"
    shutil.copytree(trust.parent.parent, tmp_path / "trust")
    copy = tmp_path / "trust" / "schools" / "school-02"
    overrides = copy / "trust-overrides.yml"
    overrides.write_text(overrides.read_text(encoding="utf-8") + "    reason_on_parents_site: true\n",
                         encoding="utf-8")
    assert REASON in rendered_docs(copy, "parents")


def test_an_override_reason_on_the_parents_site_is_a_leak(trust, tmp_path):
    """Planted: staff_notes declared as shown with the clause -> red."""
    project = pipeline.check(trust, TODAY).project
    _, reviewed = project.public_list
    assert "trust-phones#out-of-sight" in reviewed.clauses
    site = site_with(tmp_path, "<p>Staff hand personal phones to the school office at the start of the day.</p>"
                               f"<p>The school's own wording, in place of the trust's: {REASON}</p>")
    assert find_leaks(project, reviewed, site) == [
        "clause trust-phones#out-of-sight: 'The school's own wording, in place of the trust's: Approved'"]


def test_an_override_reason_is_in_the_staff_pdf_only(trust):
    """Planted: the printed parents' edition listing every note in its appendix -> red."""
    from generator.render.document import policy_document

    project = pipeline.check(trust, TODAY).project
    policy = project.policies_by_id["trust-phones"]
    assert "walk home alone" not in policy_document(project, policy, "parents")
    assert "walk home alone" in policy_document(project, policy, "staff")


def test_an_unpublished_guides_folder_on_the_site_is_a_leak_even_with_no_words_of_it(guides, tmp_path):
    """A page under what-to-do/concern/ (a guide not on the list) whose words are none of the guide's own: the
    folder itself is the leak. Planted: the folder looked for at the site's top (site/concern) -> red."""
    site = site_with(tmp_path)
    page = site / "what-to-do" / "concern" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html><body><p>Nothing to see.</p></body></html>", encoding="utf-8")
    assert find_leaks(guides, PublicList(trees=["allegation"]), site) == [
        "guide concern: what-to-do/concern/ is on the site"]
    assert find_leaks(guides, PublicList(trees=["concern", "allegation"]), site) == []
