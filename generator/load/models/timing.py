"""An action's time limit: one of the short forms (`when: within 1 working day`), or a kind with the source's
own words (`when: {kind: working_days, n: 1, says: "next working day"}`).

Readers see the words (the short form, or `says`); the safety rules and the printed record use the kind, so
"next working day" and "within 1 working day" are the same time limit to them (:func:`time_kind`).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, NamedTuple, Union

from pydantic import BeforeValidator, Field, model_validator

from generator.load.models.base import PlainText, StrictModel, TimeLimitWords
from generator.load.models.shown import WITH_ITEM

TimeKind = Literal["immediately", "minutes", "hours", "same_day", "working_days", "days", "as_soon_as_practicable",
                   "at_intervals", "before_event"]
"""What a time limit is, whatever words the source uses for it."""

COUNTED = ("minutes", "hours", "working_days", "days")
"""The kinds that need `n` (how many)."""


class TimeSpec(StrictModel):
    """A time limit as a kind plus the words of the source it comes from, e.g.
    `{kind: working_days, n: 1, says: "by the end of the next working day"}`."""

    kind: TimeKind
    """immediately, minutes, hours, same_day, working_days, days, as_soon_as_practicable, at_intervals
    (reviews: give `every`), before_event (give `event`)."""
    n: int | None = Field(default=None, ge=1, le=999)
    """How many minutes, hours, working days or days (only for those kinds)."""
    every: Annotated[list[PlainText], WITH_ITEM] = Field(default_factory=list)
    """For at_intervals: when each review falls, e.g. ['6 months', '12 months'] or ['every term']."""
    event: Annotated[PlainText | None, WITH_ITEM] = None
    """For before_event: what it must happen before, e.g. 'the initial child protection conference'."""
    says: Annotated[PlainText, WITH_ITEM]
    """The source's own words, shown to readers, e.g. 'as soon as is practically possible'."""

    @model_validator(mode="after")
    def _fits_kind(self) -> "TimeSpec":
        if self.kind in COUNTED and self.n is None:
            raise ValueError(f"a time limit of kind '{self.kind}' needs 'n' (how many), e.g. n: 1")
        if self.kind not in COUNTED and self.n is not None:
            raise ValueError(f"'n' is only for the kinds {', '.join(COUNTED)}, not '{self.kind}'")
        if (self.kind == "at_intervals") != bool(self.every):
            raise ValueError("'every' (e.g. every: [6 months, 12 months]) is for the kind 'at_intervals', "
                             "which needs it")
        if (self.kind == "before_event") != (self.event is not None):
            raise ValueError("'event' (what it must happen before) is for the kind 'before_event', which needs it")
        return self


def _words_or_mapping(value: Any) -> Any:
    # A list or a number fits neither form; said once here, not as two errors that match nothing written.
    if not isinstance(value, (str, dict, TimeSpec)):
        raise ValueError("a time limit is text such as 'within 1 working day', or the source's words with their "
                         "kind: {kind: working_days, n: 1, says: 'next working day'}")
    return value


# A plain union, not a tagged one: pydantic names each branch by its shape (a model or a text), which is how
# checks/schema_messages.py keeps only the error of the branch shaped like what the author wrote.
TimeLimit = Annotated[Union[TimeLimitWords, TimeSpec], BeforeValidator(_words_or_mapping)]
"""`immediately`, `within 1 working day`… or `{kind: …, n: …, says: "the source's words"}`."""


class Kind(NamedTuple):
    """What the rules and the record read of a time limit."""

    kind: str
    n: int | None = None


_WORDS = {"immediately": Kind("immediately"), "same day": Kind("same_day"), "within 1 hour": Kind("hours", 1),
          "within 24 hours": Kind("hours", 24)}
_WORKING_DAYS = re.compile(r"^within (\d+) working days?$")


def time_kind(value: Any) -> Kind | None:
    """The kind of a time limit in any of its forms (the short words, a TimeSpec, or the mapping as loaded);
    None where there is none or it cannot be read (validation reports that)."""
    if value is None:
        return None
    if isinstance(value, TimeSpec):
        return Kind(value.kind, value.n)
    if isinstance(value, dict):
        kind, n = value.get("kind"), value.get("n")
        if not isinstance(kind, str):
            return None
        try:
            return Kind(kind, int(n) if n is not None else None)
        except (TypeError, ValueError):
            return Kind(kind)
    words = " ".join(str(value).lower().split())
    if words in _WORDS:
        return _WORDS[words]
    match = _WORKING_DAYS.match(words)
    return Kind("working_days", int(match.group(1))) if match else None


def time_words(value: Any) -> str | None:
    """What readers see of a time limit: the short words, or the source's own (`says`)."""
    if value is None:
        return None
    if isinstance(value, TimeSpec):
        return value.says
    if isinstance(value, dict):
        return str(value.get("says")) if value.get("says") is not None else None
    return str(value)


def is_at_once(kind: Kind | None) -> bool:
    """Immediately, or within the hour: what the rules accept as acting at once."""
    if kind is None:
        return False
    return kind.kind == "immediately" or (kind.kind == "minutes" and (kind.n or 0) <= 60) or (
        kind.kind == "hours" and kind.n == 1)
