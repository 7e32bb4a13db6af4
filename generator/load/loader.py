"""Read a school's project: every data file, page and original document, as plain values with positions.

``load_project`` is the entry: it finds the project's files (``files.py``: ordinary files only), parses each
with the YAML reader's hard rules (``strict_yaml.py``), reads the hand-written pages and each policy's
original document, and adds the policies of the trust the school belongs to (``trust_files.py``). Nothing is
validated here (that is ``generator/checks/``); every problem found is a Diagnostic in the result.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.load.containment import OUTSIDE_HINT, leaves, trust_left_behind
from generator.load.diagnostics import Diagnostic, DiagnosticError, display_path
from generator.load.files import _display, list_files, present, read_text
from generator.load.pack import LoadedPack, load_pack
from generator.load.source import Document, Source
from generator.load.strict_yaml import load_yaml
from generator.load.trust_files import OVERRIDES_FILE, SCHOOL_NAME, TRUST_FILE, find_trust, trust_policies_folder

@dataclass
class LoadedProject:
    """Every data file of a school's project, parsed but not yet validated."""

    root: Path
    school: Source | None
    glossary: Source | None
    policies: list[Source]
    trees: list[Source]
    pages: list  # list[generator.load.project.Page]
    diagnostics: list[Diagnostic]
    documents: dict[str, "Document"] = field(default_factory=dict)
    """Each policy's original document (its `source:`), by the policy file's display path."""
    public_list: Source | None = None
    """published-to-parents.yml: the reviewed list of what the parents' site publishes (if there is one)."""
    groups: list[Source] = field(default_factory=list)
    """decision_trees/shared/*.yml: step groups used by several trees."""
    builtin_sources: Source | None = None
    """The tool's registry of external documents (generator/data/sources.yml); None when absent."""
    sources: Source | None = None
    """The school's own sources.yml (additions and overrides); None when absent."""
    services: Source | None = None
    """The tool's directory of national services (generator/data/services.yml); None when absent."""
    trust: Source | None = None
    """The trust.yml that lists this school's folder, if any."""
    trust_policies: list[Source] = field(default_factory=list)
    """The trust-wide policies every school of the trust publishes ('{{ school.name }}' already replaced)."""
    trust_overrides: Source | None = None
    """The school's trust-overrides.yml: its own wording of trust-wide clauses and pack steps, with reasons."""
    trust_wide_overrides: Source | None = None
    """The trust's <shared>/trust-overrides.yml: its versions of pack steps for all its schools, with reasons."""
    pack: LoadedPack | None = None
    """The pack of statutory guides school.yml adopts (`guide_pack:`); its guides and groups are in trees/groups."""


PUBLIC_LIST = "published-to-parents.yml"
"""The reviewed list of what the public site publishes (see generator/load/models/public.py)."""

PAGE_SITES = {"staff": ("staff",), "parents": ("parents",), "shared": ("staff", "parents")}
"""docs/<folder>/ -> the sites its hand-written pages appear on."""


TOOL_PAGES = Path(__file__).resolve().parent.parent / "guide"
"""Pages that come with the tool and are added to every staff site (the authors' guide), by file name."""

BUILTIN_DATA = Path(__file__).resolve().parent.parent / "data"
"""The tool's own data: sources.yml (external documents) and services.yml (national services)."""


def _replace_school_name(data: Any, name: str) -> Any:
    if isinstance(data, str):
        return SCHOOL_NAME.sub(lambda _: name, data)
    if isinstance(data, dict):
        return {key: _replace_school_name(value, name) for key, value in data.items()}
    if isinstance(data, list):
        return [_replace_school_name(value, name) for value in data]
    return data


