"""The records of what a file read holds: a data file's values with the position of each (Source), and a
policy's original document as plain text (Document). Every later stage reads these; they import nothing but
the Diagnostic they make."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.load.diagnostics import Diagnostic

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


@dataclass(frozen=True)
class Document:
    """A school's original policy document (plain text), read for the faithfulness check."""

    display: str
    text: str
