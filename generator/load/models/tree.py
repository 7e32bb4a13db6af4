"""A decision tree: "What do I do if…" as questions and outcomes (decision_trees/<id>.yml),
and shared step groups used by several trees (decision_trees/shared/<group-id>.yml)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, Union

from pydantic import Discriminator, Field, Tag, model_validator

from generator.load.models.base import (Audiences, Citation, Markdown, NodeId, PlainText, Slug, StrictModel, Target,
                                   TimeLimit)
from generator.load.models.guide_display import EmergencyPanel, Jurisdiction, Record
from generator.load.models.roles import RoleRef
from generator.load.models.shown import SETTING, STAFF_ONLY, WITH_ITEM

CONTINUE = "continue"
"""In a shared group, `next: continue` leads to the using tree's `continue:` step."""


class Answer(StrictModel):
    id: Annotated[NodeId, SETTING]
    label: Annotated[PlainText, WITH_ITEM]
    """What the reader clicks, e.g. 'Yes' or 'I'm not sure'."""
    next: Annotated[Target, SETTING]
    """The step this answer leads to: 'step_id', or 'tree-id#step_id' in another tree."""


class Waiver(StrictModel):
    """A safety rule set aside on one step, on the record: why, and who agreed it (listed on the editors' page)."""

    reason: Annotated[PlainText, STAFF_ONLY]
    """Why the rule does not fit this step, e.g. 'whistleblowing goes outside the school: KCSIE Part four'."""
    agreed_by: Annotated[PlainText, STAFF_ONLY]
    """Who agreed it, e.g. 'DSL and head teacher, 12 May 2026'."""


Waivers = dict[str, Waiver]
"""Rule code -> its waiver, e.g. `waive: {S401: {reason: "...", agreed_by: "..."}}`. S102, S201 and S301 can
never be waived (see the safety rules page)."""


ConcernAbout = Literal["child", "adult_working_with_children", "other_adult"]
"""Who a concern is about: a child; an adult who works or volunteers with children (staff, supply staff,
volunteers, governors, contractors: the allegations procedure); another adult (e.g. a parent's post)."""


class Criterion(StrictModel):
    """One item of a question's checklist; with an id, whether it applied is recorded."""

    id: Annotated[NodeId | None, SETTING] = None
    text: Annotated[Markdown, WITH_ITEM]


class Question(StrictModel):
    """A step that asks one question."""

    kind: Literal["question"]
    id: Annotated[NodeId, SETTING]
    """Name it as a question, e.g. 'is_child_in_danger'."""
    question: Annotated[PlainText, WITH_ITEM]
    help: Annotated[Markdown | None, WITH_ITEM] = None
    """Extra guidance shown under the question."""
    decided_by: Annotated[RoleRef | None, SETTING] = None
    """Who answers this step, where it is not the reader (e.g. dsl, [dsl, deputy_dsl])."""
    never: Annotated[list[Markdown], WITH_ITEM] = Field(default_factory=list)
    """What must never be done here; shown before the answers."""
    criteria: Annotated[list[Union[Criterion, Markdown]], WITH_ITEM] = Field(default_factory=list)
    """A checklist the reader weighs ('Does any of these apply?')."""
    select: Literal["one", "many"] = "one"
    """many: the criteria are tick boxes, and which ones applied is recorded."""
    answers: list[Answer] = Field(min_length=2)
    cites: Annotated[list[Citation], SETTING] = Field(default_factory=list)
    source: Annotated[PlainText | None, STAFF_ONLY] = None
    """Where this step comes from, for editors (never shown to readers)."""
    editor_note: Annotated[PlainText | None, STAFF_ONLY] = None
    """A note for editors, e.g. what still needs checking (never shown to readers)."""
    always_available: bool = False
    """True: every step of the tree links to this one (e.g. whistleblowing)."""
    waive: Annotated[Waivers, STAFF_ONLY] = Field(default_factory=dict)
    """Safety rules set aside on this step, each with its reason and who agreed it."""
    concern_about: ConcernAbout | None = None
    """Who the concern at this step is about, where the words could mislead (staff named as the people who
    report it); default: the guide's `concern_about`, else read from the step's wording."""
    emergency_panel: EmergencyPanel
    """true or false: show the emergency panel on this step or not, whatever the guide says; default: the
    guide's `emergency_panel`, but not on a step whose concern is about an adult (`concern_about`)."""


