"""Move generator/'s modules into folders by stage (issue 24, item 1), rewriting every reference to them.

Run once, from a clean checkout, after every branch is merged:

    .venv/bin/python scripts/restructure.py --plan      # the table below, and any module it does not place
    .venv/bin/python scripts/restructure.py             # git mv + rewrite; review `git diff -M --stat`, then commit

Where each module goes (the folder listing reads as the pipeline: data in -> checks -> render -> build -> publish,
with the authoring commands beside it; ``cli`` stays the only module that prints):

| now (generator/)        | stage folder    | new place (generator/)           |
| ----------------------- | --------------- | -------------------------------- |
| load.py                 | data in         | load/loader.py                   |
| models/                 | data in         | load/models/                     |
| project.py              | data in         | load/project.py                  |
| trust.py                | data in         | load/trust.py                    |
| front_matter.py         | data in         | load/front_matter.py             |
| paths.py                | data in         | load/paths.py                    |
| cover.py                | checks          | checks/cover.py (read by check and the importer) |
| diagnostics.py          | data in         | load/diagnostics.py              |
| site_settings.py        | data in         | load/site_settings.py            |
| validate.py             | checks          | checks/validate.py               |
| rules/                  | checks          | checks/rules/                    |
| leaks.py                | build           | build/leaks.py (a gate of the built parents' site) |
| urls.py                 | data in         | load/urls.py (the models judge addresses with it) |
| faithfulness.py         | checks          | checks/faithfulness.py           |
| freshness.py            | checks          | checks/freshness.py              |
| markup.py               | checks          | checks/markup.py                 |
| render.py               | render          | render/renderer.py               |
| templating.py           | render          | render/templating.py             |
| text_html.py            | render          | render/text_html.py              |
| diagram.py              | render          | render/diagram.py                |
| document.py             | render          | render/document.py               |
| guide_steps.py          | render          | render/guide_steps.py            |
| search_index.py         | render          | render/search_index.py           |
| format_reference.py     | authoring       | authoring/format_reference.py (schema --reference) |
| ical.py                 | render          | render/ical.py                   |
| build.py                | build           | build/mkdocs_build.py            |
| gate.py                 | build           | build/gate.py                    |
| pipeline.py             | (stays)         | the package's root: it runs every stage |
| pdf.py                  | build           | build/pdf.py                     |
| serve_hook.py           | authoring       | authoring/serve_hook.py (beside serve) |
| publish.py              | publish         | publish/publisher.py             |
| bundle.py               | publish         | publish/bundle.py                |
| init.py                 | authoring       | authoring/init.py                |
| scaffold.py             | authoring       | authoring/scaffold.py            |
| importer/               | authoring       | authoring/importer/              |
| diff.py                 | authoring       | authoring/diff.py                |
| schema.py               | authoring       | authoring/schema.py              |
| serve.py                | authoring       | authoring/serve.py               |
| containment.py          | data in         | load/containment.py              |
| guide_graph.py          | checks          | checks/guide_graph.py            |
| gate_trace.py           | build           | build/gate_trace.py              |
| site_manifest.py        | build           | build/site_manifest.py           |
| publish_gate.py         | publish         | publish/publish_gate.py          |
| cli.py, __init__.py, __main__.py | (stay) | the package's root               |

Choices made here:
- A module named like its stage's folder is renamed inside it (build.py -> build/mkdocs_build.py,
  render.py -> render/renderer.py, load.py -> load/loader.py, publish.py -> publish/publisher.py); each stage's
  ``__init__.py`` holds a docstring only and re-exports nothing, so every import names the module it uses.
- ical.py goes to render/, not publish/: the renderer writes the review calendar (render -> publish would be an
  import against the flow).
- The tool's files that are not code stay at the package's root (templates/, theme/, mkdocs.yml, guide/,
  starter/, data/, assets/): they are paths in the README, the package data, the freshness key, the tests and
  the schools' documentation, and moving them is a change of its own. Modules moved a level down reach them
  with one more ``.parent``.

What is rewritten (in generator/, tests/, checks/, bench/, scripts/, pyproject.toml, Makefile, README.md,
bench/README.md, PUBLISHING.md and .github/): ``from generator import x`` (split per stage, local names kept:
``from generator import build as b`` -> ``from generator.build import mkdocs_build as b``), every dotted name
``generator.x`` (imports, monkeypatch and importlib strings), every path ``generator/x.py`` and
``"generator" / "x.py"``, ``Path(__file__)`` in moved modules, and the few lines listed in SPECIAL_EDITS; the texts in PROTECTED are kept.
The tool's pages (generator/guide/*.md), templates and theme are not rewritten: they are part of the built sites,
which must stay byte-identical (scripts/compare_builds.py checks).

If it stops half-way (it says why), `git reset --hard && git clean -fd generator` undoes it. It refuses to run twice, on a checkout with uncommitted changes, or when generator/ holds a module the table
does not place (a module added since: add it to MOVES). Nothing is committed: review, test, then commit.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

STAGES = {
    "load": "Data in: the school's files read with their positions, the models that validate them, the project.",
    "checks": "Checks: cross references, the safety rules (one module per rule), the guides' graph, freshness.",
    "render": "Render: the validated project into each site's Markdown, includes and MkDocs config.",
    "build": "Build: mkdocs build --strict for each site, the guides' steps, the safety gate, the atomic swap.",
    "publish": "Publish: a built site to its server, the offline bundle.",
    "authoring": "Authoring commands: init, new, import, diff, schema, serve.",
}

MOVES: dict[str, str] = {
    # module or package now directly in generator/ -> its new dotted place under generator.
    "load": "load.loader", "models": "load.models", "project": "load.project", "trust": "load.trust",
    "front_matter": "load.front_matter", "paths": "load.paths",
    "diagnostics": "load.diagnostics", "site_settings": "load.site_settings", "urls": "load.urls",
    "validate": "checks.validate", "rules": "checks.rules", "cover": "checks.cover",
    "faithfulness": "checks.faithfulness", "freshness": "checks.freshness", "markup": "checks.markup",
    "render": "render.renderer", "templating": "render.templating", "text_html": "render.text_html",
    "diagram": "render.diagram", "document": "render.document", "guide_steps": "render.guide_steps",
    "search_index": "render.search_index", "ical": "render.ical",
    "build": "build.mkdocs_build", "gate": "build.gate", "pdf": "build.pdf", "leaks": "build.leaks",
    "publish": "publish.publisher", "bundle": "publish.bundle",
    "init": "authoring.init", "scaffold": "authoring.scaffold", "importer": "authoring.importer",
    "diff": "authoring.diff", "schema": "authoring.schema", "serve": "authoring.serve",
    "serve_hook": "authoring.serve_hook", "format_reference": "authoring.format_reference",
    # Added by the branches merged after the table was written (issue 23):
    "containment": "load.containment", "guide_graph": "checks.guide_graph", "gate_trace": "build.gate_trace",
    "site_manifest": "build.site_manifest", "publish_gate": "publish.publish_gate",
}
STAY = {"__init__", "__main__", "cli", "pipeline"}
"""cli parses and prints; pipeline runs the stages in order (load, checks, render, build, publish): both stand
above the stages, so they stay at the package's root."""
RESOURCES = {"templates", "theme", "guide", "starter", "data", "assets", "mkdocs.yml", "__pycache__"}
"""Files and folders of the package that are not modules: they stay where they are."""

