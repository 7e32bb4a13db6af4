"""Render a validated project into the Markdown pages and MkDocs config of each site.

Python prepares plain data (URLs, statuses, which clauses a site shows); every word a
reader sees comes from the jinja2 templates in ``templates/``. Nothing here reads data
files or validates: a broken reference was already reported by ``validate``.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from generator.load.front_matter import front_matter_block
from generator.build.gate import NOT_FOUND_SCRIPT
from generator.render.ical import review_calendar
from generator.render import guide_steps
from generator.render import search_index
from generator.render.templating import compiled_templates
from generator.render.text_html import TextConverter
from generator.load.models import Audience, Policy
from generator.load.models.base import due_date
from generator.load.project import Project
from generator.load.site_settings import apply_site_settings

TEMPLATES = Path(__file__).parent.parent / "templates"
SITES = ("staff", "parents")
SITE_AUDIENCE = {"staff": None, "parents": Audience.parents}
REVIEW_SOON_DAYS = 60
REVIEW_CALENDAR = "policies/review-dates.ics"
"""The iCalendar file of review dates on the staff site, next to the register."""
AUDIENCE_GROUP_TITLES = {
    Audience.staff: "For all staff",
    Audience.dsl: "For the Designated Safeguarding Lead",
    Audience.parents: "For parents and carers",
    Audience.governors: "For governors",
    Audience.volunteers: "For volunteers",
    Audience.pupils: "For pupils",
}


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
    files: dict[str, bytes] = field(default_factory=dict)
    """Binary files under docs/ (the policies' PDFs), added by the pipeline after rendering."""
    published: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in PUBLISHED_KINDS})
    """What the site shows, by kind (clauses, trees, contacts, pages), recorded as it is rendered."""


PUBLISHED_KINDS = ("clauses", "trees", "contacts", "pages")


@dataclass(frozen=True)
class ReviewStatus:
    overdue: bool
    due_soon: bool
    status_text: str
    today_text: str


def render_project(project: Project, base_config: Path, theme_dir: Path,
                   preview: bool = False) -> dict[str, RenderedSite]:
    """Both sites, rendered in memory (the build stage writes them).

    ``preview`` (``generator serve`` only) also shows the editors' notes (``source``, ``editor_note``)
    on the staff site's tree pages; a real build never does.
    """
    converter = TextConverter({entry.term: entry.expansion for entry in project.glossary.terms if entry.expansion},
                              allow_http=project.school.site.allow_http_links)
    return {site: _SiteRenderer(project, site, converter, preview).render(base_config, theme_dir) for site in SITES}


def review_status(policy: Policy, today: date) -> ReviewStatus:
    due = due_date(policy.review_due)
    overdue = due < today
    due_soon = not overdue and due - today <= timedelta(days=REVIEW_SOON_DAYS)
    text = "Overdue" if overdue else (f"Due within {REVIEW_SOON_DAYS} days" if due_soon else "In date")
    return ReviewStatus(overdue, due_soon, text, f"{today.day} {today:%B %Y}")


def parents_description(school) -> str:
    """The parents' site in one line: the school's own words, or a neutral default."""
    return school.parents_description or f"{school.name}'s policies for parents and carers, and how to report a concern."


def policy_section_path(policy_id: str, section_id: str) -> str:
    return f"policies/{policy_id}/{section_id}.md"


def policy_pdf_path(policy_id: str, site: str) -> str:
    """The policy's PDF: the whole policy on the staff site, the parents' clauses on the parents' site."""
    return f"policies/{policy_id}/{policy_id}.pdf" if site == "staff" else f"policies/{policy_id}/{policy_id}-for-parents.pdf"


def policy_whole_path(policy_id: str) -> str:
    return f"policies/{policy_id}/whole.md"


def tree_path(tree_id: str) -> str:
    return f"what-to-do/{tree_id}/index.md"