def load_project(root: Path, data_dir: Path = BUILTIN_DATA, cache=None) -> LoadedProject:
    """Read school.yml, glossary.yml, policies/*.yml, decision_trees/*.yml (and shared/*.yml), sources.yml,
    docs/*/*.md under root, and the tool's built-in sources and services from data_dir (each optional).

    ``cache`` (:class:`generator.load.file_cache.ResultCache`): each data file unchanged since it was cached is
    not parsed again."""
    from generator.load.project import Page  # the Page record is shared with later stages

    diagnostics: list[Diagnostic] = []

    def parse(path: Path) -> Source | None:
        try:
            source = load_yaml(path, _display(path, root), cache)
        except DiagnosticError as error:
            diagnostics.extend(error.diagnostics)
            return None
        diagnostics.extend(source.warnings)
        return source

    def required(name: str) -> Source | None:
        path = root / name
        if not path.exists() and not path.is_symlink():
            diagnostics.append(Diagnostic(name, 1, 1, "E100", f"{name} is missing from {root}"))
            return None
        return parse(path)

    school = required("school.yml")
    glossary = required("glossary.yml")
    policy_files = list_files(root / "policies", (".yml", ".yaml"), root, diagnostics)
    tree_files = list_files(root / "decision_trees", (".yml", ".yaml"), root, diagnostics)
    group_files = list_files(root / "decision_trees" / "shared", (".yml", ".yaml"), root, diagnostics)
    policies = [s for s in (parse(p) for p in policy_files if p.suffix == ".yml") if s]
    trees = [s for s in (parse(p) for p in tree_files if p.suffix == ".yml") if s]
    groups = [s for s in (parse(p) for p in group_files if p.suffix == ".yml") if s]
    pack = load_pack(school, trees, groups, diagnostics, cache=cache)  # after the school's own: a file of the same name wins

    def optional(path: Path) -> Source | None:
        return parse(path) if present(path) else None

    builtin_sources = optional(data_dir / "sources.yml")
    services = optional(data_dir / "services.yml")
    sources = optional(root / "sources.yml")
    if not any(p.suffix == ".yml" for p in policy_files) and not any(
            d.code == "E107" and d.path.startswith("policies") for d in diagnostics):
        diagnostics.append(Diagnostic("policies", 1, 1, "E100", "no policy files found in policies/"))
    for stray in sorted(p for p in policy_files + tree_files + group_files if p.suffix != ".yml"):
        diagnostics.append(Diagnostic(_display(stray, root), 1, 1, "E106",
                                      "data files must end in .yml to be read",
                                      hint=f"rename it to {stray.stem}.yml"))
    pages = []
    if (root / "docs").is_symlink():
        diagnostics.append(Diagnostic("docs/", 1, 1, "E107", "a symbolic link, not an ordinary folder: "
                                      "data files must be ordinary files inside the project",
                                      hint="replace it with a copy of the folder itself"))
    for folder, sites in PAGE_SITES.items() if not (root / "docs").is_symlink() else ():
        base = root / "docs" / folder
        for path in list_files(base, (".md",), root, diagnostics, recursive=True):
            display = _display(path, root)
            try:
                text = read_text(path, display)
            except DiagnosticError as error:
                diagnostics.extend(error.diagnostics)
                continue
            pages.append(Page(path, display, path.relative_to(base).as_posix(), sites, text))
    # The tool's own pages, unless the school has a staff page of the same name (the school's wins).
    taken = {page.relative for page in pages if "staff" in page.sites}
    for path in sorted(TOOL_PAGES.glob("*.md")):
        if path.name not in taken:
            display = f"(generator)/guide/{path.name}"
            try:
                pages.append(Page(path, display, path.name, ("staff",), read_text(path, display)))
            except DiagnosticError as error:
                diagnostics.extend(error.diagnostics)
    documents = _load_documents(root, [(policy, root / "policies") for policy in policies], diagnostics)
    public_list = parse(root / PUBLIC_LIST) if (root / PUBLIC_LIST).exists() else None
    loaded = LoadedProject(root, school, glossary, policies, trees, pages, diagnostics, documents, public_list,
                           groups=groups, builtin_sources=builtin_sources, sources=sources, services=services,
                           pack=pack)
    _load_trust_policies(loaded, parse, cache)
    if present(root / OVERRIDES_FILE):  # a trust's school's, or a school's that adopted a guide pack
        loaded.trust_overrides = parse(root / OVERRIDES_FILE)
    return loaded