SPECIAL_EDITS: list[tuple[str, str, str]] = [
    # (file after the move, text after the general rewrites, replacement): lines no general rule can read.
    # The hook is a file beside serve.py in authoring/, named from the package's root.
    ("generator/authoring/serve.py", '.parent.parent / "serve_hook.py"', '.parent.parent / "authoring" / "serve_hook.py"'),
    # The freshness test edits "the generator's code" in a copy of the package.
    ("tests/test_freshness.py", 't / "render.py"', 't / "render" / "renderer.py"'),
]

PROTECTED = [
    # Text that must stay exactly as the tool's files (not rewritten) hold it: the marker the theme's guide.html
    # writes, which guide_steps.py looks for in the built page.
    "<!-- the guide's steps (generator/guide_steps.py) -->",
]

TEXT_FILES = ["pyproject.toml", "Makefile", "README.md", "PUBLISHING.md", "bench/README.md", ".ci"]
CODE_FOLDERS = ["generator", "tests", "checks", "bench", "scripts"]
NOT_REWRITTEN = ("generator/templates/", "generator/theme/", "generator/guide/", "generator/starter/",
                 "generator/data/", "tests/fixtures/", "tests/broken/", "scripts/restructure.py",
                 "tests/test_restructure.py")


class Refused(Exception):
    pass


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], check=True, capture_output=True, text=True).stdout


_PACKAGES: set[str] = set()
"""The names of MOVES that are packages (models/, rules/, importer/), found before anything moves."""


def is_package(name: str) -> bool:
    if not _PACKAGES:
        _PACKAGES.update(name for name in MOVES if (REPO / "generator" / name / "__init__.py").is_file())
    return name in _PACKAGES


