"""Where each text of the data may be shown: declared on every text field of the models.

The parents' site is public, so what it may show is decided field by field here, next to the field,
not remembered by the leak check (generator/build/leaks.py): the check reads these declarations to know
which words must never reach the parents' site. A text field declared nowhere fails a test
(tests/build/test_leak_routes.py), so a new field cannot be forgotten.

A declaration on a field that holds other models (a clause's notes) caps every text inside them: the
text of an editorial note is shown with its clause, but an editorial note under `staff_notes` is
staff-only.
"""

from __future__ import annotations

import functools
from enum import Enum
from typing import Literal, get_args, get_origin

from pydantic import BaseModel


class Shown(Enum):
    with_item = "with its item"
    """On the parents' site exactly when the clause, guide, contact, policy or section that holds it is
    published there."""
    staff = "staff only"
    """Never on the parents' site (editors' notes, sources, override reasons)."""
    everyone = "everyone"
    """On every site (the school's name and vision, the glossary, a guidance document's title)."""
    setting = "setting"
    """Not prose a reader reads: ids, file paths, settings. The leak check does not compare them."""


WITH_ITEM = Shown.with_item
STAFF_ONLY = Shown.staff
EVERYONE = Shown.everyone
SETTING = Shown.setting


def declared(field) -> Shown | None:
    """A pydantic field's declaration, if it has one."""
    return next((item for item in field.metadata if isinstance(item, Shown)), None)


def holds_text(annotation) -> bool:
    """Does a field of this type hold text of its own (not only inside nested models, enums or fixed words)?"""
    if annotation is str:
        return True
    if isinstance(annotation, type):
        return False  # a model, an enum (its values are ours, not the data's), a date, a number
    if get_origin(annotation) is Literal:
        return False
    return any(holds_text(argument) for argument in get_args(annotation))


def holds_models(annotation) -> bool:
    """Does a field of this type hold models (whose own fields say where their texts may be shown)?"""
    if isinstance(annotation, type):
        return issubclass(annotation, BaseModel)
    return any(holds_models(argument) for argument in get_args(annotation))


def declarations(model: type[BaseModel]) -> dict[str, Shown]:
    """'Model.field' -> where it may be shown, for each field of the model that declares it."""
    return {f"{model.__name__}.{name}": declared(field) for name, field in model.model_fields.items()
            if declared(field) is not None}


def undeclared(model: type[BaseModel]) -> list[str]:
    """'Model.field' for each text field of the model that does not say where it may be shown."""
    return [f"{model.__name__}.{name}" for name, field in model.model_fields.items()
            if holds_text(field.annotation) and declared(field) is None]


_STRICTER = [Shown.staff, Shown.with_item, Shown.everyone]


def texts(value, wanted: set[Shown], cap: Shown = Shown.everyone, skip: tuple[str, ...] = ()) -> list[str]:
    """Every text held in ``value`` (a model, or lists and dicts of them) whose field is declared as one
    of ``wanted``, leaving out the model's own fields named in ``skip``. A text is as strict as the
    strictest declaration on its way down (``cap``: the field holding this model)."""
    return [text for text, shown in shown_texts(value, cap, skip) if shown in wanted]


def shown_texts(value, cap: Shown = Shown.everyone, skip: tuple[str, ...] = ()) -> list[tuple[str, Shown]]:
    """Every text held in ``value``, each with where it may be shown (see :func:`texts`), in the same order."""
    found: list[tuple[str, Shown]] = []
    if isinstance(value, BaseModel):
        for name, shown in _text_fields(type(value)):
            if name in skip:
                continue
            # The stricter of the two: staff-only notes keep their text staff-only.
            here = cap if shown is None or _STRICTER.index(cap) < _STRICTER.index(shown) else shown
            found += shown_texts(getattr(value, name), here)
    elif isinstance(value, str) and not isinstance(value, Enum):  # an Audience is ours, not the data's
        found.append((value, cap))
    elif isinstance(value, dict):
        for item in value.values():
            found += shown_texts(item, cap)
    elif isinstance(value, (list, tuple)):
        for item in value:
            found += shown_texts(item, cap)
    return found


@functools.cache
def _text_fields(model: type[BaseModel]) -> tuple[tuple[str, Shown | None], ...]:
    """A model's fields that may hold texts, in order, each with its declaration (ids and settings are left out;
    so are fixed words such as a note's kind, dates and flags). Worked out once per model class: the leak check
    walks every model of a large project, and at 55x reading the same declarations again was half its time."""
    return tuple((name, declared(field)) for name, field in model.model_fields.items()
                 if declared(field) is not Shown.setting
                 and (declared(field) is not None or holds_models(field.annotation)))
