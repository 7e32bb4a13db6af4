"""A decision tree: "What do I do if…" as questions and outcomes (decision_trees/<id>.yml),
and shared step groups used by several trees (decision_trees/shared/<group-id>.yml)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, Union

from pydantic import Discriminator, Field, Tag, model_validator

from generator.load.models.base import (Audiences, Citation, Markdown, NodeId, PlainText, Slug, StrictModel, Target)
from generator.load.models.guide_display import EmergencyPanel, Jurisdiction, Record
from generator.load.models.roles import RoleRef
from generator.load.models.shown import SETTING, STAFF_ONLY, WITH_ITEM
from generator.load.models.timing import TimeLimit

CONTINUE = "continue"
"""In a shared group, `next: continue` leads to the using tree's `continue:` step."""


class Route(StrictModel):
    """A target with a condition: `{to: "reporting-routes#start", if: "the imagery is online"}`; in a shared
    group, `{exit: police}` leaves the group by one of its named exits."""

    to: Annotated[Target | None, SETTING] = None
    """The step it leads to: 'step_id', or 'tree-id#step_id' in another tree."""
    exit: Annotated[NodeId | None, SETTING] = None
    """In a shared group: the named exit (one of the group's `exits`) it leaves by; each guide's `use:` says
    which of its steps that exit leads to."""
    if_: Annotated[PlainText | None, WITH_ITEM] = Field(default=None, alias="if")
    """Only in this case, e.g. 'the imagery is online'; shown to readers as 'If …:'."""

    @model_validator(mode="after")
    def _one_place(self) -> "Route":
        if (self.to is None) == (self.exit is None):
            raise ValueError("a route needs 'to: <step>', or in a shared group 'exit: <name>' (one of the two)")
        return self


Leads = Union[Target, Route, Annotated[list[Union[Target, Route]], Field(min_length=1)]]
"""Where an answer or a routing step leads: one target ('step_id'), one conditional target (`{to, if}`),
or several (parallel strands that all apply, each maybe with its own `if`)."""


def as_routes(value) -> list[Route]:
    """Any form of `next`/`also_follow` as a list of routes (a bare target is a route without a condition)."""
    items = value if isinstance(value, list) else [value]
    return [item if isinstance(item, Route) else Route(to=item) for item in items]


def route_locs(value, loc: tuple) -> list[tuple[Route, tuple]]:
    """Each route of a `next`/`also_follow` value with the place its target is written (for file:line)."""
    if isinstance(value, list):
        return [(route, loc + (index,) + (("to",) if isinstance(item, Route) else ()))
                for index, (item, route) in enumerate(zip(value, as_routes(value)))]
    return [(as_routes(value)[0], loc + (("to",) if isinstance(value, Route) else ()))]


class LeadsOn:
    """What an answer and a routing step share: their `next` (a Leads field each declares in its own place, so
    the fields' order in the schema and the editor's form stays the model's) read as routes and target steps."""

    @property
    def routes(self) -> list[Route]:
        return as_routes(self.next)

    @property
    def targets(self) -> list[str | None]:
        """Each route's step (None for a shared group's named exit not yet put in place by a `use:`)."""
        return [route.to for route in self.routes]


class Answer(LeadsOn, StrictModel):
    id: Annotated[NodeId, SETTING]
    label: Annotated[PlainText, WITH_ITEM]
    """What the reader clicks, e.g. 'Yes' or 'I'm not sure'."""
    next: Annotated[Leads, SETTING]
    """The step this answer leads to: 'step_id', or 'tree-id#step_id' in another tree; `{to: step, if: "…"}`
    for a condition; a list for parallel strands that all apply (`[social_care_strand, police_strand]`)."""
    contacts: Annotated[list[str], SETTING] = Field(default_factory=list)
    """Contacts shown with this answer (ids, as an outcome's `contacts`), e.g. the LADO beside 'a member of
    staff'."""


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


