"""Warnings, not errors: placeholders still in a policy, policies overdue or soon due for review, and guides
not reviewed for over a year."""

from __future__ import annotations

from datetime import timedelta

from generator.load.diagnostics import Diagnostic, Severity
from generator.load.source import Source
from generator.load.models import DecisionTree, Policy
from generator.load.models.base import due_date
from generator.load.project import Project


REVIEW_WARNING_DAYS = 60


TREE_REVIEW_DAYS = 365


def _warn_reviews(project: Project, policies: list[tuple[Source, Policy]], trees: list[tuple[Source, DecisionTree]],
                  diagnostics: list[Diagnostic]) -> None:
    for source, policy in policies:
        for name in dict.fromkeys(policy.placeholders):
            diagnostics.append(source.diagnostic((name,) if name in source.data else ("placeholders",), "W505",
                                                 f"'{name}' is a placeholder: the site shows it as 'to be confirmed'",
                                                 severity=Severity.WARNING,
                                                 hint=f"put the real value in '{name}', then remove '{name}' "
                                                      "from 'placeholders'"))
        due = due_date(policy.review_due)
        if due < project.today:
            diagnostics.append(source.diagnostic(("review_due",), "W501",
                                                 f"review was due {policy.review_due}: the site shows it as overdue",
                                                 severity=Severity.WARNING))
        elif due - project.today <= timedelta(days=REVIEW_WARNING_DAYS):
            diagnostics.append(source.diagnostic(("review_due",), "W502",
                                                 f"review is due {policy.review_due}, within {REVIEW_WARNING_DAYS} days",
                                                 severity=Severity.WARNING))
    for source, tree in trees:
        if project.today - tree.last_reviewed > timedelta(days=TREE_REVIEW_DAYS):
            diagnostics.append(source.diagnostic(("last_reviewed",), "W503",
                                                 f"tree last reviewed {tree.last_reviewed}, over a year ago",
                                                 severity=Severity.WARNING))
