"""Which of the data's lines a built site shows, found part by part and kept between builds (issue 30).

The leak check (build/leaks.py) asks, for every line the parents' site must not show, whether some part of the site
(a page, a PDF, a text file, one page's search entries) holds its words. At 55× the site is tens of megabytes of text
and the lines are tens of thousands; after one guide's edit only a page or two and a line or two are new. So the
answer is kept per part, in the work folder:

* each part's words (normalised, as the search reads them), under its :attr:`Part.key`: a hash of the bytes it was
  read from and of the code that reads them, so a changed page is a new key and is read and searched afresh;
* for each part's key, which of the lines looked for at the last build it holds (``found.json``, with that list of
  lines and the version of the code).

A part kept is searched again only for the lines it was never searched for (a line edited, an item no longer
public). So the answer is exactly that of a search of every part for every line: a part is one key, a key is one
text, and what a text holds of a line never changes. Nothing is a pickle: texts and JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import parser as html_parser
from pathlib import Path

from generator.checks import faithfulness
from generator.checks.faithfulness import normalise

FOUND_FILE = "found.json"
TEXTS_DIR = "texts"
# A line found in few parts is looked for with `in`; many lines at once through an index of their first words.
_FEW = 16


@dataclass(frozen=True)
class Part:
    """One thing of a built site a visitor reads as a whole (a page, a PDF, a file, a page's search entries)."""

    key: str
    """A hash of the bytes the part is read from and of the reader's code: the same key, the same text."""
    read: Callable[[], str]
    """Its visible text, read when the part's words are not kept."""


def reader_version() -> str:
    """What a part's words and the search's answers depend on besides the bytes read: the code reading them."""
    digest = hashlib.sha256(sys.version.encode())
    here = Path(__file__).resolve().parent
    for module in (here / "leaks.py", here / "pdf.py", Path(__file__), Path(faithfulness.__file__),
                   Path(html_parser.__file__)):
        digest.update(module.read_bytes())
    return digest.hexdigest()


def key_of(kind: str, data: bytes, version: str) -> str:
    return hashlib.sha256(f"{version}\0{kind}\0".encode() + data).hexdigest()


def shown_phrases(parts: list[Part], phrases: set[str], kept: Path | None = None) -> set[str]:
    """Which of ``phrases`` (normalised texts, ' w1 w2 … ') some one part of the site holds.

    ``kept``: the folder keeping the parts' words and last answers (None: read and search everything)."""
    if kept is None:
        index = _Index(phrases)
        return {phrase for part in parts for phrase in index.search(normalise(part.read()))}
    version = reader_version()
    before_phrases, before_found = _read_found(kept / FOUND_FILE, version)
    new = phrases - set(before_phrases)
    new_index, all_index = _Index(new), None
    found_in: dict[str, set[str]] = {}
    for part in parts:
        if part.key in found_in:
            continue
        known = before_found.get(part.key)
        if known is None:
            all_index = all_index or _Index(phrases)
            found_in[part.key] = all_index.search(_words(part, kept))
            continue
        held = {before_phrases[number] for number in known} & phrases
        found_in[part.key] = held | (new_index.search(_words(part, kept)) if new else set())
    _write_found(kept, version, phrases, found_in)
    return set().union(*found_in.values()) if found_in else set()


def _words(part: Part, kept: Path) -> str:
    """A part's normalised words: kept under its key, read once."""
    path = kept / TEXTS_DIR / f"{part.key}.txt"
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    words = normalise(part.read())
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(f".{path.name}.{os.getpid()}.new")
    fresh.write_text(words, encoding="utf-8")
    os.replace(fresh, path)  # whole or not at all: a killed build leaves no half text under the key
    return words


class _Index:
    """Phrases by their first word (one-word phrases) or first two words, to search one text for many at once."""

    def __init__(self, phrases: Iterable[str]):
        self.phrases = set(phrases)
        self.by_start: dict[object, list[tuple[str, list[str]]]] = {}
        if len(self.phrases) > _FEW:
            for phrase in self.phrases:
                words = phrase.split()
                if words:
                    start = words[0] if len(words) == 1 else (words[0], words[1])
                    self.by_start.setdefault(start, []).append((phrase, words))

    def search(self, text: str) -> set[str]:
        """The phrases ``text`` (normalised) holds, each as a whole run of its words."""
        if len(self.phrases) <= _FEW:
            return {phrase for phrase in self.phrases if phrase in text}
        words = text.split()
        pairs = set(zip(words, words[1:]))
        found = set()
        for start in (set(words) | pairs) & self.by_start.keys():
            for phrase, phrase_words in self.by_start[start]:
                # Each two words that follow one another in the phrase follow one another in the text, before
                # the search itself (which is what decides).
                if all(pair in pairs for pair in zip(phrase_words[1:], phrase_words[2:])) and phrase in text:
                    found.add(phrase)
        return found


def _read_found(path: Path, version: str) -> tuple[list[str], dict[str, list[int]]]:
    """The lines looked for at the last build and, per part's key, which of them it held; nothing if the file is
    another version's or damaged."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [], {}
    if not isinstance(kept, dict) or kept.get("version") != version:
        return [], {}
    phrases, found = kept.get("phrases"), kept.get("found")
    if not (isinstance(phrases, list) and all(isinstance(p, str) for p in phrases) and isinstance(found, dict)
            and all(isinstance(numbers, list) and all(isinstance(n, int) and 0 <= n < len(phrases) for n in numbers)
                    for numbers in found.values())):
        return [], {}
    return phrases, found


def _write_found(kept: Path, version: str, phrases: set[str], found_in: dict[str, set[str]]) -> None:
    """This build's answers, for this build's parts only; the kept words of parts no longer on the site go."""
    ordered = sorted(phrases)
    number = {phrase: n for n, phrase in enumerate(ordered)}
    document = {"version": version, "phrases": ordered,
                "found": {key: sorted(number[p] for p in held) for key, held in found_in.items()}}
    kept.mkdir(parents=True, exist_ok=True)
    fresh = kept / f".{FOUND_FILE}.{os.getpid()}.new"
    fresh.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    os.replace(fresh, kept / FOUND_FILE)
    texts = kept / TEXTS_DIR
    for path in texts.iterdir() if texts.is_dir() else []:
        if path.suffix == ".txt" and path.stem not in found_in:
            path.unlink(missing_ok=True)
