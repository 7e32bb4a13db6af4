"""The field sweep's project: every text of the data, field by field, replaced by one hostile payload with a
marker of its own (used by test_field_sweep.py).

Which strings are texts comes from the models, not from a list kept here: each data file is paired with the
model the checker made of it (captured where `check` validates a file), and every string under a field that
`load/models/shown.py` does not declare a SETTING is a text slot, with where it may be shown (the strictest
declaration on its way down, as the leak check reads it). A field no file of the project fills is named by
the test, so a new field joins the sweep or is listed there with its reason.
"""

from __future__ import annotations

import importlib
import json
import re
import shutil
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import yaml
from pydantic import BaseModel

from generator import pipeline
from generator.load.models.shown import _STRICTER, Shown, declared, holds_models

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "tests" / "broken"))
import broken_cases as corpus  # noqa: E402

# One payload holds every shape, so each context meets them all. First the quotes alone: check lets a quote through
# in plain text, so a quote must never end an attribute (it would add one of its own, data-y or data-x, which the
# gate does not look for). Then the end of a title, a text area, a style or a comment, a new element with a
# handler, a script's end and a new script, a javascript: link, template syntax (a template that evaluates it
# writes 'evaluated<marker>'), Markdown's attribute list, entities that a second unescaping would make a tag,
# and a bidi override and a zero-width space.
PAYLOAD = ('{m}" data-y="{m}\' data-x=\'{m} "></title></textarea></style>--><img src=x onerror=alert({m})> '
           '</script><script>alert({m})</script> [a](javascript:alert({m})) '
           '{{{{ "evaluated" ~ "{m}" }}}} {{% if "{m}" %}}evaluated{{{{ "{m}" }}}}{{% endif %}} '
           '{{: onclick="alert({m})" }} &lt;script&gt;alert({m})&lt;/script&gt; \u202e{m}\u200b')
MARKER_PREFIX = "zq"


def marker(number: int) -> str:
    return f"{MARKER_PREFIX}{number:04d}x"


def payload(mark: str) -> str:
    return PAYLOAD.format(m=mark)


# A v3 guide using the fields the example school's guides leave out: notes, cautions, `when` with words of
# its own, a record box's words, a routing step, conditional strands, waivers, a decision by a role.
SWEEP_GUIDE = """\
id: sweep
title: Sweep guide
use_when: Testing every field.
also_called: [Sweep]
audiences: [staff, parents]
owner: DSL
last_reviewed: 2026-09-01
version: "1.0"
safeguarding: false
nodes:
  - kind: question
    id: first
    question: Is it the first?
    help: Some help.
    notes: [A note on the question.]
    cautions: [A caution on the question.]
    never: [Never do this.]
    source: A source of the question.
    editor_note: An editor's note on the question.
    waive:
      S403: {reason: A question's waiver's reason., agreed_by: The DSL}
    answers:
      - id: "yes"
        label: Yes it is
        next: where
      - id: "no"
        label: No it is not
        next: {to: done, if: the condition of the strand}
  - kind: route
    id: where
    title: The route's title
    summary: The route's summary.
    source: A source of the route.
    editor_note: An editor's note on the route.
    next: done
  - kind: outcome
    id: done
    title: The outcome's title
    summary: The outcome's summary.
    source: A source of the outcome.
    editor_note: An editor's note on the outcome.
    record: {says: The record box's words.}
    notes: [A note on the outcome.]
    cautions: [A caution on the outcome.]
    actions:
      - text: The first action.
        who: dsl
        when: {kind: before_event, event: the event's words, says: before the event's words}
        notes: [A note on the action.]
        cautions: [A caution on the action.]
      - text: The second action.
        who: dsl
        if: the action's condition
        when: {kind: immediately, says: at once in words}
      - text: The third action.
        who: dsl
        when: {kind: at_intervals, every: [every term in words], says: each term in words}
    next_step: {text: The next step's words, next: first, if: the next step's condition}
    cites: [social-media#report-concerns-to-dsl, sweep-source#part]
    waive:
      S403: {reason: A waiver's reason., agreed_by: A waiver's agreement}
"""


@dataclass(frozen=True)
class Slot:
    """One string of the data: its file, its path in the file's data, the model's field and where it may be shown."""
    file: str
    path: tuple
    field: str
    shown: Shown
    mark: str = ""


