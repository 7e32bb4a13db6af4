"""A guide's rendered output kept between renders (issue 30): the live preview renders every guide again at each
save, which at 10× (160 guides) was most of a save's regeneration.

What a guide's page reads, and so what its key holds (``GuideCache.key``):
- the guide itself (its model, every field), the site, the preview flag and the date;
- the guides it links to (every string of the guide that is a guide's id, e.g. its related guides, and every
  '<guide>#<step>' it routes to): their titles, the labels of
  their steps and whether they are on this site;
- the clauses it cites (the policy's title, the clause's label and the page it is on) and the sources it cites or
  names as guidance (the source, and its problems on the date);
- what every guide's page shares: the school (but its contacts), the glossary, the roles;
- the tool's code: its Python (``file_cache.TOOL_VERSION``), its templates and the template engine's version.
The contacts a guide names are found as it renders (the contacts mapping records what is read, ``ContactReads``):
its entry is used again only while each contact it read is as it was, or still absent.

An entry holds the steps' HTML, the page's Markdown, the guide's search entries before the repeated steps are
dropped (that depends on the guides before it, so it runs at every render), and what the guide recorded as
published. Only the entries of the last render are kept: a guide changed back and forth renders again.
``generator build``, a new process each time, keeps them on disk too (``guide_store.py``, in its work folder).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from generator.load.file_cache import key_of

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _templates_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(TEMPLATES).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(metadata.version("Jinja2").encode())
    return digest.hexdigest()


TEMPLATES_VERSION = _templates_version()

ALL_CONTACTS = _ALL = object()
"""Recorded when a render went through every contact (iterated the mapping): any contact's change counts."""


class ContactReads(dict):
    """The project's contacts, recording which ones a render asks for (by key, or whether one is there)."""

    def __init__(self, contacts: dict):
        super().__init__(contacts)
        self.read: set = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __contains__(self, key) -> bool:
        self.read.add(key)
        return super().__contains__(key)

    def _everything(self):
        self.read.add(_ALL)

    def __iter__(self):
        self._everything()
        return super().__iter__()

    def keys(self):
        self._everything()
        return super().keys()

    def values(self):
        self._everything()
        return super().values()

    def items(self):
        self._everything()
        return super().items()


def _dump(model) -> str:
    return model.model_dump_json() if model is not None else "null"


def contact_state(contacts: dict, read: set) -> dict:
    """What the contacts a render read were: each one's model as JSON (None when absent)."""
    state = {}
    for key in read:
        if key is _ALL:
            state["\0all"] = json.dumps({k: _dump(v) for k, v in dict.items(contacts)}, sort_keys=True)
        else:
            value = dict.get(contacts, key)
            state[key] = None if value is None else _dump(value)
    return state


@dataclass
class GuideOutput:
    steps: str
    markdown: str
    entries: list[dict]
    published: dict[str, set[str]]
    contacts_read: frozenset
    contacts: dict
    """The contacts the render read, as they were (contact_state)."""


_NAMES = re.compile(r'"([A-Za-z0-9_.-]+)(#?)([^"\\]*)"')
"""A whole JSON string that is an id, or an id, '#' and the rest: (id, '#' or '', the rest)."""