class Action(StrictModel):
    text: Annotated[Markdown, WITH_ITEM]
    """May name a contact: {{ contact("lado") }}."""
    who: Annotated[RoleRef, SETTING]
    when: Annotated[TimeLimit | None, WITH_ITEM] = None
    """immediately, within 1 hour, same day, within 24 hours, within 1 working day, within N working days."""
    if_: Annotated[PlainText | None, WITH_ITEM] = Field(default=None, alias="if")
    """Do this only in this case, e.g. 'the child is already known to children's social care'."""
    cites: Annotated[list[Citation], SETTING] = Field(default_factory=list)


class NextStep(StrictModel):
    """A follow-up that leads on, e.g. 'review in a week'."""

    text: Annotated[PlainText, WITH_ITEM]
    next: Annotated[Target, SETTING]


class Outcome(StrictModel):
    """A step that says what to do."""

    kind: Literal["outcome"]
    id: Annotated[NodeId, SETTING]
    """Name it as a result, e.g. 'report_to_dsl_now'."""
    title: Annotated[PlainText, WITH_ITEM]
    summary: Annotated[PlainText, WITH_ITEM]
    """One line saying what happens."""
    urgent: bool = False
    """Shown as an emergency (e.g. call 999 now)."""
    never: Annotated[list[Markdown], WITH_ITEM] = Field(default_factory=list)
    """What must never be done here, e.g. 'Never copy, forward or screenshot the image'; shown before the actions."""
    actions: list[Action] = Field(default_factory=list)
    also_follow: Annotated[list[Target], SETTING] = Field(default_factory=list)
    """Other procedures to start as well ('tree-id#step_id' or a step of this tree)."""
    no_further_action: bool = False
    """An explicit 'no further action' ending; actions may then be empty."""
    contacts: Annotated[list[str], SETTING] = Field(default_factory=list)
    """Contact ids from school.yml or the built-in services, e.g. 'dsl', 'lado', 'nspcc_helpline'."""
    cites: Annotated[list[Citation], SETTING] = Field(min_length=1)
    """What this outcome rests on: policy clauses and parts of sources."""
    related_trees: Annotated[list[Slug], SETTING] = Field(default_factory=list)
    record: Record = False
    """A record must be made: `true` (given to the DSL), or `{keeper: case_manager, says: "…"}` where someone
    else keeps it or the step needs its own words."""
    whistleblowing: bool = False
    """True: this step goes around the school on purpose (whistleblowing), so it need not reach the DSL."""
    next_step: NextStep | None = None
    source: Annotated[PlainText | None, STAFF_ONLY] = None
    """Where this step comes from, for editors (never shown to readers)."""
    editor_note: Annotated[PlainText | None, STAFF_ONLY] = None
    """A note for editors (never shown to readers)."""
    always_available: bool = False
    """True: every step of the tree links to this one."""
    waive: Annotated[Waivers, STAFF_ONLY] = Field(default_factory=dict)
    """Safety rules set aside on this step, each with its reason and who agreed it."""
    concern_about: ConcernAbout | None = None
    """Who the concern at this step is about, where the words could mislead (staff named as the people who
    report it); default: the guide's `concern_about`, else read from the step's wording."""
    emergency_panel: EmergencyPanel
    """true or false: show the emergency panel on this step or not, whatever the guide says; default: the
    guide's `emergency_panel`, but not on a step whose concern is about an adult (`concern_about`)."""

    @model_validator(mode="after")
    def _has_actions(self) -> "Outcome":
        if not self.actions and not self.no_further_action:
            raise ValueError("an outcome needs at least one action, or 'no_further_action: true'")
        return self


