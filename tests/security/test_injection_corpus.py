"""The adversarial corpus (corpus.yml here) in every kind of source file: refused by `check` at
file:line, and caught by the built-HTML gate when `check` is bypassed (issue 10).

One project holds every variant in every place, so the whole corpus costs one check and one
build. The variants' texts are written into the YAML as JSON strings (valid YAML double-quoted
scalars), one per line, so the line of each is known independently of the checker.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from functools import partial
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator import pipeline
from generator.build import gate
from generator.checks import schema_messages, validate
from generator.build.mkdocs_build import build_sites
from generator.load.models import base as model_base

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "tests" / "broken"))
import broken_cases as corpus  # noqa: E402

TODAY = date(2026, 11, 24)
VARIANTS = yaml.safe_load((HERE / "corpus.yml").read_text(encoding="utf-8"))["variants"]
PLACES = ("clause", "help", "label", "action", "glossary", "school", "page")
PLACE_FILES = {"clause": "policies/corpus-policy.yml", "help": "decision_trees/corpus-tree.yml",
               "label": "decision_trees/corpus-tree.yml", "action": "decision_trees/corpus-tree.yml",
               "glossary": "glossary.yml", "school": "school.yml", "page": "docs/staff/corpus-page.md"}


def marker(variant_index: int, place: str) -> str:
    return str(90000 + variant_index * 10 + PLACES.index(place))


def text_for(variant_index: int, place: str) -> str:
    return VARIANTS[variant_index]["text"].replace("{m}", marker(variant_index, place))


def test_the_corpus_is_large_and_varied():
    assert len(VARIANTS) >= 40
    assert len({v["id"] for v in VARIANTS}) == len(VARIANTS)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _write_project(root: Path) -> dict[tuple[int, str], tuple[str, int]]:
    """The real project plus every variant in every place; returns (variant, place) -> (file, line)."""
    corpus.copy_project(root)
    corpus.apply_case(corpus.valid_case(), root)
    where: dict[tuple[int, str], tuple[str, int]] = {}
    n = range(len(VARIANTS))

    policy = ["id: corpus-policy", "title: Corpus", "short_title: Corpus", "approved: Autumn 2025",
              "approved_by: Governing Body", "review_due: Autumn 2027", "owner: Head Teacher",
              "audiences:", "  - staff", "sections:", "  - id: all", "    number: 1", "    title: All", "    clauses:"]
    for i in n:
        policy += [f"      - id: c{i}", f"        text: {json.dumps(text_for(i, 'clause'))}"]
        where[(i, "clause")] = (PLACE_FILES["clause"], len(policy))

    tree = ["id: corpus-tree", "title: Corpus tree", "use_when: Testing.", "audiences:", "  - staff",
            "owner: Designated Safeguarding Lead", "last_reviewed: 2026-09-01", "version: 1.0",
            "safeguarding: no", "nodes:"]  # the injection corpus, not a safeguarding guide (S-rules)
    for i in n:
        following = f"q{i + 1}" if i + 1 < len(VARIANTS) else "done"
        tree += [f"  - kind: question", f"    id: q{i}", f"    question: Question {i}?",
                 f"    help: {json.dumps(text_for(i, 'help'))}"]
        where[(i, "help")] = (PLACE_FILES["help"], len(tree))
        tree += ["    answers:", "      - id: \"yes\"", f"        label: {json.dumps(text_for(i, 'label'))}"]
        where[(i, "label")] = (PLACE_FILES["label"], len(tree))
        tree += [f"        next: {following}", "      - id: \"no\"", "        label: No", "        next: done"]
    tree += ["  - kind: outcome", "    id: done", "    title: Tell the DSL", "    summary: The DSL decides.",
             "    actions:"]
    for i in n:
        tree += [f"      - text: {json.dumps(text_for(i, 'action'))}"]
        where[(i, "action")] = (PLACE_FILES["action"], len(tree))
        tree += ["        who: you", "        when: same day"]
    tree += ["    contacts:", "      - dsl", "    cites:", "      - social-media#report-concerns-to-dsl"]

    for name, lines in ((PLACE_FILES["clause"], policy), (PLACE_FILES["help"], tree)):
        (root / name).write_text("\n".join(lines) + "\n", encoding="utf-8")

    glossary = (root / "glossary.yml").read_text(encoding="utf-8").rstrip("\n").split("\n")
    for i in n:
        glossary += [f"  - term: Corpus term {i}", f"    definition: {json.dumps(text_for(i, 'glossary'))}"]
        where[(i, "glossary")] = ("glossary.yml", len(glossary))
    (root / "glossary.yml").write_text("\n".join(glossary) + "\n", encoding="utf-8")

    school = (root / "school.yml").read_text(encoding="utf-8")
    head, tail = school.split("inclusion_statement:\n", 1)
    lines = (head + "inclusion_statement:").split("\n")
    for i in n:
        lines.append(f"  - {json.dumps(text_for(i, 'school'))}")
        where[(i, "school")] = ("school.yml", len(lines))
    (root / "school.yml").write_text("\n".join(lines) + "\n" + tail, encoding="utf-8")

    page = ["# Corpus page", ""]
    for i in n:
        page += [f"Paragraph {i}.", ""]
        body = text_for(i, "page")
        start = len(page) + 1
        page += body.split("\n") + [""]
        first_bad = _first_bad_line(body)
        where[(i, "page")] = (PLACE_FILES["page"], start + first_bad)
    (root / PLACE_FILES["page"]).parent.mkdir(parents=True, exist_ok=True)
    (root / PLACE_FILES["page"]).write_text("\n".join(page) + "\n", encoding="utf-8")
    return where


def _first_bad_line(body: str) -> int:
    """0-based line of a page variant where the problem starts (hand-read: the reference's definition,
    the attribute list's line, or the start of the link target)."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if re.search(r"\]:|\{:? *\w|<|\]\(", line) and not (index == 0 and re.match(r"^\[a\]\[r\d+\]$", line)):
            return index
    return 0


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus") / "project"
    where = _write_project(root)
    return root, where


def test_check_refuses_every_variant_in_every_place_at_its_line(project):
    root, where = project
    result = pipeline.check(root, TODAY)
    assert not result.ok
    found = {(d.path, d.line) for d in result.diagnostics if d.is_error and d.code == "E206"}
    missing = [f"{VARIANTS[i]['id']} in {place} ({where[(i, place)][0]}:{where[(i, place)][1]})"
               for i in range(len(VARIANTS)) for place in PLACES if where[(i, place)] not in found]
    assert missing == [], "not refused at file:line:\n" + "\n".join(missing)


# --- the gate, over a build made with the checks bypassed --------------------------------------------

_NEVER = re.compile(r"(?!x)x")


@pytest.fixture(scope="module")
def unchecked_build(project, tmp_path_factory):
    """Both sites built from the corpus project with every static check off and the gate off (tests only)."""
    root, _ = project
    patch = pytest.MonkeyPatch()
    try:
        patch.setattr(schema_messages, "_check_text", lambda source, allow_http=False: iter(()))
        patch.setattr(validate, "page_markup", lambda page, allow_http, cache=None: [])  # the name validate calls
        patch.setattr(model_base, "_RAW_HTML", _NEVER)
        patch.setattr(pipeline, "build_sites", partial(build_sites, gate=False))
        out = tmp_path_factory.mktemp("unchecked") / "site"
        result = pipeline.build(root, out, root / "build", TODAY)
        assert result.ok, "\n".join(str(d) for d in result.diagnostics if d.is_error)
        rendered = result.rendered
    finally:
        patch.undo()
    return out, rendered


class _Live(HTMLParser):
    """The test's own oracle for 'live': markers in handlers, srcdoc, scripts, or dangerous addresses."""

    DANGEROUS = ("javascript:", "vbscript:", "data:", "http:", "//", "/\\", "\\/", "\\\\")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            value = value or ""
            # As a browser reads an address: tab and line breaks removed, leading controls and spaces stripped.
            squeezed = re.sub(r"[\t\n\r]", "", value).lstrip("".join(map(chr, range(33)))).lower()
            if name.startswith("on") or name == "srcdoc" or tag in ("iframe", "object", "embed", "base", "meta"):
                self.found.append(value)
            elif squeezed.startswith(self.DANGEROUS) or "url(javascript:" in squeezed:
                self.found.append(value)
            elif name in ("src", "data") and squeezed.startswith("https:"):
                self.found.append(value)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.found.append(data)


def _live_items(site: Path) -> list[tuple[str, ...]]:
    """Each live attribute value or script body, as the markers it holds in order: an unclosed script
    swallows the variants after it, and the live thing is then the first one's."""
    found = []
    for path in site.rglob("*.html"):
        parser = _Live()
        parser.feed(path.read_text(encoding="utf-8"))
        found += [tuple(re.findall(r"9\d{4}", value)) for value in parser.found]
    return [item for item in found if item]


def test_the_gate_catches_every_variant_that_reached_a_built_page(unchecked_build):
    out, rendered = unchecked_build
    items, caught = [], set()
    for name in ("staff", "parents"):
        items += _live_items(out / name)
        result = gate.check_site(out / name, f"site/{name}", rendered[name].origins)
        for diagnostic in result.diagnostics:
            caught.update(re.findall(r"9\d{4}", diagnostic.message))
    live = {item[0] for item in items}
    # Every live thing is caught: some marker it holds is named by the gate (a script is reported once).
    uncaught = sorted({item[0] for item in items if not set(item) & caught})
    assert uncaught == [], "live in the built pages but not caught by the gate: " + ", ".join(
        f"{m} ({VARIANTS[(int(m) - 90000) // 10]['id']} in {PLACES[int(m) % 10]})" for m in uncaught)
    for index, variant in enumerate(VARIANTS):
        markers = {marker(index, place) for place in PLACES}
        if variant.get("neutralised"):
            assert not markers & live, f"{variant['id']} is marked neutralised but is live"
        else:
            assert markers & caught, f"{variant['id']} is live nowhere: it no longer tests the gate"


def test_the_gate_names_the_source_page(unchecked_build):
    out, rendered = unchecked_build
    result = gate.check_site(out / "staff", "site/staff", rendered["staff"].origins)
    from_page = [d for d in result.diagnostics if "corpus-page" in d.path]
    assert from_page and all(d.message.endswith("(from docs/staff/corpus-page.md)") for d in from_page)
    assert all(d.code == "E701" for d in result.diagnostics)


def test_each_gate_finding_names_the_source_file_and_line_that_wrote_it(project, unchecked_build):
    """A finding points at the data file and line of the variant (the built page's line says little to an
    editor). Lines come from where the test wrote each variant; a page variant over several lines may be
    traced to any of its lines (bug caught: the finding named only the built HTML line, or no file)."""
    _, where = project
    out, rendered = unchecked_build
    traced = wrong = 0
    problems = []
    for name in ("staff", "parents"):
        result = gate.check_site(out / name, f"site/{name}", rendered[name].origins, texts=rendered[name].texts)
        for diagnostic in result.diagnostics:
            markers = set(re.findall(r"9\d{4}", diagnostic.message))
            if len(markers) != 1:
                continue  # an unclosed script swallowed several variants: no one line wrote it
            number = int(markers.pop())
            index, place = (number - 90000) // 10, PLACES[number % 10]
            file, line = where[(index, place)]
            lines = range(line, line + VARIANTS[index]["text"].count("\n") + 1) if place == "page" else [line]
            found = re.search(r"\(from ([^():]+):(\d+)\)$", diagnostic.message)
            traced += 1
            if not (found and found.group(1) == file and int(found.group(2)) in lines):
                wrong += 1
                problems.append(f"{VARIANTS[index]['id']} in {place} ({file}:{line}): {diagnostic.message}")
    assert traced > 200, "the corpus no longer reaches the gate in most places"
    assert problems == [], f"{wrong} of {traced} findings not traced to their source line:\n" + "\n".join(problems)


def test_the_real_sites_pass_the_gate(real_sites):
    for name in ("staff", "parents"):
        assert gate.check_site(real_sites / name, name).diagnostics == []


def test_the_gate_remembers_only_the_pages_that_passed(unchecked_build):
    """A rebuilt site's gate skips pages byte for byte the same as ones that passed before (issue 17). Its memory
    must never hold a page that failed: checked again with the first run's memory, every variant is still caught
    (planted: every page remembered as passed -> the second run finds nothing, red)."""
    out, rendered = unchecked_build
    for name in ("staff", "parents"):
        first = gate.check_site(out / name, f"site/{name}", rendered[name].origins)
        again = gate.check_site(out / name, f"site/{name}", rendered[name].origins, passed_before=first.passed)
        assert first.diagnostics, f"the corpus reaches no page of the {name} site"
        assert [str(d) for d in again.diagnostics] == [str(d) for d in first.diagnostics]
        assert again.passed == first.passed and again.script_hashes == first.script_hashes
        pages = len(list((out / name).rglob("*.html")))
        assert 0 < len(first.passed) < pages, "the memory holds every page or none"


def test_a_page_that_changed_is_read_again(tmp_path):
    page = tmp_path / "site" / "index.html"
    page.parent.mkdir()
    page.write_text("<p>Clean</p>", encoding="utf-8")
    first = gate.check_site(page.parent, "site")
    assert first.diagnostics == [] and len(first.passed) == 1
    page.write_text("<p>Clean</p><script>alert(1)</script>", encoding="utf-8")
    again = gate.check_site(page.parent, "site", passed_before=first.passed)
    assert [d.code for d in again.diagnostics] == ["E701"] and again.passed == {}
    assert gate.gate_version(allow_http=True) != gate.gate_version(allow_http=False)
