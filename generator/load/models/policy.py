"""A policy: metadata and an ordered tree of sections and clauses (policies/<id>.yml)."""

from __future__ import annotations

from typing import Annotated, Iterator, Literal

from pydantic import Field, model_validator

from generator.load.models.base import AlsoCalled, Audiences, Markdown, PlainText, Slug, StrictModel, TermDate
from generator.load.models.shown import SETTING, STAFF_ONLY, WITH_ITEM


class ListItem(StrictModel):
    """A bullet with sub-bullets. A bullet without sub-bullets can be written as plain text."""

    text: Annotated[Markdown, WITH_ITEM]
    items: Annotated[list[ListItem | Markdown], WITH_ITEM] = Field(default_factory=list)


class MatrixRow(StrictModel):
    heading: Annotated[PlainText, WITH_ITEM]
    """The row's name, e.g. 'Contact'."""
    cells: Annotated[list[Markdown], WITH_ITEM]
    """One entry per column, in the columns' order."""


class MisuseMatrix(StrictModel):
    """A table of kinds of misuse, e.g. Contact / Conduct / Content × Commercial / Aggressive / Sexual / Values."""

    columns: Annotated[list[PlainText], WITH_ITEM] = Field(min_length=1)
    rows: list[MatrixRow] = Field(min_length=1)

    @model_validator(mode="after")
    def _rows_fill_columns(self) -> MisuseMatrix:
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                raise ValueError(f"row '{row.heading}' has {len(row.cells)} cells but there are "
                                 f"{len(self.columns)} columns")
        return self


class EditorialNote(StrictModel):
    """Our note beside the approved wording (never a change to it), e.g. that a link is out of date."""

    kind: Literal["outdated", "info"]
    text: Annotated[Markdown, WITH_ITEM]


class Clause(StrictModel):
    """One paragraph of the policy, optionally with a list or a matrix."""

    id: Annotated[Slug, SETTING]
    """Stable id: the clause's anchor and the target of citations ('policy-id#clause-id')."""
    audiences: Audiences | None = None
    """Who the clause is for; defaults to the section's audiences."""
    text: Annotated[Markdown | None, WITH_ITEM] = None
    """The clause's wording exactly as approved."""
    items: Annotated[list[ListItem | Markdown], WITH_ITEM] = Field(default_factory=list)
    """A bulleted list following the text."""
    matrix: MisuseMatrix | None = None
    notes: list[EditorialNote] = Field(default_factory=list)
    """Notes from the site's editors, shown apart from the policy's wording (on every site the clause is on)."""
    staff_notes: Annotated[list[EditorialNote], STAFF_ONLY] = Field(default_factory=list)
    """Notes for staff only, shown like `notes` on the staff site and never on the parents' site (e.g. why a
    school's wording differs from the trust's: trust-overrides.yml puts its reasons here)."""
    also_called: Annotated[AlsoCalled, WITH_ITEM]
    """Everyday words for what the clause is about, e.g. ['nudes', 'pics']: shown beside the clause (never
    part of the approved wording) and found by search. Optional."""

    def notes_for(self, site: str) -> list[EditorialNote]:
        """The notes shown with the clause on ``site`` ('staff' or 'parents')."""
        return self.notes + self.staff_notes if site == "staff" else list(self.notes)

    @model_validator(mode="after")
    def _has_content(self) -> Clause:
        if self.text is None and not self.items and self.matrix is None:
            raise ValueError("a clause needs text, items or a matrix")
        return self


class Section(StrictModel):
    id: Annotated[Slug, SETTING]
    number: Annotated[str, SETTING]
    """The number printed in the policy, e.g. '3.1'."""
    title: Annotated[PlainText, WITH_ITEM]
    audiences: Audiences | None = None
    """Default audiences for the section's clauses; defaults to the policy's."""
    clauses: list[Clause] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    """Sub-sections, e.g. 3.1 inside 3."""


class Signatory(StrictModel):
    name: Annotated[PlainText, WITH_ITEM]
    role: Annotated[PlainText, WITH_ITEM]


