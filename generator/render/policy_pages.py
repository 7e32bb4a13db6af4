"""The policies' pages. On the staff site each policy has an overview, one page per top-level section and the
whole policy on one page; on the parents' site each policy with clauses for parents has one page of them."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from generator.load.models import Audience, Policy
from generator.render.page_cache import PolicyPagesOutput
from generator.render.paths import policy_pdf_path, policy_section_path, policy_whole_path
from generator.render.register import review_status

if TYPE_CHECKING:
    from generator.render.renderer import RenderedSite


class _Pages:
    """Where a policy's pages are rendered to before they are kept (what ``out`` is to the page renderers)."""

    def __init__(self):
        self.docs: dict[str, str] = {}


class PolicyPages:
    """The policies' pages, for the site renderer (``renderer._SiteRenderer``) they are a part of."""

    def _policy_pages(self, out: RenderedSite, policy: Policy, render) -> str | None:
        """A policy's pages as ``render`` (one of the two below) makes them, read back from the live preview's cache
        while nothing they read has changed (page_cache.py); returns the path the menu links."""
        cache = self.guide_cache.policies if self.guide_cache else None  # None with a store: renders once
        if cache is None:
            return render(out, policy)
        if self._policies_key is None:
            self._policies_key = cache.shared_key(self.project, self.site, self.preview)
        key = cache.key(self._policies_key, policy)
        kept = cache.get(key)
        if kept is None:
            pages, published = _Pages(), self.published
            self.published = {kind: set() for kind in published}  # what these pages record, kept with them
            try:
                path = render(pages, policy)
            finally:
                recorded, self.published = self.published, published
            kept = PolicyPagesOutput(pages.docs, recorded, path)
            cache.put(key, kept)
        out.docs.update(kept.docs)
        for kind, items in kept.published.items():
            self.published[kind].update(items)
        return kept.path

    def _render_staff_policy(self, out: RenderedSite, policy: Policy) -> str:
        """The policy's overview, whole policy and sections; returns the overview's path, its menu entry."""
        review = review_status(policy, self.project.today)
        base = f"policies/{policy.id}"
        pdf_name = posixpath.basename(policy_pdf_path(policy.id, "staff"))
        out.docs[f"{base}/index.md"] = self._render("staff/policy_overview.md.j2", f"{base}/index.md",
                                                    policy=policy, review=review, pdf_name=pdf_name)
        out.docs[policy_whole_path(policy.id)] = self._render(
            "staff/policy_whole.md.j2", policy_whole_path(policy.id), policy=policy, review=review,
            pdf_name=pdf_name, notes=[(ref, note) for ref in self.project.clauses.values()
                                      if ref.policy.id == policy.id for note in ref.clause.notes_for("staff")])
        sections = policy.sections
        for index, section in enumerate(sections):
            path = policy_section_path(policy.id, section.id)
            out.docs[path] = self._render(
                "staff/policy_section.md.j2", path, policy=policy, section=section, review=review,
                pdf_name=pdf_name, previous=sections[index - 1] if index else None,
                next=sections[index + 1] if index + 1 < len(sections) else None)
        return f"{base}/index.md"

    def _render_parents_policy(self, out: RenderedSite, policy: Policy) -> str | None:
        """The policy's page for parents; returns its path, or None if no clause of it is for parents."""
        visible = self._sections_with_parent_clauses(policy)
        if not visible:
            return None
        path = f"policies/{policy.id}/index.md"
        out.docs[path] = self._render("parents/policy.md.j2", path, policy=policy, visible_sections=visible,
                                      review=review_status(policy, self.project.today),
                                      pdf_name=posixpath.basename(policy_pdf_path(policy.id, "parents")))
        return path

    def _sections_with_parent_clauses(self, policy: Policy) -> set[str]:
        visible: set[str] = set()
        for section, parents in policy.walk_sections():
            for clause in section.clauses:
                if Audience.parents in self.project.clauses[f"{policy.id}#{clause.id}"].audiences:
                    visible.add(section.id)
                    visible.update(parent.id for parent in parents)
        return visible