def _page_url(path: str) -> str:
    """The URL path MkDocs gives a page (use_directory_urls): 'a/index.md' -> 'a/', 'a/b.md' -> 'a/b/'."""
    if path == "index.md" or path.endswith("/index.md"):
        return path[: -len("index.md")]
    return path[: -len(".md")] + "/"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _SiteRenderer:
    def __init__(self, project: Project, site: str, converter: TextConverter | None = None, preview: bool = False):
        self.project = project
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
        start = _page_url(self.current_path).rstrip("/") or "."
        end = _page_url(target).rstrip("/") or "."
        relative = posixpath.relpath(end, start)
        return "./" if relative == "." else relative + "/"

    def _clause_url(self, citation: str) -> str:
        target, anchor = self._clause_page(citation)
        return f"{self._url(target)}#{anchor}"

    def _trees_for_site(self):
        audience = SITE_AUDIENCE[self.site]
        if audience is None:
            return list(self.project.trees)
        return [tree for tree in self.project.trees if audience in tree.audiences]

    def _render(self, template: str, path: str, **context) -> str:
        self.current_path = path
        return self.env.get_template(template).render(**context)

    # --- sites ------------------------------------------------------------------------------

    def render(self, base_config: Path, theme_dir: Path) -> RenderedSite:
        out = RenderedSite(self.site, texts=self.project.texts)
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
        nav.extend(page.relative for page in rest)
        if self.site == "staff":
            out.docs["editors/index.md"] = self._render("staff/editors.md.j2", "editors/index.md",
                                                        notes=self._editors_notes(), tree_path=tree_path,
                                                        waivers=self._waivers())
            nav.append({"Editors' notes": "editors/index.md"})
        # A page whose front matter sets nav_order (e.g. parents' "How to report a concern") leads
        # the menu, above Home: on a phone it is the first thing the open menu offers.
        nav[:0] = [page.relative for page in first]
        out.config = self._config(base_config, theme_dir, nav)
        out.files.update(self.project.site_settings.files if self.project.site_settings else {})
        out.published = self.published
        return out

    def _pages_in_menu_order(self) -> tuple[list, list]:
        """This site's hand-written pages: those with a nav_order (lowest first), then the rest by path."""
        pages = [page for page in self.project.pages if self.site in page.sites]
        ordered = sorted((page for page in pages if page_nav_order(page.text) is not None),
                         key=lambda page: (page_nav_order(page.text), page.relative))
        return ordered, sorted((page for page in pages if page not in ordered), key=lambda page: page.relative)

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
        incoming = _incoming_cross_tree(trees)
        entries = self.search_entries = []
        for tree in trees:
            path = tree_path(tree.id)
            self._record("trees", tree.id)
            self.current_path = path
            context = self._tree_context(tree, trees, path, incoming)
            # The steps are ready HTML, put into the built page after mkdocs (generator/render/guide_steps.py);
            # the page's Markdown holds only the title and when to use the guide.
            body = self.html_env.get_template("trees/tree.html.j2").render(**context)
            out.includes[guide_steps.steps_path(tree.id)] = body
            out.docs[path] = self._render("trees/tree.md.j2", path, tree=tree, start=context["start"])
            # The page is kept out of the search plugin's HTML parsing; its entries are made here.
            entries += search_index.tree_entries(tree, _page_url(path), context["inline"], context["text"],
                                                 context["who"], for_this_site=self.site == "parents"
                                                 or tree.audiences[0] != Audience.parents)

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

    def _tree_context(self, tree, site_trees, path: str, incoming: dict) -> dict:
        """Plain data for one tree page: step order, labels, the diagram, what this site may show."""
        from generator.render.diagram import bfs_order, render_svg
        from generator.load.models.roles import decides, describe_roles

        nodes = {node.id: node for node in tree.nodes}
        order, _ = bfs_order(tree)
        titles = {other.id: other.title for other in site_trees}
        all_trees = self.project.trees_by_id
        contacts = self.project.contacts
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

        def came_from_for(step: str) -> list[dict]:
            """The steps of other trees on this site whose answers lead here (shown for readers without scripts)."""
            return [{"href": f"{self._url(tree_path(source))}#{from_step}", "tree": titles[source],
                     "label": from_label}
                    for source, from_step, from_label in incoming.get((tree.id, step), [])]

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

        def text(value: str):
            return converter.block(_substitute_contacts(value, self.env, self.site))

        def inline(value: str):
            return converter.inline(_substitute_contacts(value, self.env, self.site))

        macros = self.env.get_template("partials/macros.md.j2").make_module({"site": self.site})

        def contact(key: str):
            return converter.inline(str(macros.contact_line(key)))

        labels = {node.id: getattr(node, "question", None) or node.title for node in tree.nodes}
        cited = {c.partition("#")[0] for node in tree.nodes for c in _node_citations(node)}
        guidance = [project.external_sources[source_id] for source_id in tree.guidance]
        flagged = [project.external_sources[source_id] for source_id in sorted(cited | set(tree.guidance))
                   if source_id in project.external_sources
                   and project.source_problems(project.external_sources[source_id])]
        return {
            "tree": tree,
            "start": tree.nodes[0].id,
            "order": [nodes[node_id] for node_id in order],
            "labels": labels,
            "who": lambda ref: inline(describe_roles(ref, project.roles)),
            "decides": decides,
            "inline": inline,
            "contact": contact,
            "came_from_for": came_from_for,
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

    def _render_page(self, page) -> str:
        self.current_path = page.relative
        # The import sits on the page's first line so template errors keep the author's line numbers.
        source = '{% from "partials/macros.md.j2" import cite, contact with context %}' + page.text
        return self._page_env().from_string(source).render()

    def _page_env(self) -> jinja2.Environment:
        """A sandbox for hand-written pages: their authors write content, not code.

        Pages may call cite() and contact() and show values such as {{ school.name }}, but a
        sandboxed template cannot reach Python's internals ('{{ cycler.__init__.__globals__ }}'
        would otherwise run any command on the machine that builds the site) nor change the data.
        """
        if self._sandbox is None:
            self._sandbox = ImmutableSandboxedEnvironment(
                loader=self.env.loader, undefined=jinja2.StrictUndefined, autoescape=False,
                trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                bytecode_cache=compiled_templates("page-sandbox"))  # a sandbox compiles differently: its own cache
            self._sandbox.filters.update(self.env.filters)
            self._sandbox.globals.update(self.env.globals)
        return self._sandbox

    def _render_staff(self, out: RenderedSite) -> list:
        project = self.project
        out.docs["index.md"] = self._render("staff/home.md.j2", "index.md")
        register, unpublished = [], {}
        policy_nav = [{"Policy register": "policies/index.md"}]
        for policy in project.policies:
            review = review_status(policy, project.today)
            register.append({"policy": policy, "status_text": review.status_text, "review": review,
                             "pdf": posixpath.relpath(policy_pdf_path(policy.id, "staff"), "policies")})
            for related in policy.related_policies:
                if related.id is None:
                    unpublished.setdefault(related.title, []).append(policy.title)
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
            # Only the policy's overview is in the navigation (its contents list and each section's
            # previous/next links lead through the sections): the navigation is repeated in every
            # page, so listing every section of every policy made pages grow with the trust's size.
            policy_nav.append({policy.title: f"{base}/index.md"})
        staff_url = project.school.site.staff_url
        register_url = staff_url.rstrip("/") + "/policies/" if staff_url else None
        out.files[REVIEW_CALENDAR] = review_calendar(project, register_url).encode("utf-8")
        # Soonest review first: what needs the governors' attention is at the top.
        register.sort(key=lambda row: (due_date(row["policy"].review_due), row["policy"].title))
        out.docs["policies/index.md"] = self._render("staff/register.md.j2", "policies/index.md", register=register,
                                                     unpublished=sorted(unpublished.items()),
                                                     calendar=REVIEW_CALENDAR, soon_days=REVIEW_SOON_DAYS)
        return [{"Home": "index.md"}, {"Policies": policy_nav}]

    def _render_parents(self, out: RenderedSite) -> list:
        project = self.project
        policy_nav = []
        for policy in project.policies:
            visible = self._sections_with_parent_clauses(policy)
            if not visible:
                continue
            path = f"policies/{policy.id}/index.md"
            out.docs[path] = self._render("parents/policy.md.j2", path, policy=policy, visible_sections=visible,
                                          review=review_status(policy, project.today),
                                          pdf_name=posixpath.basename(policy_pdf_path(policy.id, "parents")))
            policy_nav.append({policy.title: path})
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
        return [{"Home": "index.md"}, {"Policies": policy_nav}] if policy_nav else [{"Home": "index.md"}]

    def _sections_with_parent_clauses(self, policy: Policy) -> set[str]:
        visible: set[str] = set()
        for section, parents in policy.walk_sections():
            for clause in section.clauses:
                if Audience.parents in self.project.clauses[f"{policy.id}#{clause.id}"].audiences:
                    visible.add(section.id)
                    visible.update(parent.id for parent in parents)
        return visible

    def _config(self, base_config: Path, theme_dir: Path, nav: list) -> dict:
        school = self.project.school
        staff = self.site == "staff"
        config = {
            "INHERIT": str(base_config),
            "site_name": f"{school.name} — {'Staff policies' if staff else 'Policies for parents'}",
            "site_description": (f"Policies, procedures and step-by-step guides for staff at {school.name}." if staff
                                 else parents_description(school)),
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


_CONTACT_CALL = re.compile(r"""\{\{-?\s*contact\(\s*["']([^"']*)["']\s*\)\s*-?\}\}""")


def _substitute_contacts(text: str, env: jinja2.Environment, site: str) -> str:
    """Replace {{ contact("id") }} in data text with the contact's line. The text is never run as a
    template: only this pattern is replaced, by the shared contact macro (validation checked every id)."""
    if "{{" not in text:
        return text
    macros = env.get_template("partials/macros.md.j2").make_module({"site": site})
    return _CONTACT_CALL.sub(lambda match: str(macros.contact_line(match.group(1))), text)


def _incoming_cross_tree(trees) -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    """(tree, step) -> [(other tree, its step, that step's question or title)] for every answer,
    follow-up or 'also follow' in another tree (on this site) that leads to the step."""
    on_site = {tree.id for tree in trees}
    found: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for tree in trees:
        for node in tree.nodes:
            targets = [answer.next for answer in getattr(node, "answers", [])]
            if getattr(node, "next_step", None):
                targets.append(node.next_step.next)
            targets += list(getattr(node, "also_follow", []))
            label = getattr(node, "question", None) or node.title
            for value in dict.fromkeys(targets):
                other, _, step = value.rpartition("#")
                if other and other != tree.id and other in on_site:
                    found.setdefault((other, step), []).append((tree.id, node.id, label))
    return found


def _node_citations(node) -> list[str]:
    found = list(node.cites)
    for action in getattr(node, "actions", []):
        found.extend(action.cites)
    return found


def page_nav_order(text: str) -> int | None:
    """A hand-written page's ``nav_order: N`` from its front matter: it leads the menu (lowest first)."""
    front = front_matter_block(text)
    # A YAML comment may follow the number ('nav_order: 1  # first'): check accepts it, so it must count here.
    match = front and re.search(r"^nav_order:[ \t]*(\d+)[ \t]*(?:#.*)?$", front.group(1), re.MULTILINE)
    return int(match.group(1)) if match else None


def site_root_path(url: str) -> str:
    """The path part of a site's address, as one leading slash, the path, one trailing slash
    ('https://intranet.example/policies' -> '/policies/'). Never '//host/…' (or '/\\host/…'),
    which a browser would read as another host."""
    path = urlsplit(url).path.replace("\\", "/").strip("/")
    return f"/{path}/" if path else "/"


def page_title(text: str) -> str | None:
    """A hand-written page's title from its front matter or first heading (for links to it)."""
    # As mkdocs reads it: the front matter's title, else the first heading; a 'title:' line in the body is text.
    front = front_matter_block(text)
    match = (front and re.search(r"^title:[ \t]*(.+)$", front.group(1), re.MULTILINE)) or \
        re.search(r"^# (.+)$", text[front.end() if front else 0:], re.MULTILINE)
    return match.group(1).strip().strip("'\"") if match else None
