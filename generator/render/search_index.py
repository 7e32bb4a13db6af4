"""The decision trees' search entries, made by the generator and merged into each built site's search index.

Tree pages are kept out of the search plugin's HTML parsing (``search: exclude: true`` in their
front matter, issue 17): re-parsing every step's HTML was a fifth of a large build. Instead the
renderer calls :func:`tree_entries` with the same text the page shows, the entries travel with the
site's generated sources (``includes/search-entries.json``, so the build cache sees them), and
:func:`merge_entries` appends them to ``search/search_index.json`` after ``mkdocs build`` and before
the safety gate reads that file, so the gate checks them like every other entry.

The entries have the shape Material's search plugin writes: ``location`` relative to the site's
root (``what-to-do/<tree>/`` for the guide, ``what-to-do/<tree>/#<step>`` for each step, so a result
opens that step), ``title``, ``text`` (data text is untrusted: every value is escaped as the
plugin escapes text, ``&``, ``<`` and ``>``), ``tags`` and ``boost`` as the plugin copies them from
a page's front matter. The guide's entry comes before its steps: Material's search takes the first
entry of a page as the article and the others as its sections.
"""

from __future__ import annotations

import json
from html import escape
from html.parser import HTMLParser
from pathlib import Path


ENTRIES_FILE = "search-entries.json"
"""The site's generated entries, under the site's ``includes/`` folder."""

GUIDE_TAGS = ["What do I do if…"]
"""The tags every guide page carries (trees/tree.md.j2); the plugin repeats them on each entry."""

GUIDE_BOOST = 1.5
"""A guide's entries count this much more than policy text for the same words (see test_search_quality.py)."""

KEYWORDS_FIELD = "keywords"
"""The entry field holding a guide's "also called" words; the base config's search plugin weighs it as a title."""


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def plain(html: str) -> str:
    """The text a reader sees in a piece of HTML (a field converted by text_html), tags dropped, spaces collapsed."""
    parser = _Text()
    parser.feed(str(html))
    parser.close()
    return " ".join("".join(parser.parts).split())


def _paragraphs(texts: list[str]) -> str:
    return " ".join(f"<p>{escape(text, quote=False)}</p>" for text in texts if text)


def tree_entries(tree, location: str, inline, block, who) -> list[dict]:
    """The search entries of one guide: the guide itself, then one per step, in page order.

    ``location`` is the guide's URL from the site's root (``what-to-do/<tree>/``); ``inline`` and
    ``block`` convert a data text as the page does (contacts filled in, Markdown to HTML), ``who``
    names a role as the page does.

    The guide's "also called" words go in their own field (``keywords``), which the search plugin's
    configuration weighs like a title: they are other names for what the title says.
    """
    boost = GUIDE_BOOST
    guide = _entry(location, tree.title, [tree.use_when], boost)
    if tree.also_called:
        guide[KEYWORDS_FIELD] = escape(", ".join(tree.also_called), quote=False)
    entries = [guide]
    for node in tree.nodes:
        if node.kind == "question":
            title = plain(inline(node.question))
            texts = [plain(inline(_text_of(item))) for item in node.criteria]
            texts += [plain(inline(answer.label)) for answer in node.answers]
            texts += [plain(block(node.help))] if node.help else []
            texts += [plain(inline(item)) for item in node.never]
        else:
            title = plain(inline(node.title))
            texts = [plain(inline(node.summary))]
            texts += [plain(inline(item)) for item in getattr(node, "never", [])]  # a routing step has none
        for action in (one for entry in getattr(node, "actions", [])  # a question's too, and each alternative
                       for one in getattr(entry, "either", None) or [entry]):
            texts.append(f"{plain(who(action.who))}: {plain(block(action.text))}")
            texts += [plain(block(item)) for item in action.cautions + action.notes]
        texts += [plain(block(item)) for item in getattr(node, "cautions", []) + getattr(node, "notes", [])]
        entries.append(_entry(f"{location}#{node.id}", title, texts, boost))
    return entries


def without_repeated_steps(entries: list[dict], seen: set[tuple]) -> list[dict]:
    """A guide's entries without the steps an earlier guide's entries already hold word for word (a shared
    group's steps, e.g. "Is a child in immediate danger?", are in every guide that uses it): listed once, so
    that the same step under several guides does not push every other page out of the first results
    (issue 28: three parents' guides' "Call 999 now" hid "How to report a concern"). ``seen`` is updated.
    The guide's own entry is always kept."""
    kept = entries[:1]
    for entry in entries[1:]:
        key = (entry["location"].partition("#")[2], entry["title"], entry["text"])
        if key not in seen:
            seen.add(key)
            kept.append(entry)
    return kept


def _text_of(criterion) -> str:
    return criterion if isinstance(criterion, str) else criterion.text


def _entry(location: str, title: str, texts: list[str], boost: float) -> dict:
    return {"location": location, "title": escape(title, quote=False), "text": _paragraphs(texts),
            "tags": list(GUIDE_TAGS), "boost": boost}


def dump(entries: list[dict]) -> str:
    """The entries as the JSON file the build reads."""
    return json.dumps(entries, ensure_ascii=False, indent=1) + "\n"


def merge_entries(site_dir: Path, entries_text: str | None, directory_urls: bool = True) -> None:
    """Append the generated entries (the text of ``includes/search-entries.json``) to a built site's index.

    With ``directory_urls`` off (the offline bundle) a guide's ``what-to-do/x/`` becomes
    ``what-to-do/x/index.html``. Material's offline plugin also writes the index as a script
    (``search/search_index.js``, ``var __index = {...}``); when it is there it is rewritten too.
    """
    if not entries_text:
        return
    entries = json.loads(entries_text)
    if not directory_urls:
        entries = [{**entry, "location": _file_url(entry["location"])} for entry in entries]
    path = site_dir / "search" / "search_index.json"
    index = json.loads(path.read_text(encoding="utf-8"))
    index["docs"].extend(entries)
    data = json.dumps(index, separators=(",", ":"), default=str)
    path.write_text(data, encoding="utf-8")
    script = path.with_suffix(".js")
    if script.is_file():
        script.write_text(f"var __index = {data}", encoding="utf-8")


def _file_url(location: str) -> str:
    page, hash_, anchor = location.partition("#")
    return (page + "index.html" if page.endswith("/") or not page else page) + hash_ + anchor
