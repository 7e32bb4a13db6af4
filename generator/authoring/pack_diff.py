"""`diff --pack`: what changed in the guide pack a school uses since it adopted or last accepted it (pack.lock),
guide by guide and step by step, with the changed steps the school (or its trust) overrides marked: its own
version of those was written against the pack's old wording and needs a look. `--accept` records the pack as it
is now. Returns lines; the CLI prints them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.load import pack as pack_module
from generator.load.diagnostics import DiagnosticError
from generator.load.loader import load_project
from generator.load.pack_lock import LOCK_FILE, pack_changes, pack_fingerprint, read_lock, write_lock
from generator.load.strict_yaml import load_yaml


class PackDiffError(Exception):
    """Why there is nothing to compare (no pack adopted, no such pack, no lock)."""


@dataclass
class PackReport:
    lines: list[str] = field(default_factory=list)
    changed: bool = False


def _adopted(root: Path) -> tuple[str, Path]:
    try:
        school = load_yaml(root / "school.yml", "school.yml").data
    except DiagnosticError as error:
        raise PackDiffError(str(error.diagnostics[0])) from None
    wanted = school.get(pack_module.SETTING) if isinstance(school, dict) else None
    if not isinstance(wanted, str) or wanted not in pack_module.available_packs(pack_module.PACKS):
        raise PackDiffError(f"school.yml adopts no pack of guides that comes with the tool ('{pack_module.SETTING}:')")
    return wanted, pack_module.PACKS / wanted


def _overridden(root: Path) -> set[tuple[str, str]]:
    """(guide, step) of every step override in the school's and its trust's trust-overrides.yml."""
    loaded = load_project(root)
    found = set()
    for source in (loaded.trust_wide_overrides, loaded.trust_overrides):
        overrides = source.data.get("overrides") if source is not None and isinstance(source.data, dict) else None
        for override in overrides if isinstance(overrides, list) else []:
            if isinstance(override, dict) and "guide" in override and "step" in override:
                found.add((str(override["guide"]), str(override["step"])))
    return found


def pack_report(root: Path, accept: bool = False) -> PackReport:
    """What changed in the adopted pack since pack.lock; with ``accept``, pack.lock then records it as it is."""
    pack_id, folder = _adopted(root)
    now = pack_fingerprint(folder)
    lock = read_lock(root)
    report = PackReport()
    if lock is None:
        if not accept:
            raise PackDiffError(f"there is no {LOCK_FILE} recording what the school accepted of the '{pack_id}' pack: "
                                "review its guides, then run 'python -m generator diff --pack --accept'")
        report.lines.append(f"No {LOCK_FILE} yet: the '{pack_id}' pack's version {now['version']} is recorded as "
                            "accepted.")
    else:
        changes = pack_changes(lock, now)
        report.changed = changes.any
        overridden = _overridden(root)
        report.lines.append(f"The '{pack_id}' pack: accepted version {changes.old_version}, now {changes.new_version}.")
        if not changes.any:
            report.lines.append("Nothing changed in its guides since the school accepted it.")
        report.lines += [f"  guide added: {guide}" for guide in changes.added]
        report.lines += [f"  guide removed: {guide}" for guide in changes.removed]
        for guide in changes.changed:
            report.lines.append(f"  guide changed: {guide.guide}")
            report.lines += [f"    step added: {step}" for step in guide.steps_added]
            report.lines += [f"    step changed: {step}" + (" (the school overrides it: look at its version)"
                                                             if (guide.guide, step) in overridden else "")
                             for step in guide.steps_changed]
            report.lines += [f"    step removed: {step}" + (" (the school overrides it: its override no longer "
                                                             "applies)" if (guide.guide, step) in overridden else "")
                             for step in guide.steps_removed]
    if accept:
        write_lock(root, now)
        if lock is not None:
            report.lines.append(f"Accepted: {LOCK_FILE} now records version {now['version']}.")
    return report
