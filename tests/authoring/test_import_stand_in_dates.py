"""Review finding (2026-12-07): the import's own stand-in date makes its draft fail `check`.

A cover that gives a review date already past but no approval date (common: a policy overdue for review,
'Approved by: Governing Board' with no date) gets `approved: <today>` as a stand-in, which falls after the
cover's real review date, so `check` refuses the fresh draft with E307 ('review_due ... is before approved'),
an error about a value the author never wrote. The stand-in must not contradict a date the cover gives.
The document and its dates are written here by hand; TODAY is 24 November 2026.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from support import TODAY, WEXHAM
from generator.authoring.importer import import_policy
from generator.load.models.base import due_date

OVERDUE_COVER = """Attendance Policy

Approved by: Governing Board
Review date: September 2026

1. Purpose

Good attendance helps every pupil learn.
"""


def test_a_stand_in_approval_date_is_not_after_the_covers_review_date(tmp_path):
    root = tmp_path / "project"
    (root / "policies").mkdir(parents=True)
    shutil.copy(WEXHAM / "school.yml", root / "school.yml")
    source = tmp_path / "attendance.txt"
    source.write_text(OVERDUE_COVER, encoding="utf-8")
    result = import_policy(source, root, TODAY)
    data = yaml.load(Path(result.path).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert data["review_due"] == "September 2026"  # read off the cover above
    assert "approved" in data["placeholders"]  # the cover gives no approval date
    # E307's own condition (checks/validate.py): a review that falls before the approval is refused
    assert due_date(data["review_due"]) >= due_date(data["approved"]), (
        f"stand-in approved {data['approved']} is after the cover's review date {data['review_due']}: "
        "`check` refuses the fresh draft with E307")
