"""Every text field of every data file kind, holding a hostile payload (tests/security/field_sweep.py): the
built sites show it only as text, `check` refuses it at its file and line, and a staff-only field's words
never reach the parents' site.

One project, one check and one build of both sites (the gate off, so the escaping is what is tested, not
only the gate), shared by the tests here. What counts as live is this test's own oracle, an HTML parser,
not the gate's code.
"""

from __future__ import annotations

import functools
import json
import re
from functools import partial
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator import pipeline
from generator.build.mkdocs_build import build_sites
from generator.checks import schema_messages, validate
from generator.load.models import base as model_base
from generator.load.models.shown import STAFF_ONLY, SETTING, declared, holds_text
from generator.load.models.base import StrictModel
from field_sweep import (MARKER_PREFIX, PAGE_FIELDS, base_project, numbered, packs, text_slots, write_pages,
                         write_payloads)
from support import TODAY

MARK = re.compile(MARKER_PREFIX + r"\d{4}x")

# Fields whose value the model itself judges by its form (an address, a number, a term's date, a time limit):
# with the text checks bypassed the model still refuses a payload there, so the unchecked build keeps their
# words; `check` must refuse the payload all the same (test_check_refuses_every_slot_at_its_line).
FORM_CHECKED = {"Contact.phone", "Contact.url", "Contact.email", "School.website", "GlossaryEntry.url",
                "ExternalSource.url", "Policy.approved", "PolicyVersion.approved", "Policy.review_due", "Action.when", "DecisionTree.version",
                # a deviation quotes the policy's document and the clause word for word (E352, E353): the unchecked
                # build goes without the policy's deviations (_without_deviations)
                "Deviation.original", "Deviation.published", "Deviation.reason",
                # the last version's approval is the policy's own (E309)
                "PolicyVersion.approved_by", "Policy.approved_by"}


def _without_deviations(root: Path) -> None:
    for path in (root / "policies").glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.pop("deviations", None) is not None:
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

# Text fields the sweep's project does not fill, each with why: a field missing from the project and from this
# list fails test_every_text_field_is_swept.
NOT_SWEPT = {
    "School.contacts": "a mapping of contacts: its texts are Contact's fields",
    "DecisionTree.waive": "a mapping of waivers: its texts are Waiver's fields", "Question.waive": "as DecisionTree.waive",
    "Outcome.waive": "as DecisionTree.waive", "RouteStep.waive": "as DecisionTree.waive",
    "ServiceDirectory.contacts": "the tool's own services file, not the school's data",
    "Override.reason": "the base of the two overrides: its reason is swept as theirs",
}


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """The project with every slot's payload, and each payload's line; the same with the form-checked fields
    left as they were, for the unchecked build."""
    base = base_project(tmp_path_factory.mktemp("sweep") / "base")
    data_slots = numbered(text_slots(base, TODAY))
    full = tmp_path_factory.mktemp("sweep") / "full"
    base_project(full)
    lines = write_payloads(full, data_slots)
    page_slots, page_lines = write_pages(full, len(data_slots))
    lines.update(page_lines)
    unchecked = tmp_path_factory.mktemp("sweep") / "unchecked"
    base_project(unchecked)
    write_payloads(unchecked, data_slots, leave=FORM_CHECKED)
    write_pages(unchecked, len(data_slots), unchecked=True)
    _without_deviations(unchecked)
    return data_slots + page_slots, full, lines, unchecked


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
    assert sorted((_text_fields() | set(PAGE_FIELDS)) - swept - set(NOT_SWEPT)) == []
    assert sorted(swept & set(NOT_SWEPT)) == [], "swept now: take it off NOT_SWEPT"
    assert len(swept) > 70


def test_check_refuses_every_slot_at_its_line(sweep):
    """Every text goes through the text check (checks/texts.py): the payload is refused at the file and line
    the test wrote it on (planted: the text check skipping every 'cautions' -> red)."""
    slots, full, lines, _ = sweep
    with packs(full):
        result = pipeline.check(full, TODAY)
    refused = {(d.path, d.line) for d in result.diagnostics if d.is_error}
    missing = sorted({f"{slot.field} ({slot.file}:{lines[slot.mark]})" for slot in slots
                      if (slot.file, lines[slot.mark]) not in refused})
    assert missing == [], "not refused at its line:\n" + "\n".join(missing)


def test_the_build_with_the_gate_on_refuses_without_a_traceback(sweep, tmp_path):
    _, full, _, _ = sweep
    out = tmp_path / "site"
    with packs(full):
        result = pipeline.build(full, out, tmp_path / "work", TODAY)
    assert not result.ok and any(d.code == "E206" for d in result.diagnostics)
    assert not out.exists() or not any(out.rglob("*.html")), "nothing is published from a refused build"


# --- the unchecked build: every payload the sites show is shown as text ------------------------------------

_NEVER = re.compile(r"(?!x)x")


