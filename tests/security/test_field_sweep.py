"""Every text field of every data file kind, holding a hostile payload (tests/security/field_sweep.py): the
built sites show it only as text, `check` refuses it at its file and line, and a staff-only field's words
never reach the parents' site.

One project, one check and one build of both sites (the gate off, so the escaping is what is tested, not
only the gate), shared by the tests here. What counts as live is this test's own oracle, an HTML parser,
not the gate's code.
"""

from __future__ import annotations

import json
import re
from functools import partial
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator import pipeline
from generator.build.mkdocs_build import build_sites
from generator.checks import schema_messages, validate
from generator.load.models import base as model_base
from generator.load.models.shown import STAFF_ONLY, SETTING, declared, holds_text
from generator.load.models.base import StrictModel
from field_sweep import MARKER_PREFIX, base_project, numbered, payload, text_slots, write_payloads
from support import TODAY

MARK = re.compile(MARKER_PREFIX + r"\d{4}x")

# Fields whose value the model itself judges by its form (an address, a number, a term's date, a time limit):
# with the text checks bypassed the model still refuses a payload there, so the unchecked build keeps their
# words; `check` must refuse the payload all the same (test_check_refuses_every_slot_at_its_line).
FORM_CHECKED = {"Contact.phone", "Contact.url", "Contact.email", "School.website", "GlossaryEntry.url",
                "ExternalSource.url", "Policy.approved", "Policy.review_due", "Action.when", "DecisionTree.version"}

# Text fields the sweep's project does not fill, each with why: a field missing from the project and from this
# list fails test_every_text_field_is_swept.
NOT_SWEPT = {
    "School.contacts": "a mapping of contacts: its texts are Contact's fields",
    "ServiceDirectory.contacts": "the tool's own services file, not the school's data",
    "ExternalSource.title": "the example school adds no source of its own (sources: [])",
    "ExternalSource.publisher": "as ExternalSource.title", "ExternalSource.edition": "as ExternalSource.title",
    "ExternalSource.url": "as ExternalSource.title", "SourcePart.title": "as ExternalSource.title",
    "Trust.name": "the trust's folder is above the project: not built here",
    "Override.reason": "as Trust.name", "ClauseOverride.reason": "as Trust.name",
    "ClauseOverride.text": "as Trust.name", "StepOverride.reason": "as Trust.name",
    "GuidePack.title": "the example school adopts no pack", "GuidanceEdition.title": "as GuidePack.title",
    "TimeSpec.every": "not in the sweep guide yet",
    "School.roles": "not in the example school",
    "Clause.also_called": "not in the example school", "GlossaryEntry.also_called": "not in the example school",
    "PolicyVersion.approved": "not in the example school", "PolicyVersion.approved_by": "not in the example school",
    "PolicyVersion.minute_ref": "not in the example school", "PolicyVersion.summary": "not in the example school",
    "Contact.email": "not in the example school", "Contact.hours": "not in the example school",
    "Contact.where": "not in the example school",
    "DecisionTree.waive": "not in the sweep guide yet", "Question.waive": "as DecisionTree.waive",
    "Outcome.waive": "as DecisionTree.waive", "RouteStep.waive": "as DecisionTree.waive",
    "Waiver.reason": "as DecisionTree.waive", "Waiver.agreed_by": "as DecisionTree.waive",
}


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """The project with every slot's payload, and each payload's line; the same with the form-checked fields
    left as they were, for the unchecked build."""
    base = base_project(tmp_path_factory.mktemp("sweep") / "base")
    slots = numbered(text_slots(base, TODAY))
    full = tmp_path_factory.mktemp("sweep") / "full"
    base_project(full)
    lines = write_payloads(full, slots)
    unchecked = tmp_path_factory.mktemp("sweep") / "unchecked"
    base_project(unchecked)
    write_payloads(unchecked, slots, leave=FORM_CHECKED)
    return slots, full, lines, unchecked


def _text_fields() -> set[str]:
    import generator.load.models  # noqa: F401  (every model defined)

    def subclasses(model):
        return [sub for child in model.__subclasses__() for sub in (child, *subclasses(child))]

    return {f"{model.__name__}.{name}" for model in subclasses(StrictModel)
            for name, field in model.model_fields.items()
            if holds_text(field.annotation) and declared(field) is not SETTING}


def test_every_text_field_is_swept(sweep):
    """A new text field joins the sweep by itself when the project fills it; one it does not fill must be named
    in NOT_SWEPT (planted: the sweep guide's notes removed -> red, Action.notes and Question.notes unswept)."""
    slots = sweep[0]
    swept = {slot.field for slot in slots}
    assert sorted(_text_fields() - swept - set(NOT_SWEPT)) == []
    assert sorted(swept & set(NOT_SWEPT)) == [], "swept now: take it off NOT_SWEPT"
    assert len(swept) > 70


def test_check_refuses_every_slot_at_its_line(sweep):
    """Every text goes through the text check (checks/texts.py): the payload is refused at the file and line
    the test wrote it on (planted: notes of a guide's action skipped by the text check -> red)."""
    slots, full, lines, _ = sweep
    result = pipeline.check(full, TODAY)
    refused = {(d.path, d.line) for d in result.diagnostics if d.is_error}
    missing = sorted({f"{slot.field} ({slot.file}:{lines[slot.mark]})" for slot in slots
                      if (slot.file, lines[slot.mark]) not in refused})
    assert missing == [], "not refused at its line:\n" + "\n".join(missing)


def test_the_build_with_the_gate_on_refuses_without_a_traceback(sweep, tmp_path):
    _, full, _, _ = sweep
    out = tmp_path / "site"
    result = pipeline.build(full, out, tmp_path / "work", TODAY)
    assert not result.ok and any(d.code == "E206" for d in result.diagnostics)
    assert not out.exists() or not any(out.rglob("*.html")), "nothing is published from a refused build"
