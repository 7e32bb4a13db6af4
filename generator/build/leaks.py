"""Does a built parents' site show anything that is not on the reviewed list of what it publishes?

The reviewed list (published-to-parents.yml) is the independent record: a person decided it. This
check reads the built site as a visitor would (the visible text of every page, its PDFs, its other
text files and the search index), so it also catches content that reached the public site by a way
the renderer did not record: a template printing a staff-only clause, a contact's number in a page,
a staff-only guide, an override's internal reason.

Which words must not be there comes from the models themselves: every text field says where it may
be shown (generator/load/models/shown.py). A staff-only text (an override's reason, an editor's note on a
step, a step's source) must never be on the site; a text shown with its item (a clause, a guide, a
contact, a policy) must not be there unless that item is on the reviewed list. Every line of a text
counts (a clause's list items, a note's second paragraph); every length counts for clauses,
contacts and staff-only texts: a short staff-only bullet is a leak unless the same words are also in
something public.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from generator.load.diagnostics import Diagnostic, display_path
from generator.checks.faithfulness import markdown_text, normalise
from generator.load.models import PublicList
from generator.load.models.shown import EVERYONE, STAFF_ONLY, WITH_ITEM, shown_texts, texts
from generator.build.leak_cache import Part, key_of, reader_version, shown_phrases
from generator.build.pdf import pdf_text
from generator.load.project import Project

# Attributes a visitor (or a screen reader, or a link preview) is shown as text.
_SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
_SHOWN_META = ("description", "og:description", "og:title", "twitter:description", "twitter:title")
# A guide's, a policy's or a section's own short texts ('Yes', 'Head Teacher', 'Introduction') are everyday
# words any page may hold; from this many words on, a text of an unpublished one is its own.
_ITEM_WORDS = 4


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        values = dict(attrs)
        self.parts += [values[name] or "" for name in _SHOWN_ATTRIBUTES if name in values]
        if tag == "meta" and (values.get("name") or values.get("property") or "").lower() in _SHOWN_META:
            self.parts.append(values.get("content") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def site_text(site: Path, pdf_texts: Path | None = None) -> str:
    """Everything a visitor can read on a built site: each page's, SVG's, PDF's and text file's words and
    the search index's entries. ``pdf_texts``: a folder keeping each PDF's text by its bytes (see _pdf_words)."""
    return "\n".join(part.read() for part in site_parts(site, pdf_texts))


def site_parts(site: Path, pdf_texts: Path | None = None) -> list[Part]:
    """:func:`site_text` part by part (leak_cache.py): each page, SVG, PDF and text file, and each page's search
    entries, with a key of the bytes it is read from. Only the keys are made here: a part's text is read when
    asked for (the leak check keeps the words of the parts it has read before)."""
    version = reader_version()
    parts = [_file_part(page, "page", version, visible_text) for suffix in ("html", "svg")
             for page in sorted(site.rglob(f"*.{suffix}"))]
    # The parents' PDFs are public too: a staff-only clause printed there is a leak like any other.
    read: set[str] = set()
    parts += [_pdf_part(pdf, pdf_texts, read, version) for pdf in sorted(site.rglob("*.pdf"))]
    for left in sorted(pdf_texts.glob("*.txt")) if pdf_texts and pdf_texts.is_dir() else []:
        if left.name not in read:  # the texts of PDFs no longer on the site
            left.unlink(missing_ok=True)
    # A calendar's folded lines are joined again (RFC 5545 3.1) so a folded word is read whole.
    parts += [_file_part(path, "file", version, lambda text: text.replace("\r\n ", "").replace("\\n", "\n"))
              for suffix in ("txt", "ics") for path in sorted(site.rglob(f"*.{suffix}"))]
    index = site / "search" / "search_index.json"
    if index.is_file():
        entries: dict[str, list[str]] = {}  # each page's entries, by the page's address
        for doc in json.loads(index.read_text(encoding="utf-8")).get("docs", []):
            # Every field an entry carries (title, text, a guide's keywords…), not only title and text.
            entries.setdefault(str(doc.get("location", "")).partition("#")[0], []).append(
                " ".join(str(value) for key, value in doc.items() if key not in ("location", "boost")))
        parts += [_entries_part(texts, version) for _, texts in sorted(entries.items())]
    return parts


def _file_part(path: Path, kind: str, version: str, reader) -> Part:
    key = key_of(kind, path.read_bytes(), version)
    if kind == "page":  # read as read_text would: UTF-8, strictly
        return Part(key, lambda: reader(path.read_text(encoding="utf-8")))
    return Part(key, lambda: reader(path.read_bytes().decode("utf-8", "replace")))


def _entries_part(texts: list[str], version: str) -> Part:
    return Part(key_of("entries", json.dumps(texts).encode(), version),
                lambda: "\n".join(visible_text(text) for text in texts))


def _pdf_part(pdf: Path, kept: Path | None, read: set[str], version: str) -> Part:
    """A PDF as a part: its key made now (its kept text's name is marked read), its text read when asked for."""
    if kept is None:
        return Part(key_of("pdf", pdf.read_bytes(), version), lambda: "\n".join(pdf_text(pdf)))
    name = _pdf_text_name(pdf)
    read.add(name)
    return Part(key_of("pdf", name.encode(), version), lambda: _pdf_words(pdf, kept, name))


def _pdf_text_name(pdf: Path) -> str:
    """The name a PDF's text is kept under: a hash of the PDF's bytes and of the code that reads them."""
    from importlib.metadata import version

    from generator.build import pdf as pdf_module

    reader = f"pypdf {version('pypdf')}\n".encode() + Path(pdf_module.__file__).read_bytes()
    return hashlib.sha256(hashlib.sha256(reader).digest() + pdf.read_bytes()).hexdigest() + ".txt"


def _pdf_words(pdf: Path, kept: Path, name: str) -> str:
    """A PDF's text, kept in ``kept`` (a folder of the work folder) under ``name`` (:func:`_pdf_text_name`), so an
    unchanged PDF is not read again: reading a PDF's text is most of the cost of reading a site's text."""
    try:
        return (kept / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    text = "\n".join(pdf_text(pdf))
    kept.mkdir(parents=True, exist_ok=True)
    fresh = kept / f".{name}.{os.getpid()}.new"
    fresh.write_text(text, encoding="utf-8")
    os.replace(fresh, kept / name)  # whole or not at all: a killed build leaves no half text under the name
    return text


@dataclass(frozen=True)
class Leak:
    """A text of the data that the built parents' site shows and must not."""

    what: str
    """Whose text it is: 'clause policy#clause', 'guide concern', 'contact dsl'."""
    text: str
    """The line as the data file writes it ('' when a whole page is the leak)."""
    staff_only: bool
    origin: str | None
    """The data file it comes from, as the project displays it (the item's file; None for a built-in contact)."""
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.what}: {self.detail}" if self.detail else f"{self.what}: '{self.text.strip()[:60].rstrip()}'"


def find_leaks(project: Project, reviewed: PublicList, site: Path) -> list[str]:
    """What the built parents' site at ``site`` shows that the reviewed list does not publish."""
    return [str(leak) for leak in leaks_found(project, reviewed, site)]


def leaks_found(project: Project, reviewed: PublicList, site: Path, pdf_texts: Path | None = None) -> list[Leak]:
    """:func:`find_leaks`, with where each leaked text comes from (``pdf_texts``: a folder of the work folder keeping
    each PDF's text and what each part of the site was found to hold, build/leak_cache.py; None reads all afresh)."""
    texts = _kept_texts()
    public = normalise("\n".join(_public_texts(project, reviewed, texts)))
    # Every line looked for, in the order the leaks are reported: (what, line, staff-only, origin, its words,
    # what may hold it legitimately); or a leak found without a search (a staff-only guide's folder).
    looked_for: list[tuple[str, str, bool, str | None, str, str] | Leak] = []

    def look_for(what: str, found: list[str], fewest_words: int = 1, allowed: str = public,
                 origin: str | None = None, staff: set[str] | frozenset = frozenset()) -> None:
        """``staff``: which of ``found`` are staff-only texts (when ``found`` holds both kinds)."""
        for text in found:
            for line in text.split("\n"):  # every line: a paragraph of a note, a line of a folded text
                words = normalise(markdown_text(line))
                if len(words.split()) >= fewest_words:
                    looked_for.append((what, line, text in staff, origin, words, allowed))

    def look_for_item(what: str, model, published: bool, origin: str | None, allowed: str = public) -> None:
        """A clause's or a contact's texts: its staff-only ones always, the others unless it is published."""
        staff = set(texts(model, {STAFF_ONLY}))
        look_for(what, texts(model, {STAFF_ONLY} if published else {STAFF_ONLY, WITH_ITEM}), allowed=allowed,
                 origin=origin, staff=staff)

    for citation, ref in sorted(project.clauses.items()):
        look_for_item(f"clause {citation}", ref.clause, citation in reviewed.clauses,
                      project.sources.get(f"policy:{ref.policy.id}"))
    published_policies = {citation.split("#")[0] for citation in reviewed.clauses}
    for policy in project.policies:
        origin = project.sources.get(f"policy:{policy.id}")
        staff = texts(policy, {STAFF_ONLY}, skip=("sections",))
        look_for(f"policy {policy.id}", staff, origin=origin, staff=set(staff))
        if policy.id not in published_policies:
            look_for(f"policy {policy.id}", texts(policy, {WITH_ITEM}, skip=("sections",)), _ITEM_WORDS,
                     origin=origin)
        for section, _ in policy.walk_sections():
            if not any(f"{policy.id}#{citation}" in reviewed.clauses for citation in _clause_ids(section)):
                look_for(f"policy {policy.id} section {section.number}",
                         texts(section, {WITH_ITEM}, skip=("clauses", "sections")), _ITEM_WORDS, origin=origin)
    # A detail that is part of a public contact's (a service's home page inside a reviewed
    # service's longer address, 999 for every emergency line) is not evidence of a leak.
    public_details = normalise(" | ".join(text for key in reviewed.contacts if key in project.contacts
                                          for text in texts(project.contacts[key], {WITH_ITEM, EVERYONE})))
    for key in sorted(project.contacts):
        look_for_item(f"contact {key}", project.contacts[key], key in reviewed.contacts,
                      "school.yml" if key in project.school.contacts else None, public + public_details)
    for tree in project.trees:
        origin = project.sources.get(f"tree:{tree.id}")
        staff = texts(tree, {STAFF_ONLY})
        look_for(f"guide {tree.id}", staff, origin=origin, staff=set(staff))
        if tree.id not in reviewed.trees:
            if (site / "what-to-do" / tree.id).exists():
                looked_for.append(Leak(f"guide {tree.id}", "", False, origin, f"what-to-do/{tree.id}/ is on the site"))
            look_for(f"guide {tree.id}", texts(tree, {WITH_ITEM}), _ITEM_WORDS, origin=origin)

    # Which lines the site shows: one search of each part of it for every line, or what was kept of the last one.
    shown = shown_phrases(site_parts(site, pdf_texts),
                          {entry[4] for entry in looked_for if not isinstance(entry, Leak)}, pdf_texts)
    leaks: dict[str, Leak] = {}
    for entry in looked_for:
        if not isinstance(entry, Leak):
            what, line, staff_only, origin, words, allowed = entry
            if words not in shown or words in allowed:
                continue
            entry = Leak(what, line, staff_only, origin)
        leaks.setdefault(str(entry), entry)
    return list(leaks.values())


LEAK_CODE = "E605"
_HINT = ("nothing was published: the site already built stays as it was. A template or the generator printed it "
         "(a fault in the tool): report it to the site's maintainer")


def leak_diagnostics(project: Project, reviewed: PublicList, site: Path, root: Path,
                     files: list[Path], pdf_texts: Path | None = None) -> list[Diagnostic]:
    """The leak check as a gate of the build: each leak as an error at the data file and line its text comes
    from, found in the item's own file first, then in ``files`` (the project's data files)."""
    found = []
    for leak in leaks_found(project, reviewed, site, pdf_texts):
        path, line, column = _locate(leak, root, files)
        if leak.detail:
            message = f"the parents' site would show {leak.what}, which is not on the reviewed list ({leak.detail})"
        else:
            kind = "staff-only text" if leak.staff_only else "text, not on the reviewed list,"
            message = f"the parents' site would show {kind} of {leak.what}: '{_excerpt(leak.text)}'"
        found.append(Diagnostic(path, line, column, LEAK_CODE, message, hint=_HINT))
    return found


def _excerpt(text: str, most: int = 40) -> str:
    """The first words of a text, never a long text: whole words up to ``most`` characters, then '…'."""
    words, kept = markdown_text(text).split(), []
    for word in words:
        if kept and len(" ".join(kept + [word])) > most:
            return " ".join(kept) + "…"
        kept.append(word)
    return " ".join(kept)[:most]


def _locate(leak: Leak, root: Path, files: list[Path]) -> tuple[str, int, int]:
    """Where the leaked line is written: the first place its first words are, in its item's file or another
    data file (a trust override's reason is in trust-overrides.yml); the item's file if they are nowhere."""
    candidates = ([leak.origin] if leak.origin else []) + [display_path(path, root) for path in files]
    words = leak.text.split()[:4]
    # A long line is folded over several lines of the file: any spaces and line breaks between its words.
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words)) if words else None
    for display in candidates:
        try:
            text = (root / display).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        match = pattern.search(text) if pattern else None
        if match:
            before = text[:match.start()]
            return display, before.count("\n") + 1, match.start() - (before.rfind("\n") + 1) + 1
    return (leak.origin or "published-to-parents.yml"), 1, 1


