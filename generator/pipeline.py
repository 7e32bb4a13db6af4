"""The stages joined up: load -> validate -> render -> build. Returns diagnostics; never prints."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.build.mkdocs_build import build_sites, version_info, write_sources
from generator.checks.cover import cover_line_shown
from generator.load.diagnostics import Diagnostic, DiagnosticError, Severity
from generator.checks.freshness import RawInputs, raw_inputs, recorded_preview, unchanged
from generator.checks.faithfulness import markdown_text, missing_sentences, source_sentences
from generator.load.file_cache import ResultCache
from generator.load.loader import load_project
from generator.build.pdf import CACHE_DIR as PDF_CACHE_DIR, attach_pdfs
from generator.build.site_manifest import as_built
from generator.load.project import Project
from generator.build.leaks import leak_diagnostics
from generator.load.loader import PUBLIC_LIST
from generator.load.trust_files import OVERRIDES_FILE
from generator.load.models import PublicList
from generator.publish.publisher import PREVIEW_KEY
from generator.render.guide_cache import GuideCache
from generator.render.guide_store import GuideStore
from generator.render.renderer import PUBLISHED_KINDS, SITES, RenderedSite, render_project
from generator.checks.rules.placeholders import CODE as PLACEHOLDER_CODE
from generator.checks.starter import CODE as STARTER_CODE, MESSAGE as STARTER_MESSAGE
from generator.load.site_settings import read_site_settings
from generator.checks.validate import validate_project

PREVIEW_CODES = (PLACEHOLDER_CODE, STARTER_CODE)
"""The warnings that make a build a preview only: `publish` refuses it without --preview."""

PACKAGE = Path(__file__).resolve().parent
BASE_CONFIG = PACKAGE / "mkdocs.yml"
"""The base MkDocs config every generated site config INHERITs: part of the tool, found beside this module."""
THEME_DIR = PACKAGE / "theme"


@dataclass
class Result:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    project: Project | None = None
    rendered: dict[str, RenderedSite] | None = None
    built: list[str] = field(default_factory=list)
    """The sites `build` rebuilt (the others were already built from the same inputs)."""
    unchanged: bool = False
    """`build` found every site built from the same raw inputs and loaded nothing (no project, no diagnostics)."""

    @property
    def preview_only(self) -> list[str]:
        """Why this build may be published only as a preview (S701: placeholder DSL contacts; W520: the starter's
        example content not yet confirmed, named by its file)."""
        return [d.message if d.code == PLACEHOLDER_CODE else f"{d.path}: {d.message}"
                for d in self.diagnostics if d.code in PREVIEW_CODES]

    @property
    def ok(self) -> bool:
        return (self.project is not None or self.unchanged) and not any(d.is_error for d in self.diagnostics)


def check(root: Path, today: date, cache: ResultCache | None = None) -> Result:
    """Load and validate. ``cache``: each file's parse and its check against its model are kept there and read back
    while the file and the tool are unchanged (load/file_cache.py); the checks across files always run."""
    loaded = load_project(root, cache=cache)
    project, diagnostics = validate_project(loaded, today, cache)
    settings, problems = read_site_settings(root)
    if project is not None:
        project.site_settings = settings
    if any(problem.is_error for problem in problems):
        project = None
    return Result(sorted(diagnostics + problems), project)


def render(root: Path, today: date, preview: bool = False, cache: ResultCache | None = None,
           guide_cache: GuideCache | None = None, packed: bool = False) -> Result:
    """Check, render both sites in memory, and check that the staff site publishes each policy whole.

    ``preview`` (``generator serve`` only) shows the editors' notes on the staff site's guides; ``cache``: see
    :func:`check`; ``guide_cache``: each guide's output kept while nothing it reads changes (render/guide_cache.py);
    ``packed``: the sites' texts kept compressed (render/site_files.py), for a build that holds both sites."""
    result = check(root, today, cache)
    if result.ok:
        result.rendered = render_project(result.project, BASE_CONFIG, THEME_DIR, preview=preview,
                                         guide_cache=guide_cache, packed=packed)
        problems = unpublished_sentences(result.project, result.rendered["staff"])
        problems += public_differences(result.project, result.rendered["parents"].published)
        if problems:
            result.diagnostics = sorted(result.diagnostics + problems)
        if any(problem.is_error for problem in problems):
            result.project, result.rendered = None, None
    return result


