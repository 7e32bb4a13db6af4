"""The project as the safety rules see it: every guide, step and reader-facing text, with its place.

Rules are written against this small view, not against the pydantic models, so that a change in
the data format (trees v1 -> v2) only changes this file. The view is built from the loaded YAML
(plain values plus the position of every value), so each text keeps its file:line:column.

`texts()` is the "text walk": every human-readable text of the project, with its kind (title,
use_when, question, help, criteria, answer, summary, action, never, note, caution, next_step, page), the guide and
step it belongs to, and its position.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Any, Iterator

from generator.load.diagnostics import Diagnostic
from generator.load.models.timing import Kind, time_kind, time_words
from generator.load.source import Source

# Roles that mean "the designated safeguarding lead" wherever a role or contact is named.
DSL_ROLES = frozenset({"dsl", "deputy_dsl"})

# {{ contact("dsl") }} in a text names a contact: the rules read it as the words it stands for, so
# "Tell {{ contact("dsl") }} now" is telling the DSL. Padded to the call's length to keep positions.
_CONTACT_CALL = re.compile(r"""\{\{-?\s*contact\(\s*["']([^"']*)["']\s*\)\s*-?\}\}""")
_CONTACT_WORDS = {"dsl": "the DSL", "deputy_dsl": "the deputy DSL", "lado": "the LADO", "ceop": "CEOP",
                  "head_teacher": "the head teacher", "chair_of_governors": "the chair of governors",
                  "senior_leadership": "senior leadership", "slt": "senior leadership",
                  "police_emergency": "the police on 999", "police_non_emergency": "the police on 101"}


def _contact_words(match: re.Match) -> str:
    words = _CONTACT_WORDS.get(match.group(1), "the " + match.group(1).replace("_", " "))
    return words[: len(match.group())].ljust(len(match.group()))


@lru_cache(maxsize=1 << 16)
def readable(text: str) -> str:
    """The text as a reader sees it: contact calls replaced by the contact they name. Kept by text (a pure
    function of it): the rules' view is made afresh at each check, and in `serve` and the editor the same texts
    came back at every save (at 10x about 2,300 a check)."""
    return _CONTACT_CALL.sub(_contact_words, text)


def leads(value: Any, loc: tuple) -> list[tuple[str, tuple]]:
    """Each target of a `next`/`also_follow` value in any of its forms ('step', {to, if}, a list of either),
    with where it is written."""
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in leads(item, loc + (index,))]
    if isinstance(value, dict):
        return [(str(value["to"]), loc + ("to",))] if "to" in value else []
    return [(str(value), loc)] if value is not None else []


@dataclass(frozen=True)
class Text:
    """One human-readable text and where it is."""

    kind: str
    text: str
    path: str
    line: int
    column: int
    tree: str | None = None
    step: str | None = None
    lines: tuple[tuple[int, int, int], ...] = ()
    """For page paragraphs: (offset in the text, line, column) where each of its lines starts."""
    section: str = ""
    """For page paragraphs: the heading they sit under (what the paragraph is about)."""

    def position(self, offset: int) -> tuple[int, int]:
        """File position of a character of the text (a YAML value: the value's start)."""
        if not self.lines:
            return self.line, self.column
        start, line, column = self.lines[0]
        for entry in self.lines:
            if entry[0] <= offset:
                start, line, column = entry
        return line, column + offset - start

    def diagnostic(self, offset: int, code: str, message: str, **kwargs) -> Diagnostic:
        line, column = self.position(offset)
        return Diagnostic(self.path, line, column, code, message, **kwargs)


@dataclass
class Action:
    text: Text
    who: frozenset[str]
    when: str | None
    """The time limit's words as readers see them (for messages)."""
    loc: tuple
    limit: Kind | None = None
    """The time limit's kind (what the rules compare), whatever words the source used."""
    entry: int = 0
    """The place in the step's `actions` list: the alternatives of an either group share one."""


@dataclass
class Step:
    """A question or an outcome of a guide (a shared group's steps appear in each guide using them)."""

    id: str
    kind: str
    """'question', 'outcome' or 'route' (a step that only routes)."""
    data: dict
    source: Source
    loc: tuple
    tree: "Guide"
    group: str | None = None
    """The shared group the step comes from, if any."""
    incoming: list[tuple["Step", dict]] = field(default_factory=list)
    """(question, answer) pairs whose answer leads here (a routing step counts as a question with one answer,
    its title)."""
    cache: dict = field(default_factory=dict, repr=False)
    """What the rules work out about the step once (its topic), kept for the other rules."""

    def at(self, *loc: Any) -> tuple[int, int]:
        return self.source.position(self.loc + tuple(loc))

    def diagnostic(self, loc: tuple, code: str, message: str, **kwargs) -> Diagnostic:
        return self.source.diagnostic(self.loc + tuple(loc), code, message, **kwargs)

    def _text(self, kind: str, loc: tuple) -> Text:
        value = self.data
        for part in loc:
            value = value[part]
        line, column = self.at(*loc)
        return Text(kind, readable(str(value)), self.source.display, line, column, self.tree.id, self.id)

    def texts(self) -> Iterator[Text]:
        # Made once per step (the step's data does not change): every rule walks every step's texts.
        if "texts" not in self.cache:
            self.cache["texts"] = tuple(self._texts())
        return iter(self.cache["texts"])

    def _texts(self) -> Iterator[Text]:
        data = self.data
        for key, kind in (("title", "title"), ("summary", "summary"), ("question", "question"), ("help", "help")):
            if isinstance(data.get(key), str):
                yield self._text(kind, (key,))
        for index, item in enumerate(data.get("criteria") or []):
            if isinstance(item, dict) and isinstance(item.get("text"), str):
                yield self._text("criteria", ("criteria", index, "text"))
            elif isinstance(item, str):
                yield self._text("criteria", ("criteria", index))
        for index, answer in enumerate(self.answers):
            if isinstance(answer.get("label"), str):
                yield self._text("answer", ("answers", index, "label"))
        for action in self.actions:
            yield action.text
            yield from self._notes(action.loc)
        for index, item in enumerate(data.get("never") or []):
            if isinstance(item, str):
                yield self._text("never", ("never", index))
        yield from self._notes(())
        next_step = data.get("next_step")
        if isinstance(next_step, dict) and isinstance(next_step.get("text"), str):
            yield self._text("next_step", ("next_step", "text"))

    @property
    def answers(self) -> list[dict]:
        return [a for a in self.data.get("answers") or [] if isinstance(a, dict)]

    @property
    def actions(self) -> list[Action]:
        if "actions" not in self.cache:
            self.cache["actions"] = tuple(self._actions())
        return list(self.cache["actions"])

    def _actions(self) -> list[Action]:
        """Every action, a question's too, and each alternative of an `either:` group (in order)."""
        found = []
        for index, entry in enumerate(self.data.get("actions") or []):
            if isinstance(entry, dict) and isinstance(entry.get("either"), list):
                places = [("actions", index, "either", alt) for alt in range(len(entry["either"]))]
            else:
                places = [("actions", index)]
            for loc in places:
                action = self._value(loc)
                if isinstance(action, dict) and isinstance(action.get("text"), str):
                    when = action.get("when")
                    found.append(Action(self._text("action", loc + ("text",)), roles(action.get("who")),
                                        time_words(when), loc, time_kind(when), index))
        return found

    def _notes(self, loc: tuple) -> Iterator[Text]:
        """The notes and cautions readers see on the step (loc ()) or on one of its actions."""
        owner = self._value(loc)
        for key, kind in (("cautions", "caution"), ("notes", "note")):
            items = owner.get(key) if isinstance(owner, dict) else None
            for index, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, str):
                    yield self._text(kind, loc + (key, index))

    def _value(self, loc: tuple) -> Any:
        value = self.data
        for part in loc:
            value = value[part]
        return value

    @property
    def entries(self) -> list[list[Action]]:
        """The actions by their place in `actions`: one action, or the alternatives of an either group."""
        grouped: dict[int, list[Action]] = {}
        for action in self.actions:
            grouped.setdefault(action.entry, []).append(action)
        return list(grouped.values())

    def meets(self, test) -> bool:
        """Does the step do what ``test`` asks of an action, whichever way the reader goes: in an action of
        its own, or in every alternative of an either group (one alternative alone may not be the one done)?"""
        return any(all(test(action) for action in entry) for entry in self.entries)

    @property
    def contacts(self) -> frozenset[str]:
        return frozenset(str(c) for c in self.data.get("contacts") or [])

    @property
    def decided_by(self) -> frozenset[str]:
        return roles(self.data.get("decided_by"))

    def flag(self, key: str) -> bool:
        return str(self.data.get(key, "")).lower() in ("true", "yes")

    @property
    def jumps(self) -> list[tuple[str, tuple]]:
        """Targets in other guides ('tree#step') this step hands over to, with their location."""
        found = []
        for index, answer in enumerate(self.answers):
            found += [(t, loc) for t, loc in leads(answer.get("next"), ("answers", index, "next")) if "#" in t]
        if self.kind == "route":
            found += [(t, loc) for t, loc in leads(self.data.get("next"), ("next",)) if "#" in t]
        found += leads(self.data.get("also_follow") or [], ("also_follow",))
        next_step = self.data.get("next_step")
        if isinstance(next_step, dict) and "#" in str(next_step.get("next", "")):
            found.append((str(next_step["next"]), ("next_step", "next")))
        return found


