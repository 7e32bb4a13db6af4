"""Topic-specific wording comes from the school's data, not the templates (school.yml).

The bug each test exists to catch:
- a template line about one school's topic (online safety, CEOP) reaching a school whose policies are about
  something else (the neutral fixture's only policy is about mobile phones);
- the emergency panel silently dropping a contact the school asked for, or listing an unknown one;
- a staff-only contact (public: false) named on the public parents' panel.
Runs on the neutral fixture school (tests/fixtures/neutral-school).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from generator import pipeline

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "neutral-school"
TODAY = date(2026, 11, 24)


@pytest.fixture
def school(tmp_path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "school")
    return tmp_path / "school"


def add(root: Path, text: str) -> None:
    with (root / "school.yml").open("a", encoding="utf-8") as handle:
        handle.write(text)


def rendered(root: Path) -> pipeline.Result:
    result = pipeline.render(root, TODAY)
    assert result.rendered, [str(d) for d in result.diagnostics if d.is_error]
    return result


def test_a_phones_only_school_gets_no_online_safety_wording(school):
    result = rendered(school)
    home = result.rendered["parents"].docs["index.md"]
    # The fixture has a CEOP contact, but nothing asks for it on the panel.
    assert "CEOP" not in home and "online" not in home.lower()
    assert "what the school does\nwhen something goes wrong" in home
    assert "online" not in result.rendered["parents"].config["site_description"]
    assert "online" not in result.rendered["staff"].docs["index.md"].lower()


def test_the_parents_introduction_and_description_come_from_school_yml(school):
    add(school, "parents_introduction: Here is how we keep phones out of lessons.\n"
                "parents_description: Oakfield's phone rules for families.\n")
    result = rendered(school)
    home = result.rendered["parents"].docs["index.md"]
    assert "Here is how we keep phones out of lessons." in home
    assert "what the school does" not in home
    # Escaped once here: mkdocs writes it unescaped into <meta name="description" content="…">.
    assert result.rendered["parents"].config["site_description"] == "Oakfield&#x27;s phone rules for families."
    assert 'description: "Oakfield&#x27;s phone rules for families."' in home  # escaped once (see above)


def panel(markdown: str) -> str:
    start = markdown.index('!!! danger "In an emergency"')
    return markdown[start:markdown.index("\n\n#", start) if "\n\n#" in markdown[start:] else None]


def test_the_panels_list_the_contacts_school_yml_names_in_order(school):
    add(school, "emergency_panel:\n  parents: [dsl, ceop]\n  staff: [dsl, staff_direct_line]\n")
    (school / "published-to-parents.yml").unlink()  # the parents' panel changes what is published
    result = rendered(school)
    parents = panel(result.rendered["parents"].docs["index.md"])
    assert parents.index("Designated Safeguarding Lead") < parents.index("CEOP")
    assert "Police (emergency)" not in parents
    staff = panel(result.rendered["staff"].docs["index.md"])
    assert "Staff-only direct line" in staff and "Head teacher" not in staff


def test_the_default_panels(school):
    result = rendered(school)
    staff = panel(result.rendered["staff"].docs["index.md"])
    for role in ("Police (emergency)", "Designated Safeguarding Lead (DSL)", "Deputy Designated Safeguarding Lead",
                 "Head teacher", "Out-of-hours emergency duty team"):
        assert f"**{role}**" in staff
    parents = panel(result.rendered["parents"].docs["index.md"])
    assert "**Police (emergency)**" in parents and "**Designated Safeguarding Lead (DSL)**" in parents
    assert "Deputy" not in parents


def test_panel_contacts_must_exist_and_be_public_on_the_parents_site(school):
    add(school, "emergency_panel:\n  parents: [dsl, staff_direct_line]\n  staff: [dls]\n")
    found = [str(d) for d in pipeline.check(school, TODAY).diagnostics if d.is_error]
    assert any(line.startswith("school.yml:49:18:") and "E418 contact 'staff_direct_line' is 'public: false', "
               "but the parents' emergency panel is on the public site" in line for line in found), found
    assert any("E405 unknown contact 'dls'" in line and "did you mean 'dsl'?" in line for line in found), found
