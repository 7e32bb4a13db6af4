"""Read data files into plain Python values, remembering where every value came from.

This is the only module that reads the project's data files. YAML is parsed with
deliberately hard rules, because the authors are not developers and a value that
silently means something else (YAML 1.1's ``no`` -> False, a duplicate key that
quietly wins) can drop a step from a safeguarding tree:

* every scalar is kept as the text the author wrote; the models decide its type,
  so ``no`` in a text field stays "no" and ``on:`` stays the key "on";
* duplicate keys, anchors/aliases (and so alias bombs), explicit tags other than
  the plain core ones, and non-string keys are refused;
* files that are empty, too large, binary, not UTF-8, hold control characters or
  are indented with tabs get a clear message with the line;
* nesting is limited (a file of 100,000 '[' would otherwise exhaust Python's stack),
  and the size limit bounds the work any file can cause;
* text followed by ' #word' on its line gets a warning (W504): YAML reads '#word' as a
  comment, so a hashtag would silently vanish from the text.

Windows (CRLF) and old Mac (CR) line endings are read as plain line breaks, so line
numbers match what an editor shows. Files are parsed by libyaml (fast) and, only when
that fails, again by PyYAML's Python parser, whose error messages are the ones reworded
for authors; both feed the same strict composer.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import (AliasEvent, CollectionStartEvent, DocumentEndEvent, MappingEndEvent, MappingStartEvent,
                         ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.load.containment import OUTSIDE_HINT, leaves, trust_left_behind
from generator.load.diagnostics import Diagnostic, DiagnosticError, Severity, display_path

MAX_FILE_BYTES = 2 * 1024 * 1024
"""The largest data file accepted. The real policy is ~40 KB, but a 100-page policy imported from Word
(`python -m generator import`) is ~670 KB; 2 MB leaves room for that and still bounds the work any file
(or a late alias bomb, re-read by PyYAML's Python parser) can cause."""

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

MAX_DEPTH = 50
"""The deepest nesting accepted; real files nest about 12 levels (policy > section > clause > list)."""

# Characters no data file should hold: C0/C1 controls (tab and line feed excepted, carriage
# returns are normalised first), and line separators that editors and PyYAML count differently.
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_LINE_BREAKS = {"\x85": "NEXT LINE", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}

Position = tuple[int, int]
"""(line, column), both counted from 1 as editors show them."""
_VALUE_OPENING = re.compile(r"""[>|+\-0-9]*\s*["']?""")
"""What may come before a value's first word: a block scalar's indicator and its line break, or a quote."""
_BETWEEN_WORDS = re.compile(r"\s*")


@dataclass
class Source:
    """A data file's values and the position of every key and value in it."""

    path: Path
    display: str
    data: Any
    positions: dict[tuple, Position] = field(default_factory=dict)
    quoted: set = field(default_factory=set)
    """Value paths written in quotes (their text starts one column after the value's position)."""
    warnings: list[Diagnostic] = field(default_factory=list)
    """Things that are valid YAML but probably not what the author meant (e.g. a '#tag' read as a comment)."""
    text: str = ""
    """The YAML as parsed (positions are in it): to find a place inside a value spread over lines."""

    def position(self, loc: tuple) -> Position:
        """Best position for a value path; falls back to the nearest enclosing value."""
        loc = tuple(loc)
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))

    def position_in_value(self, loc: tuple, value: str, offset: int) -> Position:
        """Where character ``offset`` of the text at ``loc`` is in the file: the line holding a tag in a
        paragraph folded over several lines, not the line its key is on.

        The words before it are found in order from the value's start, with nothing but the value's
        opening ('>-', a quote) or line breaks and indentation between them; a value whose words are not
        written as they read (an escape such as \\u00e9, a doubled '') keeps the value's own position.
        """
        start = self.position(loc)
        if not self.text:
            return start
        lines = self.text.split("\n")
        at = sum(len(line) + 1 for line in lines[:start[0] - 1]) + start[1] - 1
        word_at_offset = value[offset:].split()[:1]
        for number, word in enumerate(value[:offset].split() + word_at_offset):
            found = self.text.find(word, at)
            gap = _VALUE_OPENING if number == 0 else _BETWEEN_WORDS
            if found < 0 or not gap.fullmatch(self.text, at, found):
                return start
            at = found + len(word)
        if word_at_offset:
            at -= len(word_at_offset[0])
        before = self.text[:at]
        return before.count("\n") + 1, at - (before.rfind("\n") + 1) + 1

    def key_position(self, loc: tuple) -> Position:
        """Position of the key itself (for "unknown key" messages)."""
        return self.positions.get(("<key>",) + tuple(loc), self.position(loc))

    def diagnostic(self, loc: tuple, code: str, message: str, **kwargs) -> Diagnostic:
        line, column = self.position(loc)
        return Diagnostic(self.display, line, column, code, message, **kwargs)


