"""The validated project: every model plus the indexes that cross references are checked against."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.load.source import Document, Source
from generator.load.site_settings import SiteSettings
from generator.load.models import (Audience, Clause, Contact, DecisionTree, ExternalSource, Glossary, GuidePack, Policy,
                              PublicList, School, Section)


@dataclass(frozen=True)
class ClauseRef:
    """Where a clause lives, for citations and links."""

    policy: Policy
    top_section: Section
    section: Section
    clause: Clause
    label: str
    """Human reference, e.g. '3.4 ¶5' (section number, paragraph within the section)."""
    audiences: frozenset[Audience]

    @property
    def citation(self) -> str:
        return f"{self.policy.id}#{self.clause.id}"


@dataclass(frozen=True)
class Page:
    """A hand-written page from docs/<site>/ (Markdown that may call cite() and contact())."""

    path: Path
    display: str
    relative: str
    """Path inside the site's docs, e.g. 'report-a-concern.md'."""
    sites: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class RecordedOverride:
    """One override in trust-overrides.yml, for the editors' page: what it replaces, why, and where it is written."""

    kind: str
    """'clause' (a trust-wide policy's clause) or 'step' (a step of a guide from the school's guide pack)."""
    owner: str
    """The policy's or the guide's id."""
    item: str
    """The clause's or the step's id."""
    reason: str
    where: str
    """trust-overrides.yml:<line>."""
    replaced_at: tuple[str, int, int] | None = None
    """A step's: where the pack's step was (file, line, column); a problem found there is in the school's version."""
    written_at: tuple[str, int, int] | None = None
    """A step's: where the school's version is written (trust-overrides.yml, line, column of `replace:`)."""


@dataclass
class Project:
    school: School
    glossary: Glossary
    policies: list[Policy]
    trees: list[DecisionTree]
    pages: list[Page]
    today: date
    clauses: dict[str, ClauseRef] = field(default_factory=dict)
    """Every clause by citation ('policy-id#clause-id')."""
    sources: dict[str, str] = field(default_factory=dict)
    """Display path of the file each policy/tree id came from."""
    documents: dict[str, "Document"] = field(default_factory=dict)
    """Each policy's original document by policy id, for the faithfulness check."""
    public_list: "tuple[Source, PublicList] | None" = None
    """The reviewed list of what the parents' site publishes, with where each entry is written."""
    external_sources: dict[str, ExternalSource] = field(default_factory=dict)
    """The sources registry: built-in entries, overridden by id by the school's sources.yml."""
    contacts: dict[str, Contact] = field(default_factory=dict)
    """The national services directory merged with school.yml contacts (the school's entry wins)."""
    roles: dict[str, str] = field(default_factory=dict)
    """Role id -> label: the built-in roles plus school.yml `roles:`."""
    overridden: dict[str, list[str]] = field(default_factory=dict)
    """Trust-wide policy id -> the trust's wordings this school replaced (trust-overrides.yml), with a reason."""
    overrides: list[RecordedOverride] = field(default_factory=list)
    """Every clause and pack step the school replaced (trust-overrides.yml), with its reason: the editors' page."""
    texts: dict[str, str] = field(default_factory=dict)
    """Every data file's and hand-written page's text by display path: the gate traces a finding to its line."""
    site_settings: SiteSettings | None = None
    """The school's own site settings (its top-level mkdocs.yml: colours, logo, extra links), if any."""
    waivers: list = field(default_factory=list)
    """The safety rules' recorded waivers that set a breach aside (generator.checks.rules.RecordedWaiver)."""
    pack: "GuidePack | None" = None
    """The pack of statutory guides the school adopts (its guides are among `trees`), if any."""

    def source_problems(self, source: ExternalSource) -> list[str]:
        """Why citing this source may be wrong here: 'superseded', 'jurisdiction', 'not_in_force', 'draft'."""
        problems = []
        if source.status != "final":
            problems.append("draft")
        if source.superseded_by:
            problems.append("superseded")
        if self.school.nation not in source.jurisdiction:
            problems.append("jurisdiction")
        if (source.in_force_from and source.in_force_from > self.today) or \
                (source.in_force_until and source.in_force_until < self.today):
            problems.append("not_in_force")
        return problems

    @property
    def trees_by_id(self) -> dict[str, DecisionTree]:
        return {tree.id: tree for tree in self.trees}

    def sites_of(self, tree: DecisionTree) -> set[str]:
        """The sites a tree is published on: every tree on the staff site, parents' trees on theirs too."""
        return {"staff", "parents"} if Audience.parents in tree.audiences else {"staff"}

    @property
    def policies_by_id(self) -> dict[str, Policy]:
        return {policy.id: policy for policy in self.policies}


def index_clauses(policy: Policy) -> dict[str, ClauseRef]:
    """Every clause of a policy with its label and resolved audiences (clause -> section -> policy)."""
    index: dict[str, ClauseRef] = {}
    for section, parents in policy.walk_sections():
        top = parents[0] if parents else section
        inherited = section.audiences
        for parent in reversed(parents):
            if inherited is not None:
                break
            inherited = parent.audiences
        section_audiences = inherited or policy.audiences
        for number, clause in enumerate(section.clauses, start=1):
            audiences = frozenset(clause.audiences or section_audiences)
            ref = ClauseRef(policy, top, section, clause, f"{section.number} ¶{number}", audiences)
            index[ref.citation] = ref
    return index


def clause_parts(clause: Clause) -> list[str]:
    """A clause's wording in reading order: its text, then every list item, nested items after their parent."""
    parts = [clause.text] if clause.text else []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, str):
                parts.append(item)
            else:
                parts.append(item.text)
                walk(item.items)

    walk(clause.items)
    return parts


def clause_text(clause: Clause) -> str:
    """All the words of a clause, one part a line: its text, every list item, every matrix row and cell."""
    parts = clause_parts(clause)
    if clause.matrix:
        for row in clause.matrix.rows:
            parts += [row.heading, *row.cells]
    return "\n".join(parts)


def source_texts(loaded) -> dict[str, str]:
    """Every loaded data file's and hand-written page's text by its display path (a LoadedProject's)."""
    single = (loaded.school, loaded.glossary, loaded.sources, loaded.builtin_sources, loaded.services, loaded.trust,
              loaded.trust_overrides, loaded.public_list)
    sources = [s for s in single if s is not None] + loaded.policies + loaded.trust_policies + loaded.trees \
        + loaded.groups
    texts = {source.display: source.text for source in sources}
    texts.update({page.display: page.text for page in loaded.pages})
    return texts
