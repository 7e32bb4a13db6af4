"""The data format: the single definition behind the validator, the JSON Schemas and the field reference."""

from generator.models.base import Audience
from generator.models.glossary import Glossary, GlossaryEntry
from generator.models.policy import Clause, ListItem, MisuseMatrix, Policy, Section
from generator.models.public import PublicList
from generator.models.roles import BUILTIN_ROLES, ConditionalRole
from generator.models.school import Contact, Nation, School
from generator.models.sources import ExternalSource, ServiceDirectory, SourceKind, SourcePart, SourceRegistry
from generator.models.trust import ClauseOverride, Trust, TrustOverrides, TrustSchool
from generator.models.tree import (Action, Answer, Criterion, DecisionTree, NextStep, Outcome, Question, SharedGroup,
                                   Use)

__all__ = [
    "Action", "Answer", "Audience", "BUILTIN_ROLES", "Clause", "ConditionalRole", "Contact", "Criterion",
    "DecisionTree", "ExternalSource", "Glossary", "GlossaryEntry", "ListItem", "MisuseMatrix", "Nation", "NextStep",
    "Outcome", "Policy", "PublicList", "Question", "School", "Section", "ServiceDirectory", "SharedGroup",
    "SourceKind", "SourcePart", "SourceRegistry", "Trust", "TrustOverrides", "TrustSchool", "ClauseOverride", "Use",
]
