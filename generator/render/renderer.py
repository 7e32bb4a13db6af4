"""Render a validated project into the Markdown pages and MkDocs config of each site.

Python prepares plain data (URLs, statuses, which clauses a site shows); every word a
reader sees comes from the jinja2 templates in ``templates/``. Nothing here reads data
files or validates: a broken reference was already reported by ``validate``.

``_SiteRenderer`` renders one site. What every page shares is here (the templates' environments,
links between pages, what the site publishes, the menu, the site's MkDocs config); each kind of
page is rendered by a module of its own, a part of the renderer: ``home.py``, ``policy_pages.py``
(each policy's pages, the whole policy among them), ``register.py``, ``guide_pages.py``,
``hand_written_pages.py`` and ``editors_page.py``. The glossary is two templates, rendered in ``render``.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from generator.build.gate import NOT_FOUND_SCRIPT
from generator.render import search_index
from generator.render.editors_page import EditorsPage, is_tool_page
from generator.render.guide_cache import GuideCache
from generator.render.guide_pages import GuidePages
from generator.render.hand_written_pages import HandWrittenPages
from generator.render.home import HomePages
from generator.render.paths import page_url, policy_section_path
from generator.render.policy_pages import PolicyPages
from generator.render.register import RegisterPage
from generator.render.site_files import PackedTexts, SiteFiles
from generator.render.templating import compiled_templates
from generator.render.text_html import TextConverter
from generator.load.project import Project
from generator.load.site_settings import apply_site_settings

TEMPLATES = Path(__file__).parent.parent / "templates"
SITES = ("staff", "parents")


EMERGENCY_CONTACTS = {
    "staff": ("police_emergency", "dsl", "deputy_dsl", "head_teacher", "out_of_hours"),
    "parents": ("police_emergency", "dsl", "school_office"),
}
"""Whom the 404 page's emergency panel names, in order, when the school has them."""


@dataclass
class RenderedSite:
    """Everything one site's mkdocs build needs: files under docs/ and includes/, and its config."""

    name: str
    docs: dict[str, str] = field(default_factory=dict)
    includes: dict[str, str] = field(default_factory=dict)
    config: dict = field(default_factory=dict)
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Hand-written pages: docs path -> (source file as displayed, its text), to locate mkdocs' warnings."""
    texts: dict[str, str] = field(default_factory=dict)
    """Every source file's text by display path (the project's), for the gate to trace a finding to its line."""
    files: SiteFiles = field(default_factory=SiteFiles)
    """Binary files under docs/ (the policies' PDFs, added by the pipeline after rendering: as paths in the PDF
    cache by a build), read as bytes."""
    published: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in PUBLISHED_KINDS})
    """What the site shows, by kind (clauses, trees, contacts, pages), recorded as it is rendered."""


PUBLISHED_KINDS = ("clauses", "trees", "contacts", "pages")


def render_project(project: Project, base_config: Path, theme_dir: Path, preview: bool = False,
                   guide_cache: GuideCache | None = None, packed: bool = False) -> dict[str, RenderedSite]:
    """Both sites, rendered in memory (the build stage writes them).

    ``preview`` (``generator serve`` only) also shows the editors' notes (``source``, ``editor_note``)
    on the staff site's tree pages; a real build never does. ``guide_cache`` (``serve``): each guide's output is
    read back while nothing it reads has changed (guide_cache.py). ``packed`` (``generator build``): each page and
    include kept compressed as it is rendered (site_files.PackedTexts), so a large project's two sites do not
    hold all their text at once.
    """
    converter = TextConverter({entry.term: entry.expansion for entry in project.glossary.terms if entry.expansion},
                              allow_http=project.school.site.allow_http_links)
    if guide_cache:
        guide_cache.start()
    sites = {site: _SiteRenderer(project, site, converter, preview, guide_cache).render(base_config, theme_dir, packed)
             for site in SITES}
    if guide_cache:
        guide_cache.finish()
    return sites


