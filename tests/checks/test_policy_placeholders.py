"""A policy detail listed under `placeholders:` is a stand-in: no page may show it as fact.

W505 tells the editor "the site shows it as 'to be confirmed'"; the bug each test catches is a page
that shows the stand-in value instead (an imported draft's approval date is today's date, its owner
a guess). Runs on the neutral fixture school; expected text written out by hand.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from generator import pipeline

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "neutral-school"
POLICY = "policies/mobile-phones.yml"


@pytest.fixture
def school(tmp_path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "school")
    return tmp_path / "school"


def placeholders(school: Path, *names: str) -> None:
    path = school / POLICY
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("source:", "placeholders: [" + ", ".join(names) + "]\nsource:", 1), encoding="utf-8")


def pages(school: Path, today: date = date(2026, 11, 24)) -> dict[str, dict[str, str]]:
    result = pipeline.render(school, today)
    assert result.rendered, [str(d) for d in result.diagnostics if d.is_error]
    return {site: rendered.docs for site, rendered in result.rendered.items()}


def test_the_parents_page_does_not_state_a_stand_in_approval(school):
    # Bug: the public page said "(approved 2025-09-01 by the Governing board)" from the stand-ins.
    placeholders(school, "approved", "approved_by")
    page = pages(school)["parents"]["policies/mobile-phones/index.md"]
    assert ("This page shows the parts of the school's Mobile Phones Policy (approval *to be confirmed*) that "
            "are for parents and carers") in " ".join(page.split())
    assert "2025-09-01" not in page and "Governing board" not in page


def test_the_parents_page_states_a_confirmed_approval(school):
    page = pages(school)["parents"]["policies/mobile-phones/index.md"]
    assert ("This page shows the parts of the school's Mobile Phones Policy (approved 2025-09-01 by the "
            "Governing board) that are for parents and carers") in " ".join(page.split())


def test_the_overdue_banner_does_not_name_a_stand_in_owner(school):
    # Bug: "ask the policy owner (Head teacher) whether a review is under way", the owner a stand-in.
    placeholders(school, "owner")
    page = pages(school, today=date(2027, 10, 1))["staff"]["policies/mobile-phones/index.md"]
    assert ("This policy was due for review by **2027-09-01** and has not yet been reviewed (checked 1 October "
            "2027, when this site was built). It is the version the school has published; ask the policy owner "
            "(*to be confirmed*) whether a review is under way.") in " ".join(page.split())


def test_the_review_calendar_does_not_name_a_stand_in_owner(school):
    # Bug: the event said "Owner: Head teacher", the owner a stand-in.
    placeholders(school, "owner")
    result = pipeline.render(school, date(2026, 11, 24))
    calendar = result.rendered["staff"].files["policies/review-dates.ics"].decode("utf-8").replace("\r\n ", "")
    assert ("DESCRIPTION:The Mobile Phones Policy (approved 2025-09-01 by Governing board) is due for review by "
            "2027-09-01. Owner: to be confirmed.") in calendar