def _slots(raw, value, file: str, path: tuple, cap: Shown, field: str | None):
    if isinstance(value, BaseModel) and isinstance(raw, dict):
        for name, info in type(value).model_fields.items():
            key = info.alias or name
            shown = declared(info)
            if key not in raw or (shown in (None, Shown.setting) and not holds_models(info.annotation)):
                continue  # ids, settings, fixed words (a note's kind), dates, flags
            if shown is Shown.setting:  # targets (ids) that may hold a model with words: a strand's condition
                yield from _slots(raw[key], getattr(value, name), file, path + (key,), cap, None)
                continue
            here = cap if shown is None or _STRICTER.index(cap) < _STRICTER.index(shown) else shown
            yield from _slots(raw[key], getattr(value, name), file, path + (key,), here,
                              f"{type(value).__name__}.{name}")
    elif isinstance(raw, str) and isinstance(value, (str, BaseModel)) and not isinstance(value, Enum) and field:
        yield Slot(file, path, field, cap)
    elif isinstance(raw, list) and isinstance(value, (list, tuple)) and len(raw) == len(value):
        for index, (item, model) in enumerate(zip(raw, value)):
            yield from _slots(item, model, file, path + (index,), cap, field)
    elif isinstance(raw, dict) and isinstance(value, dict):
        for key in raw:
            if key in value:
                yield from _slots(raw[key], value[key], file, path + (key,), cap, field)
    elif isinstance(raw, dict) and isinstance(value, BaseModel) is False and field is not None:
        # A mapping the model turned into something else (a `when:` of words and a kind): its strings.
        for key, item in raw.items():
            if isinstance(item, str):
                yield Slot(file, path + (key,), field, cap)


_VALIDATORS = ("schema_messages", "pack", "policies", "check_cache", "trust_overrides")


def text_slots(root: Path, today) -> list[Slot]:
    """Every text slot of the project's own files, found by pairing each file with the model `check` made of it."""
    pairs = []
    modules = [importlib.import_module(f"generator.checks.{name}") for name in _VALIDATORS]
    original = modules[0]._validate_model

    def capture(source, model, diagnostics, allow_http=False):
        validated = original(source, model, diagnostics, allow_http)
        pairs.append((source.display, source.data, validated))
        return validated

    saved = [(module, module._validate_model) for module in modules]
    try:
        for module in modules:
            module._validate_model = capture
        with packs(root):
            result = pipeline.check(root, today)
    finally:
        for module, function in saved:
            module._validate_model = function
    assert result.ok, "\n".join(str(d) for d in result.diagnostics if d.is_error)
    found = []
    for display, raw, model in pairs:
        if model is None or Path(display).is_absolute():
            continue  # the tool's own files (its services and sources) are not the school's data
        on_disk = yaml.safe_load((root / display).read_text(encoding="utf-8"))
        # Only the strings written in the file: a trust's policy is handed to the model with the school's
        # overrides put in (a clause's new wording, the reason as a staff note), which are swept in their own file.
        found += [slot for slot in _slots(raw, model, display, (), Shown.everyone, None)
                  if _get(on_disk, slot.path) is not None and not isinstance(_get(on_disk, slot.path), (dict, list))]
    return found


def _get(data, path: tuple):
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000), encoding="utf-8")


def _school(data: dict) -> None:
    data["contacts"]["dsl"].update({"email": "dsl@example.org", "hours": "Weekdays 8 to 4", "where": "The office"})
    data["roles"] = {"trust_lead": "The trust's safeguarding lead"}


def _policy(data: dict) -> None:
    data["versions"] = [{"approved": data["approved"], "approved_by": "Head Teacher",
                         "minute_ref": "FGB item 7", "summary": "First version."}]
    data["sections"][0]["clauses"][0]["also_called"] = ["Another name"]


def _glossary(data: dict) -> None:
    data["terms"][0]["also_called"] = ["Another term"]


SWEEP_SOURCE = {"id": "sweep-source", "title": "A source's title", "kind": "statutory_guidance",
                "publisher": "A publisher", "edition": "2025", "jurisdiction": ["England"],
                "url": "https://www.example.org/source", "parts": [{"id": "part", "title": "A part's title"}]}


PACK_FOLDER = "(generator)/pack"
"""Where the sweep's copy of the fixture pack sits in each project: the pack's files are named so in messages
(load/pack.pack_display), so a slot's file is its path here too. `packs()` points the tool at it."""

# The school's own version of a step of the pack's guide, with its reason (staff-only).
STEP_OVERRIDE = """\
overrides:
  - guide: worry-from-the-pack
    step: tell_the_dsl_now
    reason: The reason for the school's version.
    replace:
      kind: outcome
      id: tell_the_dsl_now
      title: The school's version's title
      summary: The school's version's summary.
      actions:
        - text: The school's version's action.
          who: you
          when: immediately
      contacts: [dsl]
      cites: [kcsie-2025#concerns-about-a-child]
"""


# The school is also a trust's first school (as bench/trust.py makes one): the trust's name, a trust-wide policy,
# and the school's own wording of one of its clauses with the reason (staff-only).
TRUST_POLICY = """\
id: trust-phones
title: Mobile Phones Policy (trust-wide)
short_title: Mobile phones
approved: 2026-09-01
approved_by: Board of trustees
review_due: 2027-09-01
owner: Chief executive
audiences: [staff, parents]
sections:
  - id: phones
    number: 1
    title: Phones in school
    clauses:
      - id: applies
        text: This policy applies to every member of staff at {{ school.name }}.
      - id: out-of-sight
        text: Staff keep personal phones out of sight in classrooms.
"""
CLAUSE_OVERRIDE = """\
  - policy: trust-phones
    clause: out-of-sight
    text: The school's own wording of the trust's clause.
    reason: The reason for the school's own wording.
"""


