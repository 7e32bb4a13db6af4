"""The data format: the single definition behind the validator, the JSON Schemas and the field reference."""

from generator.load.models.base import Audience
from generator.load.models.glossary import Glossary, GlossaryEntry
from generator.load.models.policy import Clause, ListItem, MisuseMatrix, Policy, Section
from generator.load.models.pack import GuidanceEdition, GuidePack
from generator.load.models.public import PublicList
from generator.load.models.roles import BUILTIN_ROLES, ConditionalRole
from generator.load.models.school import Contact, Nation, School
from generator.load.models.sources import ExternalSource, ServiceDirectory, SourceKind, SourcePart, SourceRegistry
from generator.load.models.trust import ClauseOverride, StepOverride, Trust, TrustOverrides, TrustSchool
from generator.load.models.tree import (Action, Answer, Criterion, DecisionTree, EitherGroup, NextStep, Outcome,
                                        Question, Route, RouteStep, SharedGroup, Use)

__all__ = [
    "Action", "Answer", "Audience", "BUILTIN_ROLES", "Clause", "ConditionalRole", "Contact", "Criterion",
    "DecisionTree", "EitherGroup", "ExternalSource", "Glossary", "GlossaryEntry", "GuidanceEdition", "GuidePack",
    "ListItem", "MisuseMatrix", "Nation", "NextStep", "Outcome", "Policy", "PublicList", "Question", "Route",
    "RouteStep", "School", "Section", "ServiceDirectory", "SharedGroup",
    "SourceKind", "SourcePart", "SourceRegistry", "Trust", "TrustOverrides", "TrustSchool", "ClauseOverride",
    "StepOverride", "Use",
]
