"""Is every sentence of a school's original policy document in the published policy?

Governors approve wording, so the site must publish it whole. The comparison ignores only what a
reader cannot see as a change of meaning: case, punctuation, whitespace, apostrophes and Markdown
link syntax. One changed word ("must" -> "may") is a missing sentence. Where the school chose to
publish different words (a typo fixed), the policy records the deviation with the original wording,
so the difference is a decision anyone can read, not a silent edit.

Used by ``validate`` (the policy data against its source document), by the tests (the built staff
site and the PDF against the source) and by the importer's report.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Iterable

# Lines of a signature block ("Signed:", "Date:") are a form to fill in, not policy wording.
_FORM_LINE = re.compile(r"^(?:signed|signature|date|name|print name|position)\s*:\s*$", re.IGNORECASE)
_MARKDOWN_LINK = re.compile(r"\[([^\]]*(?:\\\][^\]]*)*)\]\(([^)]*)\)")
# A sentence ends at . ! or ? followed by a space and a capital letter (so "e.g. for" stays whole).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_WORD = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces, with a space at each end (for whole-word `in`)."""
    text = html.unescape(text).replace("\u2019", "").replace("'", "").lower()
    return " " + " ".join(_WORD.findall(text)) + " "


@dataclass(frozen=True)
class SourceSentence:
    text: str
    line: int
    column: int


def source_sentences(text: str) -> list[SourceSentence]:
    """Every sentence of a plain-text (or light Markdown) policy document, with where it starts."""
    found: list[SourceSentence] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or _FORM_LINE.match(line):
            continue
        indent = len(raw) - len(raw.lstrip())
        line = _MARKDOWN_LINK.sub(r"\1", line).replace("\\[", "[").replace("\\]", "]").strip("<>")
        line = re.sub(r"^[-*]\s+", "", line)
        position = 0
        for sentence in _SENTENCE_END.split(line):
            if normalise(sentence).strip():
                column = indent + max(line.find(sentence, position), 0) + 1
                found.append(SourceSentence(sentence, number, column))
            position += len(sentence)
    return found


def missing_sentences(sentences: Iterable[SourceSentence], published: str,
                      deviations: Iterable[tuple[str, str]] = ()) -> list[SourceSentence]:
    """The sentences whose words do not appear, in order, in ``published``.

    ``deviations`` are (original, published) wordings the school recorded: a sentence is accounted
    for when, with the original wording replaced by the published one, it is in ``published``.
    Only the recorded words may differ; any other change still counts as missing.
    """
    corpus = normalise(published)
    replacements = [(normalise(original), normalise(changed)) for original, changed in deviations]
    missing = []
    for sentence in sentences:
        words = normalise(sentence.text)
        if words in corpus:
            continue
        if any(original.strip() and original in words and words.replace(original, changed) in corpus
               for original, changed in replacements):
            continue
        missing.append(sentence)
    return missing


# What Markdown and our templates add around the words a reader sees.
_MARKUP = [
    (re.compile(r"<((?:https?://|mailto:)[^>\s]+)>"), r"\1"),  # autolinks show their address
    (re.compile(r"<[^>\n]*>"), " "),                       # HTML tags the templates write
    (re.compile(r"\{[:#. ][^{}\n]*\}"), " "),               # attribute lists: { #id .class }
    (re.compile(r"\]\([^)\n]*\)"), "]"),                    # link targets
    (re.compile(r"^(?:!!!|\?\?\?)[^\n]*$", re.M), " "),      # admonition headers (editors' notes)
]


def markdown_text(markdown: str) -> str:
    """Roughly the words a reader sees on a page made from this Markdown."""
    for pattern, replacement in _MARKUP:
        markdown = pattern.sub(replacement, markdown)
    return markdown