class PolicyVersion(StrictModel):
    """One approval of the policy, as recorded in the approving body's minutes."""

    approved: Annotated[TermDate, WITH_ITEM]
    """When this version was approved: a term ('Autumn 2021'), a month ('November 2021') or a date ('2021-11-18')."""
    approved_by: Annotated[PlainText, WITH_ITEM]
    """Who approved it, e.g. 'Full Governing Body'."""
    minute_ref: Annotated[PlainText | None, WITH_ITEM] = None
    """The minute recording the approval, e.g. 'FGB 18/11/2021 item 7'; leave it out if it is not known."""
    summary: Annotated[PlainText | None, WITH_ITEM] = None
    """What changed in this version, in a sentence or two; leave it out if it is not known."""


class RelatedPolicy(StrictModel):
    title: Annotated[PlainText, WITH_ITEM]
    id: Annotated[Slug | None, SETTING] = None
    """The related policy's id once the school has added it to policies/; until then it is listed as not yet published."""


class Deviation(StrictModel):
    """Where the site publishes other words than the approved document, and why (e.g. a typo fixed).

    The faithfulness check accepts the published words in place of the original ones only here,
    so every difference from what the governors approved is written down.
    """

    clause: Annotated[Slug, SETTING]
    """The clause whose text differs."""
    original: Annotated[PlainText, STAFF_ONLY]
    """The words as the approved document has them."""
    published: Annotated[PlainText, WITH_ITEM]
    """The words published instead."""
    reason: Annotated[PlainText, STAFF_ONLY]
    """Why, e.g. 'typo fixed: apostrophe missing'."""


class Policy(StrictModel):
    """policies/<id>.yml: one policy."""

    id: Annotated[Slug, SETTING]
    """Used in URLs (policies/<id>/) and citations; keep it stable."""
    title: Annotated[PlainText, WITH_ITEM]
    short_title: Annotated[PlainText, WITH_ITEM]
    summary: Annotated[PlainText | None, WITH_ITEM] = None
    """One sentence saying what the policy covers, shown in the register and search results."""
    period: Annotated[str | None, WITH_ITEM] = None
    """The period the policy covers, e.g. '2021-2024'."""
    approved: Annotated[TermDate, WITH_ITEM]
    approved_by: Annotated[PlainText, WITH_ITEM]
    review_due: Annotated[TermDate, WITH_ITEM]
    owner: Annotated[PlainText, WITH_ITEM]
    """Who keeps the policy up to date, e.g. 'Head Teacher'."""
    placeholders: list[Literal["title", "short_title", "approved", "approved_by", "review_due", "owner"]] = \
        Field(default_factory=list)
    """Details that hold a stand-in until the author confirms them (e.g. an imported policy whose cover gave no
    review date): `check` warns about each and the site shows it as 'to be confirmed'. Remove a name once its
    value is the real one."""
    audiences: Audiences
    """Default audiences for every section."""
    signatories: list[Signatory] = Field(default_factory=list)
    versions: list[PolicyVersion] = Field(default_factory=list)
    """Approval history, oldest first. The last entry is the current version: its approved and approved_by
    must be the policy's own (checked: E308, E309). Record only approvals the school has evidence of."""
    related_policies: list[RelatedPolicy] = Field(default_factory=list)
    source: Annotated[str | None, SETTING] = None
    """The school's original document, relative to policies/ (e.g. 'source/mobile-phones-policy.txt').

    When given, every sentence of it must be on the staff site, or be covered by a recorded deviation."""
    deviations: list[Deviation] = Field(default_factory=list)
    """Every deliberate difference between the published wording and the source document."""
    sections: list[Section] = Field(min_length=1)
    starter: bool = False
    """True in the example policy `init` copies from the starter: `check` warns (W520) and `publish` refuses the
    build until the school has put in its own approved policy and removed this line."""

    @property
    def history(self) -> list[PolicyVersion]:
        """Approvals newest first; the policy's own approval when no history is recorded (none while it is a
        placeholder)."""
        if self.versions:
            return list(reversed(self.versions))
        if {"approved", "approved_by"} & set(self.placeholders):
            return []  # the approval is a stand-in: nothing to show until it is confirmed
        return [PolicyVersion(approved=self.approved, approved_by=self.approved_by)]

    def walk_sections(self) -> Iterator[tuple[Section, tuple[Section, ...]]]:
        """Every section, depth first, with its ancestors."""

        def walk(sections: list[Section], parents: tuple[Section, ...]):
            for section in sections:
                yield section, parents
                yield from walk(section.sections, parents + (section,))

        yield from walk(self.sections, ())
