"""The publishing folder's fixed names (laid out in :mod:`generator.publish.publisher`), the error every refusal
raises, and what a publish or rollback reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

VERSION_FILE = "version.json"
MANIFEST_FILE = "manifest.json"
SUMS_FILE = "SHA256SUMS"
RELEASES = "releases"
CURRENT = "current"
LOCK_FILE = ".publish.lock"
TARGET_FILE = "publish-target.json"
PARTIAL_SUFFIX = ".partial"
REQUIRED_FILES = ("index.html", "404.html", "search/search_index.json")
DEFAULT_KEEP = 5


class PublishError(Exception):
    """Why a publish or rollback was refused; nothing live was changed."""


@dataclass
class Release:
    name: str
    path: Path
    version: dict = field(default_factory=dict)

    def describe(self) -> str:
        sha = self.version.get("git_sha", "unknown")
        built = self.version.get("built_at", "unknown")
        preview = ", a preview for review only" if self.version.get("preview_only") else ""
        return f"{self.name} (git {sha}, built {built}{preview})"


@dataclass
class Outcome:
    """What a publish or rollback did: the release now live, the one it replaced, what was pruned."""

    live: Release
    replaced: str | None
    pruned: list[str] = field(default_factory=list)
    where: str = ""