@dataclass
class Guide:
    """A "What do I do if…" tree, with shared steps it uses put in place."""

    id: str
    data: dict
    source: Source
    steps: list[Step] = field(default_factory=list)

    @property
    def safeguarding(self) -> bool:
        return str(self.data.get("safeguarding", "")).lower() in ("true", "yes")

    @property
    def audiences(self) -> frozenset[str]:
        return frozenset(str(a) for a in self.data.get("audiences") or [])

    @property
    def first_entry(self) -> Any:
        nodes = self.data.get("nodes") or []
        return nodes[0] if nodes else None

    @property
    def steps_by_id(self) -> dict[str, Step]:
        return _index(self, "steps")

    def texts(self) -> Iterator[Text]:
        for key in ("title", "use_when"):
            if isinstance(self.data.get(key), str):
                line, column = self.source.position((key,))
                yield Text(key, readable(self.data[key]), self.source.display, line, column, self.id, None)
        for step in self.steps:
            if step.group is None:
                yield from step.texts()


@dataclass
class Group:
    """A shared group of steps (decision_trees/shared/<id>.yml), e.g. immediate-danger."""

    id: str
    data: dict
    source: Source
    steps: list[Step] = field(default_factory=list)


def _index(owner, name: str) -> dict:
    """``{item.id: item}`` for the list ``owner.<name>``, made once and made again only if the list changes.

    The rules ask for a step or guide by id for every text (70,000 times at 55x the real data): building the
    dict at every call made the rules quadratic in the number of guides."""
    items = getattr(owner, name)
    cache = owner.__dict__.get("_index_cache", {})
    stamp, index = cache.get(name, (None, None))
    if stamp != (id(items), len(items)):
        index = {item.id: item for item in items}
        cache[name] = ((id(items), len(items)), index)
        owner.__dict__["_index_cache"] = cache
    return index


