"""What a school accepted of its guide pack (issue 28): `pack.lock` beside school.yml records the pack's version
and a hash of each of its guides and of each step, written when the school adopts the pack (`init --guide-pack`)
and when it accepts a new version (`diff --pack --accept`). Compared with the pack as it is now, it says which
guides and steps were added, changed or removed since: what the school has to look at when the tool's pack
changes (a new KCSIE edition). Only the YAML reader and the standard library are used; nothing prints."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.load.diagnostics import DiagnosticError
from generator.load.strict_yaml import load_yaml

LOCK_FILE = "pack.lock"


def _hash(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _step_key(node: Any, index: int) -> str:
    """A step by its id; a `use:` of a shared group by the group's name; anything else by its place."""
    if isinstance(node, dict) and isinstance(node.get("id"), str):
        return node["id"]
    if isinstance(node, dict) and isinstance(node.get("use"), str):
        return f"use:{node['use']}"
    return f"#{index + 1}"


def pack_fingerprint(folder: Path) -> dict:
    """The pack in ``folder`` as the lock records it: its version, and per guide (shared groups as 'shared/<id>')
    a hash of the whole guide and of each step by id."""
    def read(path: Path) -> Any:
        try:
            return load_yaml(path, path.name).data
        except DiagnosticError:
            return None  # an unreadable file is reported by the loader; it is recorded as it is (no steps)

    meta = read(folder / "pack.yml")
    guides: dict[str, dict] = {}
    for prefix, found in (("", folder / "decision_trees"), ("shared/", folder / "decision_trees" / "shared")):
        for path in sorted(found.glob("*.yml")):
            data = read(path)
            nodes = data.get("nodes") if isinstance(data, dict) else None
            steps = {_step_key(node, i): _hash(node) for i, node in enumerate(nodes if isinstance(nodes, list) else [])}
            guides[prefix + path.stem] = {"hash": _hash(data), "steps": steps}
    version = meta.get("version") if isinstance(meta, dict) else None
    return {"pack": folder.name, "version": str(version), "guides": guides}


def write_lock(root: Path, fingerprint: dict) -> Path:
    path = root / LOCK_FILE
    path.write_text("# What this school accepted of its guide pack: written by `init --guide-pack` and by\n"
                    "# `python -m generator diff --pack --accept`. Do not edit it by hand.\n"
                    + json.dumps(fingerprint, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_lock(root: Path) -> dict | None:
    """The school's pack.lock, or None when there is none or it cannot be read."""
    path = root / LOCK_FILE
    if not path.is_file():
        return None
    text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("guides"), dict) else None


@dataclass
class GuideChange:
    guide: str
    steps_added: list[str] = field(default_factory=list)
    steps_changed: list[str] = field(default_factory=list)
    steps_removed: list[str] = field(default_factory=list)


@dataclass
class PackChanges:
    """What changed in the pack since the lock: by guide id, and by step id within a changed guide."""

    old_version: str
    new_version: str
    added: list[str] = field(default_factory=list)
    changed: list[GuideChange] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.old_version != self.new_version)


def pack_changes(lock: dict, now: dict) -> PackChanges:
    old, new = lock.get("guides") or {}, now["guides"]
    changes = PackChanges(str(lock.get("version")), now["version"], sorted(set(new) - set(old)), [],
                          sorted(set(old) - set(new)))
    for guide in sorted(set(old) & set(new)):
        if not isinstance(old[guide], dict) or old[guide].get("hash") == new[guide]["hash"]:
            continue
        before, after = old[guide].get("steps") or {}, new[guide]["steps"]
        changes.changed.append(GuideChange(
            guide, sorted(set(after) - set(before)),
            sorted(step for step in set(before) & set(after) if before[step] != after[step]),
            sorted(set(before) - set(after))))
    return changes