_PUBLIC_HINT = f"review it, then run 'python -m generator public --update' to record it in {PUBLIC_LIST}"
_WHAT = {"clauses": "clause", "trees": "guide", "contacts": "contact", "pages": "page"}


def review_public(root: Path, today: date, update: bool) -> tuple[Result, list[Diagnostic], list[str]]:
    """The differences between the parents' site and its reviewed list, and the same as changes to record
    ('+ clause …', '- guide …'); with ``update``, record the site as reviewed."""
    result = check(root, today)
    if not result.ok:
        return result, [], []
    rendered = render_project(result.project, BASE_CONFIG, THEME_DIR)
    published = rendered["parents"].published
    differences = [d for d in public_differences(result.project, published) if d.code != "W360"]
    if result.project.public_list is None:
        differences = [Diagnostic(PUBLIC_LIST, 1, 1, "E361", f"the parents' site would publish {_WHAT[kind]} "
                                  f"'{item}'{_origin(result.project, kind, item)}, which is not on the reviewed list")
                       for kind in PUBLISHED_KINDS for item in sorted(published[kind])]
    changes = _changes(result.project, published)
    if update:
        path = root / PUBLIC_LIST
        staging = path.with_name(f".{path.name}.tmp")
        staging.write_text(public_list_text(published), encoding="utf-8")
        staging.replace(path)
    return result, differences, changes


def _changes(project: Project, published: dict[str, set[str]]) -> list[str]:
    """What recording the site would change in the reviewed list, one line each, in the list's order."""
    lines = []
    for kind in PUBLISHED_KINDS:
        listed = getattr(project.public_list[1], kind) if project.public_list else []
        lines += [f"+ now public: {_WHAT[kind]} '{item}'{_origin(project, kind, item)}"
                  for item in sorted(published[kind] - set(listed))]
        lines += [f"- no longer public: {_WHAT[kind]} '{item}'" for item in listed if item not in published[kind]]
    return lines


def public_differences(project: Project, published: dict[str, set[str]]) -> list[Diagnostic]:
    """Where the parents' site would differ from the reviewed list of what it publishes."""
    if project.public_list is None:
        return [Diagnostic(PUBLIC_LIST, 1, 1, "W360", "what the parents' site publishes has not been reviewed: "
                                                      f"there is no {PUBLIC_LIST}", severity=Severity.WARNING,
                           hint="run 'python -m generator public' to see the list, and '--update' to record it")]
    source, reviewed = project.public_list
    found = []
    for kind in PUBLISHED_KINDS:
        listed = getattr(reviewed, kind)
        for item in sorted(published[kind] - set(listed)):
            origin = _origin(project, kind, item)
            found.append(Diagnostic(source.display, 1, 1, "E361",
                                    f"the parents' site would publish {_WHAT[kind]} '{item}'{origin}, which is not "
                                    f"on the reviewed list", hint=_PUBLIC_HINT))
        for index, item in enumerate(listed):
            if item not in published[kind]:
                found.append(source.diagnostic((kind, index), "E362",
                                               f"the parents' site no longer publishes {_WHAT[kind]} '{item}'",
                                               hint=_PUBLIC_HINT))
    return found


def _origin(project: Project, kind: str, item: str) -> str:
    if kind == "clauses":
        return f" (from {project.sources.get('policy:' + item.split('#')[0], 'policies/')})"
    if kind == "trees":
        return f" (from {project.sources.get('tree:' + item, 'decision_trees/')})"
    if kind == "contacts":
        return " (from school.yml)" if item in project.school.contacts else " (a national service)"
    return " (from docs/)"


def public_list_text(published: dict[str, set[str]]) -> str:
    """The reviewed list as written by `generator public --update`."""
    lines = ["# What the public parents' site publishes, reviewed by a person. The build fails when the",
             "# parents' site would publish anything else. After reviewing a change (an audience widened,",
             "# a guide or contact made public), record it with: python -m generator public --update"]
    for kind in PUBLISHED_KINDS:
        items = sorted(published[kind])
        lines.append(f"{kind}:" + ("" if items else " []"))
        lines += [f"  - {json.dumps(item)}" for item in items]
    return "\n".join(lines) + "\n"


