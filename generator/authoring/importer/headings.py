"""Headings a document shows without numbering them or using a heading style.

Schools often mark a heading only by how it looks: a paragraph that is all bold, a short line in
capitals, a short line ending with ':' ('Pupils:'), or a short line of its own with no full stop
before a paragraph ('The 4 key categories of risk'). Each reader keeps these as paragraphs (a reader
never decides structure); this pass, run once for every format, makes them headings, so that the
draft gives them sections instead of one-line clauses in a section 0.

A line that introduces a list ('Pupils must:' then bullets) is not a heading, nor is a cover's label
whose value is on the next line ('Review date:' / 'January 2024'): that pair becomes one cover line.
"""

from __future__ import annotations

import re

from generator.checks.cover import cover_details
from generator.authoring.importer.document import Bullet, Heading, Paragraph, Table

MAX_HEADING_WORDS = 10
"""A heading is short; a longer bold or capital line is emphasis inside the text."""
MAX_COLON_HEADING_WORDS = 6
MAX_PLAIN_HEADING_WORDS = 8
MIN_WORDS_AFTER_PLAIN_HEADING = 6
"""A short line in plain type is a heading only before a real paragraph, not before another short line."""
_PERSON = re.compile(r"^(mr|mrs|ms|miss|mx|dr|prof|rev)\.?\s", re.I)
_BOLD = re.compile(r"^\*\*([^*]+?)\*\*\s*(:?)$")
_NOT_A_HEADING = re.compile(r"^(signed|signature|date|name|position|print name|this is a true)\b", re.I)
_COVER_WORDS = re.compile(r"\b(policy|school|academy|college|trust|federation)\b|^(our )?(vision|values|mission|"
                          r"ethos|aims|inclusion statement)\b", re.I)
"""Before a document's first heading, lines like these are its cover (title, school, statements), read by the
draft's cover reader, not sections."""


def find_headings(blocks: list) -> list:
    """The blocks with look-only headings made Headings, each one level below the heading before it."""
    out: list = []
    level = 0  # the level of the last heading: a look-only heading sits under it
    index = 0
    while index < len(blocks):
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if isinstance(block, Heading):
            level = block.level if block.number is None else block.number.count(".") + 1
        elif isinstance(block, Paragraph):
            joined = _label_and_value(block, following)
            if joined:
                out.append(joined)
                index += 2
                continue
            title = _heading_title(block.text, following)
            if title and not (not _heading_before(out) and _COVER_WORDS.search(title)):
                block = Heading(level + 1 if _heading_before(out) else 1, title)
        out.append(block)
        index += 1
    return out


def _heading_before(blocks: list) -> bool:
    return any(isinstance(b, Heading) for b in blocks)


def _heading_title(text: str, following) -> str | None:
    if following is None or isinstance(following, (Bullet, Table)):
        return None  # the last line, or a list's lead-in ('Pupils must:' then bullets)
    bold = _BOLD.match(text)
    bare = bold.group(1).strip() if bold else text.strip()
    if "**" in bare or "[" in bare or _NOT_A_HEADING.match(bare) or cover_details(bare):
        return None
    words = bare.rstrip(":").split()
    if not words or len(words) > MAX_HEADING_WORDS or not bare[:1].isupper() or re.search(r"[.;!?,]$", bare):
        return None
    capitals = bare.isupper() and sum(c.isalpha() for c in bare) >= 3
    colon = bare.endswith(":") and len(words) <= MAX_COLON_HEADING_WORDS and not re.search(r"[.;!?]", bare)
    # 'The 4 key categories of risk' on a line of its own, then a paragraph: a heading in plain type.
    plain = (len(words) <= MAX_PLAIN_HEADING_WORDS and not re.search(r"[.,;:!?)]$", bare)
             and not _PERSON.match(bare) and isinstance(following, Paragraph)
             and len(following.text.split()) >= MIN_WORDS_AFTER_PLAIN_HEADING)
    if bold or capitals or colon or plain:
        return bare.rstrip(":").strip()
    return None


def _label_and_value(block: Paragraph, following) -> Paragraph | None:
    """'Review date:' with 'January 2024' as the next paragraph: one cover line."""
    text = block.text.strip().strip("*").strip()
    if not text.endswith(":") or not isinstance(following, Paragraph) or len(following.text.split()) > 8:
        return None
    line = f"{text} {following.text.strip().strip('*').strip()}"
    return Paragraph(line) if cover_details(line) else None
