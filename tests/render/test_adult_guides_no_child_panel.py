"""The pack's guides about an adult who works with children (issue 27, item 6: concern_about): the steps about
that adult (the head teacher or the chair of governors, the harm threshold, the LADO, low-level concerns, the
parents' route to the head teacher) show no "a child in immediate danger" panel, while the guide's first
question, about the child, still does.

The bug this exists to catch: the pack's allegation-about-staff guide without `concern_about`, so the emergency
panel about a child repeats on every LADO and employer-process step (issue 27, "Rendering, seen on a phone").
The shipped pack guides are rendered inside a copy of the frozen example school (tests/fixtures/wexham), which
has the guides they link to; which step should carry the panel was decided by reading the guides, by hand.
"""

from __future__ import annotations

import shutil

import pytest

from generator.pipeline import render
from support import REPO, TODAY, WEXHAM, guide_page

PACK_GUIDES = REPO / "generator" / "pack" / "england" / "decision_trees"
PANEL = 'class="tree-emergency"'


def _step(page: str, step_id: str) -> str:
    start = page.index(f'<section class="tree-step" id="{step_id}"')
    return page[start: page.index("</section>", start)]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    school = tmp_path_factory.mktemp("adult-guides") / "school"
    shutil.copytree(WEXHAM, school)
    for name in ("allegation-about-staff.yml", "worried-about-a-member-of-staff.yml"):
        shutil.copy(PACK_GUIDES / name, school / "decision_trees" / name)
    result = render(school, TODAY)
    assert result.rendered is not None, [str(d) for d in result.diagnostics if d.is_error]
    return result.rendered


@pytest.mark.parametrize("step_id", ["who_is_it_about", "tell_the_head_teacher", "does_it_meet_the_harm_threshold",
                                     "refer_to_the_lado", "low_level_concern", "not_dealt_with_properly"])
def test_the_staff_guides_steps_about_the_adult_have_no_child_emergency_panel(rendered, step_id):
    assert PANEL not in _step(guide_page(rendered["staff"], "allegation-about-staff"), step_id)


def test_the_staff_guides_first_question_about_the_child_keeps_the_panel(rendered):
    page = guide_page(rendered["staff"], "allegation-about-staff")
    assert PANEL in _step(page, "is_child_in_immediate_danger")
    assert PANEL in _step(page, "cannot_reach_the_dsl")


@pytest.mark.parametrize("step_id", ["could_a_child_be_harmed", "tell_the_head_teacher",
                                     "use_the_complaints_procedure"])
def test_the_parents_guides_steps_about_a_member_of_staff_have_no_panel(rendered, step_id):
    assert PANEL not in _step(guide_page(rendered["parents"], "worried-about-a-member-of-staff"), step_id)


def test_the_parents_guides_first_question_keeps_the_panel(rendered):
    page = guide_page(rendered["parents"], "worried-about-a-member-of-staff")
    assert PANEL in _step(page, "is_child_in_immediate_danger")
