"""A trust's schools (trust.yml): which folder each is in and where its sites are built."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from generator.load.containment import OUTSIDE_HINT, leaves
from generator.load.diagnostics import Diagnostic, DiagnosticError
from generator.load.trust_files import TRUST_FILE, load_trust
from generator.load.models import Trust


class TrustError(Exception):
    """trust.yml is missing or does not name the school asked for."""


@dataclass(frozen=True)
class TrustSchool:
    id: str
    folder: str
    path: Path

    @property
    def at_root(self) -> bool:
        """The school in the repository's own folder: its sites go to site/{staff,parents}, not site/<id>/."""
        return Path(self.folder) == Path(".")


def trust_schools(root: Path, only: str | None) -> list[TrustSchool]:
    """The schools listed in root/trust.yml (or just ``only``); raises TrustError or DiagnosticError."""
    from generator.checks.schema_messages import _schema_diagnostics

    path = root / TRUST_FILE
    if path.is_file():
        source = load_trust(path)
        try:
            trust = Trust.model_validate(source.data)
        except ValidationError as error:
            raise DiagnosticError(_with_folder_entries_explained(source, _schema_diagnostics(source, Trust, error)))
        outside = _folders_outside(source, trust, root)
        if outside:
            raise DiagnosticError(outside)
        listed = [TrustSchool(s.id, s.folder, root / s.folder) for s in trust.schools]
    elif (root / "school.yml").is_file():
        # No trust: the one school in the folder, as if trust.yml listed it at '.'.
        data = load_trust(root / "school.yml").data
        school_id = data.get("id") if isinstance(data, dict) else None
        if not isinstance(school_id, str):
            raise TrustError(f"{root / 'school.yml'} has no id: run `python -m generator check` to see why")
        listed = [TrustSchool(school_id, ".", root)]
    else:
        raise TrustError(f"there is no {TRUST_FILE} nor school.yml in {root}")
    schools = [s for s in listed if only is None or s.id == only]
    if not schools:
        where = TRUST_FILE if path.is_file() else "school.yml"
        raise TrustError(f"{where} lists no school '{only}': its schools are " + ", ".join(s.id for s in listed))
    return schools


def _folders_outside(source, trust: Trust, root: Path) -> list[Diagnostic]:
    """A school's folder that leads out of the repository (a symbolic link to elsewhere) would be built as if it
    were the trust's: refused at its line."""
    found = []
    for index, school in enumerate(trust.schools):
        outside = leaves(root / school.folder, root)
        if outside:
            found.append(source.diagnostic(
                ("schools", index, "folder"), "E108", f"'folder': the folder of school {school.id!r}, "
                f"'{school.folder}', {outside}: nothing outside the folder holding trust.yml is read",
                hint=OUTSIDE_HINT))
    return found


def _with_folder_entries_explained(source, found: list[Diagnostic]) -> list[Diagnostic]:
    """A school written as a bare folder (`- schools/elm`) or as `{path: folder}`, the shape an earlier CI script
    read, gets one plain message in place of the schema's generic ones at its position."""
    schools = source.data.get("schools") if isinstance(source.data, dict) else None
    explained = []
    for index, entry in enumerate(schools if isinstance(schools, list) else []):
        if isinstance(entry, str):
            folder = entry
        elif isinstance(entry, dict) and "path" in entry and "folder" not in entry:
            folder = entry["path"]
        else:
            continue
        explained.append(source.diagnostic(
            ("schools", index), "E205",
            f"'schools': each school is written as its id and its folder, not by its folder alone ({folder!r})",
            hint=f"write '- id: <the id in its school.yml>' and, under it, 'folder: {folder}'"))
    places = {(d.line, d.column) for d in explained}
    return sorted([d for d in found if (d.line, d.column) not in places] + explained)