class _YamlProblem(Exception):
    def __init__(self, line: int, column: int, code: str, message: str, hint: str | None = None):
        self.line, self.column, self.code, self.message, self.hint = line, column, code, message, hint

    def diagnostic(self, display: str) -> Diagnostic:
        return Diagnostic(display, self.line, self.column, self.code, self.message, hint=self.hint)


class _StrictComposer(Composer):
    """Refuses anchors and aliases outright: no data file here needs them, and they enable alias bombs."""

    _depth = 0

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML's signature
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            mark = event.start_mark
            raise _YamlProblem(mark.line + 1, mark.column + 1, "E103",
                               f"YAML alias '*{event.anchor}' is not allowed: write the value out in full",
                               hint="if it is text starting with '*', put the whole value in double quotes")
        if isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.anchor is not None:
            mark = event.start_mark
            raise _YamlProblem(mark.line + 1, mark.column + 1, "E103",
                               f"YAML anchor '&{event.anchor}' is not allowed: write the value out in full")
        if isinstance(event, CollectionStartEvent) and self._depth >= MAX_DEPTH:
            mark = event.start_mark
            raise _YamlProblem(mark.line + 1, mark.column + 1, "E102",
                               f"the data is nested more than {MAX_DEPTH} levels deep: check the indentation")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _StrictLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, _StrictComposer,
                    yaml.resolver.BaseResolver):
    """PyYAML's own parser, in Python: slower, but its error messages are the ones explained to authors."""

    def __init__(self, stream):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _StrictComposer.__init__(self)
        yaml.resolver.BaseResolver.__init__(self)


try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None

_STR_TAG, _SEQ_TAG, _MAP_TAG = (yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
                                yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
                                yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG)
_NO_KEY = object()


class _NotSimple(Exception):
    """The fast composer met something it leaves to the strict one (which then explains it)."""


def _compose_fast(text: str) -> Node | None:
    """libyaml's events composed into the same nodes as _StrictComposer builds, in one loop.

    PyYAML's composer costs ~9 Python calls a node (a third of loading at 55x, issue 17); this
    loop makes the same nodes (tags, values, styles, marks) with BaseResolver's default tags.
    Anything it does not handle (an alias, an anchor, nesting deeper than MAX_DEPTH, more than
    one document) raises _NotSimple, and the strict composer reads the file and reports it.
    tests/test_load.py compares the two on every YAML file of the repository.
    """
    parser = _CParser(text)
    try:
        get = parser.get_event
        get()  # StreamStartEvent
        event = get()
        if type(event) is StreamEndEvent:
            return None
        stack: list[list] = []  # [collection node, pending mapping key]
        root = None
        event = get()
        while True:
            kind = type(event)
            if kind is ScalarEvent:
                if event.anchor is not None:
                    raise _NotSimple
                tag = event.tag
                node = ScalarNode(_STR_TAG if tag is None or tag == "!" else tag, event.value,
                                  event.start_mark, event.end_mark, style=event.style)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor is not None or len(stack) >= MAX_DEPTH:
                    raise _NotSimple
                tag = event.tag
                if tag is None or tag == "!":
                    tag = _MAP_TAG if kind is MappingStartEvent else _SEQ_TAG
                node_class = MappingNode if kind is MappingStartEvent else SequenceNode
                stack.append([node_class(tag, [], event.start_mark, None, flow_style=event.flow_style), _NO_KEY])
                event = get()
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                node = stack.pop()[0]
                node.end_mark = event.end_mark
            else:  # an alias, or an event out of place
                raise _NotSimple
            if not stack:
                root = node
                break
            top = stack[-1]
            if type(top[0]) is SequenceNode:
                top[0].value.append(node)
            elif top[1] is _NO_KEY:
                top[1] = node
            else:
                top[0].value.append((top[1], node))
                top[1] = _NO_KEY
            event = get()
        if type(get()) is not DocumentEndEvent or type(get()) is not StreamEndEvent:
            raise _NotSimple  # more than one document
        return root
    finally:
        parser.dispose()


