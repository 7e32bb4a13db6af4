"""The facts of the tool's built-in registries (generator/data/sources.yml and services.yml): editions in force
and national numbers. Expected values are written out here by hand from the sources named in those files,
never read back from the code under test. (What one school's guides say is that school's own check:
checks/test_content_findings.py.)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BUILD_DAY = date(2026, 11, 30)


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- the built-in registries --------------------------------------------------------------------

def test_kcsie_2025_is_the_edition_in_force_and_2024_is_superseded():
    sources = {s["id"]: s for s in _load(ROOT / "generator" / "data" / "sources.yml")["sources"]}
    current = sources["kcsie-2025"]
    assert current["in_force_from"] == date(2025, 9, 1) and current["in_force_until"] is None
    assert current["superseded_by"] is None
    assert sources["kcsie-2024"]["superseded_by"] == "kcsie-2025"
    assert sources["kcsie-2024"]["in_force_until"] < BUILD_DAY
    assert sources["prevent-duty-2023"]["in_force_from"] == date(2023, 12, 31)
    assert sources["prevent-duty-2015"]["superseded_by"] == "prevent-duty-2023"


# Numbers read on the services' own pages (see the comments in services.yml); written out here by hand.
EXPECTED_NUMBERS = {
    "police_emergency": "999",
    "police_non_emergency": "101",
    "nspcc_helpline": "0808 800 5000",
    "childline": "0800 1111",
    "anti_terrorist_hotline": "0800 789 321",
    "dfe_counter_extremism_helpline": "020 7340 7264",
}


@pytest.mark.parametrize("service, number", sorted(EXPECTED_NUMBERS.items()))
def test_service_numbers(service, number):
    contacts = _load(ROOT / "generator" / "data" / "services.yml")["contacts"]
    assert str(contacts[service]["phone"]) == number


def test_ceop_entry_says_what_ceop_cannot_help_with():
    ceop = _load(ROOT / "generator" / "data" / "services.yml")["contacts"]["ceop"]
    assert "bullying" in ceop["notes"] and "fake accounts" in ceop["notes"]
