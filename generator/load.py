"""Read data files into plain Python values, remembering where every value came from.

This is the only module that reads the project's data files. YAML is parsed with
deliberately hard rules, because the authors are not developers and a value that
silently means something else (YAML 1.1's ``no`` -> False, a duplicate key that
quietly wins) can drop a step from a safeguarding tree:

* every scalar is kept as the text the author wrote; the models decide its type,
  so ``no`` in a text field stays "no" and ``on:`` stays the key "on";
* duplicate keys, anchors/aliases (and so alias bombs), explicit tags other than
  the plain core ones, and non-string keys are refused;
* files that are empty, too large, binary, not UTF-8 or indented with tabs get a
  clear message with the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, ScalarEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.diagnostics import Diagnostic, DiagnosticError, display_path

MAX_FILE_BYTES = 512 * 1024
"""The largest data file accepted; a whole policy is ~40 KB, so this only stops accidents and attacks."""

# Tags an author may write explicitly; anything else (e.g. !!python/object) is refused.
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_NULL_WORDS = {"", "~", "null", "Null", "NULL"}

Position = tuple[int, int]
"""(line, column), both counted from 1 as editors show them."""


@dataclass
class Source:
    """A data file's values and the position of every key and value in it."""

    path: Path
    display: str
    data: Any
    positions: dict[tuple, Position] = field(default_factory=dict)

    def position(self, loc: tuple) -> Position:
        """Best position for a value path; falls back to the nearest enclosing value."""
        loc = tuple(loc)
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))

    def key_position(self, loc: tuple) -> Position:
        """Position of the key itself (for "unknown key" messages)."""
        return self.positions.get(("<key>",) + tuple(loc), self.position(loc))

    def diagnostic(self, loc: tuple, code: str, message: str, **kwargs) -> Diagnostic:
        line, column = self.position(loc)
        return Diagnostic(self.display, line, column, code, message, **kwargs)


class _YamlProblem(Exception):
    def __init__(self, line: int, column: int, code: str, message: str):
        self.line, self.column, self.code, self.message = line, column, code, message


class _StrictComposer(Composer):
    """Refuses anchors and aliases outright: no data file here needs them, and they enable alias bombs."""

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML's signature
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            mark = event.start_mark
            raise _YamlProblem(mark.line + 1, mark.column + 1, "E103",
                               f"YAML alias '*{event.anchor}' is not allowed: write the value out in full")
        if isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.anchor is not None:
            mark = event.start_mark
            raise _YamlProblem(mark.line + 1, mark.column + 1, "E103",
                               f"YAML anchor '&{event.anchor}' is not allowed: write the value out in full")
        return super().compose_node(parent, index)


class _StrictLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, _StrictComposer,
                    yaml.resolver.BaseResolver):
    def __init__(self, stream):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _StrictComposer.__init__(self)
        yaml.resolver.BaseResolver.__init__(self)


def load_yaml(path: Path, display: str) -> Source:
    """Parse one YAML file into a :class:`Source`, or raise :class:`DiagnosticError`."""
    raw = _read_bytes(path, display)
    text = _decode(raw, display)
    try:
        loader = _StrictLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except _YamlProblem as problem:
        raise DiagnosticError([Diagnostic(display, problem.line, problem.column, problem.code, problem.message)])
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"YAML syntax error: {error.problem or error.context}"
        raise DiagnosticError([Diagnostic(display, line, column, "E102", message)])
    if root is None:
        raise DiagnosticError([Diagnostic(display, 1, 1, "E101", "file is empty: expected YAML data")])
    positions: dict[tuple, Position] = {}
    try:
        data = _to_python(root, (), positions)
    except _YamlProblem as problem:
        raise DiagnosticError([Diagnostic(display, problem.line, problem.column, problem.code, problem.message)])
    return Source(path=path, display=display, data=data, positions=positions)


def read_text(path: Path, display: str) -> str:
    """Read a Markdown or text file with the same size and encoding rules as data files."""
    return _decode(_read_bytes(path, display), display)


def _read_bytes(path: Path, display: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DiagnosticError([Diagnostic(display, 1, 1, "E101",
                                              f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}: "
                                              "split it or check it is the right file")])
        raw = path.read_bytes()
    except OSError as error:
        raise DiagnosticError([Diagnostic(display, 1, 1, "E101", f"cannot read file: {error.strerror}")])
    if not raw.strip():
        raise DiagnosticError([Diagnostic(display, 1, 1, "E101", "file is empty: expected YAML data")])
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise DiagnosticError([Diagnostic(display, line, 1, "E101",
                                          "file contains binary data (a NUL byte): is this really a text file?")])
    return raw


