"""`init DIR`: a new school's folder from the neutral starter that ships with the tool (generator/starter/)."""

from __future__ import annotations

import shutil
from pathlib import Path

STARTER = Path(__file__).resolve().parent.parent / "starter"
"""A complete, valid school with placeholders: no real school's words (tests/authoring/test_init.py checks)."""


class InitError(Exception):
    """Why a new school could not be made (nothing was written)."""


def init_school(target: Path) -> list[Path]:
    """Copy the starter into ``target`` (a new or empty folder) and write its editor schemas; return the files."""
    from generator.authoring.schema import write_schemas

    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitError(f"{target} already exists and is not an empty folder: choose a new one")
    shutil.copytree(STARTER, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    # Editors check the files against these (each file's first line names its schema).
    write_schemas(target / "schemas")
    return sorted(path for path in target.rglob("*") if path.is_file())