def _compose(text: str) -> Node | None:
    """The document's node tree. A file libyaml cannot read is read again by PyYAML's Python parser,
    whose messages (and positions) are the ones _syntax_message knows."""
    if _CParser is not None:
        try:
            return _compose_fast(text)
        except (yaml.YAMLError, _NotSimple):
            pass
    loader = _StrictLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def load_yaml(path: Path, display: str) -> Source:
    """Parse one YAML file into a :class:`Source`, or raise :class:`DiagnosticError`."""
    source = parse_yaml(_decode(_read_bytes(path, display), display), path, display)
    if source is None:
        raise DiagnosticError([Diagnostic(display, 1, 1, "E101", "file is empty: expected YAML data")])
    return source


def parse_yaml(text: str, path: Path, display: str) -> Source | None:
    """YAML text already read (a data file's, or a page's front matter) with the same hard rules, as a
    :class:`Source`; None when it holds nothing but comments and blank lines. Raises :class:`DiagnosticError`."""
    _check_tabs(text, display)
    try:
        root = _compose(text)
    except _YamlProblem as problem:
        raise DiagnosticError([problem.diagnostic(display)])
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark and ("quoted scalar" in (error.context or "") or "alias" in (error.context or "")):
            mark = error.context_mark  # where the quote was opened, not the end of the file
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message, hint = _syntax_message(error)
        opening = _quote_closed_late(text, error.problem_mark) if error.problem_mark else None
        if opening:
            # '"one' never closed on its line, so the next line's quote closed it: the mistake is here.
            message = (f"YAML syntax error: the quotation mark opened here is not closed on its line, "
                       f"so it runs on to line {line}")
            hint = "close the quotes at the end of this value"
            line, column = opening
        raise DiagnosticError([Diagnostic(display, line, column, "E102", message, hint=hint)])
    except yaml.YAMLError as error:  # e.g. a ReaderError; _decode already refuses what PyYAML's reader does
        raise DiagnosticError([Diagnostic(display, 1, 1, "E102", f"YAML error: {error}")])
    if root is None:
        return None
    positions: dict[tuple, Position] = {}
    try:
        data = _to_python(root, (), positions)
        quoted = {loc for loc in positions if loc and loc[0] == "<quoted>"}
        for loc in quoted:
            del positions[loc]
    except _YamlProblem as problem:
        raise DiagnosticError([problem.diagnostic(display)])
    return Source(path=path, display=display, data=data, positions=positions, quoted={loc[1:] for loc in quoted},
                  warnings=list(_comments_after_text(root, text.split("\n"), display)), text=text)


def _quote_closed_late(text: str, mark) -> Position | None:
    """Where a quoted value opens, when it spans lines and ends on the line of a syntax error."""
    found = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= mark.index:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") \
                    and token.end_mark.line > token.start_mark.line and token.end_mark.line == mark.line:
                found = (token.start_mark.line + 1, token.start_mark.column + 1)
    except yaml.YAMLError:
        pass
    return found


# ' #word' after plain text: YAML reads it as a comment, so '#StopBullying' silently vanishes.
_HASHTAG_COMMENT = re.compile(r"^\s+(#\S+)")


def _comments_after_text(root: Node, lines: list[str], display: str):
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            if not node.style and node.value:
                end = node.end_mark
                match = _HASHTAG_COMMENT.match(lines[end.line][end.column:]) if end.line < len(lines) else None
                if match:
                    yield Diagnostic(display, end.line + 1, end.column + match.start(1) + 1, "W504",
                                     f"'{match.group(1)[:30]}' is read as a comment, not as part of the text "
                                     f"'{node.value[-30:]}'",
                                     severity=Severity.WARNING,
                                     hint="to keep it in the text, put the whole value in double quotes")
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            stack.extend(value for _, value in node.value)


def read_text(path: Path, display: str) -> str:
    """Read a Markdown or text file with the same size and encoding rules as data files (tabs are allowed)."""
    return _decode(_read_bytes(path, display), display)


