"""What the public parents' site publishes is reviewed, not derived (published-to-parents.yml).

The bug each test exists to catch:
- a whole staff section widened to parents by one edit, published without anyone deciding it;
- a staff-only contact (public: false) named on a parents' page;
- staff-only words reaching the built public site by any route, short ones included;
- the reviewed list going stale (something listed no longer published) without anyone noticing.
Runs on the neutral fixture school, whose list was written by hand (tests/fixtures/neutral-school).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator import pipeline
from generator.build.leaks import find_leaks
from generator.load.models import PublicList

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "neutral-school"
REPO = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 24)
POLICY = "policies/mobile-phones.yml"
LIST = "published-to-parents.yml"
HINT = "(review it, then run 'python -m generator public --update' to record it in published-to-parents.yml)"
STAFF_SECTION = """  - id: staff
    number: 2
    title: Staff
"""


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
    return [str(d) for d in pipeline.render(root, TODAY).diagnostics if d.is_error]


def build(root: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(root), "--output", str(out),
                           "--today", TODAY.isoformat()], cwd=REPO, capture_output=True, text=True)


def reviewed(root: Path) -> PublicList:
    return PublicList.model_validate(yaml.safe_load((root / LIST).read_text(encoding="utf-8")))


def test_the_fixture_publishes_exactly_its_reviewed_list(school):
    assert errors(school) == []


def test_widening_a_staff_section_to_parents_stops_the_build(school, tmp_path):
    edit(school, POLICY, STAFF_SECTION, STAFF_SECTION + "    audiences: [staff, parents]\n")
    assert errors(school) == [
        f"{LIST}:1:1: E361 the parents' site would publish clause 'mobile-phones#out-of-sight' (from {POLICY}), "
        f"which is not on the reviewed list {HINT}",
        f"{LIST}:1:1: E361 the parents' site would publish clause 'mobile-phones#staff-room' (from {POLICY}), "
        f"which is not on the reviewed list {HINT}"]
    result = build(school, tmp_path / "site")
    assert result.returncode == 1 and "E361" in result.stderr
    assert not (tmp_path / "site" / "parents").exists()


def test_something_listed_but_no_longer_published_is_reported_at_its_line(school):
    edit(school, POLICY, "      - staff\n      - parents\n", "      - staff\n")
    assert errors(school) == [
        f"{LIST}:3:5: E362 the parents' site no longer publishes clause 'mobile-phones#phones-to-office' {HINT}",
        f"{LIST}:4:5: E362 the parents' site no longer publishes clause 'mobile-phones#what-this-covers' {HINT}"]


def test_a_staff_only_contact_on_a_parents_page_is_refused(school):
    (school / "docs" / "parents").mkdir(parents=True)
    (school / "docs" / "parents" / "help.md").write_text("# Help\n\nCall {{ contact(\"staff_direct_line\") }}.\n")
    assert errors(school) == [
        "docs/parents/help.md:3:9: E363 a parents' page names contact 'staff_direct_line', which is marked "
        "'public: false' in school.yml (name a public contact here, or move the page to docs/staff/)"]


def test_update_records_the_site_after_review(school):
    edit(school, POLICY, STAFF_SECTION, STAFF_SECTION + "    audiences: [staff, parents]\n")
    result = subprocess.run([sys.executable, "-m", "generator", "public", "--update", "--project", str(school),
                             "--today", TODAY.isoformat()], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "mobile-phones#out-of-sight" in reviewed(school).clauses
    assert errors(school) == []
    # It says what it recorded, not the E361 errors that asked for it (bug caught: the update printed
    # "E361 … run 'public --update'" and read as if it had failed).
    assert "E361" not in result.stderr
    assert ("  + now public: clause 'mobile-phones#out-of-sight' (from policies/mobile-phones.yml)\n"
            "  + now public: clause 'mobile-phones#staff-room' (from policies/mobile-phones.yml)\n"
            "Commit it with a note of who reviewed it.") in result.stderr


def test_the_leak_check_reads_the_built_site_as_a_visitor_does(school, tmp_path):
    assert build(school, tmp_path / "site").returncode == 0
    assert find_leaks(pipeline.check(school, TODAY).project, reviewed(school), tmp_path / "site" / "parents") == []
    # Publish the staff section after a (mistaken) review, then judge the site by the list as first reviewed:
    # every staff-only sentence, however short, is found in the visible text of the built site.
    first_review = reviewed(school)
    edit(school, POLICY, STAFF_SECTION, STAFF_SECTION + "    audiences: [staff, parents]\n")
    pipeline.review_public(school, TODAY, update=True)
    assert build(school, tmp_path / "site").returncode == 0
    project = pipeline.check(school, TODAY).project
    assert find_leaks(project, first_review, tmp_path / "site" / "parents") == [
        "clause mobile-phones#out-of-sight: 'Staff must keep personal phones out of sight in classrooms.'",
        "clause mobile-phones#staff-room: 'Staff may use phones in the staff room.'"]


def test_a_staff_only_contacts_details_on_the_public_site_are_a_leak(school, tmp_path):
    assert build(school, tmp_path / "site").returncode == 0
    page = tmp_path / "site" / "parents" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", "<p>Ring 01000 000009</p></article>"))
    project = pipeline.check(school, TODAY).project
    assert find_leaks(project, reviewed(school), tmp_path / "site" / "parents") == [
        "contact staff_direct_line: '01000 000009'"]