class Action(StrictModel):
    text: Annotated[Markdown, WITH_ITEM]
    """May name a contact: {{ contact("lado") }}."""
    who: Annotated[RoleRef, SETTING]
    when: Annotated[TimeLimit | None, WITH_ITEM] = None
    """immediately, within 1 hour, same day, within 24 hours, within 1 working day, within N working days; or the
    source's own words with their kind: {kind: working_days, n: 1, says: "next working day"} (models/timing.py)."""
    if_: Annotated[PlainText | None, WITH_ITEM] = Field(default=None, alias="if")
    """Do this only in this case, e.g. 'the child is already known to children's social care'."""
    cites: Annotated[list[Citation], SETTING] = Field(default_factory=list)
    notes: Annotated[list[Markdown], WITH_ITEM] = Field(default_factory=list)
    """Notes readers see with the action, e.g. 'This varies by local authority: check yours' (unlike `editor_note`,
    which readers never see)."""
    cautions: Annotated[list[Markdown], WITH_ITEM] = Field(default_factory=list)
    """Cautions readers see with the action, marked as such, e.g. 'Do not wait for proof before you tell the DSL'."""


class EitherGroup(StrictModel):
    """Alternatives, shown as "Do one of these:"; any one of them is enough (the safety rules count a duty as
    met here only when every alternative meets it)."""

    either: list[Action] = Field(min_length=2)
    """The alternatives, each an action with its own who and time limit."""


def _action_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        return "EitherGroup" if "either" in value else "Action"
    return type(value).__name__ if isinstance(value, (Action, EitherGroup)) else None


# Tagged by the model's name: the error messages drop a capitalised tag as the name of a model branch.
ActionEntry = Annotated[Union[Annotated[Action, Tag("Action")], Annotated[EitherGroup, Tag("EitherGroup")]],
                        Discriminator(_action_tag)]
"""An action, or `either:` a list of actions of which one is done."""


def flat_actions(node) -> list[tuple[tuple, Action]]:
    """Every action of a step with its place in the step (("actions", 2) or ("actions", 2, "either", 0)),
    the alternatives of an either group included."""
    found: list[tuple[tuple, Action]] = []
    for index, entry in enumerate(getattr(node, "actions", [])):
        if isinstance(entry, EitherGroup):
            found += [(("actions", index, "either", alt), action) for alt, action in enumerate(entry.either)]
        else:
            found.append((("actions", index), entry))
    return found


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
    notes: Annotated[list[Markdown], WITH_ITEM] = Field(default_factory=list)
    """Notes readers see with the question, before its answers, e.g. 'This varies by local authority: check yours' (unlike `editor_note`,
    which readers never see)."""
    cautions: Annotated[list[Markdown], WITH_ITEM] = Field(default_factory=list)
    """Cautions readers see with the question, before its answers, marked as such, e.g. 'Do not wait for proof before you tell the DSL'."""
    """A checklist the reader weighs ('Does any of these apply?')."""
    select: Literal["one", "many"] = "one"
    """many: the criteria are tick boxes, and which ones applied is recorded."""
    actions: list[ActionEntry] = Field(default_factory=list)
    """What to do at this step whatever the answer, e.g. 'acknowledge the referral within one working day';
    shown before the answers."""
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


class NextStep(StrictModel):
    """A follow-up that leads on, e.g. 'review in a week'."""

    text: Annotated[PlainText, WITH_ITEM]
    next: Annotated[Target, SETTING]
    if_: Annotated[PlainText | None, WITH_ITEM] = Field(default=None, alias="if")
    """Only in this case, e.g. 'the child is still at risk'; shown as 'If …:'."""


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
    notes: Annotated[list[Markdown], WITH_ITEM] = Field(default_factory=list)
    """Notes readers see with the outcome, after its actions, e.g. 'This varies by local authority: check yours'
    (unlike `editor_note`, which readers never see)."""
    cautions: Annotated[list[Markdown], WITH_ITEM] = Field(default_factory=list)
    """Cautions readers see with the outcome, after its actions, marked as such, e.g. 'Do not wait for proof
    before you tell the DSL'."""
    actions: list[ActionEntry] = Field(default_factory=list)
    """What to do, in order; `either:` a list of actions shows them as "Do one of these:"."""
    also_follow: Annotated[list[Union[Target, Route]], SETTING] = Field(default_factory=list)
    """Other procedures to start as well ('tree-id#step_id' or a step of this tree); `{to: …, if: "…"}` when
    only in some cases ('If the imagery is online: also follow …')."""
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

    @property
    def follow_routes(self) -> list[Route]:
        """`also_follow` as routes (a bare target is a route without a condition)."""
        return as_routes(self.also_follow)

    @model_validator(mode="after")
    def _has_actions(self) -> "Outcome":
        if not self.actions and not self.no_further_action:
            raise ValueError("an outcome needs at least one action, or 'no_further_action: true'")
        return self


