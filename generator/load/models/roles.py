"""Who does an action or decides a question: the role registry and the forms a `who` may take.

The built-in roles and their labels live here and nowhere else; a school adds or relabels
roles under `school.yml` `roles:`. Which ids are known is checked by `validate` (it needs
the school file), so the models accept any step-style id.
"""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import AfterValidator, Field

from generator.load.models.base import PlainText, StrictModel, _check_snake
from generator.load.models.shown import SETTING, WITH_ITEM

BUILTIN_ROLES: dict[str, str] = {
    "you": "You",
    "dsl": "The DSL",
    "deputy_dsl": "A deputy DSL",
    "head_teacher": "The head teacher",
    "chair_of_governors": "The chair of governors",
    "case_manager": "The case manager",
    "slt": "Senior leadership",
    "senior_leader": "A senior leader",
    "staff": "Staff",
    "parent": "Parent or carer",
    "pupil": "The pupil",
    "school": "The school",
    "lado": "The LADO",
    "police": "The police",
    "childrens_social_care": "Children's social care",
    "social_worker": "The social worker",
    "channel_panel": "The Channel panel",
    "designated_officer": "The designated officer",
    "early_help": "Early help",
}
"""Role id -> the label shown at the start of an action ('The DSL: …')."""

RoleId = Annotated[str, AfterValidator(_check_snake)]
"""A role: a built-in id (you, dsl, head_teacher, lado, police, …) or one added in school.yml `roles:`."""


class ConditionalRole(StrictModel):
    """A role that applies only in a stated case, e.g. the chair of governors if the concern is about the head."""

    role: Annotated[RoleId, SETTING]
    if_: Annotated[PlainText, WITH_ITEM] = Field(alias="if")
    """The case, e.g. 'the concern is about the head teacher'."""


RoleChoice = Union[RoleId, ConditionalRole]

RoleRef = Union[RoleId, Annotated[list[RoleChoice], Field(min_length=1)]]
"""One role (`dsl`), alternatives (`[you, dsl]`: "You or the DSL"), or a list with conditions."""


def role_ids(ref) -> list[str]:
    """Every role id a `who`/`decided_by` names."""
    if isinstance(ref, str):
        return [ref]
    return [item if isinstance(item, str) else item.role for item in ref]


def _lower_first(label: str) -> str:
    # 'The DSL' -> 'the DSL' inside a sentence, but 'LADO' stays 'LADO'.
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def describe_roles(ref, labels: dict[str, str]) -> str:
    """'The DSL'; 'You or the DSL'; 'The head teacher; the chair of governors if the concern is about the head'."""
    if isinstance(ref, str):
        return labels[ref]
    parts = []
    conditional = any(not isinstance(item, str) for item in ref)
    for index, item in enumerate(ref):
        label = labels[item if isinstance(item, str) else item.role]
        text = label if index == 0 else _lower_first(label)
        if not isinstance(item, str):
            text += f" if {item.if_}"
        parts.append(text)
    if conditional:
        return "; ".join(parts)
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " or " + parts[-1]


_PLURAL_ROLES = {"you", "staff"}
"""Built-in roles whose label takes a plural verb ("You decide", "Staff decide")."""


def decides(ref) -> str:
    """'decide' or 'decides' after `describe_roles`: the verb agrees with the role nearest it, the last."""
    return "decide" if role_ids(ref)[-1] in _PLURAL_ROLES else "decides"


def is_you(ref) -> bool:
    return ref == "you"
