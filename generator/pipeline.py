"""The stages joined up: load -> validate -> render -> build. Returns diagnostics; never prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.build import build_sites, version_info, write_sources
from generator.diagnostics import Diagnostic, DiagnosticError
from generator.faithfulness import markdown_text, missing_sentences, source_sentences
from generator.load import load_project
from generator.project import Project
from generator.render import RenderedSite, render_project
from generator.validate import validate_project

CODE_ROOT = Path(__file__).resolve().parent.parent
BASE_CONFIG = CODE_ROOT / "mkdocs.yml"
THEME_DIR = CODE_ROOT / "theme"


@dataclass
class Result:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    project: Project | None = None
    rendered: dict[str, RenderedSite] | None = None

    @property
    def ok(self) -> bool:
        return self.project is not None and not any(d.is_error for d in self.diagnostics)


def check(root: Path, today: date) -> Result:
    loaded = load_project(root)
    project, diagnostics = validate_project(loaded, today)
    return Result(sorted(diagnostics), project)


def render(root: Path, today: date) -> Result:
    """Check, render both sites in memory, and check that the staff site publishes each policy whole."""
    result = check(root, today)
    if result.ok:
        result.rendered = render_project(result.project, BASE_CONFIG, THEME_DIR)
        missing = unpublished_sentences(result.project, result.rendered["staff"])
        if missing:
            result.diagnostics = sorted(result.diagnostics + missing)
            result.project, result.rendered = None, None
    return result


def unpublished_sentences(project: Project, staff: RenderedSite) -> list[Diagnostic]:
    """Every sentence of a policy's approved document that the staff site's pages of it do not hold."""
    found = []
    for policy in project.policies:
        document = project.documents.get(policy.id)
        if document is None:
            continue
        # The policy's own pages, and the home page, which carries the school's vision, values and
        # inclusion statement that every policy document repeats on its cover.
        pages = [markdown_text(text) for path, text in staff.docs.items()
                 if path.startswith(f"policies/{policy.id}/") or path == "index.md"]
        deviations = [(deviation.original, deviation.published) for deviation in policy.deviations]
        for sentence in missing_sentences(source_sentences(document.text), "\n".join(pages), deviations):
            excerpt = sentence.text if len(sentence.text) <= 60 else sentence.text[:57] + "..."
            found.append(Diagnostic(
                document.display, sentence.line, sentence.column, "E354",
                f"the staff site does not publish this sentence of the approved document: '{excerpt}'",
                hint=f"publish it word for word in {project.sources[f'policy:{policy.id}']}, or record the "
                     "change under 'deviations:' with the original words and the reason"))
    return found


def generate(root: Path, work_dir: Path, today: date) -> Result:
    """Check and write the Markdown sources only (what `mkdocs serve` watches)."""
    result = render(root, today)
    if result.rendered:
        for name, site in result.rendered.items():
            write_sources(site, work_dir / name)
    return result


def build(root: Path, output: Path, work_dir: Path, today: date, sites: tuple[str, ...] | None = None) -> Result:
    """Check, render and build; the output folder changes only if everything succeeds."""
    result = render(root, today)
    if not result.rendered:
        return result
    rendered = {name: site for name, site in result.rendered.items() if sites is None or name in sites}
    try:
        build_sites(rendered, work_dir, output, version_info(root, data_files(root), today))
    except DiagnosticError as error:
        result.diagnostics.extend(error.diagnostics)
        result.project = None
    return result


def data_files(root: Path) -> list[Path]:
    files = [root / "school.yml", root / "glossary.yml"]
    files += sorted((root / "policies").glob("*.yml")) + sorted((root / "decision_trees").glob("*.yml"))
    files += sorted((root / "docs").rglob("*.md"))
    return [path for path in files if path.is_file()]