@pytest.fixture(scope="module")
def unchecked_sites(sweep, tmp_path_factory):
    """Both sites built from the payload project with the text checks off and the gate off (tests only)."""
    _, _, _, root = sweep
    patch = pytest.MonkeyPatch()
    try:
        patch.setattr(schema_messages, "_check_text", lambda source, allow_http=False: iter(()))
        patch.setattr(validate, "page_markup", lambda page, allow_http, cache=None: [])  # the name validate calls
        patch.setattr(model_base, "_RAW_HTML", _NEVER)
        patch.setattr(validate, "run_rules", lambda view: ([], {}))  # the safety rules read the words
        patch.setattr(validate, "run_rules_kept", lambda *args, **kwargs: ([], {}))  # as a build runs them (its cache)
        patch.setattr(pipeline, "missing_sentences", lambda *args, **kwargs: [])  # so does the faithfulness check
        patch.setattr(pipeline, "build_sites", partial(build_sites, gate=False))
        out = tmp_path_factory.mktemp("sweep-unchecked") / "site"
        with packs(root):
            result = pipeline.build(root, out, root / "build", TODAY)
        assert result.ok, "\n".join(str(d) for d in result.diagnostics if d.is_error)
    finally:
        patch.undo()
    return out


# Attributes whose value is text to a browser (a marker there is shown or read aloud, never run). Any other
# attribute holding a marker (data-x, onerror, style...) was made by the payload.
TEXT_ATTRIBUTES = {"alt", "title", "aria-label", "value", "placeholder", "id", "name", "for", "datetime"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
DATA_SCRIPTS = {"application/json", "application/ld+json"}
BREAK_OUT = {"data-x", "data-y"}  # the attributes the payload's quotes would add


class _Live(HTMLParser):
    """This test's oracle: every place a marker is more than text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self._script: str | None = None

    def handle_starttag(self, tag, attrs):
        if MARK.search(tag):
            self.live.append(f"<{tag}>")
        if tag == "script":
            self._script = dict(attrs).get("type") or "text/javascript"
        for name, value in attrs:
            value = value or ""
            squeezed = re.sub(r"[\t\n\r]", "", value).lstrip("".join(map(chr, range(33)))).lower()
            if MARK.search(name):
                self.live.append(f"<{tag} {name}=...>")
            elif not MARK.search(value):
                continue
            elif name in ("href", "src") and not squeezed.startswith(DANGEROUS_SCHEMES):
                continue  # an address on the site that names the text (a heading's anchor)
            elif name == "content" and tag == "meta":
                continue
            elif name.startswith("data-") and name not in BREAK_OUT and f'{MARK.search(value).group()}"' in value:
                continue  # the whole payload, its quote kept: a value the page's script reads as text
            elif name not in TEXT_ATTRIBUTES:
                self.live.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None and self._script not in DATA_SCRIPTS and MARK.search(data):
            self.live.append(f"<script>{data[:200]}")


def _live_in_html(text: str) -> list[str]:
    parser = _Live()
    parser.feed(text)
    parser.close()
    return parser.live


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def live_markers(site: Path) -> dict[str, list[str]]:
    """File -> each live thing holding a marker: HTML parsed as a browser would; JSON's strings (the search
    index's texts are HTML to the search box) parsed as HTML; a marker in a script file at all; and a template
    that ran the payload's template syntax ('evaluated<marker>') anywhere."""
    found: dict[str, list[str]] = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in (".html", ".json", ".js", ".xml", ".svg", ".txt", ".ics"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if not MARK.search(text):
            continue
        live = [f"template ran: {hit}" for hit in re.findall("evaluated" + MARK.pattern, text)]
        if path.suffix in (".html", ".svg", ".xml"):
            live += _live_in_html(text)
        elif path.name == "search_index.json":  # its titles and texts are HTML to the search box
            live += [item for string in _strings(json.loads(text)) for item in _live_in_html(string)]
        elif path.suffix == ".js":
            live += [f"in a script file: {hit}" for hit in MARK.findall(text)]
        if live:
            found[str(path.relative_to(site))] = live
    return found


def test_the_payloads_reach_the_sites(unchecked_sites, sweep):
    """The oracle has something to judge: most fields' markers are on the staff site, as text."""
    slots = sweep[0]
    found = set(MARK.findall(_site_text(unchecked_sites / "staff")))
    shown = {slot.field for slot in slots if slot.mark in found}
    assert len(shown) > 50, sorted({slot.field for slot in slots} - shown)


# Fields the guides' steps write through render/text_html.py (escaped where written, whatever `check` says):
# with every check bypassed their payload must still be text. Every other text is Markdown or goes into
# Markdown (a title, a name): `check` refuses the payload (test_check_refuses_every_slot_at_its_line) and the
# built-HTML gate is the second net (test_the_gate_catches_every_live_payload).
ESCAPED = {"Action.text", "Action.notes", "Action.cautions", "Action.if_", "Answer.label", "Criterion.text",
           "Question.help", "Question.never", "Question.notes", "Question.cautions", "Question.criteria",
           "Outcome.summary", "Outcome.never", "Outcome.notes", "Outcome.cautions", "NextStep.text", "NextStep.if_",
           "Route.if_", "ConditionalRole.if_", "RecordBox.says", "TimeSpec.says", "TimeSpec.event",
           "Contact.notes", "DecisionTree.owner"}


_LIVE: dict[Path, list[tuple[str, str]]] = {}


def _live(unchecked_sites, site):
    """Each live thing on a site, read once for the tests here (the build is shared, so is its reading)."""
    if unchecked_sites / site not in _LIVE:
        _LIVE[unchecked_sites / site] = [(file, item) for file, items in live_markers(unchecked_sites / site).items()
                                         for item in items]
    return _LIVE[unchecked_sites / site]


@pytest.mark.parametrize("site", ["staff", "parents"])
def test_no_escaped_field_is_live_on_a_built_site(unchecked_sites, sweep, site):
    """Planted: a step's action text written without escaping (render/text_html) -> red."""
    slots = sweep[0]
    fields = {slot.mark: slot.field for slot in slots}
    assert ESCAPED <= {slot.field for slot in slots}
    report = [f"{file}: {fields[MARK.findall(item)[0]]}: {item[:160]}" for file, item in _live(unchecked_sites, site)
              if fields.get(MARK.findall(item)[0]) in ESCAPED]
    assert report == [], f"{len(report)} live:\n" + "\n".join(report[:60])


@pytest.mark.parametrize("site", ["staff", "parents"])
def test_a_quote_never_ends_an_attribute(unchecked_sites, sweep, site):
    """Every field, whatever check says of the rest of the payload: check lets a quote through in plain text, so
    where a text is written into an attribute it is escaped there (found: Material writes the site's name, the
    school's name, into the logo's aria-label unescaped -> red before theme/partials/header.html and nav.html)."""
    slots = sweep[0]
    fields = {slot.mark: f"{slot.field} ({slot.file})" for slot in slots}
    broken = sorted({f"{file}: {fields.get(MARK.findall(item)[0])}: {item[:120]}"
                     for file, item in _live(unchecked_sites, site) if re.match(r"<[\w-]+ data-[xy]=", item)})
    assert broken == [], f"{len(broken)} attributes ended by a quote:\n" + "\n".join(broken[:40])


@pytest.mark.parametrize("site", ["staff", "parents"])
def test_the_gate_catches_every_live_payload(unchecked_sites, sweep, site):
    """Whatever the payload made live (HTML, the search index) the gate names, in the file it is in: the second
    net under `check` for every field (planted: the gate skipping the search index -> red)."""
    from generator.build import gate

    slots = sweep[0]
    fields = {slot.mark: f"{slot.field} ({slot.file})" for slot in slots}
    caught = {(d.path.removeprefix(f"{site}/"), mark) for d in gate.check_site(unchecked_sites / site, site).diagnostics
              for mark in MARK.findall(d.message)}
    live = _live(unchecked_sites, site)
    assert len(live) > 100, "the sweep no longer reaches the gate"
    # Caught: the gate names the file and one of the markers the live thing holds (an unclosed script swallows
    # the payloads after it, and is reported once).
    uncaught = [f"{file}: {fields.get(MARK.findall(item)[0])}: {item[:160]}" for file, item in live
                if not {(file, mark) for mark in MARK.findall(item)} & caught]
    assert uncaught == [], f"{len(uncaught)} live and not caught:\n" + "\n".join(uncaught[:60])


# --- the staff-only boundary ------------------------------------------------------------------------------

@functools.cache
def _site_text(site: Path) -> str:
    """Every word of a built site a reader or a search engine can get: its text files and its PDFs' text."""
    from pypdf import PdfReader

    parts = []
    for path in site.rglob("*"):
        if path.suffix == ".pdf":
            parts += [page.extract_text() or "" for page in PdfReader(path).pages]
        elif path.is_file() and path.suffix not in (".png", ".jpg", ".woff", ".woff2", ".ico", ".gz"):
            parts.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(parts)


def test_no_staff_only_text_reaches_the_parents_site(unchecked_sites, sweep):
    """Every field shown.py marks STAFF_ONLY (or that sits under one), wherever the sweep put it: its marker is
    nowhere on the parents' site, pages, search index, sitemap or PDFs; and it is on the staff site, so the
    test reads a field that is rendered (planted: a routing step's editor's note shown under its summary -> red)."""
    slots = sweep[0]
    staff_only = [slot for slot in slots if slot.shown is STAFF_ONLY and slot.field not in FORM_CHECKED]
    assert {slot.field for slot in staff_only} >= {"Question.source", "Question.editor_note", "Outcome.source",
                                                   "Outcome.editor_note", "RouteStep.source",
                                                   "RouteStep.editor_note", "Waiver.reason", "Waiver.agreed_by",
                                                   "StepOverride.reason", "ClauseOverride.reason",
                                                   "GuidePack.title"}
    parents = set(MARK.findall(_site_text(unchecked_sites / "parents")))
    assert parents, "no marker on the parents' site at all: the sweep reads nothing"
    leaked = sorted({f"{slot.field} ({slot.file})" for slot in staff_only if slot.mark in parents})
    assert leaked == [], "staff-only text on the parents' site:\n" + "\n".join(leaked)
    staff = set(MARK.findall(_site_text(unchecked_sites / "staff")))
    assert any(slot.mark in staff for slot in staff_only)
