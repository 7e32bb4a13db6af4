"""How a guide's steps are shown, and where a guide applies (issue 27 items 4 and 5).

Kept apart from tree.py, which holds the steps' structure: these fields only change what a reader sees
(the record box, the emergency panel) or what the guide is checked against (its jurisdiction).
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import Field

from generator.load.models.base import Markdown, StrictModel
from generator.load.models.roles import RoleRef
from generator.load.models.school import Nation
from generator.load.models.shown import SETTING, WITH_ITEM


class Jurisdiction(str, Enum):
    """Where a guide's procedure applies: one UK nation, or the whole UK."""

    england = "england"
    wales = "wales"
    scotland = "scotland"
    northern_ireland = "northern_ireland"
    uk = "uk"


JURISDICTION_NATIONS: dict[Jurisdiction, tuple[Nation, ...]] = {
    Jurisdiction.england: (Nation.england,),
    Jurisdiction.wales: (Nation.wales,),
    Jurisdiction.scotland: (Nation.scotland,),
    Jurisdiction.northern_ireland: (Nation.northern_ireland,),
    Jurisdiction.uk: tuple(Nation),
}
"""The nations (school.yml `nation`) in which a guide of each jurisdiction applies."""

JURISDICTION_LABELS = {
    Jurisdiction.england: "England",
    Jurisdiction.wales: "Wales",
    Jurisdiction.scotland: "Scotland",
    Jurisdiction.northern_ireland: "Northern Ireland",
    Jurisdiction.uk: "the whole UK",
}
"""Shown on the guide's page: "This procedure applies in England."."""


class RecordBox(StrictModel):
    """`record:` as a mapping: who keeps the record a step asks for, and the guide's own words for it."""

    keeper: Annotated[RoleRef, SETTING] = "dsl"
    """Who the record is given to, e.g. case_manager (default: the DSL)."""
    says: Annotated[Markdown | None, WITH_ITEM] = None
    """The box's words where the default would not fit the step, e.g. 'Keep a confidential record; give it only
    to the person you told'."""


Record = bool | RecordBox
"""`record: true` (the default box, kept by the DSL) or a mapping with the keeper and the guide's words."""

EmergencyPanel = Annotated[bool | None, Field(default=None)]
"""A step's `emergency_panel`: true or false overrides the guide's; unset follows the guide's, except on a
step about an adult (see :func:`step_shows_emergency_panel`)."""

_ADULT_CONCERNS = ("adult_working_with_children", "other_adult")


def step_shows_emergency_panel(tree, step) -> bool:
    """Does this step show the emergency panel ("a child in immediate danger: call 999")?

    The step's own `emergency_panel` decides when set. Otherwise the guide's setting, except on a step whose
    concern (`concern_about` on the step, else the guide's) is about an adult: the LADO, an employer's process
    or a complaint, where the panel about a child in danger repeated on every step is noise, not help.
    """
    own = getattr(step, "emergency_panel", None)
    if own is not None:
        return own
    about = getattr(step, "concern_about", None) or tree.concern_about
    return tree.shows_emergency_panel and about not in _ADULT_CONCERNS
