"""The pack of statutory guides a school adopts (generator/load/pack.py): its pack.yml against its model, the
school's nation against the pack's, the edition of KCSIE it follows in the sources registry, a note (I130) for
each of its guides the school's own file replaces, and a warning (W132) when it changed since the school's pack.lock."""

from __future__ import annotations

from generator.checks.pack_links import pack_link_diagnostics
from generator.checks.schema_messages import _validate_model
from generator.load.diagnostics import Diagnostic, Severity
from generator.load.models import GuidePack
from generator.load.pack import SETTING, LoadedPack, replaced_diagnostics
from generator.load.pack_lock import pack_changes, pack_fingerprint, read_lock
from generator.load.project import Project
from generator.load.source import Source


def _validate_pack(pack: LoadedPack | None, diagnostics: list[Diagnostic], http: bool) -> GuidePack | None:
    """The adopted pack's pack.yml as its model (None when there is none, or it is invalid), and the I130 notes."""
    if pack is None or pack.source is None:
        return None
    diagnostics.extend(replaced_diagnostics(pack))
    return _validate_model(pack.source, GuidePack, diagnostics, http)


def _check_pack(project: Project, pack: LoadedPack | None, model: GuidePack | None, school: Source,
                diagnostics: list[Diagnostic], cache=None) -> None:
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
    diagnostics.extend(pack_link_diagnostics(pack, cache))
    diagnostics.extend(_changed_since_lock(pack, school))


def _changed_since_lock(pack: LoadedPack, school: Source) -> list[Diagnostic]:
    """W132: the pack changed since the school last accepted it (pack.lock), so its guides may say something new."""
    lock = read_lock(school.path.parent)
    if lock is None:
        return []
    changes = pack_changes(lock, pack_fingerprint(pack.folder))
    if not changes.any:
        return []
    counts = (f"{len(changes.added)} guide(s) added, {len(changes.changed)} changed, {len(changes.removed)} removed")
    return [school.diagnostic((SETTING,), "W132", f"the '{pack.id}' pack has changed since the school accepted it "
                              f"(version {changes.old_version}, now {changes.new_version}: {counts})",
                              severity=Severity.WARNING,
                              hint="see what changed with 'python -m generator diff --pack', then accept it with "
                                   "'diff --pack --accept'")]