class RouteStep(LeadsOn, StrictModel):
    """A step that only routes: a title and summary, then where the reader goes (no action of its own)."""

    kind: Literal["route"]
    id: Annotated[NodeId, SETTING]
    title: Annotated[PlainText, WITH_ITEM]
    summary: Annotated[PlainText, WITH_ITEM]
    """One line saying where this leads and why."""
    next: Annotated[Leads, SETTING]
    """One target, a conditional one (`{to, if}`), or several that all apply (parallel strands)."""
    cites: Annotated[list[Citation], SETTING] = Field(default_factory=list)
    source: Annotated[PlainText | None, STAFF_ONLY] = None
    """Where this step comes from, for editors (never shown to readers)."""
    editor_note: Annotated[PlainText | None, STAFF_ONLY] = None
    """A note for editors (never shown to readers)."""
    always_available: bool = False
    """True: every step of the tree links to this one."""
    waive: Annotated[Waivers, STAFF_ONLY] = Field(default_factory=dict)
    """Safety rules set aside on this step, each with its reason and who agreed it."""
    concern_about: ConcernAbout | None = None
    """Who the concern at this step is about; default: the guide's `concern_about`."""


class Use(StrictModel):
    """Inserts a shared group's steps (decision_trees/shared/<group-id>.yml) at this place."""

    use: Annotated[Slug, SETTING]
    """The group's id, e.g. 'immediate-danger'."""
    continue_: Annotated[NodeId | None, SETTING] = Field(default=None, alias="continue")
    """The step of this tree that the group's `next: continue` answers lead to."""
    exits: Annotated[dict[str, NodeId], SETTING] = Field(default_factory=dict)
    """The step of this tree each of the group's named exits leads to, e.g. `{police: report_to_police}`."""


def _node_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        if "kind" in value:
            return value["kind"] if value["kind"] in ("question", "outcome", "route") else None
        return "use" if "use" in value else None
    if isinstance(value, Use):
        return "use"
    return getattr(value, "kind", None)


_STEP_ERROR = "a step's 'kind' must be 'question', 'outcome' or 'route'"

Step = Annotated[Union[Annotated[Question, Tag("question")], Annotated[Outcome, Tag("outcome")],
                       Annotated[RouteStep, Tag("route")]],
                 Discriminator(_node_tag, custom_error_type="step_kind", custom_error_message=_STEP_ERROR)]
"""A question, an outcome or a routing step."""

Node = Annotated[Union[Annotated[Question, Tag("question")], Annotated[Outcome, Tag("outcome")],
                       Annotated[RouteStep, Tag("route")], Annotated[Use, Tag("use")]],
                 Discriminator(_node_tag, custom_error_type="step_kind", custom_error_message=_STEP_ERROR)]
"""A question, an outcome, a routing step, or `use:` of a shared group."""


def leads_to(node) -> list[str]:
    """Where a step leads: every strand of its answers, a routing step's targets, or an outcome's 'also follow'
    and follow-up (conditions aside: each conditional route may be taken)."""
    if isinstance(node, Question):
        return [target for answer in node.answers for target in answer.targets]
    if isinstance(node, RouteStep):
        return node.targets
    return [route.to for route in node.follow_routes] + ([node.next_step.next] if node.next_step else [])


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
    starter: bool = False
    """True in the example guide `init` copies from the starter: `check` warns (W520) and `publish` refuses the
    build until the school has made the guide its own and removed this line."""

    @property
    def shows_emergency_panel(self) -> bool:
        return self.safeguarding if self.emergency_panel is None else self.emergency_panel

    @property
    def steps(self) -> list:
        """The questions, outcomes and routing steps (after validation has expanded `use:` entries, every node)."""
        return [node for node in self.nodes if not isinstance(node, Use)]


class SharedGroup(StrictModel):
    """decision_trees/shared/<group-id>.yml: steps defined once and used by several trees."""

    id: Annotated[Slug, SETTING]
    title: Annotated[PlainText, WITH_ITEM]
    nodes: list[Step] = Field(min_length=1)
    starter: bool = False
    """True in the example group `init` copies from the starter (W520, as a guide's `starter`)."""
    exits: Annotated[list[NodeId], SETTING] = Field(default_factory=list)
    """Named ways out of the group, beside `continue`, e.g. [social_care, police]: its steps lead out with
    `next: {exit: police}`, and each `use:` maps every exit to one of its own steps (`exits: {police: …}`)."""
