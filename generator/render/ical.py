"""The policies' review dates as an iCalendar file (RFC 5545) that the school business manager can subscribe to.

Written by hand rather than with a library: the format needed is small (one all-day event per policy), and
the output must be byte-for-byte the same for the same data and day, so the site does not change between
builds. The tests parse it with the ``icalendar`` package.
"""

from __future__ import annotations

from datetime import timedelta

from generator.load.models.base import due_date
from generator.load.project import Project

_MAX_OCTETS = 75


def _escape(text: str) -> str:
    """TEXT values: backslash, semicolon, comma and line breaks escaped (RFC 5545 3.3.11)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets folded with CRLF and a space, never inside a UTF-8 character (3.1)."""
    parts, current, size, limit = [], "", 0, _MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, _MAX_OCTETS - 1  # continuation lines start with a space
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def review_calendar(project: Project, register_url: str | None = None) -> str:
    """One all-day event per policy on its review date. UIDs depend only on the school, policy and date,
    so a subscribed calendar updates an event rather than adding a copy; DTSTAMP is the build's 'today'."""
    school = project.school
    stamp = f"{project.today:%Y%m%d}T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{_escape(school.name)}//Policy review dates//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(school.name + ': policy reviews')}",
    ]
    # A review date that is still a stand-in ('placeholders') would be a reminder on a made-up day.
    dated = [policy for policy in project.policies if "review_due" not in policy.placeholders]
    for policy in sorted(dated, key=lambda p: (due_date(p.review_due), p.id)):
        due = due_date(policy.review_due)
        approval = ("" if {"approved", "approved_by"} & set(policy.placeholders)
                    else f" (approved {policy.approved} by {policy.approved_by})")
        owner = "to be confirmed" if "owner" in policy.placeholders else policy.owner
        description = f"The {policy.title}{approval} is due for review by {policy.review_due}. Owner: {owner}."
        if register_url:
            description += f" Policy register: {register_url}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:policy-review-{policy.id}-{due:%Y%m%d}@{school.id}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{due + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape('Policy review due: ' + policy.title)}",
            f"DESCRIPTION:{_escape(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
