"""The data format: the single definition behind the validator, the JSON Schemas and the field reference."""

from generator.models.base import Audience, Role
from generator.models.glossary import Glossary, GlossaryEntry
from generator.models.policy import Clause, ListItem, MisuseMatrix, Policy, Section
from generator.models.public import PublicList
from generator.models.school import Contact, School
from generator.models.tree import Action, Answer, DecisionTree, Outcome, Question

__all__ = [
    "Action", "Answer", "Audience", "Clause", "Contact", "DecisionTree", "Glossary", "GlossaryEntry",
    "ListItem", "MisuseMatrix", "Outcome", "Policy", "PublicList", "Question", "Role", "School", "Section",
]