@dataclass
class PageView:
    display: str
    text: str
    sites: tuple[str, ...]


@dataclass
class ProjectView:
    guides: list[Guide]
    groups: dict[str, Group]
    pages: list[PageView]
    contacts: dict[str, dict]
    school_source: Source | None
    walk_groups: bool = True
    """False: the groups are there for the guides that use them, but their own steps and texts are not walked
    (one guide's view in checks/rules_cache.py: each group is checked once, in a view of its own)."""
    _texts: list[Text] | None = field(default=None, repr=False)

    @property
    def guides_by_id(self) -> dict[str, Guide]:
        return _index(self, "guides")

    def own_steps(self) -> Iterator[Step]:
        """Every step once, where it is written: each guide's own steps, then each shared group's."""
        for guide in self.guides:
            yield from (step for step in guide.steps if step.group is None)
        for group in self.groups.values() if self.walk_groups else ():
            yield from group.steps

    def step_of(self, text: Text) -> Step | None:
        """The step a text belongs to (None for a guide's title or a page)."""
        if text.tree is None or text.step is None:
            return None
        guide = self.guides_by_id.get(text.tree)
        if guide is not None and text.step in guide.steps_by_id:
            return guide.steps_by_id[text.step]
        group = self.groups.get(text.tree)
        return next((s for s in group.steps if s.id == text.step), None) if group else None

    def step(self, target: str) -> Step | None:
        """A step named 'tree#step' (a cross-guide jump), or None."""
        tree, _, step = target.partition("#")
        guide = self.guides_by_id.get(tree)
        return guide.steps_by_id.get(step) if guide else None

    def texts(self) -> list[Text]:
        """The text walk: every reader-facing text of every guide, shared group and page (walked once)."""
        if self._texts is None:
            found: list[Text] = []
            for guide in self.guides:
                found += guide.texts()
            for group in self.groups.values() if self.walk_groups else ():
                for step in group.steps:
                    found += step.texts()
            for page in self.pages:
                found += page_texts(page)
            self._texts = found
        return self._texts