class Use(StrictModel):
    """Inserts a shared group's steps (decision_trees/shared/<group-id>.yml) at this place."""

    use: Annotated[Slug, SETTING]
    """The group's id, e.g. 'immediate-danger'."""
    continue_: Annotated[NodeId | None, SETTING] = Field(default=None, alias="continue")
    """The step of this tree that the group's `next: continue` answers lead to."""


def _node_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        if "kind" in value:
            return value["kind"] if value["kind"] in ("question", "outcome") else None
        return "use" if "use" in value else None
    if isinstance(value, Use):
        return "use"
    return getattr(value, "kind", None)


_STEP_ERROR = "a step's 'kind' must be 'question' or 'outcome'"

Step = Annotated[Union[Annotated[Question, Tag("question")], Annotated[Outcome, Tag("outcome")]],
                 Discriminator(_node_tag, custom_error_type="step_kind", custom_error_message=_STEP_ERROR)]
"""A question or an outcome."""

Node = Annotated[Union[Annotated[Question, Tag("question")], Annotated[Outcome, Tag("outcome")],
                       Annotated[Use, Tag("use")]],
                 Discriminator(_node_tag, custom_error_type="step_kind", custom_error_message=_STEP_ERROR)]
"""A question, an outcome, or `use:` of a shared group."""


class DecisionTree(StrictModel):
    """decision_trees/<id>.yml: one tree. The first node is where the tree starts."""

    id: Annotated[Slug, SETTING]
    """Used in the URL what-to-do/<id>/; keep it stable."""
    title: Annotated[PlainText, WITH_ITEM]
    """Phrased as the situation, e.g. 'A pupil tries to contact me on social media'."""
    use_when: Annotated[PlainText, WITH_ITEM]
    also_called: Annotated[list[PlainText], WITH_ITEM] = Field(default_factory=list)
    """Words people search with, e.g. 'sexting', 'nudes'."""
    audiences: Audiences
    owner: Annotated[PlainText, WITH_ITEM]
    last_reviewed: date
    version: Annotated[str, WITH_ITEM]
    safeguarding: bool
    emergency_panel: bool | None = None
    """Show the emergency panel on the guide's steps; defaults to `safeguarding`. A step's own `emergency_panel`
    overrides it, and a step whose concern is about an adult (`concern_about`) shows none unless it asks."""
    jurisdiction: Jurisdiction | None = None
    """Where this guide's procedure applies: england, wales, scotland, northern_ireland or uk; shown on the
    guide's page and checked against school.yml `nation`."""
    guidance: Annotated[list[Slug], SETTING] = Field(default_factory=list)
    """Ids of the sources (sources.yml) this tree follows; shown at the top with edition and jurisdiction."""
    nodes: list[Node] = Field(min_length=2)
    concern_about: ConcernAbout | None = None
    """Who the concerns in this guide are about (a step may say otherwise); default: read from each step's
    wording."""
    waive: Annotated[Waivers, STAFF_ONLY] = Field(default_factory=dict)
    """Safety rules set aside for the whole guide (e.g. S101 where the procedure asks about danger itself),
    each with its reason and who agreed it."""

    @property
    def shows_emergency_panel(self) -> bool:
        return self.safeguarding if self.emergency_panel is None else self.emergency_panel

    @property
    def steps(self) -> list:
        """The questions and outcomes (after validation has expanded `use:` entries, every node)."""
        return [node for node in self.nodes if not isinstance(node, Use)]


class SharedGroup(StrictModel):
    """decision_trees/shared/<group-id>.yml: steps defined once and used by several trees."""

    id: Annotated[Slug, SETTING]
    title: Annotated[PlainText, WITH_ITEM]
    nodes: list[Step] = Field(min_length=1)
