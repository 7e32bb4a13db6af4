"""The stages joined up: load -> validate -> render -> build. Returns diagnostics; never prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.build import build_sites, version_info, write_sources
from generator.diagnostics import Diagnostic, DiagnosticError
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
    result = check(root, today)
    if result.ok:
        result.rendered = render_project(result.project, BASE_CONFIG, THEME_DIR)
    return result


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