def roles(value: Any) -> frozenset[str]:
    """The role ids of a `who`/`decided_by` value in any of its forms: 'dsl', [a, b], [{role: x, if: …}]."""
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, dict):
        return roles(value.get("role"))
    if isinstance(value, list):
        return frozenset().union(*(roles(item) for item in value)) if value else frozenset()
    return frozenset()


def build_view(trees: list[Source], groups: list[Source], pages: list, school: Source | None) -> ProjectView:
    """The rules' view of a loaded project (each tree's `use:` entries replaced by the group's steps)."""
    group_views = {}
    for source in groups:
        data = source.data if isinstance(source.data, dict) else {}
        group = Group(str(data.get("id", source.path.stem)), data, source)
        group_views[group.id] = group
    guides = []
    for source in trees:
        data = source.data if isinstance(source.data, dict) else {}
        guide = Guide(str(data.get("id", source.path.stem)), data, source)
        for index, node in enumerate(data.get("nodes") or []):
            if not isinstance(node, dict):
                continue
            if "use" in node:
                group = group_views.get(str(node["use"]))
                for g_index, g_node in enumerate(group.data.get("nodes") or [] if group else []):
                    if isinstance(g_node, dict) and "id" in g_node:
                        guide.steps.append(Step(str(g_node["id"]), str(g_node.get("kind")), g_node, group.source,
                                                ("nodes", g_index), guide, group.id))
            elif "id" in node:
                guide.steps.append(Step(str(node["id"]), str(node.get("kind")), node, source, ("nodes", index), guide))
        _link_incoming(guide)
        guides.append(guide)
    for group in group_views.values():
        # A group's own steps, checked once where they are defined (not once per guide using them).
        owner = Guide(group.id, {"title": group.data.get("title"), "safeguarding": True}, group.source)
        for index, node in enumerate(group.data.get("nodes") or []):
            if isinstance(node, dict) and "id" in node:
                owner.steps.append(Step(str(node["id"]), str(node.get("kind")), node, group.source,
                                        ("nodes", index), owner, group.id))
        _link_incoming(owner)
        group.steps = owner.steps
    page_views = [PageView(page.display, page.text, tuple(page.sites)) for page in pages]
    contacts = school.data.get("contacts") if school is not None and isinstance(school.data, dict) else None
    return ProjectView(guides, group_views, page_views, contacts if isinstance(contacts, dict) else {}, school)


def _link_incoming(guide: Guide) -> None:
    steps = guide.steps_by_id
    for step in guide.steps:
        answers = step.answers
        if step.kind == "route":
            answers = [{"id": "route", "label": step.data.get("title"), "next": step.data.get("next")}]
        for answer in answers:
            for target_id, _ in leads(answer.get("next"), ()):
                target = steps.get(target_id)
                if target is not None:
                    target.incoming.append((step, answer))


# --- pages -------------------------------------------------------------------------------------

_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_HEADING = re.compile(r"^#{1,6}\s")


def page_texts(page: PageView) -> Iterator[Text]:
    """A page's paragraphs (and headings, list items) as texts, without front matter, code and template calls.

    Code blocks and `inline code` are examples an author shows, not instructions to a reader;
    template calls ({{ contact("dsl") }}) are replaced by the generator.
    """
    lines = page.text.split("\n")
    index = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            index = end + 1
    in_fence = False
    block: list[tuple[int, int, str]] = []
    section = [""]

    def flush():
        if block:
            entries, parts, offset = [], [], 0
            for number, column, content in block:
                entries.append((offset, number, column))
                parts.append(content)
                offset += len(content) + 1
            text = "\n".join(parts)
            yield Text("page", text, page.display, block[0][0], block[0][1], lines=tuple(entries),
                       section=section[0])
            block.clear()

    for number in range(index, len(lines)):
        raw = lines[number]
        if _FENCE.match(raw):
            in_fence = not in_fence
            yield from flush()
            continue
        if in_fence:
            continue
        blanked = _INLINE_CODE.sub(lambda m: " " * len(m.group()), raw)
        blanked = _JINJA.sub(lambda m: " " * len(m.group()), readable(blanked))
        stripped = blanked.strip()
        table_row = stripped.startswith("|")
        if not stripped or table_row or _HEADING.match(stripped) or re.match(r"^([-*+]|\d+[.)])\s", stripped):
            yield from flush()
        if stripped:
            indent = len(blanked) - len(blanked.lstrip())
            block.append((number + 1, indent + 1, blanked[indent:]))
            if _HEADING.match(stripped):
                section[0] = stripped.lstrip("#").strip()
            if _HEADING.match(stripped) or table_row:
                yield from flush()  # a heading or a table row stands alone
    yield from flush()
