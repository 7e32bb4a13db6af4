"""The guides' search entries: made by the generator, merged into the built index before the gate (issue 17 item 2).

Tree pages are kept out of the search plugin's HTML parsing; generator/render/search_index.py makes one entry
for the guide and one per step, and the build appends them to search/search_index.json before the
safety gate reads it. The expected values below are written by hand from the fixture tree in this file.

Planted bugs these catch (each tried once): dropping the merge call in build.py turns
test_the_built_index_has_an_entry_per_step red; escaping nothing in search_index._entry turns
test_hostile_words_are_escaped red; checking only title and text in the gate turns
test_the_gate_refuses_markup_in_any_field_of_an_entry red; merging after the gate (moving the call
below _check_and_protect) turns test_the_gate_reads_the_merged_index red.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.build import mkdocs_build as build_module
from generator import pipeline
from generator.authoring import serve_hook
from generator.build import gate
from generator.render.guide_steps import MARKER
from generator.render.search_index import merge_entries, tree_entries

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "neutral-school"
HOOK = Path(serve_hook.__file__)
TODAY = date(2026, 11, 24)

TREE = """\
id: lost-phone
title: A pupil's phone is lost in school
use_when: A pupil says their phone has gone missing during the school day.
also_called: [missing mobile, stolen phone]
audiences: [staff]
owner: Office manager
last_reviewed: 2026-09-01
version: "1.0"
safeguarding: no
nodes:
  - kind: question
    id: was_it_handed_in
    question: Was the phone handed in to the office?
    help: Phones found in school go to the office.
    answers:
      - {id: "yes", label: "Yes, it is at the office", next: give_it_back}
      - {id: "no", label: No, next: tell_the_office}
  - kind: outcome
    id: give_it_back
    title: Give the phone back at home time
    summary: The office keeps it until the end of the day.
    actions:
      - text: Return the phone to the pupil at home time.
        who: you
    cites: [mobile-phones#phones-to-office]
  - kind: outcome
    id: tell_the_office
    title: Tell the office
    summary: The office records the loss.
    actions:
      - text: Give the office the pupil's name and a description of the phone.
        who: you
    cites: [mobile-phones#phones-to-office]
    contacts: [dsl]
"""

# Hand-written from TREE above: the guide, then each step in page order, at its own #anchor.
EXPECTED = [
    {"location": "what-to-do/lost-phone/", "title": "A pupil's phone is lost in school",
     "text": "<p>A pupil says their phone has gone missing during the school day.</p>",
     "keywords": "missing mobile, stolen phone"},
    {"location": "what-to-do/lost-phone/#was_it_handed_in", "title": "Was the phone handed in to the office?",
     "text": "<p>Yes, it is at the office</p> <p>No</p> <p>Phones found in school go to the office.</p>"},
    {"location": "what-to-do/lost-phone/#give_it_back", "title": "Give the phone back at home time",
     "text": "<p>The office keeps it until the end of the day.</p> "
             "<p>You: Return the phone to the pupil at home time.</p>"},
    {"location": "what-to-do/lost-phone/#tell_the_office", "title": "Tell the office",
     "text": "<p>The office records the loss.</p> "
             "<p>You: Give the office the pupil's name and a description of the phone.</p>"},
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The neutral fixture school with the tree above, built with the gate on."""
    root = tmp_path_factory.mktemp("search") / "school"
    shutil.copytree(FIXTURE, root)
    (root / "decision_trees").mkdir()
    (root / "decision_trees" / "lost-phone.yml").write_text(TREE, encoding="utf-8")
    out = root / "site"
    result = pipeline.build(root, out, root / "build", TODAY)
    assert result.ok, "\n".join(str(d) for d in result.diagnostics if d.is_error)
    return out


def _index(site: Path) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def test_the_built_index_has_an_entry_per_step(built):
    docs = [doc for doc in _index(built / "staff") if doc["location"].startswith("what-to-do/lost-phone/")]
    assert [{key: doc[key] for key in ("location", "title", "text", "keywords") if key in doc} for doc in docs] \
        == EXPECTED
    assert {doc["boost"] for doc in docs} == {1.5}
    assert all(doc["tags"] == ["What do I do if…"] for doc in docs)


def test_the_guide_entry_comes_before_its_steps_and_the_plugin_made_none(built):
    locations = [doc["location"] for doc in _index(built / "staff")]
    guide = locations.index("what-to-do/lost-phone/")
    # Material takes a page's first entry as the page and the rest as its sections.
    assert [loc for loc in locations if loc.startswith("what-to-do/lost-phone/")] == locations[guide:guide + 4]
    assert len([loc for loc in locations if loc.startswith("what-to-do/lost-phone/")]) == 4


def test_each_step_location_is_a_step_of_the_built_page(built):
    page = (built / "staff" / "what-to-do" / "lost-phone" / "index.html").read_text(encoding="utf-8")
    for entry in EXPECTED[1:]:
        step = entry["location"].partition("#")[2]
        assert f'<section class="tree-step" id="{step}"' in page


def test_a_guide_not_on_a_site_has_no_entries_there(built):
    assert not [doc for doc in _index(built / "parents") if "lost-phone" in doc["location"]]


def test_the_site_config_weighs_the_keywords_field(built):
    config = json.loads((built / "staff" / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]
    assert config["fields"]["keywords"] == config["fields"]["title"]


def test_live_preview_merges_the_entries_and_steps_too(built, tmp_path):
    """`generator serve` builds with mkdocs and serve_hook.py: its index holds the same entries, its guides their steps."""
    work = built.parent / "build" / "staff"
    config = work / "preview-test.yml"
    config.write_text(f"INHERIT: mkdocs.yml\nhooks:\n  - {HOOK}\n", encoding="utf-8")
    try:
        process = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config.name, "-d",
                                  str(tmp_path / "preview")], cwd=work, capture_output=True, text=True,
                                 env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    finally:
        config.unlink()
    assert process.returncode == 0, process.stderr
    locations = [doc["location"] for doc in _index(tmp_path / "preview")]
    assert [loc for loc in locations if loc.startswith("what-to-do/lost-phone/")] == \
        [entry["location"] for entry in EXPECTED]
    # ... and its guide pages their steps (generator/render/guide_steps.py; planted: not called by serve_hook -> red).
    page = (tmp_path / "preview" / "what-to-do" / "lost-phone" / "index.html").read_text(encoding="utf-8")
    assert '<section class="tree-step" id="give_it_back"' in page and MARKER not in page


# --- untrusted words: escaped by the generator, refused by the gate if not ----------------------------

HOSTILE = '<img src=x onerror="alert(1)">'


def _hostile_tree():
    question = SimpleNamespace(kind="question", id="q", question=f"Is it {HOSTILE}?", criteria=[], help=HOSTILE,
                               never=[], answers=[SimpleNamespace(label=HOSTILE)], notes=[HOSTILE], cautions=[],
                               actions=[SimpleNamespace(who="you", text=HOSTILE, notes=[], cautions=[HOSTILE])])
    outcome = SimpleNamespace(kind="outcome", id="o", title=HOSTILE, summary=HOSTILE, never=[HOSTILE],
                              actions=[SimpleNamespace(who="you", text=HOSTILE, notes=[HOSTILE], cautions=[])],
                              notes=[], cautions=[HOSTILE])
    return SimpleNamespace(title=HOSTILE, use_when=HOSTILE, also_called=[HOSTILE, "nudes"], nodes=[question, outcome])


def _raw(value):
    """A converter that lets markup through, as if Markdown conversion had kept it (the worst case)."""
    return value


def _as_text(value):
    """A converter as generator/render/text_html.py is: markup in data comes out as text."""
    return html.escape(value, quote=False)


@pytest.mark.parametrize("convert", [_raw, _as_text])
def test_hostile_words_are_escaped(convert):
    entries = tree_entries(_hostile_tree(), "what-to-do/x/", convert, convert, convert)
    assert len(entries) == 3
    for entry in entries:
        for key in ("title", "text", "keywords"):
            if key in entry:
                assert "<img" not in entry[key]
    assert entries[0]["title"] == '&lt;img src=x onerror="alert(1)"&gt;'
    assert entries[0]["keywords"] == '&lt;img src=x onerror="alert(1)"&gt;, nudes'
    if convert is _as_text:
        assert entries[1]["title"] == 'Is it &lt;img src=x onerror="alert(1)"&gt;?'


def _site_with_index(root: Path, docs: list[dict]) -> Path:
    (root / "search").mkdir(parents=True)
    (root / "search" / "search_index.json").write_text(json.dumps({"config": {}, "docs": docs}), encoding="utf-8")
    return root


def test_the_gate_passes_the_escaped_entries(tmp_path):
    site = _site_with_index(tmp_path / "site", [{"location": "", "title": "Home", "text": ""}])
    merge_entries(site, json.dumps(tree_entries(_hostile_tree(), "what-to-do/x/", _raw, _raw, _raw)))
    assert gate.check_site(site, "site").diagnostics == []


@pytest.mark.parametrize("field", ["title", "text", "keywords"])
def test_the_gate_refuses_markup_in_any_field_of_an_entry(tmp_path, field):
    site = _site_with_index(tmp_path / "site", [{"location": "", "title": "Home", "text": ""}])
    entry = {"location": "what-to-do/x/", "title": "X", "text": "", field: HOSTILE}
    merge_entries(site, json.dumps([entry]))
    messages = [d.message for d in gate.check_site(site, "site").diagnostics]
    assert messages == [f"entry 2 (what-to-do/x/) {field}: event handler attribute onerror='alert(1)' is not allowed"]


def test_the_gate_reads_the_merged_index(tmp_path, monkeypatch):
    """A hostile word the generator failed to escape stops the build: the gate runs after the merge."""
    import generator.render.search_index as search_index

    root = tmp_path / "school"
    shutil.copytree(FIXTURE, root)
    (root / "decision_trees").mkdir()
    (root / "decision_trees" / "lost-phone.yml").write_text(TREE, encoding="utf-8")
    monkeypatch.setattr(search_index, "tree_entries", _planting(search_index.tree_entries))
    result = pipeline.build(root, root / "site", root / "build", TODAY)
    assert not result.ok
    assert any(d.code == "E701" and d.path.endswith("staff/search/search_index.json") and "keywords" in d.message
               for d in result.diagnostics), [str(d) for d in result.diagnostics]
    assert not (root / "site" / "staff").exists()


def _planting(make):
    def planted(tree, *args, **kwargs):
        entries = make(tree, *args, **kwargs)
        entries[0]["keywords"] = HOSTILE
        return entries
    return planted


# --- the offline bundle's copy -------------------------------------------------------------------------

def test_merge_for_the_offline_bundle_uses_file_addresses_and_rewrites_the_script(tmp_path):
    site = _site_with_index(tmp_path / "site", [{"location": "index.html", "title": "Home", "text": ""}])
    (site / "search" / "search_index.js").write_text("var __index = {}", encoding="utf-8")
    merge_entries(site, json.dumps([{"location": "what-to-do/x/", "title": "X", "text": ""},
                                    {"location": "what-to-do/x/#step", "title": "S", "text": ""}]),
                  directory_urls=False)
    docs = _index(site)
    assert [doc["location"] for doc in docs] == ["index.html", "what-to-do/x/index.html",
                                                 "what-to-do/x/index.html#step"]
    script = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = ")
    assert json.loads(script.removeprefix("var __index = "))["docs"] == docs


def test_no_entries_file_leaves_the_index_alone(tmp_path):
    site = _site_with_index(tmp_path / "site", [{"location": "", "title": "Home", "text": ""}])
    before = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    merge_entries(site, None)
    assert (site / "search" / "search_index.json").read_text(encoding="utf-8") == before
    assert build_module.ENTRIES_FILE == "search-entries.json"


def test_the_leak_check_reads_the_keywords_too(tmp_path):
    """The parents' leak check (generator/build/leaks.py) reads every field a visitor's search can match."""
    from generator.build.leaks import site_text

    site = _site_with_index(tmp_path / "site", [{"location": "what-to-do/x/", "title": "X", "text": "",
                                                 "keywords": "staff-only-word"}])
    assert "staff-only-word" in site_text(site)
