"""The step-by-step guides ("What do I do if…"): the index of the guides on a site, and each guide's page, whose
steps are finished HTML (put into the built page after mkdocs: ``guide_steps.py``) with its search entries
(``search_index.py``). Every value from the data is escaped or converted here; the templates escape the rest."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from generator.load.models import Audience
from generator.render import guide_steps
from generator.render import guide_wording
from generator.render.guide_cache import ContactReads, GuideOutput, contact_state
from generator.render import search_index
from generator.render.paths import page_url, tree_path

if TYPE_CHECKING:
    from generator.render.renderer import RenderedSite

SITE_AUDIENCE = {"staff": None, "parents": Audience.parents}
AUDIENCE_GROUP_TITLES = {
    Audience.staff: "For all staff",
    Audience.dsl: "For the Designated Safeguarding Lead",
    Audience.parents: "For parents and carers",
    Audience.governors: "For governors",
    Audience.volunteers: "For volunteers",
    Audience.pupils: "For pupils",
}


class GuidePages:
    """The guides' pages, for the site renderer (``renderer._SiteRenderer``) they are a part of."""

    def _trees_for_site(self):
        audience = SITE_AUDIENCE[self.site]
        if audience is None:
            return list(self.project.trees)
        return [tree for tree in self.project.trees if audience in tree.audiences]

    def _render_trees(self, out: RenderedSite) -> None:
        trees = self._trees_for_site()
        # On the parents' site every guide is for parents, whoever else it is also for.
        site_audience = SITE_AUDIENCE[self.site]
        groups = []
        for audience in Audience:
            members = [tree for tree in trees if (site_audience or tree.audiences[0]) == audience]
            if members:
                groups.append({"title": AUDIENCE_GROUP_TITLES[audience], "trees": members})
        out.docs["what-to-do/index.md"] = self._render("trees/index.md.j2", "what-to-do/index.md", groups=groups)
        entries = self.search_entries = []
        indexed_steps: set[tuple] = set()
        cache = self.guide_cache
        shared = cache.shared_key(self.project, self.site, self.preview) if cache else ""
        site_tree_ids = {tree.id for tree in trees}
        for tree in trees:
            path = tree_path(tree.id)
            self._record("trees", tree.id)
            key = cache.key(shared, self.project, tree, site_tree_ids) if cache else ""
            output = cache.get(key, self.project.contacts) if cache else None
            if output is None:
                output = self._render_tree(tree, trees, path)
                if cache:
                    cache.put(key, output)
            for kind, items in output.published.items():
                self.published[kind] |= items
            out.includes[guide_steps.steps_path(tree.id)] = output.steps
            out.docs[path] = output.markdown
            # Which of a guide's steps are already in the index depends on the guides before it: done every time.
            entries += search_index.without_repeated_steps(output.entries, indexed_steps)

    def _render_tree(self, tree, trees, path: str) -> GuideOutput:
        """One guide's steps, page and search entries, and what it records as published; the contacts it reads
        are recorded, for the cache (guide_cache.py)."""
        kept_published, kept_contacts = self.published, self.contacts
        self.published = {kind: set() for kind in kept_published}
        self.contacts = ContactReads(kept_contacts)
        self.env.globals["contacts"] = self.contacts
        try:
            self.current_path = path
            context = self._tree_context(tree, trees, path)
            # The steps are ready HTML, put into the built page after mkdocs (generator/render/guide_steps.py);
            # the page's Markdown holds only the title and when to use the guide.
            body = self.html_env.get_template("trees/tree.html.j2").render(**context)
            markdown = self._render("trees/tree.md.j2", path, tree=tree, start=context["start"])
            # The page is kept out of the search plugin's HTML parsing; its entries are made here. On the staff
            # site a guide written first for parents is left out of search (issue 28: it must never come before
            # the staff guide for the same situation); the guides' index still lists it.
            entries = []
            if self.site == "parents" or tree.audiences[0] != Audience.parents:
                entries = search_index.tree_entries(tree, page_url(path), context["inline"], context["text"],
                                                    context["who"])
            read = frozenset(self.contacts.read)
            return GuideOutput(body, markdown, entries, self.published, read, contact_state(kept_contacts, read))
        finally:
            self.published, self.contacts = kept_published, kept_contacts
            self.env.globals["contacts"] = kept_contacts

    def _tree_context(self, tree, site_trees, path: str) -> dict:
        """Plain data for one tree page: step order, labels, the diagram, what this site may show."""
        from generator.render.diagram import bfs_order, render_svg
        from generator.load.models.guide_display import JURISDICTION_LABELS, step_shows_emergency_panel
        from generator.load.models.roles import decides, describe_roles
        from generator.load.models.timing import time_kind, time_words

        nodes = {node.id: node for node in tree.nodes}
        order, _ = bfs_order(tree)
        titles = {other.id: other.title for other in site_trees}
        all_trees = self.project.trees_by_id
        contacts = self.contacts
        project = self.project

        def contacts_for(node) -> list[str]:
            # A contact marked public: false (a direct line for staff) stays off the parents' site.
            return [key for key in node.contacts if self.site == "staff" or contacts[key].public]

        def related_for(node) -> list[dict]:
            # Only guides published on this site; hrefs are relative to the tree page.
            return [{"title": titles[tree_id], "href": self._url(tree_path(tree_id))}
                    for tree_id in node.related_trees if tree_id in titles and tree_id != tree.id]

        def target(value: str) -> dict:
            """A step to link to: '#step' in this tree, '../<tree>/#step' in another (validated to exist)."""
            tree_id, _, step = value.rpartition("#")
            if not tree_id or tree_id == tree.id:
                return {"href": f"#{step}", "label": labels[step], "tree": None, "tree_id": None, "step": step}
            other = all_trees[tree_id]
            label = next((getattr(n, "question", None) or n.title for n in other.nodes if n.id == step), step)
            return {"href": f"{self._url(tree_path(tree_id))}#{step}",
                    "label": label, "tree": other.title, "tree_id": tree_id, "step": step}

        def strands_for(step: str) -> list[dict]:
            """The parallel strands this step is one of: the answer (or routing step) that leads to it and to
            others at once, and those others, so a reader on one strand sees every strand (with or without JS)."""
            found = []
            for node in tree.nodes:
                leads = [(a.label, a.routes) for a in getattr(node, "answers", [])]
                if node.kind == "route":
                    leads = [(None, node.routes)]
                for answer, routes in leads:
                    if len(routes) > 1 and any(route.to == step for route in routes):
                        found.append({"href": f"#{node.id}", "from": labels[node.id], "answer": answer,
                                      "others": [{"route": route, "target": target(route.to)}
                                                 for route in routes if route.to != step]})
            return found

        def group_citations(values: list[str]) -> dict:
            """Citations in two kinds: policy clauses (linked by cite()) and parts of sources, by the source's kind."""
            from generator.load.models.sources import SOURCE_KIND_LABELS

            policy, by_kind = [], {}
            for value in values:
                prefix, _, part = value.partition("#")
                source = project.external_sources.get(prefix)
                if source is None:
                    ref = project.clauses[value]
                    policy.append({"title": f"{ref.policy.title}, {ref.label}", "href": self._clause_url(value)})
                    continue
                part_title = next(p.title for p in source.parts if p.id == part)
                by_kind.setdefault(source.kind, []).append(
                    {"title": source.title, "part": part_title, "url": source.url,
                     "problems": project.source_problems(source)})
            return {"policy": policy, "sources": [{"label": SOURCE_KIND_LABELS[kind], "items": items}
                                                  for kind, items in by_kind.items()]}

        converter = self.converter

        def placeholder(key: str) -> str:
            # A contact the school has not filled in yet: a short token in the sentence, not its long line.
            self._record("contacts", key)
            return guide_wording.placeholder_mark(key)

        def substituted(value: str) -> str:
            return _substitute_contacts(value, self.env, self.site, contacts, placeholder)

        def role_of(key: str) -> str:
            return contacts[key].role

        def text(value: str):
            return guide_wording.placeholder_tokens(converter.block(substituted(value)), role_of)

        def inline(value: str):
            return guide_wording.placeholder_tokens(converter.inline(substituted(value)), role_of)

        def who(ref):
            return inline(describe_roles(ref, project.roles))

        def action_text(action):
            """The action's words, with its role at the front when the words read on from it (a sentence)."""
            rest = guide_wording.continues_role(action.text)
            if rest is None:
                return text(action.text)
            return guide_wording.join_role(who(action.who), text(rest))

        def record_box(node) -> dict | None:
            """The record box's keeper and words: the guide's, else the DSL and the default words."""
            if not node.record:
                return None
            box = node.record if not isinstance(node.record, bool) else None
            keeper = box.keeper if box else "dsl"
            label = who(keeper)
            # Inside a sentence ("Give it to the case manager"): the role's label without its capital.
            return {"keeper": Markup(label[:1].lower()) + label[1:], "keeper_is_dsl": keeper == "dsl",
                    "says": text(box.says) if box and box.says else None}

        macros = self.env.get_template("partials/macros.md.j2").make_module({"site": self.site})

        def contact(key: str):
            return converter.inline(str(macros.contact_line(key)))

        def contact_in_sentence(key: str):
            """A contact inside a sentence (the emergency panel's "then tell the …"): a short token while the
            school has not filled it in, else its line."""
            if contacts[key].placeholder:
                return guide_wording.placeholder_tokens(Markup(placeholder(key)), role_of)
            return contact(key)

        labels = {node.id: getattr(node, "question", None) or node.title for node in tree.nodes}
        cited = {c.partition("#")[0] for node in tree.nodes for c in guide_wording.step_citations(node)}
        guidance = [project.external_sources[source_id] for source_id in tree.guidance]
        flagged = [project.external_sources[source_id] for source_id in sorted(cited | set(tree.guidance))
                   if source_id in project.external_sources
                   and project.source_problems(project.external_sources[source_id])]
        return {
            "tree": tree,
            "start": tree.nodes[0].id,
            "order": [nodes[node_id] for node_id in order],
            "labels": labels,
            "who": who,
            "action_text": action_text,
            "continues_role": lambda action: guide_wording.continues_role(action.text) is not None,
            "record_box": record_box,
            "step_citations": guide_wording.step_citations,
            "shows_panel": lambda node: step_shows_emergency_panel(tree, node),
            "jurisdiction": JURISDICTION_LABELS.get(tree.jurisdiction),
            "decides": decides,
            "time_words": time_words,
            "time_kind": time_kind,
            "inline": inline,
            "contact": contact,
            "strands_for": strands_for,
            "contact_in_sentence": contact_in_sentence,
            "preview": self.preview,
            "site": self.site,
            "today_text": self.env.globals["today_text"],
            "contacts": contacts,
            "contacts_for": contacts_for,
            "related_for": related_for,
            "target": target,
            "group_citations": group_citations,
            "text": text,
            "guidance": guidance,
            "flagged_sources": [{"source": s, "problems": project.source_problems(s)} for s in flagged],
            "nation": project.school.nation.value,
            "always": [node for node in tree.nodes if node.always_available],
            "diagram": Markup(render_svg(tree)),  # built with every text escaped (diagram.py)
        }


_CONTACT_CALL = re.compile(r"""\{\{-?\s*contact\(\s*["']([^"']*)["']\s*\)\s*-?\}\}""")


def _substitute_contacts(text: str, env: jinja2.Environment, site: str, contacts, placeholder) -> str:
    """Replace {{ contact("id") }} in data text with the contact's line, or a placeholder contact with
    ``placeholder(id)``. The text is never run as a template: only this pattern is replaced, by the shared
    contact macro (validation checked every id)."""
    if "{{" not in text:
        return text
    macros = env.get_template("partials/macros.md.j2").make_module({"site": site})

    def line(match: re.Match) -> str:
        key = match.group(1)
        return placeholder(key) if contacts[key].placeholder else str(macros.contact_line(key))

    return _CONTACT_CALL.sub(line, text)
