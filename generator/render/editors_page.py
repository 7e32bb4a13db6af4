"""The staff site's editors' page (``editors/index.md``): every guide step's source and editor's note, the
safety rules' recorded waivers, and the school's overrides of its trust's clauses and its pack's steps. Never on the parents' site."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.load.loader import TOOL_PAGES
from generator.render.hand_written_pages import page_title
from generator.render.paths import tree_path

if TYPE_CHECKING:
    from generator.render.renderer import RenderedSite


def is_tool_page(page) -> bool:
    """A page that comes with the tool (generator/guide/: the authors' guide, the format reference, the safety
    rules), not one the school wrote."""
    return page.path.parent == TOOL_PAGES


class EditorsPage:
    """The editors' page, for the site renderer (``renderer._SiteRenderer``) it is a part of."""

    def _render_editors_page(self, out: RenderedSite, editors_pages: list | None = None) -> None:
        pages = [{"title": page_title(page.text) or page.relative, "relative": page.relative}
                 for page in editors_pages or []]
        out.docs["editors/index.md"] = self._render("staff/editors.md.j2", "editors/index.md",
                                                    notes=self._editors_notes(), tree_path=tree_path,
                                                    waivers=self._waivers(), editors_pages=pages,
                                                    overrides=self.project.overrides)

    def _editors_notes(self) -> list[dict]:
        """Every step with a 'source' or 'editor_note', by tree (staff site only)."""
        notes = []
        for tree in self.project.trees:
            steps = [{"id": node.id, "label": getattr(node, "question", None) or node.title,
                      "source": node.source, "editor_note": node.editor_note}
                     for node in tree.nodes if node.source or node.editor_note]
            if steps:
                notes.append({"tree": tree, "steps": steps})
        return notes

    def _waivers(self) -> list[dict]:
        """The safety rules' recorded waivers, by file and line, for the editors' page (staff site only)."""
        titles = {tree.id: tree.title for tree in self.project.trees}
        return [{"code": w.code, "reason": w.reason, "agreed_by": w.agreed_by, "step": w.step, "shared": w.shared,
                 "guide": w.guide, "title": titles.get(w.guide, w.guide), "where": f"{w.path}:{w.line}"}
                for w in sorted(self.project.waivers, key=lambda w: (w.path, w.line, w.code))]
