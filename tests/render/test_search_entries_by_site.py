"""Which guide steps each site's search holds (issue 28 item 4).

- On the staff site a guide written first for parents (its first audience) is left out of search, so it can
  never come before the staff guide for the same situation; the guides' index still lists it.
- A step repeated word for word in several guides (a shared group's, e.g. "Is a child in immediate danger?")
  is indexed once, under the first guide: three copies of "Call 999 now" had pushed "How to report a concern"
  out of a parent's first results.

Planted (each once): the audience condition in guide_pages.py replaced by `if True` -> red here and in
tests/browser/test_search_quality.py (staff: 'sexting', 'older boy asking for pictures', 'bullied online');
without_repeated_steps returning every entry -> red here and in the parents' 'who do I call if my child is in
danger'.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import pipeline
from generator.render.renderer import render_project
from generator.render.search_index import without_repeated_steps
from support import TODAY

WEXHAM = Path(__file__).resolve().parents[1] / "fixtures" / "wexham"


@pytest.fixture(scope="module")
def entries() -> dict[str, list[dict]]:
    result = pipeline.check(WEXHAM, TODAY)
    assert result.project is not None, [str(d) for d in result.diagnostics if d.is_error]
    sites = render_project(result.project, pipeline.BASE_CONFIG, pipeline.THEME_DIR)
    return {site: json.loads(rendered.includes["search-entries.json"]) for site, rendered in sites.items()}


def _guides(entries: list[dict]) -> set[str]:
    return {entry["location"].split("/")[1] for entry in entries}


def test_a_parents_guide_is_in_the_parents_search_only(entries):
    # my-child-bullied-or-contacted-online is for parents first, and staff (audiences: [parents, staff]).
    assert "my-child-bullied-or-contacted-online" in _guides(entries["parents"])
    assert "my-child-bullied-or-contacted-online" not in _guides(entries["staff"])
    assert "sharing-nudes" in _guides(entries["staff"])


def test_the_shared_danger_step_is_indexed_once_per_site(entries):
    for site, step in (("staff", "#call_999_now"), ("parents", "#call_999_now")):
        found = [entry["location"] for entry in entries[site] if entry["location"].endswith(step)]
        assert len(found) == 1, f"{site}: {found}"


def test_without_repeated_steps_keeps_the_first_copy_and_every_guide_entry():
    seen: set[tuple] = set()
    first = [{"location": "what-to-do/a/", "title": "A", "text": "<p>a</p>"},
             {"location": "what-to-do/a/#danger", "title": "Danger?", "text": "<p>Yes</p>"},
             {"location": "what-to-do/a/#own", "title": "Own", "text": "<p>a's own</p>"}]
    second = [{"location": "what-to-do/b/", "title": "B", "text": "<p>b</p>"},
              {"location": "what-to-do/b/#danger", "title": "Danger?", "text": "<p>Yes</p>"},
              {"location": "what-to-do/b/#own", "title": "Own", "text": "<p>b's own</p>"}]
    assert without_repeated_steps(first, seen) == first
    assert [e["location"] for e in without_repeated_steps(second, seen)] == ["what-to-do/b/", "what-to-do/b/#own"]
