"""`init DIR`: a new school's folder from the neutral starter that ships with the tool (generator/starter/)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.load import pack as pack_module
from generator.load.diagnostics import DiagnosticError
from generator.load.pack import PACK_FILE, available_packs
from generator.load.pack_lock import pack_fingerprint, write_lock
from generator.load.strict_yaml import load_yaml

STARTER = Path(__file__).resolve().parent.parent / "starter"
"""A complete, valid school with placeholders: no real school's words (tests/authoring/test_init.py checks)."""


STARTER_GUIDES_A_PACK_REPLACES = ("decision_trees/worried-about-a-child.yml", "checks/tree-paths/worried-about-a-child.txt")
"""The starter's example guide (and its path snapshot), left out of a school that adopts a pack: the pack's
concern-about-a-child is the statutory version of the same situation, and two guides for one worry on a new
school's first day leave staff asking which to follow (and the example has no route for when the DSL cannot be
reached, which the pack's guides do)."""


_ADOPT = """
# The statutory guides that come with the tool: they are this school's guides too, with its own contacts.
# A guide file of the same name in decision_trees/ is used instead of the pack's.
guide_pack: {pack}
"""


@dataclass(frozen=True)
class PackOffer:
    """A pack of guides `init` offers: what a new school is told about it."""

    id: str
    title: str
    version: str
    kcsie: str


def offered_packs() -> list[PackOffer]:
    """The packs that come with the tool, as `init` offers them (a pack.yml it cannot read is not offered)."""
    offers = []
    for pack_id in available_packs():
        try:
            data = load_yaml(pack_module.PACKS / pack_id / PACK_FILE, f"{pack_id}/{PACK_FILE}").data
        except DiagnosticError:
            continue
        if isinstance(data, dict) and isinstance(data.get("kcsie"), dict):
            offers.append(PackOffer(pack_id, str(data.get("title")), str(data.get("version")),
                                    str(data["kcsie"].get("title"))))
    return offers


class InitError(Exception):
    """Why a new school could not be made (nothing was written)."""


def init_school(target: Path, guide_pack: str | None = None) -> list[Path]:
    """Copy the starter into ``target`` (a new or empty folder) and write its editor schemas; return the files.
    ``guide_pack``: the pack of statutory guides the new school adopts (school.yml's `guide_pack:`)."""
    from generator.authoring.schema import write_schemas

    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitError(f"{target} already exists and is not an empty folder: choose a new one")
    if guide_pack is not None and guide_pack not in available_packs():
        raise InitError(f"no pack of guides '{guide_pack}' comes with the tool (packs: "
                        f"{', '.join(available_packs()) or 'none'})")
    shutil.copytree(STARTER, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    if guide_pack is not None:
        school = target / "school.yml"
        school.write_text(school.read_text(encoding="utf-8") + _ADOPT.format(pack=guide_pack), encoding="utf-8")
        # What the school accepts of the pack today: `diff --pack` shows what changes in it after this.
        write_lock(target, pack_fingerprint(pack_module.PACKS / guide_pack))
        for replaced in STARTER_GUIDES_A_PACK_REPLACES:
            (target / replaced).unlink()
    # Editors check the files against these (each file's first line names its schema).
    write_schemas(target / "schemas")
    return sorted(path for path in target.rglob("*") if path.is_file())
