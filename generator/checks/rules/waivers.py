"""S001: recorded waivers, the way linters do them (ruff's `# noqa: E501`), but with a reason and a name.

A step (or a whole guide) may set one safety rule aside where the rule does not fit a faithful
procedure: `waive: {S401: {reason: "...", agreed_by: "..."}}`. The waiver names the rule, says why and
who agreed it; `check` counts the waivers and the staff site's editors' page lists them. A waiver of
an unknown rule, with no reason or no name, or of a rule that can never be waived, is an error; a
waiver the rule does not need (it would not fire there) is a warning, so that stale waivers go.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator

from generator.load.diagnostics import Diagnostic, Severity
from generator.load.source import Source
from generator.checks.rules.registry import RULES, rule
from generator.checks.rules.walk import ProjectView

CODE = "S001"


@dataclass(frozen=True)
class RecordedWaiver:
    """One `waive:` entry, where it is written and the lines it covers."""

    code: str
    reason: str
    agreed_by: str
    path: str
    line: int
    column: int
    first_line: int
    last_line: float
    """The last line of the step (or of the guide: infinity) that the waiver covers."""
    guide: str
    """The guide's id (or the shared group's id for a shared step)."""
    step: str | None
    """The step's id; None for a waiver of the whole guide."""
    shared: bool = False
    """True for a step of a shared group (decision_trees/shared/)."""

    def covers(self, diagnostic: Diagnostic) -> bool:
        return (diagnostic.code == self.code and diagnostic.path == self.path
                and self.first_line <= diagnostic.line <= self.last_line)


@rule(
    code=CODE, name="waivers-are-recorded", waivable=False,
    summary="A `waive:` entry on a step (or a guide) names a rule that exists and may be waived, and gives its "
            "`reason` and who it was `agreed_by`; S102, S201 and S301 can never be waived. A waiver the rule "
            "does not need there is a warning.",
    why="a rule set aside in silence is a rule nobody keeps: a recorded waiver says why a faithful procedure "
        "differs, is counted by `check` and listed for the editors, and can never silence the rules that stand "
        "between a child and immediate harm",
    source="the project's own practice, after linters' recorded suppressions (ruff `# noqa`); KCSIE 2025 "
           "Part two (the governing body's oversight of safeguarding policies)",
    failing="""\
  - kind: outcome
    id: image_passed_round
    title: A nude image of a pupil is being passed round
    actions:
      - text: Tell the DSL now.
        who: you
        when: immediately
    contacts: [dsl]
    related_trees: [dsl-cannot-be-reached]
    waive:
      S201:
        reason: ""
        agreed_by: DSL""",
    passing="""\
  - kind: outcome
    id: raise_it_outside_the_school
    title: Raise it outside the school
    summary: Whistleblowing goes around the school when the school has not acted.
    actions:
      - text: Use the NSPCC whistleblowing advice line.
        who: you
    contacts: [nspcc_whistleblowing]
    waive:
      S401:
        reason: Whistleblowing goes around the school on purpose (KCSIE 2025 Part one).
        agreed_by: DSL and head teacher""",
)
def check_waivers(view: ProjectView) -> Iterator[Diagnostic]:
    """Waivers that cannot stand: an unknown or never-waivable rule, no reason, no name of who agreed it."""
    this = check_waivers.rule
    known = {item.code: item for item in RULES}
    for source, loc, waive in _waive_entries(view):
        for code, waiver in waive.items():
            at = _AtKey(source, loc + ("waive", code))
            code = str(code)
            item = known.get(code)
            if item is None:
                meant = code.strip().upper()
                fix = (f"write the code as the safety rules page does: {meant}" if meant in known
                       else "name a rule listed on the safety rules page (e.g. S401)")
                yield this.diagnostic(at, f"'waive' names {code}, which is not a safety rule", fix=fix)
            elif not item.waivable:
                yield this.diagnostic(at, f"{code} ({item.name}) can never be waived",
                                      fix="remove the waiver and rewrite the step so that it keeps the rule; the "
                                          "safety rules page says why this rule is never waived")
            for key in ("reason", "agreed_by"):
                value = waiver.get(key) if isinstance(waiver, dict) else None
                if not str(value or "").strip():
                    what = "why the rule does not fit here" if key == "reason" else "who agreed the waiver"
                    yield this.diagnostic(at, f"the waiver of {code} has no '{key}'",
                                          fix=f"write `{key}:` saying {what}")


