"""Each site's home page (``index.md``): the staff site's from its template alone; the parents' site's lists the
pages that lead the menu, the guides, the policies for parents and the other hand-written pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.render.hand_written_pages import page_title
from generator.render.paths import tree_path

if TYPE_CHECKING:
    from generator.render.renderer import RenderedSite


class HomePages:
    """The home pages, for the site renderer (``renderer._SiteRenderer``) they are a part of."""

    def _render_staff_home(self, out: RenderedSite) -> None:
        out.docs["index.md"] = self._render("staff/home.md.j2", "index.md")

    def _render_parents_home(self, out: RenderedSite, policy_nav: list[dict]) -> None:
        first, rest = self._pages_in_menu_order()

        def link(page) -> dict:
            return {"title": page_title(page.text) or page.relative, "path": page.relative}

        out.docs["index.md"] = self._render(
            "parents/home.md.j2", "index.md",
            first_pages=[link(page) for page in first],
            guides=[{"title": tree.title, "path": tree_path(tree.id), "use_when": tree.use_when}
                    for tree in self._trees_for_site()],
            other_pages=[link(page) for page in rest if page.relative != "accessibility.md"],
            policies=[{"title": title, "path": path} for entry in policy_nav for title, path in entry.items()])
