"""A policy's rendered pages kept between renders (issue 30): the live preview rendered every policy's pages again at
each save (at 10×, 0.15–0.2 s of a save that changed one guide), the same way ``guide_cache.py`` keeps the guides'.

What a policy's pages read, and so what their key holds (``PolicyPagesCache.key``):
- the policy itself (its model, every field: sections, clauses, notes, related policies, review dates);
- what every page of a site shares: the site, the preview flag, the date (the review status), the whole school
  (contacts included), every contact (the national directory's too), the glossary, the roles;
- the tool's code: its Python (``file_cache.TOOL_VERSION``), its templates and the template engine's version.
The templates of a policy's pages read nothing of other policies or guides (their clauses are looked up by the
policy's own id): a key holding all of the above is read back only when the pages would be the same.

An entry holds each page's Markdown, what the pages recorded as published, and the path of the page the menu
links (None for a policy with no page on the parents' site). Only the entries of the last render are kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from generator.load.file_cache import key_of
from generator.render.guide_cache import TEMPLATES_VERSION


@dataclass
class PolicyPagesOutput:
    docs: dict[str, str]
    published: dict[str, set[str]]
    path: str | None


class PolicyPagesCache:
    """Policies' pages by key, for one process (``generator serve`` keeps one for the session, in its GuideCache)."""

    def __init__(self):
        self._entries: dict[str, PolicyPagesOutput] = {}
        self._used: dict[str, PolicyPagesOutput] = {}
        self.rendered = 0
        """How many policies' pages (one site's) the last render rendered: for the tests and the benchmark."""

    def start(self) -> None:
        self._used = {}
        self.rendered = 0

    def finish(self) -> None:
        self._entries = self._used
        self._used = {}

    def shared_key(self, project, site: str, preview: bool) -> str:
        contacts = {key: contact.model_dump_json() for key, contact in project.contacts.items()}
        return key_of("policy-pages", TEMPLATES_VERSION, site, str(preview), project.today.isoformat(),
                      project.school.model_dump_json(), json.dumps(contacts, sort_keys=True),
                      project.glossary.model_dump_json(), json.dumps(project.roles, sort_keys=True))

    def key(self, shared: str, policy) -> str:
        return key_of(shared, policy.model_dump_json())

    def get(self, key: str) -> PolicyPagesOutput | None:
        found = self._entries.get(key) or self._used.get(key)
        if found is not None:
            self._used[key] = found
        return found

    def put(self, key: str, output: PolicyPagesOutput) -> None:
        self.rendered += 1
        self._used[key] = output
