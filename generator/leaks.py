"""Does a built parents' site show anything that is not on the reviewed list of what it publishes?

The reviewed list (published-to-parents.yml) is the independent record: a person decided it. This
check reads the built site as a visitor would (the visible text of every page and the search
index), so it also catches content that reached the public site by a way the renderer did not
record: a template printing a staff-only clause, a contact's number in a page, a staff-only guide.
Every length counts: a short staff-only bullet is a leak unless the same words are also in
something that is public.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from generator.faithfulness import normalise
from generator.models import PublicList
from generator.pdf import pdf_text
from generator.project import Project, clause_text


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1

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


def site_text(site: Path) -> str:
    """Everything a visitor can read on a built site: each page's and PDF's text and the search index's entries."""
    parts = [visible_text(page.read_text(encoding="utf-8")) for page in sorted(site.rglob("*.html"))]
    # The parents' PDFs are public too: a staff-only clause printed there is a leak like any other.
    parts += ["\n".join(pdf_text(pdf)) for pdf in sorted(site.rglob("*.pdf"))]
    index = site / "search" / "search_index.json"
    if index.is_file():
        for doc in json.loads(index.read_text(encoding="utf-8")).get("docs", []):
            # Every field an entry carries (title, text, a guide's keywords…), not only title and text.
            parts.append(visible_text(" ".join(str(value) for key, value in doc.items()
                                               if key not in ("location", "boost"))))
    return "\n".join(parts)


def find_leaks(project: Project, reviewed: PublicList, site: Path) -> list[str]:
    """What the built parents' site at ``site`` shows that the reviewed list does not publish."""
    shown = normalise(site_text(site))
    public = normalise("\n".join(_public_texts(project, reviewed)))
    leaks = []
    for citation, ref in sorted(project.clauses.items()):
        if citation in reviewed.clauses:
            continue
        for part in clause_text(ref.clause).split("\n"):
            words = normalise(part)
            if words.strip() and words in shown and words not in public:
                leaks.append(f"clause {citation}: '{part[:60]}'")
    # A detail that is part of a public contact's (a service's home page inside a reviewed
    # service's longer address, 999 for every emergency line) is not evidence of a leak.
    public_details = normalise(" | ".join(value for key in reviewed.contacts for value in _details(project, key)))
    for key in sorted(set(project.contacts) - set(reviewed.contacts)):
        for value in sorted(_details(project, key)):
            if normalise(value) in shown and normalise(value) not in public_details:
                leaks.append(f"contact {key}: '{value}'")
    for tree in project.trees:
        if tree.id not in reviewed.trees and (site / "what-to-do" / tree.id).exists():
            leaks.append(f"guide {tree.id}: what-to-do/{tree.id}/ is on the site")
    return leaks


def _details(project: Project, key: str) -> set[str]:
    contact = project.contacts[key]
    return {value for value in (contact.phone, contact.email, contact.url) if value}


def _public_texts(project: Project, reviewed: PublicList) -> list[str]:
    """Words that may legitimately be on the public site: the reviewed clauses, guides and pages."""
    texts = [clause_text(project.clauses[c].clause) for c in reviewed.clauses if c in project.clauses]
    trees = {tree.id: tree for tree in project.trees}
    texts += [json.dumps(trees[t].model_dump(mode="json")) for t in reviewed.trees if t in trees]
    texts += [page.text for page in project.pages if page.relative in reviewed.pages]
    texts += [json.dumps(project.glossary.model_dump(mode="json")), project.school.vision, *project.school.values]
    return texts