def unpublished_sentences(project: Project, staff: RenderedSite) -> list[Diagnostic]:
    """Every sentence of a policy's approved document that the staff site's pages of it do not hold."""
    found = []
    paths = list(staff.docs)
    home = None  # the home page's text, made once for every policy rather than once each
    for policy in project.policies:
        document = project.documents.get(policy.id)
        if document is None:
            continue
        # The policy's own pages, and the home page, which carries the school's vision, values and
        # inclusion statement that every policy document repeats on its cover. Only these pages are read: a
        # built site's pages are kept compressed (render/site_files.py).
        pages = []
        for path in paths:
            if path == "index.md":
                home = home if home is not None else markdown_text(staff.docs[path])
                pages.append(home)
            elif path.startswith(f"policies/{policy.id}/"):
                pages.append(markdown_text(staff.docs[path]))
        pages += project.overridden.get(policy.id, [])
        deviations = [(deviation.original, deviation.published) for deviation in policy.deviations]
        for sentence in missing_sentences(source_sentences(document.text), "\n".join(pages), deviations):
            if cover_line_shown(sentence.text, policy):
                continue
            excerpt = sentence.text if len(sentence.text) <= 60 else sentence.text[:57] + "..."
            found.append(Diagnostic(
                document.display, sentence.line, sentence.column, "E354",
                f"the staff site does not publish this sentence of the approved document: '{excerpt}'",
                hint=f"publish it word for word in {project.sources[f'policy:{policy.id}']}, or record the "
                     "change under 'deviations:' with the original words and the reason"))
    return found


def generate(root: Path, work_dir: Path, today: date, preview: bool = False,
             cache: ResultCache | None = None, guide_cache: GuideCache | None = None,
             write: Callable[[RenderedSite, Path], object] = write_sources) -> Result:
    """Check and write the Markdown sources only (what `mkdocs serve` watches).

    ``preview`` (the live preview) shows editors' notes on the staff site and prints no PDF: it keeps
    the ones it has, so a save shows in seconds. ``write``: how a site's folder is written (``serve`` keeps what it
    wrote, authoring/serve_sources.py).
    """
    result = render(root, today, preview=preview, cache=cache, guide_cache=guide_cache)
    if result.rendered:
        attach_pdfs(result.project, result.rendered, work_dir / PDF_CACHE_DIR, work_dir if preview else None)
        for name, site in result.rendered.items():
            write(site, work_dir / name)
    return result


def build(root: Path, output: Path, work_dir: Path, today: date, sites: tuple[str, ...] | None = None,
          force: bool = False, raw: RawInputs | None = None) -> Result:
    """Check, render and build; the output folder changes only if everything succeeds.

    A site already built from the same inputs is not rebuilt unless ``force``: when the raw inputs
    (:mod:`generator.checks.freshness`) are those of the last build of every site asked for, nothing is even
    loaded; otherwise a site whose rendered sources are unchanged is still not rebuilt. ``raw``: the raw
    inputs if the caller has hashed them already (the CLI checks them before importing this module)."""
    names = tuple(name for name in SITES if sites is None or name in sites)
    raw = raw or raw_inputs(root, today, names)
    if not force and unchanged(output, raw) and all(as_built(output / name) for name in names):
        return Result(unchanged=True, diagnostics=unchanged_preview(output, names))
    # A build is a new process: what it keeps between builds is on disk in the work folder (each file's check, each
    # guide's output), under keys that are pure functions of the project and the tool, so that one guide's edit
    # checks one file and renders one guide (issue 30). --force reads none of it (the guides' outputs are written
    # afresh for the next build).
    result = render(root, today, cache=None if force else ResultCache(work_dir / CHECK_CACHE_DIR),
                    guide_cache=GuideCache(GuideStore(work_dir / GUIDE_CACHE_DIR, read=not force)), packed=True)
    if not result.rendered:
        return result
    rendered = {name: site for name, site in result.rendered.items() if name in names}
    attach_pdfs(result.project, rendered, work_dir / PDF_CACHE_DIR)
    try:
        version = version_info(root, data_files(root), today, result.project.school.id, git=raw.git)
        if result.preview_only:
            version[PREVIEW_KEY] = result.preview_only  # `publish` refuses it without --preview
        result.built = build_sites(rendered, work_dir, output, version, raw_keys=raw.keys,
                                   allow_http=result.project.school.site.allow_http_links, force=force,
                                   check_built=_leak_gate(root, result.project, result.rendered["parents"],
                                                          None if force else work_dir / LEAK_CACHE_DIR))
    except DiagnosticError as error:
        result.diagnostics.extend(error.diagnostics)
        result.project = None
    return result


