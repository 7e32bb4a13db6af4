"""Glossary entries: shown on the glossary page and as abbreviation tooltips on every page."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from generator.load.models.base import AlsoCalled, Markdown, PlainText, StrictModel
from generator.load.models.shown import EVERYONE


class GlossaryEntry(StrictModel):
    term: Annotated[PlainText, EVERYONE]
    """The abbreviation or word as it appears in text, e.g. 'DSL'."""
    expansion: Annotated[PlainText | None, EVERYONE] = None
    """What an abbreviation stands for, e.g. 'Designated Safeguarding Lead'; shown as a tooltip wherever the term appears."""
    definition: Annotated[Markdown, EVERYONE]
    """A plain-language explanation for the glossary page."""
    url: Annotated[str | None, EVERYONE] = None
    """Where to read more (optional)."""
    also_called: Annotated[AlsoCalled, EVERYONE]
    """Other words a teacher or parent might use or search for, e.g. ['nudes', 'sexting'] (optional)."""


class Glossary(StrictModel):
    """The school's glossary (glossary.yml)."""

    terms: list[GlossaryEntry] = Field(min_length=1)