def _decode(raw: bytes, display: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise DiagnosticError([Diagnostic(display, line, column, "E101",
                                          f"file is not UTF-8 (byte 0x{raw[error.start]:02x}): "
                                          "save it as UTF-8 in your editor")])
    for number, line_text in enumerate(text.splitlines(), start=1):
        stripped = line_text.lstrip(" ")
        if stripped.startswith("\t"):
            raise DiagnosticError([Diagnostic(display, number, len(line_text) - len(stripped) + 1, "E102",
                                              "line is indented with a tab: YAML needs spaces",
                                              hint="in VS Code, 'Convert Indentation to Spaces'")])
    return text


def _to_python(node: Node, loc: tuple, positions: dict[tuple, Position]) -> Any:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    positions[loc] = (line, column)
    if isinstance(node, ScalarNode):
        _check_tag(node, line, column)
        if node.style is None and node.value in _NULL_WORDS:
            return None
        return node.value
    if isinstance(node, SequenceNode):
        _check_tag(node, line, column)
        return [_to_python(item, loc + (index,), positions) for index, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        _check_tag(node, line, column)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line, key_column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, ScalarNode):
                raise _YamlProblem(key_line, key_column, "E104", "a key must be plain text")
            key = key_node.value
            if key == "<<":
                raise _YamlProblem(key_line, key_column, "E103", "YAML merge keys ('<<') are not allowed")
            if key in result:
                first_line, first_column = positions[("<key>",) + loc + (key,)]
                raise _YamlProblem(key_line, key_column, "E105",
                                   f"duplicate key '{key}' (first given at line {first_line}): "
                                   "YAML would silently keep only the last one")
            positions[("<key>",) + loc + (key,)] = (key_line, key_column)
            result[key] = _to_python(value_node, loc + (key,), positions)
        return result
    raise _YamlProblem(line, column, "E102", "unsupported YAML node")  # pragma: no cover - PyYAML has 3 kinds


def _check_tag(node: Node, line: int, column: int) -> None:
    # BaseResolver gives untagged nodes the generic str/seq/map tags; only an explicit
    # '!tag' written by the author can produce anything else.
    if node.tag not in _ALLOWED_TAGS:
        raise _YamlProblem(line, column, "E103", f"YAML tag '{node.tag}' is not allowed here")


@dataclass
class LoadedProject:
    """Every data file of a school's project, parsed but not yet validated."""

    root: Path
    school: Source | None
    glossary: Source | None
    policies: list[Source]
    trees: list[Source]
    pages: list  # list[generator.project.Page]
    diagnostics: list[Diagnostic]


PAGE_SITES = {"staff": ("staff",), "parents": ("parents",), "shared": ("staff", "parents")}
"""docs/<folder>/ -> the sites its hand-written pages appear on."""


def load_project(root: Path) -> LoadedProject:
    """Read school.yml, glossary.yml, policies/*.yml, decision_trees/*.yml and docs/*/*.md under root."""
    from generator.project import Page  # the Page record is shared with later stages

    diagnostics: list[Diagnostic] = []

    def parse(path: Path) -> Source | None:
        try:
            return load_yaml(path, display_path(path, root))
        except DiagnosticError as error:
            diagnostics.extend(error.diagnostics)
            return None

    def required(name: str) -> Source | None:
        path = root / name
        if not path.exists():
            diagnostics.append(Diagnostic(name, 1, 1, "E100", f"{name} is missing from {root}"))
            return None
        return parse(path)

    school = required("school.yml")
    glossary = required("glossary.yml")
    policies = [s for s in (parse(p) for p in sorted((root / "policies").glob("*.yml"))) if s]
    trees = [s for s in (parse(p) for p in sorted((root / "decision_trees").glob("*.yml"))) if s]
    if not (root / "policies").is_dir() or not any((root / "policies").glob("*.yml")):
        diagnostics.append(Diagnostic("policies", 1, 1, "E100", "no policy files found in policies/"))
    for stray in sorted((root / "policies").glob("*.yaml")) + sorted((root / "decision_trees").glob("*.yaml")):
        diagnostics.append(Diagnostic(display_path(stray, root), 1, 1, "E106",
                                      "data files must end in .yml to be read", hint=f"rename it to {stray.stem}.yml"))
    pages = []
    for folder, sites in PAGE_SITES.items():
        base = root / "docs" / folder
        for path in sorted(base.rglob("*.md")):
            display = display_path(path, root)
            try:
                text = read_text(path, display)
            except DiagnosticError as error:
                diagnostics.extend(error.diagnostics)
                continue
            pages.append(Page(path, display, path.relative_to(base).as_posix(), sites, text))
    return LoadedProject(root, school, glossary, policies, trees, pages, diagnostics)