_QUOTE_IT = "put the whole value in double quotes, e.g. text: \"*Never* share it\""


def _syntax_message(error: yaml.MarkedYAMLError) -> tuple[str, str | None]:
    """PyYAML's words for the common mistakes, put the way an author would say them."""
    problem, context = error.problem or "", error.context or ""
    if "expected a single document" in context:
        return ("YAML syntax error: a second document starts here ('---')",
                "a data file holds one document: remove the '---' line or move what follows to its own file")
    if "mapping values are not allowed" in problem:
        return ("YAML syntax error: ': ' inside a value",
                "put the whole value in double quotes, or check the indentation of this line")
    if "while scanning an alias" in context:
        return "YAML syntax error: a value cannot start with '*' (YAML reads it as an alias)", _QUOTE_IT
    if "that cannot start any token" in problem:
        character = problem.split("'")[1] if problem.count("'") >= 2 else "this character"
        if character == "\\t":
            return "YAML syntax error: a tab character here", "replace the tab with spaces"
        return f"YAML syntax error: a value cannot start with '{character}'", _QUOTE_IT
    if "sequence entries are not allowed here" in problem:
        return ("YAML syntax error: a list entry ('- ') where a value was expected",
                "start the list on the next line, indented, or put the value in double quotes")
    if "but found '<scalar>'" in problem:
        return ("YAML syntax error: more text after a value that ended with a quote or a bracket",
                "put the whole value in double quotes, writing \\\" for a quote inside it")
    if "expected <block end>" in problem or "could not find expected ':'" in problem:
        return ("YAML syntax error: this line's indentation does not match the lines around it",
                "line it up with the other keys at the same level, using spaces")
    if "quoted scalar" in context and "end of stream" in problem:
        return "YAML syntax error: a quotation mark is opened but never closed", "close the quotes on the same value"
    words = f"{context}, {problem}" if context and problem else (problem or context)
    return f"YAML syntax error: {words}", None


def _read_bytes(path: Path, display: str) -> bytes:
    """The file's bytes, read only if it is an ordinary file, and never more than the limit.

    The file is opened without following a symbolic link and without waiting on a FIFO, then
    checked on the open descriptor (so it cannot be swapped between check and read), and read
    until the limit is passed: a size from stat() means nothing for /dev/zero.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise DiagnosticError([Diagnostic(display, 1, 1, "E107", NOT_REGULAR.format(kind="a symbolic link"),
                                              hint=NOT_REGULAR_HINT)])
        raise DiagnosticError([Diagnostic(display, 1, 1, "E101", f"cannot read file: {error.strerror}")])
    try:
        kind = _odd_kind(os.fstat(fd).st_mode)
        if kind:
            raise DiagnosticError([Diagnostic(display, 1, 1, "E107", NOT_REGULAR.format(kind=kind),
                                              hint=NOT_REGULAR_HINT)])
        chunks, total = [], 0
        while total <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except BlockingIOError:
        raise DiagnosticError([Diagnostic(display, 1, 1, "E107", NOT_REGULAR.format(kind="not readable now"),
                                          hint=NOT_REGULAR_HINT)])
    except OSError as error:
        raise DiagnosticError([Diagnostic(display, 1, 1, "E101", f"cannot read file: {error.strerror}")])
    finally:
        os.close(fd)
    if total > MAX_FILE_BYTES:
        raise DiagnosticError([Diagnostic(display, 1, 1, "E101",
                                          f"file is over the limit of {MAX_FILE_BYTES:,} bytes: "
                                          "split it or check it is the right file")])
    raw = b"".join(chunks)
    if not raw.strip():
        raise DiagnosticError([Diagnostic(display, 1, 1, "E101", "file is empty: expected YAML data")])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DiagnosticError([Diagnostic(display, 1, 1, "E101", "file is saved as UTF-16: save it as UTF-8",
                                          hint="in VS Code, click 'UTF-16' in the status bar, then 'Save with Encoding'")])
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise DiagnosticError([Diagnostic(display, line, 1, "E101",
                                          "file contains binary data (a NUL byte): is this really a text file?")])
    return raw


NOT_REGULAR = "{kind}, not an ordinary file: data files must be ordinary files inside the project"
NOT_REGULAR_HINT = "replace it with a copy of the file itself"


def _odd_kind(mode: int) -> str | None:
    """What a file that is not an ordinary file is, in words; None for an ordinary file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def list_files(folder: Path, suffixes: tuple[str, ...], root: Path, diagnostics: list[Diagnostic],
               recursive: bool = False) -> list[Path]:
    """The ordinary files in folder whose names end in one of suffixes, sorted; anything else of those
    names (a symbolic link, a FIFO, a device, a socket, or a linked folder) is refused with E107."""
    if folder.is_symlink():
        diagnostics.append(Diagnostic(_display(folder, root) + "/", 1, 1, "E107",
                                      NOT_REGULAR.format(kind="a symbolic link").replace("file", "folder"),
                                      hint="replace it with a copy of the folder itself"))
        return []
    if not folder.is_dir():
        return []
    found = []
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            path = Path(entry.path)
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISDIR(mode) and recursive:
                found += list_files(path, suffixes, root, diagnostics, recursive=True)
            elif stat.S_ISLNK(mode) and recursive and path.suffix.lower() not in suffixes:
                diagnostics.append(Diagnostic(_display(path, root), 1, 1, "E107",
                                              NOT_REGULAR.format(kind="a symbolic link"), hint=NOT_REGULAR_HINT))
            elif path.suffix.lower() in suffixes or path.suffix in suffixes:
                kind = _odd_kind(mode)
                if kind and not stat.S_ISDIR(mode):
                    diagnostics.append(Diagnostic(_display(path, root), 1, 1, "E107", NOT_REGULAR.format(kind=kind),
                                                  hint=NOT_REGULAR_HINT))
                elif not kind:
                    found.append(path)
    return found


