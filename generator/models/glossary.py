"""Glossary entries: shown on the glossary page and as abbreviation tooltips on every page."""

from __future__ import annotations

from pydantic import Field

from generator.models.base import AlsoCalled, Markdown, PlainText, StrictModel


class GlossaryEntry(StrictModel):
    term: PlainText
    """The abbreviation or word as it appears in text, e.g. 'DSL'."""
    expansion: PlainText | None = None
    """What an abbreviation stands for, e.g. 'Designated Safeguarding Lead'; shown as a tooltip wherever the term appears."""
    definition: Markdown
    """A plain-language explanation for the glossary page."""
    url: str | None = None
    """Where to read more (optional)."""
    also_called: AlsoCalled
    """Other words a teacher or parent might use or search for, e.g. ['nudes', 'sexting'] (optional)."""


class Glossary(StrictModel):
    """The school's glossary (glossary.yml)."""

    terms: list[GlossaryEntry] = Field(min_length=1)
