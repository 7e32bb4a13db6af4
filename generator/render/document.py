"""One policy as a single printable HTML document: the source of its PDF.

The document follows the approved policy's own order and numbering, puts the title page
(school, title, period, approval, review) first and a signature and date line per signatory
last, and keeps the site editors' notes out of the body: they go to an appendix that says
plainly it is not part of the approved policy. Python prepares plain data; the wording is in
``templates/print/``.
"""

from __future__ import annotations

from dataclasses import dataclass

import re
import xml.etree.ElementTree as etree

import jinja2
import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from generator.render.templating import compiled_templates
from generator.load.models import Audience, Policy
from generator.load.models.policy import Section
from generator.load.project import Project, index_clauses
from generator.render.register import review_status
from generator.render.renderer import TEMPLATES

SITE_EDITIONS = ("staff", "parents")
_SAFE_LINK = ("https://", "http://", "mailto:", "tel:")
PRINT_PART_CHARS = 2000
"""A longer paragraph is printed as parts of about this many characters (see _ShortLineBoxes)."""
_SENTENCE_END = re.compile(r"(?<=[.!?;:])[ \t\n]+")


@dataclass(frozen=True)
class PrintSection:
    """A section as printed: its number and title, clauses shown in this edition, sub-sections."""

    section: Section
    level: int
    clauses: list
    sections: list[PrintSection]


@dataclass(frozen=True)
class EditorNote:
    label: str
    """Where the note belongs, e.g. '3.3 ¶2'."""
    kind: str
    html: Markup


class _InertLinks(Treeprocessor):
    """Links keep only web, mail and phone targets; anything else becomes plain text."""

    def run(self, root):
        for element in root.iter("a"):
            href = element.get("href", "")
            if not href.startswith(_SAFE_LINK):
                element.attrib.pop("href", None)


class _ShortLineBoxes(Treeprocessor):
    """A paragraph longer than PRINT_PART_CHARS becomes a run of ``<span class="part">`` (blocks in
    print.css), each ending after a sentence.

    Why: at every page break WeasyPrint lays out all the rest of the paragraph to count its lines
    (for ``widows``, whatever its value), so a paragraph over p pages costs p times its length: a
    400 KB clause took 3 minutes to print. Split after sentences, each part's rest is short and the
    cost grows with the length. No real clause is this long (the longest is about 600 characters).
    """

    def run(self, root):
        for paragraph in root.iter("p"):
            if len("".join(paragraph.itertext())) > PRINT_PART_CHARS:
                _split_paragraph(paragraph)


def _split_paragraph(paragraph) -> None:
    pieces = [paragraph.text or ""]  # top-level text and elements in order; only text is split
    for child in list(paragraph):
        pieces += [child, child.tail or ""]
        child.tail = None
    paragraph.clear()
    parts = [etree.SubElement(paragraph, "span", {"class": "part"})]
    size = 0

    def add_text(text: str) -> None:
        part = parts[-1]
        if len(part):
            part[-1].tail = (part[-1].tail or "") + text
        else:
            part.text = (part.text or "") + text

    for piece in pieces:
        if not isinstance(piece, str):
            parts[-1].append(piece)
            size += len("".join(piece.itertext()))
            continue
        start = 0
        for end in _SENTENCE_END.finditer(piece):
            if size + end.start() - start >= PRINT_PART_CHARS:
                add_text(piece[start:end.start()])
                parts.append(etree.SubElement(paragraph, "span", {"class": "part"}))
                size, start = 0, end.end()
        add_text(piece[start:])
        size += len(piece) - start


class _PrintMarkdown(Extension):
    def extendMarkdown(self, md):
        # Data text is validated to hold no raw HTML; turning the HTML readers off means that even
        # if some slipped through it would be printed as text, never as markup.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_InertLinks(md), "inert_links", 0)
        md.treeprocessors.register(_ShortLineBoxes(md), "short_line_boxes", 1)


def _markdown_filter():
    converter = markdown.Markdown(extensions=[_PrintMarkdown()])

    def convert(text: str, inline: bool = True) -> Markup:
        converter.reset()
        html = converter.convert(str(text))
        if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(html)

    return convert


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=True,  # HTML out: every data string is escaped unless it went through the Markdown filter
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=compiled_templates("print-html"),
    )
    env.filters["md"] = _markdown_filter()
    return env


def edition_clauses(project: Project, policy: Policy, edition: str) -> list:
    """The clause references shown in an edition, in the policy's order (parents: only parents' clauses)."""
    refs = index_clauses(policy).values()
    if edition == "parents":
        return [ref for ref in refs if Audience.parents in ref.audiences]
    return list(refs)


def policy_document(project: Project, policy: Policy, edition: str) -> str:
    """The whole policy (staff) or its parents' clauses (parents) as one HTML document for print."""
    shown = {ref.clause.id: ref for ref in edition_clauses(project, policy, edition)}

    def build(sections: list[Section], level: int) -> list[PrintSection]:
        printed = []
        for section in sections:
            children = build(section.sections, level + 1)
            clauses = [shown[clause.id] for clause in section.clauses if clause.id in shown]
            if clauses or children:
                printed.append(PrintSection(section, level, clauses, children))
        return printed

    env = _environment()
    notes = [EditorNote(ref.label, note.kind, env.filters["md"](note.text, inline=False))
             for ref in shown.values() for note in ref.clause.notes_for(edition)]
    return env.get_template("print/policy.html.j2").render(
        school=project.school,
        policy=policy,
        edition=edition,
        sections=build(policy.sections, 2),
        notes=notes,
        review=review_status(policy, project.today),
        css=Markup((TEMPLATES / "print" / "print.css").read_text(encoding="utf-8")),  # our own file, not data
    )
