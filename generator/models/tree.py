"""A decision tree: "What do I do if…" as questions and outcomes (decision_trees/<id>.yml)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Union

from pydantic import Field

from generator.models.base import Audiences, Citation, Markdown, NodeId, PlainText, Role, Slug, StrictModel


class Guidance(StrictModel):
    """Statutory guidance a tree follows, and where it applies: real procedures differ by edition and nation."""

    name: PlainText
    """e.g. 'Keeping children safe in education 2025'."""
    applies_in: PlainText
    """e.g. 'England'."""


class Answer(StrictModel):
    id: NodeId
    label: PlainText
    """What the reader clicks, e.g. 'Yes' or 'I'm not sure'."""
    next: NodeId
    """The id of the step this answer leads to."""


class Question(StrictModel):
    """A step that asks one question."""

    kind: Literal["question"]
    id: NodeId
    """Name it as a question, e.g. 'is_child_in_danger'."""
    question: PlainText
    help: Markdown | None = None
    """Extra guidance shown under the question."""
    decided_by: Role | None = None
    """Who answers this step, where it is not the reader (e.g. the DSL)."""
    criteria: list[Markdown] = Field(default_factory=list)
    """A checklist the reader weighs ('Does any of these apply?'); answer yes or no."""
    answers: list[Answer] = Field(min_length=2)
    cites: list[Citation] = Field(default_factory=list)


class Action(StrictModel):
    text: Markdown
    who: Role
    when: str | None = None
    """e.g. 'immediately', 'within one working day'."""


class NextStep(StrictModel):
    """A follow-up that leads back into the tree, e.g. 'review in a week'."""

    text: PlainText
    next: NodeId


class Outcome(StrictModel):
    """A step that says what to do."""

    kind: Literal["outcome"]
    id: NodeId
    """Name it as a result, e.g. 'report_to_dsl_now'."""
    title: PlainText
    summary: PlainText
    """One line saying what happens."""
    urgent: bool = False
    """Shown as an emergency (e.g. call 999 now)."""
    actions: list[Action] = Field(min_length=1)
    never: list[Markdown] = Field(default_factory=list)
    """What must never be done here, e.g. 'Never copy, forward or screenshot the image'."""
    contacts: list[str] = Field(default_factory=list)
    """Contact ids from school.yml, e.g. 'dsl', 'lado'."""
    cites: list[Citation] = Field(min_length=1)
    """The clauses this outcome rests on."""
    related_trees: list[Slug] = Field(default_factory=list)
    record: bool = False
    """A record must be made for the DSL's log."""
    next_step: NextStep | None = None


Node = Annotated[Union[Question, Outcome], Field(discriminator="kind")]


class DecisionTree(StrictModel):
    """decision_trees/<id>.yml: one tree. The first node is where the tree starts."""

    id: Slug
    """Used in the URL what-to-do/<id>/; keep it stable."""
    title: PlainText
    """Phrased as the situation, e.g. 'A pupil tries to contact me on social media'."""
    use_when: PlainText
    audiences: Audiences
    owner: PlainText
    last_reviewed: date
    version: str
    safeguarding: bool
    """Safeguarding trees show the emergency panel on every step."""
    guidance: list[Guidance] = Field(default_factory=list)
    nodes: list[Node] = Field(min_length=2)
