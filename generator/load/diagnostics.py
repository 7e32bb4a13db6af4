"""One type for every problem the generator reports, located in a file."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import total_ordering
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    """Worth knowing, nothing to put right (e.g. the school's own guide used instead of its pack's)."""


@total_ordering
@dataclass(frozen=True)
class Diagnostic:
    """A located problem: printed as ``path:line:column: CODE message (hint)``.

    Sorted by file, then position, then code, as an editor's problem list is.
    """

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = Severity.ERROR
    hint: str | None = None

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"
        if self.severity is not Severity.ERROR:
            text = f"{self.path}:{self.line}:{self.column}: {self.code} {self.severity.value}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def _key(self) -> tuple:
        # hint may be None: compare it as text so sorting never fails on a None/str pair.
        return (self.path, self.line, self.column, self.code, self.message, self.severity.value, self.hint or "")

    def __lt__(self, other: "Diagnostic") -> bool:
        if not isinstance(other, Diagnostic):
            return NotImplemented
        return self._key() < other._key()


class DiagnosticError(Exception):
    """Raised by a stage that cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def display_path(path: Path, root: Path) -> str:
    """Paths relative to the project, as an editor's problem matcher expects."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