class GuideCache:
    """Guides' outputs by key, for one process (``generator serve`` keeps one for the session); with a ``store``
    (``guide_store.GuideStore``: ``generator build``), on disk as well."""

    def __init__(self, store=None):
        from generator.render.page_cache import PolicyPagesCache  # it reads TEMPLATES_VERSION from this module

        self.store = store
        self._entries: dict[str, GuideOutput] = {}
        self._used: dict[str, GuideOutput | None] = {}
        """This render's entries (None for one kept on disk only: ``_keep``)."""
        self.rendered = 0
        """How many guides the last render rendered (not read back): for the tests and the benchmark."""
        self.policies = PolicyPagesCache() if store is None else None
        """The policies' pages, kept the same way (page_cache.py): whoever keeps the guides in memory keeps them too.
        Not with a store: a process that renders once (``generator build``, ``check``) would only hold every
        policy's pages in memory a second time, and key each one, for nothing."""
        # What making the keys repeats (issue 30: at 10x the keys were most of a save's render), each the same value
        # however often it is made: the names in a guide's JSON (by that JSON, across renders), and, for one
        # project, its guides by id and what a linked guide shows (each read by every guide that links it).
        self._names: dict[str, tuple[frozenset, frozenset]] = {}
        self._names_used: dict[str, tuple[frozenset, frozenset]] = {}
        self._project = None
        self._trees: dict = {}
        self._shown: dict[tuple[str, bool], list] = {}

    def start(self) -> None:
        """A new render of both sites begins: what it does not use is dropped when it ends (``finish``)."""
        self._used = {}
        self._names_used = {}
        self.rendered = 0
        if self.policies is not None:
            self.policies.start()

    def finish(self) -> None:
        self._entries = self._used
        self._used = {}
        self._names, self._names_used = self._names_used, {}
        self._project, self._trees, self._shown = None, {}, {}
        if self.policies is not None:
            self.policies.finish()
        if self.store is not None:
            self.store.prune(set(self._entries))

    def shared_key(self, project, site: str, preview: bool) -> str:
        """What every guide's page of a site reads besides its own inputs."""
        return key_of(TEMPLATES_VERSION, site, str(preview), project.today.isoformat(),
                      # The contacts a guide reads are recorded as it renders (ContactReads), not keyed here: a
                      # contact's change renders again only the guides that read it.
                      project.school.model_dump_json(exclude={"contacts"}),
                      _dump(project.glossary), json.dumps(project.roles, sort_keys=True))

    def key(self, shared: str, project, tree, site_tree_ids: set[str]) -> str:
        if project is not self._project:
            self._project, self._trees, self._shown = project, project.trees_by_id, {}
        trees = self._trees
        own = tree.model_dump_json()  # every field of the guide (its shared groups' steps included)
        names, citations = self._names_in(own)
        linked = {name for name in names if name in trees}
        linked.discard(tree.id)
        others = {tree_id: self._shown_of(trees[tree_id], tree_id in site_tree_ids) for tree_id in sorted(linked)}
        clauses = {}
        for citation in sorted(citations):
            ref = project.clauses.get(citation)
            if ref is not None:
                clauses[citation] = [ref.policy.id, ref.policy.title, ref.label, ref.top_section.id, ref.clause.id]
        named = {text.partition("#")[0] for text in citations} | set(tree.guidance)
        sources = {source_id: [_dump(project.external_sources[source_id]),
                               project.source_problems(project.external_sources[source_id])]
                   for source_id in sorted(named) if source_id in project.external_sources}
        return key_of(shared, own, json.dumps(others, sort_keys=True),
                      json.dumps(clauses, sort_keys=True), json.dumps(sources, sort_keys=True))

    def _names_in(self, own: str) -> tuple[frozenset, frozenset]:
        """Every string of a guide's JSON that may name a guide ("<id>" as a related guide, "<id>#<step>" as a
        route's target), and those that name a part ("<policy>#<clause>", "<source>#<part>"). Dictionary keys are
        read too: an extra name only makes the key larger, never stale."""
        found = self._names.get(own) or self._names_used.get(own)
        if found is None:
            names, citations = set(), set()
            for name, hash_sign, part in _NAMES.findall(own):
                names.add(name)
                if hash_sign:
                    citations.add(name + hash_sign + part)
            found = (frozenset(names), frozenset(citations))
        self._names_used[own] = found
        return found

    def _shown_of(self, linked, on_site: bool) -> list:
        """What a guide's page shows of a guide it links to: its title, whether it is on the site, its steps'
        labels."""
        shown = self._shown.get((linked.id, on_site))
        if shown is None:
            shown = self._shown[(linked.id, on_site)] = [
                linked.title, on_site, [[n.id, getattr(n, "question", None) or n.title] for n in linked.nodes]]
        return shown

    def get(self, key: str, contacts: dict) -> GuideOutput | None:
        found = self._entries.get(key) or self._used.get(key)
        if found is None and self.store is not None:
            found = self.store.read(key)
        if found is None or contact_state(contacts, found.contacts_read) != found.contacts:
            return None
        self._keep(key, found)
        return found

    def put(self, key: str, output: GuideOutput) -> None:
        self.rendered += 1
        self._keep(key, output)
        if self.store is not None:
            self.store.write(key, output)

    def _keep(self, key: str, output: GuideOutput) -> None:
        # With a store (``generator build``, a new process each time) the entry is on disk, and no other guide of
        # the render asks for it again (each site's keys are its own): keeping every guide's output here as well
        # held both sites' steps and pages in memory until the render ended (issue 30: peak RSS at 55x).
        self._used[key] = output if self.store is None else None
