"""The neutral document every reader produces and the draft builder consumes.

A reader (plain text / Markdown, .docx) turns a file into a flat list of blocks in reading
order; it never decides what is a clause or a section. Keeping the readers this thin means
one builder, tested once, decides the policy's structure whatever the source format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    """A heading: typed ('3.1 In the curriculum'), a Word heading style or Word's automatic numbering."""

    level: int
    """1 for a top-level section, 2 for a sub-section, ..."""
    title: str
    number: str | None = None
    """The number as printed ('3.1'); None when the document does not number it (the builder counts)."""


@dataclass(frozen=True)
class Paragraph:
    text: str
    """Markdown: bold/italic and links as in the source, wording untouched."""


@dataclass(frozen=True)
class Bullet:
    """A list item (bulleted or numbered) at a nesting depth counted from 0."""

    text: str
    depth: int = 0
    starts_list: bool = False
    """True when the item cannot belong to the list before it (e.g. a different Word list)."""


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]
    """Cell texts row by row; merged cells appear once."""


Block = Heading | Paragraph | Bullet | Table


@dataclass
class Document:
    """What a reader found: the blocks, and every piece of source text for the faithfulness report."""

    blocks: list[Block]
    source_text: list[str] = field(default_factory=list)
    """Every paragraph of the source as independently extracted (not via the blocks), one string each."""
    title: str | None = None
    """The title the document marks as such (Word's Title style), if any."""
    name: str = ""
    """The file's name, for a title when the document gives none ('mobile-phones.docx' -> 'Mobile phones')."""
    notes: list[str] = field(default_factory=list)
    """What the reader did that the author should know (e.g. joined a paragraph split by a page break)."""


def list_marker(number: str) -> str:
    """The number or letter Word shows before a list item ('1.', 'a)', '(iv)'), kept as the document's own: its
    '.' or ')' after digits escaped, so Markdown shows it as written instead of starting a list of its own
    (which the site would letter 'a.', 'a.')."""
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", " ".join(number.split()))
