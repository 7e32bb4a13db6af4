"""Read YAML into plain Python values, remembering where every value came from.

YAML is parsed with deliberately hard rules, because the authors are not developers and a value that
silently means something else (YAML 1.1's ``no`` -> False, a duplicate key that
quietly wins) can drop a step from a safeguarding tree:

* every scalar is kept as the text the author wrote; the models decide its type,
  so ``no`` in a text field stays "no" and ``on:`` stays the key "on";
* duplicate keys, anchors/aliases (and so alias bombs), explicit tags other than
  the plain core ones, and non-string keys are refused;
* files are read by ``generator/load/files.py`` (size, encoding, control characters, ordinary files only);
  lines indented with tabs get a clear message with the line;
* nesting is limited (a file of 100,000 '[' would otherwise exhaust Python's stack),
  and the size limit bounds the work any file can cause;
* text followed by ' #word' on its line gets a warning (W504): YAML reads '#word' as a
  comment, so a hashtag would silently vanish from the text.

Files are parsed by libyaml (fast) and, only when
that fails, again by PyYAML's Python parser, whose error messages are the ones reworded
for authors; both feed the same strict composer.
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import (AliasEvent, CollectionStartEvent, DocumentEndEvent, MappingEndEvent, MappingStartEvent,
                         ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.load.diagnostics import Diagnostic, DiagnosticError, Severity
from generator.load.files import _decode, _read_bytes
from generator.load.source import Position, Source

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
    tests/load/test_load.py compares the two on every YAML file of the repository.
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


def load_yaml(path: Path, display: str, cache=None) -> Source:
    """Parse one YAML file into a :class:`Source`, or raise :class:`DiagnosticError`.

    ``cache`` (a :class:`generator.load.file_cache.ResultCache`): the parse of the same bytes under the same name
    by the same tool is read back instead of parsed again, errors included."""
    raw = _read_bytes(path, display)
    if cache is None:
        return _parsed(raw, path, display)
    from generator.load.file_cache import diagnostic_from, diagnostic_json, key_of, source_from, source_json

    key = key_of("load_yaml", display, raw)
    kept = cache.shared(key)
    if kept is not None:
        # Read back in this process: the positions, quoted values and text are only ever read, so they are
        # shared; the values are the part a later stage may replace or change, so they are new each time.
        template, data = kept
        return Source(path, display, pickle.loads(data), template.positions, template.quoted,
                      list(template.warnings), template.text)
    found = cache.get(key)
    if found is not None and "errors" in found:
        raise DiagnosticError([diagnostic_from(d) for d in found["errors"]])
    if found is not None:
        source = source_from(found["source"], path)
    else:
        try:
            source = _parsed(raw, path, display)
        except DiagnosticError as error:
            cache.put(key, {"errors": [diagnostic_json(d) for d in error.diagnostics]})
            raise
        cache.put(key, {"source": source_json(source)})
    cache.share(key, (source, pickle.dumps(source.data, pickle.HIGHEST_PROTOCOL)))
    return Source(path, display, pickle.loads(cache.shared(key)[1]), source.positions, source.quoted,
                  list(source.warnings), source.text)


def _parsed(raw: bytes, path: Path, display: str) -> Source:
    source = parse_yaml(_decode(raw, display), path, display)
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
