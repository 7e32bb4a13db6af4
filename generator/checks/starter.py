"""W520: example content is never published by accident. `init` copies a neutral example school (generator/starter/)
whose policy, guide, shared steps and pages each say `starter: true`; while a file still says so, `check` warns at
that line and the build records it as a preview (version.json's preview_only), which `publish` refuses unless given
`--preview`. The school confirms a file by making it its own and deleting the `starter: true` line."""

from __future__ import annotations

from generator.load.diagnostics import Diagnostic, Severity
from generator.load.front_matter import starter_line
from generator.load.models import DecisionTree, Policy, SharedGroup
from generator.load.project import Page
from generator.load.source import Source

CODE = "W520"

_KINDS = {Policy: "policy", DecisionTree: "guide", SharedGroup: "shared group of steps"}
MESSAGE = "is the starter's example, not yet confirmed by the school"
_PREVIEW = ": the site can be built as a preview but not published"
_CONFIRM = "make it the school's own, then delete the line 'starter: true'"


def starter_diagnostics(models: list[tuple[Source, Policy | DecisionTree | SharedGroup]],
                        pages: list[Page]) -> list[Diagnostic]:
    """One warning for each file still marked as the starter's example."""
    found = []
    for source, model in models:
        if model is not None and model.starter:
            found.append(source.diagnostic(("starter",), CODE, f"this {_KINDS[type(model)]} {MESSAGE}{_PREVIEW}",
                                           severity=Severity.WARNING, hint=_CONFIRM))
    for page in pages:
        line = starter_line(page)
        if line is not None:
            found.append(Diagnostic(page.display, line, 1, CODE, f"this page {MESSAGE}{_PREVIEW}",
                                    severity=Severity.WARNING, hint=_CONFIRM))
    return found