def _display(path: Path, root: Path) -> str:
    """A path for messages without resolving symbolic links (whose target may be outside the project)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


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
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _BAD_CHARACTER.search(text)
    if bad:
        before = text[: bad.start()]
        line, column = before.count("\n") + 1, bad.start() - (before.rfind("\n") + 1) + 1
        character = bad.group()
        if character in _LINE_BREAKS:
            message = (f"unusual line break U+{ord(character):04X} ({_LINE_BREAKS[character]}), often pasted "
                       "from a word processor: replace it with an ordinary new line")
        else:
            message = (f"file contains the control character U+{ord(character):04X}: "
                       "delete it (it is invisible in most editors)")
        raise DiagnosticError([Diagnostic(display, line, column, "E101", message)])
    return text


def _check_tabs(text: str, display: str) -> None:
    """Every line indented with a tab (YAML forbids them, and editors show them at any width)."""
    found = []
    for number, line_text in enumerate(text.split("\n"), start=1):
        stripped = line_text.lstrip(" ")
        if stripped.startswith("\t"):
            found.append(Diagnostic(display, number, len(line_text) - len(stripped) + 1, "E102",
                                    "line is indented with a tab: YAML needs spaces",
                                    hint="in VS Code, 'Convert Indentation to Spaces'"))
    if found:
        raise DiagnosticError(found)


def _to_python(node: Node, loc: tuple, positions: dict[tuple, Position]) -> Any:
    # Called for every node of every file (200,000 at 55x): type() checks, and the tag checked inline.
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    positions[loc] = (line, column)
    if node.tag not in _ALLOWED_TAGS:
        _check_tag(node, line, column)
    kind = type(node)
    if kind is ScalarNode:
        if node.style:
            if node.style in ("'", '"'):
                positions[("<quoted>",) + loc] = (line, column)
        elif node.value in _NULL_WORDS:  # plain: None from PyYAML, '' from libyaml
            return None
        return node.value
    if kind is SequenceNode:
        return [_to_python(item, loc + (index,), positions) for index, item in enumerate(node.value)]
    if kind is MappingNode:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line, key_column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if type(key_node) is not ScalarNode:
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
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise _YamlProblem(line, column, "E103", f"YAML tag '{tag}' is not allowed: write the value as plain text, "
                                                 "in double quotes if it starts with '!'")


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
    """The school's trust-overrides.yml: its own wording of trust-wide clauses, with reasons."""


@dataclass(frozen=True)
class Document:
    """A school's original policy document (plain text), read for the faithfulness check."""

    display: str
    text: str


