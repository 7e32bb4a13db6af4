"""A pack of statutory guides that ships with the tool (generator/pack/<id>/pack.yml), adopted by a school with
`guide_pack: <id>` in school.yml."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from generator.load.models.base import PlainText, Slug, StrictModel
from generator.load.models.school import Nation
from generator.load.models.shown import EVERYONE, SETTING, STAFF_ONLY


class GuidanceEdition(StrictModel):
    """The edition of the statutory guidance the pack's guides follow."""

    source: Annotated[Slug, SETTING]
    """Its id in the sources registry (generator/data/sources.yml), e.g. 'kcsie-2025'."""
    title: Annotated[PlainText, EVERYONE]
    """e.g. 'Keeping children safe in education 2025'."""
    in_force_from: date
    """The day this edition came into force, e.g. 2025-09-01."""


class GuidePack(StrictModel):
    """pack.yml: what a pack of guides is, for whom, and which edition of the guidance it follows."""

    id: Annotated[Slug, SETTING]
    """The pack's name, as a school adopts it (`guide_pack: england`); the name of its folder."""
    title: Annotated[PlainText, STAFF_ONLY]
    nation: Nation
    """The nation whose law and guidance the guides follow: only a school there may adopt the pack."""
    kcsie: GuidanceEdition
    """The edition of Keeping children safe in education in force that the guides were checked against."""
    version: Annotated[str, SETTING]
    """The pack's version, e.g. '2025.1': a school's `diff` compares the guides it accepted with the pack's now."""
