"""Where a school's trust keeps its files: the trust.yml in the school's folder or one above it that lists
the school, the folder of the trust-wide policies, and the school's own overrides file. Only the YAML reader
and the standard library are imported, so the freshness check can look the trust up without loading the models."""

from __future__ import annotations

import os
import re
from pathlib import Path

from generator.load.diagnostics import DiagnosticError
from generator.load.source import Source
from generator.load.strict_yaml import load_yaml

TRUST_FILE = "trust.yml"
OVERRIDES_FILE = "trust-overrides.yml"
SCHOOL_NAME = re.compile(r"\{\{\s*school\.name\s*\}\}")
"""The one placeholder a trust-wide policy's text may hold; replaced with each school's name (never run as a template)."""


def find_trust(root: Path) -> tuple[Path, Source] | None:
    """The trust.yml in ``root`` or a folder above it whose `schools:` lists ``root``, with its folder."""
    root = root.resolve()
    for folder in (root, *root.parents):
        path = folder / TRUST_FILE
        if not path.is_file():
            continue
        try:
            source = load_yaml(path, os.path.relpath(path, root))
        except DiagnosticError:
            return folder, Source(path, os.path.relpath(path, root), None)  # reported by load_trust
        schools = source.data.get("schools") if isinstance(source.data, dict) else None
        for school in schools if isinstance(schools, list) else []:
            if isinstance(school, dict) and isinstance(school.get("folder"), str) \
                    and (folder / school["folder"]).resolve() == root:
                return folder, source
    return None


def trust_policies_folder(folder: Path, trust: Source) -> Path:
    """The folder of the trust-wide policies every school of the trust publishes (`shared:` in trust.yml)."""
    shared = trust.data.get("shared", "trust") if isinstance(trust.data, dict) else "trust"
    return folder / (shared if isinstance(shared, str) else "trust") / "policies"


def load_trust(path: Path) -> Source:
    """trust.yml (or, with no trust, school.yml) for `build --all`/`--school` and `schools`; or DiagnosticError."""
    return load_yaml(path, path.name)