def new_path(name: str) -> str:
    """'build' -> 'generator/build/mkdocs_build.py'; 'models' -> 'generator/load/models'."""
    dotted = MOVES[name].replace(".", "/")
    return f"generator/{dotted}" + ("" if is_package(name) else ".py")


def unplaced() -> list[str]:
    """Modules or packages in generator/ that the table does not place."""
    found = []
    for path in sorted((REPO / "generator").iterdir()):
        name = path.stem if path.suffix == ".py" else path.name
        if path.name in RESOURCES or name in STAY or name in MOVES:
            continue
        if path.suffix == ".py" or (path / "__init__.py").is_file():
            found.append(path.name)
    return found


def preconditions() -> None:
    if (REPO / "generator" / "load" / "__init__.py").exists() or (REPO / "generator" / "checks").exists():
        raise Refused("generator/ is already in stage folders (generator/load/ or generator/checks/ exists): "
                      "this script runs once")
    missing = [name for name in MOVES if not (REPO / "generator" / f"{name}.py").is_file()
               and not (REPO / "generator" / name / "__init__.py").is_file()]
    if missing:
        raise Refused(f"these modules of the table are not in generator/: {', '.join(missing)} "
                      "(renamed or split since? update MOVES)")
    if unplaced():
        raise Refused(f"generator/ holds modules the table does not place: {', '.join(unplaced())} "
                      "(add each to MOVES with its stage)")
    if git("status", "--porcelain", "--untracked-files=no").strip():
        raise Refused("the checkout has uncommitted changes: commit or stash them first, so the move is a "
                      "commit of its own")


# --- the rewrites -----------------------------------------------------------------------------------------

_NAMES = "|".join(sorted(MOVES, key=len, reverse=True))
_DOTTED = re.compile(rf"\bgenerator\.({_NAMES})\b(?!\.py)")
_SLASHED = re.compile(rf"\bgenerator/({_NAMES})(\.py\b|/)")
_JOINED = re.compile(rf"""(["'])generator\1 / (["'])({_NAMES})\.py\2""")
_FILE_PARENT = re.compile(r"Path\(__file__\)(\.resolve\(\))?((?:\.parent)+)")


def _dotted(match: re.Match) -> str:
    return f"generator.{MOVES[match.group(1)]}"


def _slashed(match: re.Match) -> str:
    name, tail = match.group(1), match.group(2)
    target = MOVES[name].replace(".", "/")
    return f"generator/{target}{tail}"


def _joined(match: re.Match) -> str:
    quote, name = match.group(2), match.group(3)
    parts = MOVES[name].split(".")
    return f"{match.group(1)}generator{match.group(1)} / " + " / ".join(
        f"{quote}{part}{quote}" for part in parts[:-1]) + f" / {quote}{parts[-1]}.py{quote}"


