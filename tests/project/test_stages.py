"""The package's folders are the pipeline's stages (ARCHITECTURE.md): load -> checks -> render -> build -> publish,
with the authoring commands beside them and cli and pipeline above them. A stage imports only itself and earlier
stages, so a stage can be read, tested and changed without the ones after it. The few imports against the flow that
remain are listed here, each with why, so that a new one is a decision this test records (planted: an import of
generator.build.gate added to generator/checks/validate.py -> red)."""

from __future__ import annotations

import ast
from pathlib import Path

from support import REPO

STAGES = ["load", "checks", "render", "build", "publish"]

KNOWN_BACKWARD = {
    # The 404 page carries the one inline script the gate allows; its text is defined once, by the gate.
    ("generator/render/renderer.py", "generator.build.gate"),
    # A trust's shared files are validated as they are read, with the schema messages of check.
    ("generator/load/trust.py", "generator.checks.schema_messages"),
    # check renders the sites in memory to find what a page would link to that does not exist.
    ("generator/checks/pages.py", "generator.render.renderer"),
    # The offline bundle is a build of its own (render, mkdocs, gate, CSP), run through the pipeline.
    ("generator/publish/bundle.py", "generator.pipeline"),
}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "generator":
                names.update(f"generator.{alias.name}" for alias in node.names)
            else:
                names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("generator.")}


def _stage(dotted: str) -> str | None:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_the_package_is_laid_out_by_stage():
    folders = {path.name for path in (REPO / "generator").iterdir() if (path / "__init__.py").is_file()}
    assert set(STAGES) | {"authoring", "cli"} <= folders
    loose = sorted(path.name for path in (REPO / "generator").glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "pipeline.py"]


def test_no_stage_imports_a_later_one():
    backward = set()
    for stage in STAGES:
        for path in sorted((REPO / "generator" / stage).rglob("*.py")):
            for name in _imports(path):
                imported = _stage(name)
                if imported and STAGES.index(imported) > STAGES.index(stage):
                    backward.add((path.relative_to(REPO).as_posix(), name))
                if name.startswith(("generator.authoring", "generator.cli", "generator.pipeline")):
                    backward.add((path.relative_to(REPO).as_posix(), name))
    assert backward == KNOWN_BACKWARD
