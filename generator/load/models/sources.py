"""External documents that steps rest on (statutory guidance, advice, local procedures, law).

The tool ships a registry (generator/data/sources.yml); a school's own `sources.yml` adds
entries or overrides one by id. A citation 'source-id#part-id' names one part.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Literal

from pydantic import Field

from generator.load.models.base import PlainText, Slug, StrictModel
from generator.load.models.school import Contact, Nation
from generator.load.models.shown import EVERYONE, SETTING, WITH_ITEM


class SourceKind(str, Enum):
    statutory_guidance = "statutory_guidance"
    non_statutory_advice = "non_statutory_advice"
    local_procedure = "local_procedure"
    legislation = "legislation"
    partnership_procedure = "partnership_procedure"
    """A local authority's or local safeguarding partnership's procedure (e.g. its LADO or threshold procedure)."""
    other_organisation_policy = "other_organisation_policy"
    """Another organisation's policy that a step follows, e.g. the trust's or a partner school's."""


SOURCE_KIND_LABELS = {
    SourceKind.statutory_guidance: "Statutory guidance",
    SourceKind.non_statutory_advice: "Non-statutory advice",
    SourceKind.local_procedure: "Local procedure",
    SourceKind.legislation: "Legislation",
    SourceKind.partnership_procedure: "Local authority or safeguarding partnership procedure",
    SourceKind.other_organisation_policy: "Another organisation's policy",
}
"""The label a citation of each kind is shown under ("This rests on: Statutory guidance: …")."""


class SourcePart(StrictModel):
    id: Annotated[Slug, SETTING]
    """e.g. 'para-70'."""
    title: Annotated[PlainText, EVERYONE]
    """A short, paraphrased title, e.g. 'Actions where there are concerns about a child'."""


class ExternalSource(StrictModel):
    """One edition of an external document."""

    id: Annotated[Slug, SETTING]
    """e.g. 'kcsie-2025'; one id per edition."""
    title: Annotated[PlainText, EVERYONE]
    kind: SourceKind
    publisher: Annotated[PlainText, EVERYONE]
    edition: Annotated[str | None, EVERYONE] = None
    in_force_from: date | None = None
    in_force_until: date | None = None
    superseded_by: Annotated[Slug | None, SETTING] = None
    """The id of the edition that replaces this one."""
    jurisdiction: list[Nation] = Field(min_length=1)
    status: Literal["final", "draft", "consultation"] = "final"
    """'draft' or 'consultation': not guidance in force (e.g. a consultation draft of KCSIE); citing it is a
    warning (W413) and the guide shows a note."""
    url: Annotated[str | None, EVERYONE] = None
    parts: list[SourcePart] = Field(default_factory=list)


class SourceRegistry(StrictModel):
    """sources.yml (built in, or the school's own additions and overrides)."""

    sources: list[ExternalSource] = Field(default_factory=list)


class ServiceDirectory(StrictModel):
    """generator/data/services.yml: national services, as contacts; school.yml contacts with the same id win."""

    contacts: Annotated[dict[str, Contact], WITH_ITEM] = Field(default_factory=dict)