def rewrite_from_generator_imports(text: str) -> str:
    """``from generator import a, b as c`` -> one ``from generator.<stage> import …`` per module, in place."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    lines = text.splitlines(keepends=True)
    edits = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ImportFrom) and node.module == "generator" and node.level == 0):
            continue
        first, last = node.lineno - 1, node.end_lineno - 1
        indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
        tail = lines[last][node.end_col_offset:].rstrip("\n")
        statements, kept = [], []
        for alias in node.names:
            if alias.name not in MOVES:
                kept.append(alias.name + (f" as {alias.asname}" if alias.asname else ""))
                continue
            package, _, module = f"generator.{MOVES[alias.name]}".rpartition(".")
            local = alias.asname or alias.name
            statements.append(f"from {package} import {module}" + (f" as {local}" if local != module else ""))
        if kept:
            statements.insert(0, f"from generator import {', '.join(kept)}")
        if statements == [f"from generator import {', '.join(kept)}"]:
            continue
        new = "".join(f"{indent}{statement}{tail}\n" for statement in statements)
        edits.append((first, last, new))
    for first, last, new in sorted(edits, reverse=True):
        lines[first:last + 1] = [new]
    return "".join(lines)


def rewrite(text: str, python: bool, depth: int = 0) -> str:
    kept = {f"\0protected{index}\0": protected for index, protected in enumerate(PROTECTED) if protected in text}
    for token, protected in kept.items():
        text = text.replace(protected, token)
    text = _rewrite(text, python, depth)
    for token, protected in kept.items():
        text = text.replace(token, protected)
    return text


def _rewrite(text: str, python: bool, depth: int) -> str:
    # Dotted names first: the import statements written next name the new packages, which must not be read again.
    text = _DOTTED.sub(_dotted, text)
    text = _SLASHED.sub(_slashed, text)
    if python:
        text = _JOINED.sub(_joined, text)
        text = rewrite_from_generator_imports(text)
    if depth:
        text = _FILE_PARENT.sub(lambda m: f"Path(__file__){m.group(1) or ''}{m.group(2)}{'.parent' * depth}", text)
    return text


def rewrite_build_code(text: str) -> str:
    """build.py's list of its own code, named beside it: now named from the package's root."""
    pattern = re.compile(r"Path\(__file__\)\.with_name\(name\) for name in\s*\(([^)]*)\)")
    match = pattern.search(text)
    if not match:
        raise Refused("generator/build/mkdocs_build.py: _BUILD_CODE is no longer 'Path(__file__).with_name(name) "
                      "for name in (…)': update rewrite_build_code")
    names = re.findall(r'"([a-z_]+)\.py"', match.group(1))
    paths = [MOVES[name].replace(".", "/") + ".py" if name in MOVES else f"{name}.py" for name in names]
    listed = "".join(f'\n                   "{path}",' for path in paths)
    return text[:match.start()] + f"Path(__file__).resolve().parent.parent / name for name in ({listed}\n               )" \
        + text[match.end():]


def files_to_rewrite() -> list[Path]:
    tracked = git("ls-files", *CODE_FOLDERS, *TEXT_FILES, ".github").splitlines()
    return [REPO / path for path in tracked
            if not path.startswith(NOT_REWRITTEN) and (REPO / path).is_file()
            and (path.endswith((".py", ".toml", ".yml", ".yaml", ".md", ".cfg", ".sh")) or path == "Makefile")]


def move() -> list[tuple[str, str]]:
    moved = []
    for stage, doc in STAGES.items():
        (REPO / "generator" / stage).mkdir()
    for name in MOVES:
        source = f"generator/{name}" + ("" if is_package(name) else ".py")
        target = new_path(name)
        git("mv", source, target)
        moved.append((source, target))
    for stage, doc in STAGES.items():
        init = REPO / "generator" / stage / "__init__.py"
        init.write_text(f'"""{doc}\n\nEach module is imported by its own name; nothing is re-exported here."""\n',
                        encoding="utf-8")
        git("add", str(init.relative_to(REPO)))
    return moved


def apply() -> list[tuple[str, str]]:
    preconditions()
    is_package("models")  # which names are packages, read while they are still in generator/
    moved = move()
    depth_of = {}
    for name, dotted in MOVES.items():
        target = REPO / new_path(name)
        for path in [target] if target.suffix == ".py" else sorted(target.rglob("*.py")):
            depth_of[path] = dotted.count(".")
    changed = 0
    for path in files_to_rewrite():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # a test's data in another encoding on purpose: not code
            continue
        new = rewrite(text, path.suffix == ".py", depth_of.get(path, 0))
        if path == REPO / "generator" / "build" / "mkdocs_build.py":
            new = rewrite_build_code(new)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed += 1
    for relative, old, replacement in SPECIAL_EDITS:
        path = REPO / relative
        text = path.read_text(encoding="utf-8")
        if text.count(old) != 1:
            raise Refused(f"{relative}: expected {old!r} once, found it {text.count(old)} times: update SPECIAL_EDITS")
        path.write_text(text.replace(old, replacement), encoding="utf-8")
    print(f"moved {len(moved)} modules and packages into {len(STAGES)} stage folders; rewrote {changed} files")
    for source, target in moved:
        print(f"  {source} -> {target}")
    return moved


def verify() -> None:
    """Every module of the package imports, in a fresh interpreter that sees this checkout first."""
    modules = sorted(".".join(path.relative_to(REPO).with_suffix("").parts)
                     for path in (REPO / "generator").rglob("*.py")
                     if "starter" not in path.parts and path.name not in ("__main__.py", "serve_hook.py"))
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    result = subprocess.run([sys.executable, "-c", code, *modules], cwd=REPO, capture_output=True, text=True,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    if result.returncode:
        raise Refused(f"after the move a module does not import:\n{result.stderr}")
    print(f"all {len(modules)} modules import")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", action="store_true", help="print where each module goes, and what is unplaced")
    args = parser.parse_args(argv)
    if args.plan:
        for name in MOVES:
            source = f"generator/{name}" + ("/" if is_package(name) else ".py")
            print(f"{source:32} -> {new_path(name)}")
        if unplaced():
            print(f"NOT PLACED (add to MOVES): {', '.join(unplaced())}")
            return 1
        return 0
    try:
        apply()
        verify()
    except Refused as error:
        print(f"restructure: {error}", file=sys.stderr)
        return 1
    print("review with `git status` and `git diff -M --stat`, run the tests and scripts/compare_builds.py, "
          "then commit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
