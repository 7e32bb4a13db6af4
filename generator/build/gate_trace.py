"""From a problem the gate found in a built page back to the source file and line that wrote it.

A built page does not say where its words came from: a guide's page holds the guide's steps, a
shared group's, contacts from school.yml and glossary terms. So the finding's own text (the
address, the script, the tag) is looked for in the sources, the page's own first (a hand-written
page), then every data file: first as written, then, for text that Markdown or an entity changed on
the way (``&#106;avascript:`` in the source, ``javascript:`` in the page), by its words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_WORD = re.compile(r"\w{4,}")


class SourceIndex:
    """The sources' lines, split once for every finding of a site (and only if there is one)."""

    def __init__(self, texts: Mapping[str, str]):
        self.texts = texts
        self._lines: dict[str, list[str]] | None = None

    @property
    def lines(self) -> dict[str, list[str]]:
        if self._lines is None:
            self._lines = {name: text.split("\n") for name, text in sorted(self.texts.items())}
        return self._lines

    def trace(self, value: str, own: str | None) -> str | None:
        """'file:line' of the source that most likely wrote ``value``; else the page's own source ``own``
        ('file', no line); None when nothing is known."""
        order = ([own] if own in self.lines else []) + [name for name in self.lines if name != own]
        needle = value.strip()
        if len(needle) >= _SHORTEST and "\n" not in needle:  # 'x' or 'a.png' would be found on any line
            for name in order:
                for number, line in enumerate(self.lines[name], start=1):
                    if needle in line:
                        return f"{name}:{number}"
        return self._by_words(value, order) or own

    def _by_words(self, value: str, order: list[str]) -> str | None:
        """The line holding the value's rarest, first words ('javascript' is on many lines, a marker or a name
        on one). Only a line that scores strictly best is named: a tie is a guess."""
        words = list(dict.fromkeys(_WORD.findall(value[:_WORDS_FROM])))[:_MOST_WORDS]
        every = [(name, number, line) for name in order for number, line in enumerate(self.lines[name], start=1)]
        counts = {word: sum(1 for _, _, line in every if word in line) for word in words}
        # Rare words count most, and first words more than later ones: a script left open runs on over the
        # text after it, whose words belong to other lines.
        weights = {word: 1 / (counts[word] * (1 + position)) for position, word in enumerate(words) if counts[word]}
        scores = sorted(((sum(w for word, w in weights.items() if word in line), -position, f"{name}:{number}")
                         for position, (name, number, line) in enumerate(every)), reverse=True)
        if not scores or scores[0][0] == 0 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
            return None
        return scores[0][2]


_SHORTEST = 8
"""Characters a value needs to be looked for as written."""
_WORDS_FROM = 200
"""Characters of a value whose words are looked for (a script left open runs on over the rest of the page)."""
_MOST_WORDS = 12
