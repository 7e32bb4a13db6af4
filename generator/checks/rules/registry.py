"""The safety rules' registry: each rule's code, name, reason, source and examples, and its check.

Like a linter's rules (ruff: a code, a name, why it matters, an example that fails and one that
passes), so that the authors' guide is generated from the same objects the checker runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from generator.load.diagnostics import Diagnostic, Severity
from generator.checks.rules.walk import Text


@dataclass(frozen=True)
class Rule:
    code: str
    """e.g. 'S201'; stable once published, so authors can look it up."""
    name: str
    """Short kebab-case name, e.g. 'no-copying-images-of-children'."""
    summary: str
    """What the rule checks, in one sentence."""
    why: str
    """The harm it prevents."""
    source: str
    """The statutory guidance (or the agency's own statement) it comes from."""
    failing: str
    """An example that breaks the rule (YAML or Markdown, as an author writes it)."""
    passing: str
    """The same example written safely."""
    check: Callable[..., Iterable[Diagnostic]]
    severity: Severity = Severity.ERROR
    false_alarms: tuple[tuple[str, str], ...] = ()
    """Faithful wordings the rule must leave alone, each (what it shows, the example): statutory procedures
    written as published, which the rule once refused. Placed like `passing` and tested the same way."""
    waivable: bool = True
    """False: a step's `waive:` can never set it aside (immediate danger, images of children, secrecy)."""
    example_language: str = "yaml"
    example_in: str = "tree-step"
    """Where the examples go in a project (so a test can check them): 'tree-step' (a step added to a guide),
    'tree-start' (a guide's first entries), 'group-outcome' (the immediate-danger group's 999 outcome),
    'school-dsl' (the dsl contact in school.yml)."""
    reads: str = "one-guide"
    """What the check reads, so that its findings can be kept (checks/rules_cache.py): 'one-guide' (one guide with
    the shared groups it uses, or one shared group, or one page, and of the school only its nation) or 'project'
    (it looks across guides or at the school's contacts: run again on the whole project every time).
    tests/checks/test_rules_cache.py runs each 'one-guide' rule with the other guides removed and compares."""

    def diagnostic(self, where, message: str, fix: str, offset: int = 0, loc: tuple = ()) -> Diagnostic:
        """A diagnostic for this rule at a Text (with an offset) or a Step (with a loc).

        The hint says how to fix it, then why the rule exists and where it comes from, so an
        author reading one line knows what to do and why it matters.
        """
        hint = f"{fix}. Why: {self.why} [{self.source}]"
        if isinstance(where, Text):
            return where.diagnostic(offset, self.code, message, hint=hint, severity=self.severity)
        return where.diagnostic(loc, self.code, message, hint=hint, severity=self.severity)


def outcome_example(step_id: str, title: str, action: str | tuple[str, ...]) -> str:
    """A guide's outcome doing `action`, then telling the DSL now: the shape most rules' examples share.

    `action` is one line, or a tuple of lines written as a folded block (`>-`), as an author would wrap it.
    """
    if isinstance(action, tuple):
        action = ">-\n" + "\n".join(f"          {line}" for line in action)
    return (f"  - kind: outcome\n    id: {step_id}\n    title: {title}\n    actions:\n"
            f"      - text: {action}\n        who: you\n"
            f"      - text: Tell the DSL now.\n        who: you\n        when: immediately\n    contacts: [dsl]\n"
            f"    related_trees: [dsl-cannot-be-reached]")


RULES: list[Rule] = []
"""Every rule, in code order (filled in as the rule modules are imported)."""


def rule(**fields) -> Callable:
    """Register the decorated function as a rule's check."""

    def register(check: Callable) -> Callable:
        registered = Rule(check=check, **fields)
        RULES.append(registered)
        RULES.sort(key=lambda r: r.code)
        check.rule = registered  # the check's own messages use its rule's code, reason and source
        return check

    return register