def parents_description(school) -> str:
    """The parents' site in one line: the school's own words, or a neutral default."""
    return school.parents_description or f"{school.name}'s policies for parents and carers, and how to report a concern."


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _SiteRenderer(HomePages, PolicyPages, RegisterPage, GuidePages, HandWrittenPages, EditorsPage):
    """One site's pages and config: the parts every page kind shares; the page kinds are its bases."""

    def __init__(self, project: Project, site: str, converter: TextConverter | None = None, preview: bool = False,
                 guide_cache: GuideCache | None = None):
        self.project = project
        self.contacts = project.contacts
        """The contacts a page reads (while a guide renders, a mapping that records which: guide_cache.py)."""
        self.guide_cache = guide_cache
        self._policies_key: str | None = None
        """What every policy's pages on this site read besides the policy (page_cache.py), once per render."""
        self.site = site
        self.converter = converter or TextConverter({})
        self.preview = preview and site == "staff"
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # the output is Markdown; data text is already free of raw HTML
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=compiled_templates("render-markdown"),
        )
        self.env.filters["yaml"] = lambda value: json.dumps(str(value), ensure_ascii=False)
        # A page's description goes into Material's <meta name="description" content="…"> unescaped (mkdocs'
        # templates do not autoescape), so a '"' in a guide's `use_when` would end the attribute: escaped here,
        # where it is written, and decoded once by the browser.
        self.env.filters["meta_yaml"] = lambda value: json.dumps(html.escape(str(value), quote=True),
                                                                  ensure_ascii=False)
        self.env.filters["slug"] = _slug
        self.env.filters["attr"] = lambda value: jinja2.utils.markupsafe.escape(str(value))
        # A table cell: a '|' in data text would end the cell early.
        self.env.filters["cell"] = lambda value: str(value).replace("|", "\\|").replace("\n", " ")
        self.current_path = "index.md"
        self._sandbox: jinja2.Environment | None = None
        self.published: dict[str, set[str]] = {kind: set() for kind in PUBLISHED_KINDS}
        self.search_entries: list[dict] = []
        """The guides' search entries (generator/render/search_index.py), made as their pages are rendered."""
        today = project.today
        # The tree pages' HTML: a second environment with autoescape on (every value is escaped
        # unless it is Markup from the Markdown converter).
        self.html_env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            undefined=jinja2.StrictUndefined,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=compiled_templates("render-html"),
        )
        self.env.globals.update(
            school=project.school,
            glossary=project.glossary,
            policies=project.policies,
            trees=self._trees_for_site(),
            clauses=project.clauses,
            contacts=project.contacts,
            site=site,
            today_text=f"{today.day} {today:%B %Y}",
            clause_href=self._clause_href,
            page_href=self._page_href,
            published=self._record,
            parents_description=parents_description(project.school),
        )

    def _record(self, kind: str, item: str) -> str:
        """Note that this site shows ``item`` (called from the templates as they render it)."""
        self.published[kind].add(item)
        return ""

    # --- links ------------------------------------------------------------------------------

    def _relative(self, target: str) -> str:
        """A link from the page being rendered to another page, as MkDocs wants it (.md paths)."""
        start = posixpath.dirname(self.current_path)
        return posixpath.relpath(target, start or ".")

    def _clause_page(self, citation: str) -> tuple[str, str]:
        """The page (.md path) a cited clause is on in this site, and its anchor."""
        ref = self.project.clauses[citation]
        if self.site == "parents":
            return f"policies/{ref.policy.id}/index.md", ref.clause.id
        return policy_section_path(ref.policy.id, ref.top_section.id), ref.clause.id

    def _clause_href(self, citation: str) -> str:
        target, anchor = self._clause_page(citation)
        return f"{self._relative(target)}#{anchor}"

    def _page_href(self, target: str) -> str:
        return self._relative(target)

    def _url(self, target: str) -> str:
        """A link from the page being rendered to another page, as the built site has it (for HTML we write)."""
        start = page_url(self.current_path).rstrip("/") or "."
        end = page_url(target).rstrip("/") or "."
        relative = posixpath.relpath(end, start)
        return "./" if relative == "." else relative + "/"

    def _clause_url(self, citation: str) -> str:
        target, anchor = self._clause_page(citation)
        return f"{self._url(target)}#{anchor}"

    def _render(self, template: str, path: str, **context) -> str:
        self.current_path = path
        return self.env.get_template(template).render(**context)

    # --- sites ------------------------------------------------------------------------------

    def render(self, base_config: Path, theme_dir: Path, packed: bool = False) -> RenderedSite:
        out = RenderedSite(self.site, texts=self.project.texts)
        if packed:
            out.docs, out.includes = PackedTexts(), PackedTexts()
        nav = self._render_staff(out) if self.site == "staff" else self._render_parents(out)
        out.docs["glossary.md"] = self._render("shared/glossary.md.j2", "glossary.md")
        out.includes["abbreviations.md"] = self._render("shared/abbreviations.md.j2", "abbreviations.md")
        self._render_trees(out)
        out.includes[search_index.ENTRIES_FILE] = search_index.dump(self.search_entries)
        # Only the index is in the navigation: every page repeats the navigation, so listing each
        # tree there made every page (and the build) grow with the number of trees (BENCHMARKS.md).
        nav.insert(1, {"What do I do if…": "what-to-do/index.md"})
        first, rest = self._pages_in_menu_order()
        for page in first + rest:
            self._record("pages", page.relative)
            out.docs[page.relative] = self._render_page(page)
            out.origins[page.relative] = (page.display, page.text)
        nav.append({"Glossary": "glossary.md"})
        # The pages for editors (the tool's authors' guide, format reference and safety rules, and the editors'
        # notes) are not in every staff member's menu (issue 28): the editors' page lists them and the staff home
        # page links it once. `serve`, which editors use, keeps them in the menu.
        editors_pages = [page for page in rest if self.site == "staff" and is_tool_page(page)]
        nav.extend(page.relative for page in rest if self.preview or page not in editors_pages)
        if self.site == "staff":
            self._render_editors_page(out, editors_pages)
            if self.preview:
                nav.append({"Editors' notes": "editors/index.md"})
        # A page whose front matter sets nav_order (e.g. parents' "How to report a concern") leads
        # the menu, above Home: on a phone it is the first thing the open menu offers.
        nav[:0] = [page.relative for page in first]
        out.config = self._config(base_config, theme_dir, nav)
        out.files.update(self.project.site_settings.files if self.project.site_settings else {})
        out.published = self.published
        return out

    def _render_staff(self, out: RenderedSite) -> list:
        self._render_staff_home(out)
        policy_nav = [{"Policy register": "policies/index.md"}]
        for policy in self.project.policies:
            # Only the policy's overview is in the navigation (its contents list and each section's
            # previous/next links lead through the sections): the navigation is repeated in every
            # page, so listing every section of every policy made pages grow with the trust's size.
            policy_nav.append({policy.title: self._policy_pages(out, policy, self._render_staff_policy)})
        self._render_register(out)
        return [{"Home": "index.md"}, {"Policies": policy_nav}]

    def _render_parents(self, out: RenderedSite) -> list:
        policy_nav = []
        for policy in self.project.policies:
            path = self._policy_pages(out, policy, self._render_parents_policy)
            if path:
                policy_nav.append({policy.title: path})
        self._render_parents_home(out, policy_nav)
        return [{"Home": "index.md"}, {"Policies": policy_nav}] if policy_nav else [{"Home": "index.md"}]

    def _config(self, base_config: Path, theme_dir: Path, nav: list) -> dict:
        school = self.project.school
        staff = self.site == "staff"
        config = {
            "INHERIT": str(base_config),
            "site_name": f"{school.name} — {'Staff policies' if staff else 'Policies for parents'}",
            "site_description": html.escape(f"Policies, procedures and step-by-step guides for staff at {school.name}."
                                            if staff else parents_description(school), quote=True),  # (meta_yaml)
            "docs_dir": "docs",
            "theme": {"name": "material", "custom_dir": str(theme_dir)},
            "nav": nav,
            "extra": {"site_audience": self.site, "school_name": school.name,
                      "emergency": {"contacts": self._emergency_contacts()},
                      # theme/404.html's one inline script; the gate accepts (and hashes) exactly this text.
                      "not_found_script": NOT_FOUND_SCRIPT},
        }
        url = school.site.staff_url if staff else school.site.parents_url
        if url:
            config["site_url"] = url
            # Where the site lives on its server, for the 404 page served at any depth (theme/404.html).
            config["extra"]["site_root_path"] = site_root_path(url)
        return apply_site_settings(config, self.project.site_settings, base_config)

    def _emergency_contacts(self) -> list[dict]:
        """The emergency panel's contacts for the 404 page, as plain data (school.yml's, or the
        national directory's); recorded as published like every contact a page names."""
        contacts = self.project.contacts
        chosen = [key for key in EMERGENCY_CONTACTS[self.site]
                  if key in contacts and (self.site == "staff" or contacts[key].public)]
        for key in chosen:
            self._record("contacts", key)
        return [{"role": contacts[key].role, "name": contacts[key].name, "phone": contacts[key].phone,
                 "placeholder": contacts[key].placeholder} for key in chosen]


def site_root_path(url: str) -> str:
    """The path part of a site's address, as one leading slash, the path, one trailing slash
    ('https://intranet.example/policies' -> '/policies/'). Never '//host/…' (or '/\\host/…'),
    which a browser would read as another host."""
    path = urlsplit(url).path.replace("\\", "/").strip("/")
    return f"/{path}/" if path else "/"
