"""A guide's `jurisdiction` against the school's nation and the guidance it follows (issue 27 item 4).

Both are warnings, like a cited source of another nation (W411): the guide still builds, and the editor
sees at file:line that a procedure of another nation is about to be shown as this school's.
"""

from __future__ import annotations

from generator.load.diagnostics import Diagnostic, Severity
from generator.load.models import DecisionTree
from generator.load.models.guide_display import JURISDICTION_NATIONS
from generator.load.project import Project
from generator.load.source import Source


def check_jurisdiction(project: Project, source: Source, tree: DecisionTree, diagnostics: list[Diagnostic]) -> None:
    if tree.jurisdiction is None:
        return
    nations = JURISDICTION_NATIONS[tree.jurisdiction]
    school = project.school.nation
    if school not in nations:
        diagnostics.append(source.diagnostic(
            ("jurisdiction",), "W414",
            f"the guide's jurisdiction is '{tree.jurisdiction.value}', but the school is in {school.value} "
            "(school.yml 'nation')", severity=Severity.WARNING,
            hint="follow the procedure that applies where the school is, or correct 'jurisdiction'"))
    for index, source_id in enumerate(tree.guidance):
        entry = project.external_sources.get(source_id)
        if entry is None:
            continue  # E414 already says so
        missing = [nation.value for nation in nations if nation not in entry.jurisdiction]
        if missing:
            applies = ", ".join(nation.value for nation in entry.jurisdiction)
            diagnostics.append(source.diagnostic(
                ("guidance", index), "W415",
                f"the guide follows '{source_id}', which applies in {applies}, not in {', '.join(missing)} "
                f"(the guide's jurisdiction is '{tree.jurisdiction.value}')", severity=Severity.WARNING))
