"""The pack of statutory guides a school adopts (generator/load/pack.py): its pack.yml against its model, the
school's nation against the pack's, the edition of KCSIE it follows in the sources registry, and a note (I130) for
each of its guides the school's own file replaces."""

from __future__ import annotations

from generator.checks.schema_messages import _validate_model
from generator.load.diagnostics import Diagnostic
from generator.load.models import GuidePack
from generator.load.pack import SETTING, LoadedPack, replaced_diagnostics
from generator.load.project import Project
from generator.load.source import Source


def _validate_pack(pack: LoadedPack | None, diagnostics: list[Diagnostic], http: bool) -> GuidePack | None:
    """The adopted pack's pack.yml as its model (None when there is none, or it is invalid), and the I130 notes."""
    if pack is None or pack.source is None:
        return None
    diagnostics.extend(replaced_diagnostics(pack))
    return _validate_model(pack.source, GuidePack, diagnostics, http)


def _check_pack(project: Project, pack: LoadedPack | None, model: GuidePack | None, school: Source,
                diagnostics: list[Diagnostic]) -> None:
    if pack is None or model is None:
        return
    project.pack = model
    if model.nation != project.school.nation:
        diagnostics.append(school.diagnostic(
            (SETTING,), "E131", f"the '{model.id}' pack follows the law and guidance of {model.nation.value}, and "
                                f"this school's nation is {project.school.nation.value}",
            hint="adopt a pack for the school's nation, or correct 'nation:'"))
    if model.kcsie.source not in project.external_sources:
        diagnostics.append(pack.source.diagnostic(("kcsie", "source"), "E414",
                                                  f"'{model.kcsie.source}' is not in the sources registry"))
