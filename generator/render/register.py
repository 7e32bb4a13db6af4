"""The staff site's policy register (``policies/index.md``): every policy by its review date, the review
status of each, and the calendar file of those dates beside it."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from generator.load.models import Policy
from generator.load.models.base import due_date
from generator.render.ical import review_calendar
from generator.render.paths import policy_pdf_path

if TYPE_CHECKING:
    from generator.render.renderer import RenderedSite

REVIEW_SOON_DAYS = 60
REVIEW_CALENDAR = "policies/review-dates.ics"
"""The iCalendar file of review dates on the staff site, next to the register."""


@dataclass(frozen=True)
class ReviewStatus:
    overdue: bool
    due_soon: bool
    status_text: str
    today_text: str


def review_status(policy: Policy, today: date) -> ReviewStatus:
    due = due_date(policy.review_due)
    overdue = due < today
    due_soon = not overdue and due - today <= timedelta(days=REVIEW_SOON_DAYS)
    text = "Overdue" if overdue else (f"Due within {REVIEW_SOON_DAYS} days" if due_soon else "In date")
    return ReviewStatus(overdue, due_soon, text, f"{today.day} {today:%B %Y}")


class RegisterPage:
    """The register and its calendar, for the site renderer (``renderer._SiteRenderer``) it is a part of."""

    def _render_register(self, out: RenderedSite) -> None:
        project = self.project
        register, unpublished = [], {}
        for policy in project.policies:
            review = review_status(policy, project.today)
            register.append({"policy": policy, "status_text": review.status_text, "review": review,
                             "pdf": posixpath.relpath(policy_pdf_path(policy.id, "staff"), "policies")})
            for related in policy.related_policies:
                if related.id is None:
                    unpublished.setdefault(related.title, []).append(policy.title)
        staff_url = project.school.site.staff_url
        register_url = staff_url.rstrip("/") + "/policies/" if staff_url else None
        out.files[REVIEW_CALENDAR] = review_calendar(project, register_url).encode("utf-8")
        # Soonest review first: what needs the governors' attention is at the top.
        register.sort(key=lambda row: (due_date(row["policy"].review_due), row["policy"].title))
        out.docs["policies/index.md"] = self._render("staff/register.md.j2", "policies/index.md", register=register,
                                                     unpublished=sorted(unpublished.items()),
                                                     calendar=REVIEW_CALENDAR, soon_days=REVIEW_SOON_DAYS)
