"""Is every sentence of the source somewhere in the draft? The report the import ends with.

Sentences and their normalisation are generator.checks.faithfulness's, the check the build makes
between a policy and its source document: Markdown links reduced to their text, lower case,
punctuation and whitespace folded. A sentence must be found as many times as the source has it, so a
paragraph the policy repeats cannot hide the loss of one copy.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from generator.checks.faithfulness import normalise, source_sentences

_LINK = re.compile(r"\[([^\]]*(?:\\\][^\]]*)*)\]\(([^)]*)\)")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def plain(text: str) -> str:
    """Markdown links reduced to their text, escaped brackets and autolink brackets removed."""
    text = _LINK.sub(r"\1", text)
    return text.replace("\\[", "[").replace("\\]", "]").strip("<>")


def sentences(paragraphs: list[str]) -> list[str]:
    """The source's sentences, as the site's faithfulness check splits a document (blank form lines left out)."""
    return [sentence.text for sentence in source_sentences("\n".join(paragraphs))]


@dataclass
class Report:
    total: int = 0
    in_draft: int = 0
    elsewhere: dict[str, list[str]] = field(default_factory=dict)
    """Reason -> sentences deliberately kept out of the clauses (cover details, statements for school.yml)."""
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing

    def lines(self) -> list[str]:
        out = [f"Faithfulness: {self.in_draft} of {self.total} sentences of the source are in the draft's text"]
        for reason, found in self.elsewhere.items():
            out.append(f"  {len(found)} {reason}")
        if self.missing:
            out.append(f"  {len(self.missing)} NOT FOUND in the draft:")
            out += [f"    - {sentence}" for sentence in self.missing]
        return out


def compare(source_paragraphs: list[str], draft_texts: list[str], elsewhere: dict[str, list[str]]) -> Report:
    """Account for each source sentence in the draft's texts, else in ``elsewhere`` (reason -> texts)."""
    draft = "".join(normalise(plain(text)) for text in draft_texts)
    # Most sentences are whole sentences of one draft text: count those first (fast), and search
    # the whole draft only for the rest (e.g. a sentence the source split across a page break).
    whole = Counter(normalise(s) for text in draft_texts for s in _SENTENCE_BREAK.split(plain(text)))
    other = {reason: "".join(normalise(plain(text)) for text in texts) for reason, texts in elsewhere.items()}
    report = Report()
    needed = Counter()
    for sentence in sentences(source_paragraphs):
        report.total += 1
        needle = normalise(sentence)
        needed[needle] += 1
        if whole[needle] >= needed[needle] or (
                (needle in draft) if needed[needle] == 1 else _count(draft, needle) >= needed[needle]):
            report.in_draft += 1
            continue
        reason = next((r for r, corpus in other.items() if needle in corpus), None)
        if reason:
            report.elsewhere.setdefault(reason, []).append(sentence)
        else:
            report.missing.append(sentence)
    return report


def _count(corpus: str, needle: str) -> int:
    # Words are space-delimited on both sides, so a match is always on word boundaries. Occurrences
    # may share the spaces between them: count starts one character on.
    count, start = 0, corpus.find(needle)
    while start != -1:
        count += 1
        start = corpus.find(needle, start + 1)
    return count
