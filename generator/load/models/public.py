"""published-to-parents.yml: what the public parents' site publishes, as reviewed by a person."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from generator.load.models.base import StrictModel
from generator.load.models.shown import SETTING


class PublicList(StrictModel):
    """The reviewed list of everything the parents' site publishes.

    The build fails when the parents' site would publish anything else, or would stop publishing
    something listed: widening an audience, or publishing a contact or a guide, is a decision a
    person makes by updating this file (`python -m generator public --update`), never a side effect.
    """

    clauses: Annotated[list[str], SETTING] = Field(default_factory=list)
    """Policy clauses shown to parents, as 'policy-id#clause-id'."""
    trees: Annotated[list[str], SETTING] = Field(default_factory=list)
    """'What do I do if…' guides published to parents, by tree id."""
    contacts: Annotated[list[str], SETTING] = Field(default_factory=list)
    """Contacts whose details appear on the parents' site, by id."""
    pages: Annotated[list[str], SETTING] = Field(default_factory=list)
    """Hand-written pages on the parents' site, by path (e.g. 'report-a-concern.md')."""
