"""A multi-academy trust: one repository, many schools (trust.yml), and a school's overrides (trust-overrides.yml
in the school's folder): its own wording of a trust-wide clause, or its own version of one step of a guide from the
pack of statutory guides it adopted, each with a recorded reason."""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import Discriminator, Field, Tag, field_validator

from generator.load.models.base import NodeId, PlainText, Slug, StrictModel
from generator.load.models.shown import EVERYONE, SETTING, STAFF_ONLY, WITH_ITEM
from generator.load.models.tree import Step


class TrustSchool(StrictModel):
    id: Annotated[Slug, SETTING]
    """The school's id (its school.yml `id`); names its output folder, site/<id>/, and `build --school ID`."""
    folder: Annotated[str, SETTING]
    """The school's folder, relative to trust.yml, e.g. 'schools/oakfield'; '.' is the school at the root."""

    @field_validator("folder")
    @classmethod
    def _relative(cls, folder: str) -> str:
        if folder.startswith(("/", "\\")) or ".." in folder.replace("\\", "/").split("/"):
            raise ValueError("write the folder relative to trust.yml, inside it, e.g. 'schools/oakfield'")
        return folder


class Trust(StrictModel):
    """trust.yml, at the repository's root: the trust's schools and where its trust-wide policies live."""

    id: Annotated[Slug, SETTING]
    name: Annotated[PlainText, EVERYONE]
    schools: list[TrustSchool] = Field(min_length=1)
    shared: Annotated[str, SETTING] = "trust"
    """The folder of trust-wide policies (<shared>/policies/*.yml, their documents in <shared>/policies/source/),
    used by every school: '{{ school.name }}' in their text becomes each school's name."""

    @field_validator("schools")
    @classmethod
    def _unique(cls, schools: list[TrustSchool]) -> list[TrustSchool]:
        for kind in ("id", "folder"):
            seen = [getattr(school, kind).rstrip("/") for school in schools]
            repeated = sorted({value for value in seen if seen.count(value) > 1})
            if repeated:
                raise ValueError(f"each school's {kind} must be different: {', '.join(repeated)} is listed twice")
        return schools


class Override(StrictModel):
    """What every override has: why the school differs from what it adopted (the trust's policy or the pack's
    guide), recorded for the people who keep the school's policies and guides."""

    reason: Annotated[PlainText, STAFF_ONLY] = Field(min_length=10)
    """Why the school differs, e.g. who approved it and when: an internal note, shown to staff (with a clause, and
    on the editors' page)."""


class ClauseOverride(Override):
    """A school's own wording of one clause of a trust-wide policy, and why."""

    policy: Annotated[Slug, SETTING]
    clause: Annotated[Slug, SETTING]
    text: Annotated[PlainText, WITH_ITEM]
    """The school's wording, published in place of the trust's."""
    reason_on_parents_site: bool = False
    """True shows the reason to parents too, with the clause, where the clause is on their site."""


class StepOverride(Override):
    """A school's own version of one step (a question or an outcome) of a guide from its guide pack, and why."""

    guide: Annotated[Slug, SETTING]
    """The pack guide's id, e.g. 'worried-about-a-child'."""
    step: Annotated[NodeId, SETTING]
    """The id of the step replaced; the replacement keeps it, so the guide's other steps still lead to it."""
    replace: Step
    """The whole step as the school's guide has it, written as a step of a guide is (kind, id, title...)."""


def _override_kind(value: Any) -> str:
    """A clause override unless it names a guide or a step (the tags name models, as the error locator expects)."""
    if isinstance(value, dict):
        return "StepOverride" if {"guide", "step", "replace"} & value.keys() else "ClauseOverride"
    return type(value).__name__


AnyOverride = Annotated[Union[Annotated[ClauseOverride, Tag("ClauseOverride")],
                              Annotated[StepOverride, Tag("StepOverride")]], Discriminator(_override_kind)]


class TrustOverrides(StrictModel):
    """trust-overrides.yml in a school's folder: its overrides of the trust's clauses and of its pack's steps."""

    overrides: list[AnyOverride] = Field(default_factory=list)