CHECK_CACHE_DIR = "check-cache"
"""In the work folder: what the check keeps of each file (load/file_cache.py; `check` keeps its own there too)."""
GUIDE_CACHE_DIR = "guide-cache"
"""In the work folder: each guide's rendered output, by the key of what its page reads (render/guide_store.py)."""
LEAK_CACHE_DIR = "leak-cache"
"""In the work folder: the text of each PDF of the parents' site, by its bytes' hash, and what the leak check found
in each part of the site, by the part's bytes (build/leak_cache.py)."""


def _leak_gate(root: Path, project: Project, parents: RenderedSite, pdf_texts: Path | None):
    """The leak check (generator/build/leaks.py) of a built parents' site, against the reviewed list (or, before
    there is one, what the renderer recorded publishing: staff-only texts are looked for either way).
    ``pdf_texts``: where the PDFs' texts and the parts' answers are kept (None with --force: all read again)."""
    reviewed = project.public_list[1] if project.public_list else PublicList(
        **{kind: sorted(items) for kind, items in parents.published.items()})
    files = data_files(root) + [path for path in (root / OVERRIDES_FILE,) if path.is_file()]

    def check_built(name: str, folder: Path) -> list[Diagnostic]:
        return leak_diagnostics(project, reviewed, folder, root, files, pdf_texts) if name == "parents" else []
    return check_built


def unchanged_preview(output: Path, sites) -> list[Diagnostic]:
    """An unchanged build's S701 (placeholder DSL contacts) and W520 (starter content), as its version.json recorded
    them: still a preview."""
    found = []
    for reason in recorded_preview(output, sites):
        path, starter, message = reason.partition(": ")  # W520's reasons name their file first
        if starter and STARTER_MESSAGE in message:
            found.append(Diagnostic(path, 1, 1, STARTER_CODE, message, severity=Severity.WARNING))
        else:
            found.append(Diagnostic("school.yml", 1, 1, PLACEHOLDER_CODE, reason, severity=Severity.WARNING))
    return found


def data_files(root: Path) -> list[Path]:
    files = [root / "school.yml", root / "glossary.yml"]
    files += sorted((root / "policies").glob("*.yml")) + sorted((root / "decision_trees").glob("*.yml"))
    files += sorted((root / "decision_trees" / "shared").glob("*.yml")) + [root / "sources.yml"]
    files += sorted((root / "docs").rglob("*.md"))
    return [path for path in files if path.is_file()]


@dataclass
class DiffResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    changes: "Changes | None" = None
    written: list[Path] = field(default_factory=list)


def diff(old_root: Path, new_root: Path, out: Path, today: date, old_name: str, new_name: str) -> DiffResult:
    """Validate both versions, compare them, and write changes.md, changes.html and changes.pdf to ``out``."""
    from generator.authoring.diff import compare, render_html, render_markdown
    from generator.build.pdf import html_to_pdf

    result = DiffResult()
    old, new = check(old_root, today), check(new_root, today)
    for checked in (old, new):
        result.diagnostics += [d for d in checked.diagnostics if d.is_error]
    if not (old.ok and new.ok):
        return result
    result.changes = compare(old.project, new.project, old_name, new_name)
    out.mkdir(parents=True, exist_ok=True)
    html = render_html(result.changes)
    for name, content in (("changes.md", render_markdown(result.changes).encode("utf-8")),
                          ("changes.html", html.encode("utf-8")), ("changes.pdf", html_to_pdf(html))):
        (out / name).write_bytes(content)
        result.written.append(out / name)
    return result
