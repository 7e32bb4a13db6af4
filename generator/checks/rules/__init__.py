"""Safeguarding safety rules, checked on every school's data by `python -m generator check`.

Each rule lives in its own small module and registers itself (code, name, why, source, a failing
and a passing example); `check_rules` runs them all and returns their diagnostics. The rules
reference in the authors' guide is rendered from the same registry (`python -m generator rules`).
"""

from __future__ import annotations

from generator.load.diagnostics import Diagnostic
from generator.checks.rules import (  # noqa: F401 - importing a module registers its rules
    adults, ceop, deleting, duties, images, immediate_danger, lado, placeholders, routes, secrecy, timescales, waivers,
)
from generator.checks.rules.registry import RULES, Rule
from generator.checks.rules.waivers import RecordedWaiver, apply_waivers
from generator.checks.rules.walk import ProjectView, build_view

__all__ = ["RULES", "Rule", "ProjectView", "RecordedWaiver", "build_view", "check_rules", "run_rules"]


def check_rules(view: ProjectView, disabled: frozenset[str] = frozenset()) -> list[Diagnostic]:
    """Every breach of every rule (except those whose codes are in `disabled`) that no waiver covers, sorted."""
    return run_rules(view, disabled)[0]


def run_rules(view: ProjectView, disabled: frozenset[str] = frozenset()) -> tuple[list[Diagnostic],
                                                                                   list[RecordedWaiver]]:
    """The breaches no recorded waiver covers, sorted, and the waivers that set a breach aside."""
    found: set[Diagnostic] = set()
    for item in RULES:
        if item.code not in disabled:
            found.update(item.check(view))
    kept, used = apply_waivers(view, sorted(found))
    return sorted(kept), used