PUBLIC_LIST = "published-to-parents.yml"
"""The reviewed list of what the public site publishes (see generator/load/models/public.py)."""

PAGE_SITES = {"staff": ("staff",), "parents": ("parents",), "shared": ("staff", "parents")}
"""docs/<folder>/ -> the sites its hand-written pages appear on."""


TOOL_PAGES = Path(__file__).resolve().parent.parent / "guide"
"""Pages that come with the tool and are added to every staff site (the authors' guide), by file name."""

BUILTIN_DATA = Path(__file__).resolve().parent.parent / "data"
"""The tool's own data: sources.yml (external documents) and services.yml (national services)."""


TRUST_FILE = "trust.yml"
OVERRIDES_FILE = "trust-overrides.yml"
SCHOOL_NAME = re.compile(r"\{\{\s*school\.name\s*\}\}")
"""The one placeholder a trust-wide policy's text may hold; replaced with each school's name (never run as a template)."""


def find_trust(root: Path) -> tuple[Path, Source] | None:
    """The trust.yml in ``root`` or a folder above it whose `schools:` lists ``root``, with its folder."""
    root = root.resolve()
    for folder in (root, *root.parents):
        path = folder / TRUST_FILE
        if not path.is_file():
            continue
        try:
            source = load_yaml(path, os.path.relpath(path, root))
        except DiagnosticError:
            return folder, Source(path, os.path.relpath(path, root), None)  # reported by load_trust
        schools = source.data.get("schools") if isinstance(source.data, dict) else None
        for school in schools if isinstance(schools, list) else []:
            if isinstance(school, dict) and isinstance(school.get("folder"), str) \
                    and (folder / school["folder"]).resolve() == root:
                return folder, source
    return None


def trust_policies_folder(folder: Path, trust: Source) -> Path:
    """The folder of the trust-wide policies every school of the trust publishes (`shared:` in trust.yml)."""
    shared = trust.data.get("shared", "trust") if isinstance(trust.data, dict) else "trust"
    return folder / (shared if isinstance(shared, str) else "trust") / "policies"


def load_trust(path: Path) -> Source:
    """trust.yml (or, with no trust, school.yml) for `build --all`/`--school` and `schools`; or DiagnosticError."""
    return load_yaml(path, path.name)


def _replace_school_name(data: Any, name: str) -> Any:
    if isinstance(data, str):
        return SCHOOL_NAME.sub(lambda _: name, data)
    if isinstance(data, dict):
        return {key: _replace_school_name(value, name) for key, value in data.items()}
    if isinstance(data, list):
        return [_replace_school_name(value, name) for value in data]
    return data


def load_project(root: Path, data_dir: Path = BUILTIN_DATA) -> LoadedProject:
    """Read school.yml, glossary.yml, policies/*.yml, decision_trees/*.yml (and shared/*.yml), sources.yml,
    docs/*/*.md under root, and the tool's built-in sources and services from data_dir (each optional)."""
    from generator.load.project import Page  # the Page record is shared with later stages

    diagnostics: list[Diagnostic] = []

    def parse(path: Path) -> Source | None:
        try:
            source = load_yaml(path, _display(path, root))
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

    def optional(path: Path) -> Source | None:
        return parse(path) if path.is_file() or path.is_symlink() else None

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
                           groups=groups, builtin_sources=builtin_sources, sources=sources, services=services)
    _load_trust_policies(loaded, parse)
    return loaded


def _load_trust_policies(loaded: LoadedProject, parse) -> None:
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
            source = load_yaml(path, os.path.relpath(path, loaded.root))
        except DiagnosticError as error:
            loaded.diagnostics.extend(error.diagnostics)
            continue
        loaded.diagnostics.extend(source.warnings)
        if isinstance(name, str):
            source.data = _replace_school_name(source.data, name)
        loaded.trust_policies.append(source)
    documents = _load_documents(loaded.root, [(policy, base) for policy in loaded.trust_policies], loaded.diagnostics)
    for display, document in documents.items():
        text = SCHOOL_NAME.sub(lambda _: name, document.text) if isinstance(name, str) else document.text
        loaded.documents[display] = Document(document.display, text)
    if (loaded.root / OVERRIDES_FILE).is_file():
        loaded.trust_overrides = parse(loaded.root / OVERRIDES_FILE)


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