def _trust(root: Path) -> None:
    school_id = yaml.safe_load((root / "school.yml").read_text(encoding="utf-8"))["id"]
    (root / "trust.yml").write_text(f"id: sweep-trust\nname: The trust's name\nschools:\n  - id: {school_id}\n"
                                    "    folder: .\n", encoding="utf-8")
    (root / "trust" / "policies").mkdir(parents=True)
    (root / "trust" / "policies" / "trust-phones.yml").write_text(TRUST_POLICY, encoding="utf-8")
    with open(root / "trust-overrides.yml", "a", encoding="utf-8") as handle:
        handle.write(CLAUSE_OVERRIDE)


@contextmanager
def packs(root: Path):
    """The tool's packs folder pointed at the project's copy while the pipeline runs."""
    from generator.load import pack as pack_module

    saved = pack_module.PACKS
    pack_module.PACKS = root / PACK_FOLDER
    try:
        yield
    finally:
        pack_module.PACKS = saved


def base_project(root: Path) -> Path:
    """The example school (the broken corpus's valid project) with the sweep guide, and the texts its files
    leave out: a contact's email, hours and place, a role, a policy's versions, other names, a source; and it
    adopts a pack of guides (the fixture pack, copied) with its own version of one of the pack's steps."""
    corpus.copy_project(root)
    corpus.apply_case(corpus.valid_case(), root)
    (root / "decision_trees" / "sweep.yml").write_text(SWEEP_GUIDE, encoding="utf-8")
    shutil.copytree(REPO / "tests" / "fixtures" / "packs" / "testland", root / PACK_FOLDER / "testland")
    (root / "trust-overrides.yml").write_text(STEP_OVERRIDE, encoding="utf-8")
    _edit(root / "school.yml", lambda data: data.update(guide_pack="testland"))
    _edit(root / "school.yml", _school)
    _edit(root / "policies" / "social-media.yml", _policy)
    _edit(root / "glossary.yml", _glossary)
    _edit(root / "sources.yml", lambda data: data.update(sources=[SWEEP_SOURCE]))
    _trust(root)
    return root


def _set(data, path: tuple, value) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def write_payloads(root: Path, slots: list[Slot], leave: set[str] = frozenset()) -> dict[str, int]:
    """Each slot's payload written into its file (fields in ``leave`` keep their words); returns marker -> line,
    the line found by the marker in the written text."""
    by_file: dict[str, list[Slot]] = {}
    for slot in slots:
        if slot.field not in leave:
            by_file.setdefault(slot.file, []).append(slot)
    lines: dict[str, int] = {}
    for file, file_slots in by_file.items():
        path = root / file
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for slot in file_slots:
            _set(data, slot.path, f"placeholder_{slot.mark}")
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)
        # Each payload goes in as a one-line JSON string (a valid YAML double-quoted scalar): its line is known.
        for slot in file_slots:
            text = text.replace(f"placeholder_{slot.mark}", json.dumps(payload(slot.mark)), 1)
        path.write_text(text, encoding="utf-8")
        for slot in file_slots:
            lines[slot.mark] = text[: text.index(slot.mark)].count("\n") + 1
    return lines


def numbered(slots: list[Slot]) -> list[Slot]:
    return [Slot(s.file, s.path, s.field, s.shown, marker(index)) for index, s in enumerate(slots)]


PAGE_FIELDS = {"Page.title": 2, "Page.description": 3, "Page.body": 6}
"""A hand-written page's texts (its front matter's title and description, its Markdown) and their lines."""


def write_pages(root: Path, first: int, unchecked: bool = False) -> tuple[list[Slot], dict[str, int]]:
    """A page on each site whose texts hold payloads, numbered from ``first``. For the unchecked build the
    payloads lose their template syntax (a page is a template by design) and a description its straight double
    quotes: the front matter's reader refuses it before any check (E209)."""
    slots, lines = [], {}
    for site in ("staff", "parents"):
        file = f"docs/{site}/sweep-page.md"
        texts = {}
        for field, line in PAGE_FIELDS.items():
            slot = Slot(file, (field,), field, Shown.everyone, marker(first + len(slots)))
            text = payload(slot.mark)
            if unchecked:  # a page is a template by design (its names are checked: E208, E306): no template syntax
                text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", text)
                text = text.replace('"', "\u201d") if field == "Page.description" else text
            texts[field] = text
            slots.append(slot)
            lines[slot.mark] = line
        page = (f"---\ntitle: {json.dumps(texts['Page.title'])}\ndescription: {json.dumps(texts['Page.description'])}"
                f"\n---\n\n{texts['Page.body']}\n")
        (root / file).parent.mkdir(parents=True, exist_ok=True)
        (root / file).write_text(page, encoding="utf-8")
    return slots, lines