def _kept_texts():
    """:func:`texts` (load/models/shown.py) with each model's texts walked once per leak check, whatever is asked of
    them: the check asks a clause, a contact or a policy for several kinds of text."""
    kept: dict[tuple[int, tuple[str, ...]], tuple[object, list]] = {}

    def kept_texts(model, wanted, skip: tuple[str, ...] = ()) -> list[str]:
        key = (id(model), skip)
        if key not in kept:  # the model is kept with its texts, so that its id is not another's while kept
            kept[key] = (model, shown_texts(model, skip=skip))
        return [text for text, shown in kept[key][1] if shown in wanted]
    return kept_texts


def _clause_ids(section) -> list[str]:
    """The ids of a section's clauses, its sub-sections' too."""
    return [clause.id for clause in section.clauses] + [c for sub in section.sections for c in _clause_ids(sub)]


def _public_texts(project: Project, reviewed: PublicList, texts=texts) -> list[str]:
    """Words that may legitimately be on the public site: whatever every site shows, and the texts of the
    reviewed clauses, guides, contacts and pages (never their staff-only texts)."""
    shown_with_item = {WITH_ITEM, EVERYONE}
    found = [text for model in (project.school, project.glossary, *project.external_sources.values())
             for text in texts(model, {EVERYONE})]
    found += [text for contact in project.contacts.values() for text in texts(contact, {EVERYONE})]
    found += [text for policy in project.policies for text in texts(policy, {EVERYONE})]
    found += [text for citation in reviewed.clauses if citation in project.clauses
              for text in texts(project.clauses[citation].clause, shown_with_item)]
    published = {citation.split("#")[0] for citation in reviewed.clauses}
    for policy in project.policies:
        if policy.id in published:
            found += texts(policy, shown_with_item, skip=("sections",))
        for section, _ in policy.walk_sections():
            if any(f"{policy.id}#{clause_id}" in reviewed.clauses for clause_id in _clause_ids(section)):
                found += texts(section, shown_with_item, skip=("clauses", "sections"))
    found += [text for tree in project.trees if tree.id in reviewed.trees for text in texts(tree, shown_with_item)]
    found += [text for key in reviewed.contacts if key in project.contacts
              for text in texts(project.contacts[key], shown_with_item)]
    found += [page.text for page in project.pages if page.relative in reviewed.pages]
    return found