def recorded_waivers(view: ProjectView) -> list[RecordedWaiver]:
    """Every well-formed waiver of a rule that may be waived, with the lines it covers."""
    waivable = {item.code for item in RULES if item.waivable}
    found = []
    for source, loc, waive in _waive_entries(view):
        first, last = _span(source, loc)
        guide, step = _owner(source, loc, view)
        for code, waiver in waive.items():
            if str(code) not in waivable or not isinstance(waiver, dict):
                continue
            reason, agreed_by = (str(waiver.get(key) or "").strip() for key in ("reason", "agreed_by"))
            if reason and agreed_by:
                line, column = source.key_position(loc + ("waive", code))
                found.append(RecordedWaiver(str(code), reason, agreed_by, source.display, line, column, first, last,
                                            guide, step, shared=_is_shared(source, view)))
    return found


def apply_waivers(view: ProjectView, diagnostics: list[Diagnostic]) -> tuple[list[Diagnostic], list[RecordedWaiver]]:
    """The diagnostics no waiver covers (plus a warning for each waiver not needed), and the waivers used."""
    waivers = recorded_waivers(view)
    kept, used = [], set()
    for diagnostic in diagnostics:
        covering = [w for w in waivers if w.covers(diagnostic)]
        used.update(covering)
        if not covering:
            kept.append(diagnostic)
    this = check_waivers.rule
    for waiver in waivers:
        if waiver not in used:
            where = f"step '{waiver.step}'" if waiver.step else f"guide '{waiver.guide}'"
            kept.append(Diagnostic(
                waiver.path, waiver.line, waiver.column, CODE,
                f"the waiver of {waiver.code} is not needed: the rule does not fire on {where}",
                severity=Severity.WARNING, hint=f"remove it. Why: {this.why} [{this.source}]"))
    return kept, [w for w in waivers if w in used]


@dataclass(frozen=True)
class _AtKey:
    """A waiver's code as written (`S401:`), where its diagnostics point."""

    source: Source
    loc: tuple

    def diagnostic(self, loc: tuple, code: str, message: str, **kwargs) -> Diagnostic:
        line, column = self.source.key_position(self.loc)
        return Diagnostic(self.source.display, line, column, code, message, **kwargs)


# --- where waivers are written --------------------------------------------------------------------------------

def _waive_entries(view: ProjectView) -> Iterator[tuple[Source, tuple, dict]]:
    """(file, key path of the guide or step, its `waive` mapping), each written entry once."""
    for guide in view.guides:
        if isinstance(guide.data.get("waive"), dict):
            yield guide.source, (), guide.data["waive"]
    for step in view.own_steps():
        if isinstance(step.data.get("waive"), dict):
            yield step.source, step.loc, step.data["waive"]


def _span(source: Source, loc: tuple) -> tuple[int, float]:
    """The lines of the value at `loc`: from its first line to the line before the next thing in the file."""
    if not loc:
        return 1, math.inf
    start = source.position(loc)[0]
    inside, later = [], []
    for key, (line, _) in source.positions.items():
        key = key[1:] if key[:1] == ("<key>",) else key
        (inside if key[:len(loc)] == loc else later).append(line)
    after = [line for line in later if line > start]
    return min(inside + [start]), (min(after) - 1 if after else math.inf)


def _owner(source: Source, loc: tuple, view: ProjectView) -> tuple[str, str | None]:
    data = source.data if isinstance(source.data, dict) else {}
    guide = str(data.get("id", source.path.stem))
    if not loc:
        return guide, None
    node = data.get("nodes")[loc[1]]
    return guide, str(node.get("id"))


def _is_shared(source: Source, view: ProjectView) -> bool:
    return any(group.source is source for group in view.groups.values())