def _load_trust_policies(loaded: LoadedProject, parse, cache=None) -> None:
    """The trust's policies as this school publishes them: with its name, and its overrides file."""
    found = find_trust(loaded.root)
    left = trust_left_behind(loaded.root, TRUST_FILE) if found is None else None
    if left is not None:  # a school folder linked out of its trust's repository: its files are not the trust's
        loaded.diagnostics.append(Diagnostic(
            os.path.relpath(left, loaded.root), 1, 1, "E108", "this school's folder "
            f"'{os.path.relpath(os.path.abspath(loaded.root), left.parent)}' leads out of the repository through a "
            "symbolic link: nothing outside the folder holding trust.yml is read", hint=OUTSIDE_HINT))
    if found is None:
        return
    folder, trust = found
    loaded.trust = trust
    if not isinstance(trust.data, dict):
        return
    name = loaded.school.data.get("name") if loaded.school and isinstance(loaded.school.data, dict) else None
    base = trust_policies_folder(folder, trust)
    outside = leaves(base, folder)
    if outside:  # its policies would be read, and published, from another folder: read nothing of it
        policies = f"{base.parent.relative_to(folder) if base.parent.is_relative_to(folder) else base.parent}/policies"
        loaded.diagnostics.append(trust.diagnostic(
            ("shared",), "E108", f"'shared': the trust's policies folder '{policies[:100]}' {outside}: nothing outside "
            "the folder holding trust.yml is read", hint=OUTSIDE_HINT))
    for path in sorted(base.glob("*.yml")) if not outside else ():
        try:
            source = load_yaml(path, os.path.relpath(path, loaded.root), cache)
        except DiagnosticError as error:
            loaded.diagnostics.extend(error.diagnostics)
            continue
        loaded.diagnostics.extend(source.warnings)
        if isinstance(name, str):
            source.data = _replace_school_name(source.data, name)
        loaded.trust_policies.append(source)
    if not outside and present(base.parent / OVERRIDES_FILE):  # the trust's versions of pack steps
        try:
            loaded.trust_wide_overrides = load_yaml(base.parent / OVERRIDES_FILE,
                                                    os.path.relpath(base.parent / OVERRIDES_FILE, loaded.root))
            loaded.diagnostics.extend(loaded.trust_wide_overrides.warnings)
        except DiagnosticError as error:
            loaded.diagnostics.extend(error.diagnostics)
    documents = _load_documents(loaded.root, [(policy, base) for policy in loaded.trust_policies], loaded.diagnostics)
    for display, document in documents.items():
        text = SCHOOL_NAME.sub(lambda _: name, document.text) if isinstance(name, str) else document.text
        loaded.documents[display] = Document(document.display, text)


def _load_documents(root: Path, policies: list[tuple[Source, Path]],
                    diagnostics: list[Diagnostic]) -> dict[str, Document]:
    """Read the original document each policy names in `source:` (a path inside its policies/ folder)."""
    documents: dict[str, Document] = {}
    for policy, folder in policies:
        base = folder.resolve()
        name = policy.data.get("source") if isinstance(policy.data, dict) else None
        if not isinstance(name, str) or not name.strip():
            continue
        path = (folder / name)
        if not path.resolve().is_relative_to(base) or not path.is_file():
            diagnostics.append(policy.diagnostic(("source",), "E350",
                                                 f"source document '{name[:60]}' is not a file inside policies/",
                                                 hint="give the path from policies/, e.g. source/my-policy.txt"))
            continue
        display = display_path(path, root) if path.resolve().is_relative_to(root.resolve()) \
            else os.path.relpath(path, root)
        try:
            documents[policy.display] = Document(display, read_text(path, display))
        except DiagnosticError as error:
            diagnostics.extend(error.diagnostics)
    return documents
