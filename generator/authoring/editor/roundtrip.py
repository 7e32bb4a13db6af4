"""YAML in and out with ruamel.yaml's round trip, so a file written back keeps its comments, key order, quoting and
every untouched line byte for byte; a one-field change is a one-line diff.

The browser sends the whole document as JSON. ``merged`` lays it over the document as read: a value equal to the
one read keeps the node read (its style, its comments); only what differs is replaced, in the style the old value
was written in. A document whose JSON did not change is not written at all.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString,
                                      SingleQuotedScalarString)
from ruamel.yaml.util import load_yaml_guess_indent

_STYLES = (FoldedScalarString, LiteralScalarString, DoubleQuotedScalarString, SingleQuotedScalarString)


class Parsed:
    """A document as read: its text, its round-trip data and the indentation to write it back with."""

    def __init__(self, text: str):
        self.text = text
        data, indent, block_seq_indent = load_yaml_guess_indent(text) if text.strip() else (None, 2, 0)
        self.indent = indent or 2
        self.offset = block_seq_indent or 0
        self.data = self._yaml().load(text)

    def _yaml(self) -> YAML:
        yaml = YAML()
        yaml.preserve_quotes = True
        yaml.width = 4096  # never fold a long line the author wrote on one line
        yaml.indent(mapping=2, sequence=max(self.indent, self.offset + 2), offset=self.offset)
        return yaml

    def as_json(self):
        return to_json(self.data)

    def updated(self, new) -> str:
        """The text with ``new`` (the document as JSON) applied; the very same text when nothing changed."""
        if to_json(self.data) == new:
            return self.text
        out = io.StringIO()
        self._yaml().dump(merged(self.data, new), out)
        return out.getvalue()


def to_json(value):
    """Round-trip data as plain JSON values (dates as 'YYYY-MM-DD', as the schemas write them)."""
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def merged(old, new):
    """``new`` laid over ``old``: equal parts keep old's nodes; None removes a key."""
    if to_json(old) == new:
        return old
    if isinstance(new, dict):
        target = old if isinstance(old, CommentedMap) else CommentedMap()
        for key in [key for key in target if str(key) not in new or new[str(key)] is None]:
            del target[key]
        for key, value in new.items():
            if value is None:
                continue
            target[key] = merged(target[key], value) if key in target else merged(None, value)
        return target
    if isinstance(new, list):
        return _merged_list(old if isinstance(old, CommentedSeq) else None, new)
    return _scalar(old, new)


def _merged_list(old: CommentedSeq | None, new: list) -> CommentedSeq:
    if old is not None and len(old) == len(new):
        for index, value in enumerate(new):
            old[index] = merged(old[index], value)
        return old
    # Items added, removed or moved: an item equal to one read keeps that node (and its comments inside it).
    unused = list(old or [])
    items = []
    for value in new:
        match = next((item for item in unused if to_json(item) == value), None)
        if match is not None:
            unused.remove(match)
            items.append(match)
        else:
            items.append(merged(None, value))
    target = old if old is not None else CommentedSeq()
    target.clear()
    target.extend(items)
    return target


def _scalar(old, new):
    if isinstance(old, date) and isinstance(new, str):
        try:
            return date.fromisoformat(new)
        except ValueError:
            return new
    if isinstance(new, str):
        if isinstance(old, FoldedScalarString):
            return _refolded(old, new)
        for style in _STYLES:
            if isinstance(old, style):
                return style(new)
        if "\n" in new:
            return LiteralScalarString(new)
    return new


def _refolded(old: FoldedScalarString, new: str) -> FoldedScalarString:
    """``new`` as a folded block broken where ``old`` was wherever their words agree: the lines before and after the
    change keep their breaks, and only the changed part is wrapped again (at the old block's longest line), so a
    word changed in a long clause is a one-line diff, not a reflowed paragraph."""
    text = str(old)
    if "\n" in text or "\n" in new:
        return FoldedScalarString(new)  # paragraphs inside the block: ruamel places their breaks itself
    cuts = [0] + [position + 1 for position in getattr(old, "fold_pos", [])] + [len(text) + 1]
    lines = [text[start:end - 1] for start, end in zip(cuts, cuts[1:])]
    width = max((len(line) for line in lines), default=80)
    head, start = [], 0
    for line in lines[:-1]:
        if new.startswith(line + " ", start):
            head.append(line)
            start += len(line) + 1
        else:
            break
    tail, end = [], len(new)
    for line in reversed(lines[len(head) + 1:]):
        if end - len(line) - 1 > start and new[end - len(line) - 1:end] == " " + line:
            tail.insert(0, line)
            end -= len(line) + 1
        else:
            break
    middle = _wrapped(new[start:end], width)
    folded = FoldedScalarString(new)
    positions, offset = [], 0
    for line in head + middle + tail:
        offset += len(line)
        positions.append(offset)
        offset += 1
    folded.fold_pos = positions[:-1]
    return folded


def _wrapped(text: str, width: int) -> list[str]:
    """Greedy wrapping at single spaces only (a folded block cannot break where two spaces meet)."""
    lines, current = [], ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width and word and not current.endswith(" "):
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current or lines else word
    lines.append(current)
    return lines
