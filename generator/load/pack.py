"""Read the pack of statutory guides a school adopts (issue 28): `guide_pack: england` in school.yml.

A pack ships with the tool in generator/pack/<id>/: `pack.yml` (what it is, its nation, the KCSIE edition it
follows, its version) and `decision_trees/*.yml` with `shared/*.yml`, guides written once for every school. Its
guides and shared groups join the school's own as if they were in the school's decision_trees/ (same URLs,
checks, rules, search), except where the school has a file of the same name: the school's wins, and `check`
says so (I130). Nothing is validated here; problems are Diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.load.diagnostics import Diagnostic, DiagnosticError, Severity
from generator.load.source import Source
from generator.load.strict_yaml import load_yaml

PACKS = Path(__file__).resolve().parent.parent / "pack"
"""The packs that come with the tool, one folder each (looked up at call time, so tests can point elsewhere)."""
PACK_FILE = "pack.yml"
SETTING = "guide_pack"
"""The school.yml key that adopts a pack."""


@dataclass
class LoadedPack:
    """The pack a school adopted: its pack.yml, and which of its guides and groups the school's own replace."""

    id: str
    folder: Path
    source: Source | None
    replaced: list[tuple[str, str]] = field(default_factory=list)
    """(the pack's file, the school's file of the same name that is used instead), by display path."""
    guides: list[str] = field(default_factory=list)
    """The display paths of the pack's guides read (those the school has no file of its own for): the guides
    whose steps trust-overrides.yml may replace."""


def available_packs(packs: Path | None = None) -> list[str]:
    """The ids of the packs shipped with the tool, sorted."""
    folder = packs or PACKS
    return sorted(path.parent.name for path in folder.glob(f"*/{PACK_FILE}")) if folder.is_dir() else []


PACK_DISPLAY_PREFIX = "(generator)/pack/"
"""How every file of a pack is named in messages (never a path of the school's)."""


def pack_display(pack_id: str, path: Path, folder: Path) -> str:
    """How a pack's file is named in messages: `(generator)/pack/<id>/<path inside the pack>`."""
    return f"{PACK_DISPLAY_PREFIX}{pack_id}/{path.relative_to(folder).as_posix()}"


def load_pack(school: Source | None, trees: list[Source], groups: list[Source],
              diagnostics: list[Diagnostic], packs: Path | None = None, cache=None) -> LoadedPack | None:
    """The pack school.yml adopts, with its guides added to ``trees`` and its shared groups to ``groups`` (those
    the school has no file of the same name for); None when it adopts none or names no pack there is.
    ``cache``: as :func:`generator.load.loader.load_project`'s (each file's parse kept under its bytes and name)."""
    wanted = school.data.get(SETTING) if school is not None and isinstance(school.data, dict) else None
    if not isinstance(wanted, str):
        return None  # none adopted, or not a name: the school's model check says so
    packs = packs or PACKS
    folder = packs / wanted
    if "/" in wanted or wanted.startswith(".") or not (folder / PACK_FILE).is_file():
        known = available_packs(packs)
        diagnostics.append(school.diagnostic((SETTING,), "E130", f"'{SETTING}: {wanted[:60]}' names no pack of "
                                             "guides that comes with the tool",
                                             hint="packs: " + (", ".join(known) if known else "none")))
        return None

    def parse(path: Path) -> Source | None:
        try:
            source = load_yaml(path, pack_display(wanted, path, folder), cache)
        except DiagnosticError as error:
            diagnostics.extend(error.diagnostics)
            return None
        diagnostics.extend(source.warnings)
        return source

    loaded = LoadedPack(wanted, folder, parse(folder / PACK_FILE))
    for own, found in ((trees, folder / "decision_trees"), (groups, folder / "decision_trees" / "shared")):
        schools = {source.path.stem: source for source in own}
        for path in sorted(found.glob("*.yml")):
            if path.stem in schools:
                loaded.replaced.append((pack_display(wanted, path, folder), schools[path.stem].display))
                continue
            source = parse(path)
            if source is not None:
                own.append(source)
                if own is trees:
                    loaded.guides.append(source.display)
        # In file-name order, as if in the school's own folder: a guide's place in the guides' list, the menu and
        # the search index does not change when it moves between the school and the pack.
        own.sort(key=lambda source: source.path.name)
    return loaded


def replaced_diagnostics(pack: LoadedPack | None) -> list[Diagnostic]:
    """I130: each of the pack's guides (or groups) the school's own file of the same name replaces."""
    if pack is None:
        return []
    return [Diagnostic(school, 1, 1, "I130", f"this file replaces the {pack.id} pack's {theirs}: the school's "
                       "own is used", severity=Severity.INFO,
                       hint="delete this file to use the pack's, which is kept up to date with the guidance")
            for theirs, school in pack.replaced]
