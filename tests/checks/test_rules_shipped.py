"""The shipped school's data (Wexham Court) passes every safeguarding rule.

This fails until the content corrections of issue 12 land (the integrator lands it with them): run it
to list what the data still breaks, one `path:line:column: CODE message` line each.
"""

from __future__ import annotations

import dataclasses

from generator.load.loader import load_project
from generator.checks.rules import check_rules
from generator.checks.validate import rules_view
from support import REPO


def test_the_shipped_data_passes_every_safeguarding_rule():
    loaded = load_project(REPO)
    assert not [d for d in loaded.diagnostics if d.is_error]
    breaches = [str(dataclasses.replace(d, hint=None)) for d in check_rules(rules_view(loaded)) if d.is_error]
    assert breaches == [], "the shipped data breaks safety rules:\n" + "\n".join(breaches)
