"""Building blocks shared by every data file's model."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from generator.load.urls import excerpt


class StrictModel(BaseModel):
    """Unknown keys are errors (a misspelt ``nxet:`` must never be silently ignored)."""

    # Not pydantic's strict mode: the loader hands every scalar over as the text the
    # author wrote, and lax mode turns "2024-11-01" into a date or "true" into a bool
    # only where the field asks for one.
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Audience(str, Enum):
    """Who a piece of content is for. Parents' content is published on the public site."""

    staff = "staff"
    governors = "governors"
    volunteers = "volunteers"
    pupils = "pupils"
    parents = "parents"
    dsl = "dsl"


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_CITATION = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*#[a-z0-9]+(?:-[a-z0-9]+)*$")
_TARGET = re.compile(r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*#)?[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_TIME_LIMIT = re.compile(r"^(?:immediately|within 1 hour|same day|within 24 hours|within 1 working day"
                         r"|within (?:[2-9]|[1-9][0-9]) working days)$")
TIME_LIMITS = ("immediately", "within 1 hour", "same day", "within 24 hours", "within 1 working day",
               "within N working days")
"""The time limits an action may carry (N is 2 to 99)."""
# Raw HTML would bypass escaping and could put a <script> on a page. Markdown autolinks
# (<https://…>, <mailto:…>) are the only angle-bracket constructs allowed.
_RAW_HTML = re.compile(r"<(?!(?:https?://|mailto:)[^>\s]+>)[A-Za-z/!?]")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_TERM_DATE = re.compile(r"^(Autumn|Spring|Summer)(?: term)? (\d{4})$")
_MONTH_DATE = re.compile(rf"^({'|'.join(MONTHS)}) (\d{{4}})$")
# Last day of each school term: a review "due in Autumn 2024" is overdue from 1 January 2025.
_TERM_ENDS = {"Spring": (3, 31), "Summer": (8, 31), "Autumn": (12, 31)}
TERM_OR_DATE = (r"^(?:(?:Autumn|Spring|Summer)(?: term)? [0-9]{4}|(?:" + "|".join(MONTHS) + r") [0-9]{4}"
                r"|[0-9]{4}-[0-9]{2}-[0-9]{2})$")
"""What a policy's date may be, as a pattern (for the JSON Schemas): a term, a month, or a date."""


def _odd_character(value: str) -> str:
    """' (character N is U+0430 CYRILLIC SMALL LETTER A)' for the first character outside a-z, 0-9, '-', '_'."""
    for index, character in enumerate(value, start=1):
        if not (character.isascii() and (character.isalnum() or character in "-_")):
            name = unicodedata.name(character, "an unnamed character")
            look = ", which looks like a letter or space but is not one" if not character.isascii() else ""
            return f" (character {index} is U+{ord(character):04X} {name}{look})"
    return ""


def _check_slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(f"'{excerpt(value)}'{_odd_character(value)} is not a valid id: use lower-case letters, digits and hyphens, e.g. 'no-friending'")
    return value


def _check_snake(value: str) -> str:
    if not _SNAKE.match(value):
        raise ValueError(f"'{excerpt(value)}'{_odd_character(value)} is not a valid step id: use lower-case words joined by underscores, "
                         "e.g. 'is_child_in_danger'")
    return value


def _check_citation(value: str) -> str:
    if not _CITATION.match(value):
        raise ValueError(f"'{excerpt(value)}' is not a citation: write 'policy-id#clause-id' or 'source-id#part-id', "
                         "e.g. 'mobile-phones#phones-to-office'")
    return value


def _check_target(value: str) -> str:
    if not _TARGET.match(value):
        raise ValueError(f"'{value}' is not a step: write a step id such as 'tell_dsl_now', or "
                         "'tree-id#step_id' for a step of another tree")
    return value


def _check_time_limit(value: str) -> str:
    if not _TIME_LIMIT.match(value):
        import difflib

        close = difflib.get_close_matches(value.strip().lower().removeprefix("the "),
                                          TIME_LIMITS[:-1] + ("within 2 working days",), n=1, cutoff=0.5)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ValueError(f"'{value}' is not a time limit{hint}: write one of " + ", ".join(TIME_LIMITS)
                         + ", or the source's own words with their kind, e.g. "
                         + "{kind: working_days, n: 1, says: 'next working day'}")
    return value


def _check_markdown(value: str) -> str:
    match = _RAW_HTML.search(value)
    if match:
        snippet = value[match.start(): match.start() + 20]
        raise ValueError(f"raw HTML is not allowed in text (found '{snippet}'): write plain Markdown")
    if not value.strip():
        raise ValueError("text must not be empty")
    return value


def _check_term_date(value: str) -> str:
    due_date(value)
    return value


def due_date(value: str) -> date:
    """The last day a policy date covers: an ISO date itself, the last day of a named term (Spring: 31 March,
    Summer: 31 August, Autumn: 31 December), or the last day of a month ('January 2024': 31 January 2024).
    A review due 'in January 2024' is overdue from 1 February, as one due in a term is from the next term."""
    match = _TERM_DATE.match(value)
    if match:
        month, day = _TERM_ENDS[match.group(1)]
        return date(int(match.group(2)), month, day)
    match = _MONTH_DATE.match(value)
    if match:
        month = MONTHS.index(match.group(1)) + 1
        return date(int(match.group(2)) + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{excerpt(value)}' is not a date: write a term such as 'Autumn 2024' or a date such as '2024-12-31'")


Slug = Annotated[str, AfterValidator(_check_slug)]
"""Lower-case words joined by hyphens; used in URLs and citations, so keep it stable once published."""

NodeId = Annotated[str, AfterValidator(_check_snake)]
"""A step's id in a decision tree: lower-case words joined by underscores."""

Citation = Annotated[str, AfterValidator(_check_citation)]
"""A clause reference, 'policy-id#clause-id'."""

Target = Annotated[str, AfterValidator(_check_target)]
"""Where an answer or follow-up leads: 'step_id' in the same tree, or 'tree-id#step_id'."""

TimeLimitWords = Annotated[str, AfterValidator(_check_time_limit)]
"""The short forms of a time limit (see models/timing.py for the others): immediately | within 1 hour | same day | within 24 hours | within 1 working day | within N working days."""

Markdown = Annotated[str, AfterValidator(_check_markdown)]
"""Text with Markdown formatting (bold, links); raw HTML is refused."""

PlainText = Annotated[str, Field(min_length=1), AfterValidator(_check_markdown)]

TermDate = Annotated[str, AfterValidator(_check_term_date)]
"""A school term ('Autumn 2024', 'Spring term 2025'), a month ('January 2024') or an ISO date ('2024-12-31');
a term or a month means its last day (due_date)."""

Audiences = Annotated[list[Audience], Field(min_length=1)]

AlsoCalled = Annotated[list[PlainText], Field(default_factory=list)]
"""Other words people use for the same thing ('nudes', 'sexting'): shown as "Also called: …" and found by search."""
