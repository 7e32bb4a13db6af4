"""``check`` before every save: the change applied to a temporary copy of the project, the same load, validation,
safety rules and render as ``python -m generator check``, and each diagnostic mapped to the form field it is about
(the diagnostic's file:line:column -> the YAML node there -> its JSON path), with its code's explanation.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from ruamel.yaml import YAML

from generator import pipeline
from generator.checks.rules import RULES
from generator.load.file_cache import ResultCache
from generator.render.guide_cache import GuideCache
from generator.load.loader import PUBLIC_LIST
from generator.load.trust_files import find_trust
from generator.load.diagnostics import Diagnostic

GUIDE = Path(__file__).resolve().parents[2] / "guide" / "authoring.md"
_NOT_COPIED = {".git", "site", "build", "node_modules", ".venv", "dist"}
"""Folders of a project that check never reads (built output, history): left out of the temporary copy."""


@dataclass
class Finding:
    """One diagnostic as the editor shows it: at its field when it is about the document being edited."""

    diagnostic: Diagnostic
    field: list | None = None
    """The JSON path of the form field ('nodes', 2, 'answers', 0, 'next'), or None (another file, or the file
    as a whole)."""
    explanation: str = ""

    def as_json(self) -> dict:
        d = self.diagnostic
        return {"path": d.path, "line": d.line, "column": d.column, "code": d.code, "message": d.message,
                "hint": d.hint or "", "error": d.is_error, "field": self.field, "explanation": self.explanation,
                "text": str(d)}


@dataclass
class Checked:
    findings: list[Finding] = field(default_factory=list)
    result: pipeline.Result | None = None
    public_list: str | None = None
    """The reviewed public list as `public --update` writes it with the change, when the author confirmed
    reviewing what the parents' site would newly publish (None otherwise)."""
    public_changes: list[str] = field(default_factory=list)
    """What the change does to the parents' site ('+ now public: clause ...'), for the author to review."""

    @property
    def ok(self) -> bool:
        return not any(finding.diagnostic.is_error for finding in self.findings)


def check_with(root: Path, changes: dict[str, str], today: date, record_public: bool = False,
               cache: ResultCache | None = None, guide_cache: GuideCache | None = None) -> Checked:
    """Check the project as it would be with ``changes`` (relative path -> new text) written, without writing
    them: on a temporary copy, so a change that fails leaves the school's files as they were. With
    ``record_public`` (the author reviewed what the parents' site would newly publish), the reviewed list is
    recorded in the copy first, as ``python -m generator public --update`` does, and returned to be written.
    ``cache`` and ``guide_cache``: the session's (as ``serve`` keeps them): each unchanged file's parse, check and
    guide page read back. Their keys name files by their path in the project, never by the temporary copy's."""
    with tempfile.TemporaryDirectory(prefix="policy-editor-") as work:
        # A school of a trust is checked with its trust (trust.yml and the shared policies above its folder).
        trust = find_trust(root)
        top = trust[0] if trust else root.resolve()
        shutil.copytree(top, Path(work) / "copy", symlinks=True,
                        ignore=lambda folder, names: [n for n in names if n in _NOT_COPIED])
        copy = Path(work) / "copy" / root.resolve().relative_to(top)
        for relative, text in changes.items():
            target = copy / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        public_changes = pipeline.review_public(copy, today, update=True)[2] if record_public else []
        public_list = None
        if record_public and (copy / PUBLIC_LIST).is_file():
            public_list = (copy / PUBLIC_LIST).read_text(encoding="utf-8")
        result = pipeline.render(copy, today, cache=cache, guide_cache=guide_cache)
    findings = [Finding(d, _field(d, changes), explain(d)) for d in result.diagnostics]
    return Checked(findings, result, public_list, public_changes)


def _field(diagnostic: Diagnostic, changes: dict[str, str]) -> list | None:
    text = changes.get(diagnostic.path)
    if text is None or not diagnostic.path.endswith(".yml"):
        return None
    return field_at(text, diagnostic.line, diagnostic.column)


def field_at(text: str, line: int, column: int) -> list | None:
    """The JSON path of the last key or item that starts at or before line:column (1-based), or None."""
    try:
        data = YAML().load(text)
    except Exception:  # noqa: BLE001 - a text ruamel cannot read has no fields; check says why
        return None
    best: tuple[tuple[int, int], list] | None = None
    for position, path in _positions(data, []):
        if position <= (line, column) and (best is None or position >= best[0]):
            best = (position, path)
    return best[1] if best else None


def _positions(node, path: list):
    if isinstance(node, dict):
        for key, value in node.items():
            key_line, key_column = node.lc.key(key)
            yield (key_line + 1, key_column + 1), path + [str(key)]
            if isinstance(value, (dict, list)):
                yield from _positions(value, path + [str(key)])
            else:
                value_line, value_column = node.lc.value(key)
                yield (value_line + 1, value_column + 1), path + [str(key)]
    elif isinstance(node, list):
        for index, value in enumerate(node):
            item_line, item_column = node.lc.item(index)
            yield (item_line + 1, item_column + 1), path + [index]
            yield from _positions(value, path + [index])


def explain(diagnostic: Diagnostic) -> str:
    """What the code means and why it matters: a safety rule's reason and source, or the authors' guide's row."""
    for rule in RULES:
        if rule.code == diagnostic.code:
            return f"{rule.summary} Why: {rule.why} Source: {rule.source}."
    meaning = _code_table().get(diagnostic.code)
    return " ".join(meaning) if meaning else ""


@cache
def _code_table() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| ([EWS]\d{3}) \| (.*?) \| (.*?) \|$", line)
        if match:
            rows[match.group(1)] = (match.group(2), "What to do: " + match.group(3))
    return rows
