"""The pinned requirement files are complete: CI installs exactly them on a clean machine.

The bug these tests exist to catch: a package installed by hand in a developer's venv (or lost in a
merge of requirements.txt) — everything passes locally, and CI on a clean clone fails with
"No module named 'pypdf'". Both checks read the source and the pin files, not the venv's contents.
"""
from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[2]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(filename: str) -> dict[str, str]:
    """name -> version for every `name==version` line, following `-r other.txt`."""
    found: dict[str, str] = {}
    for line in (REPO / filename).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            found.update(pins(line[3:].strip()))
            continue
        name, _, version = line.partition("==")
        assert version, f"{filename}: {line!r} is not pinned with =="
        found[canonical(name)] = version
    return found


def test_no_package_is_pinned_twice():
    for filename in ("requirements.txt", "requirements-test.txt"):
        names = [canonical(line.split("==")[0]) for line in (REPO / filename).read_text().splitlines()
                 if line.strip() and not line.startswith(("#", "-r"))]
        assert len(names) == len(set(names)), f"{filename} pins {sorted({n for n in names if names.count(n) > 1})} twice"


PROJECT_CODE = ("generator", "tests", "scripts", "bench", "checks")
"""The project's own Python folders (scripts and tests import their neighbours by path)."""


def local_module_names() -> set[str]:
    names = {path.stem for path in REPO.glob("*.py")}
    for folder in PROJECT_CODE:
        if (REPO / folder).is_dir():
            names |= {path.stem if path.suffix == ".py" else path.name
                      for path in [REPO / folder, *(REPO / folder).rglob("*")]}
    return names


def third_party_imports(folder: Path) -> set[str]:
    local = local_module_names()
    modules: set[str] = set()
    for path in folder.rglob("*.py"):
        if "fixtures" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return {m for m in modules if m not in sys.stdlib_module_names and m not in local and m != "__future__"}


def distributions_of(modules: set[str]) -> dict[str, set[str]]:
    by_module = metadata.packages_distributions()
    return {module: {canonical(d) for d in by_module.get(module, [])} for module in modules}


def test_every_import_of_the_tool_is_pinned_in_requirements_txt():
    pinned = set(pins("requirements.txt"))
    unpinned = {module: dists for module, dists in distributions_of(third_party_imports(REPO / "generator")).items()
                if not dists & pinned}
    assert unpinned == {}, "generator/ imports these, but requirements.txt does not pin them"


def test_every_import_of_the_tests_and_scripts_is_pinned():
    pinned = set(pins("requirements-test.txt"))
    modules = set()
    for folder in PROJECT_CODE[1:]:
        if (REPO / folder).is_dir():
            modules |= third_party_imports(REPO / folder)
    unpinned = {module: dists for module, dists in distributions_of(modules).items() if not dists & pinned}
    assert unpinned == {}, "these are imported, but requirements-test.txt does not pin them"


def test_the_pins_include_every_dependency_of_every_pin():
    """Unpinned dependencies would be resolved afresh on every clean machine, to whatever is newest."""
    for filename in ("requirements.txt", "requirements-test.txt"):
        pinned = pins(filename)
        missing = set()
        for name in pinned:
            for spec in metadata.requires(name) or []:
                requirement = Requirement(spec)
                if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                    continue
                if canonical(requirement.name) not in pinned:
                    missing.add(f"{requirement.name} (needed by {name})")
        assert missing == set(), f"{filename} does not pin: {sorted(missing)}"
