"""What a policy document's cover says: its labelled details ('Review date: October 2026') and its dates.

Read by the importer, to draft a policy's details from its cover, and by `check`, which counts a cover
line as published when the policy's page shows the same details in its own form (pipeline's E354), and
which suggests the date a wrongly written date means (E204). One reading for both, so a cover the
importer understood is one the check accepts.
"""

from __future__ import annotations

import re
from datetime import date

from generator.checks.faithfulness import normalise
from generator.load.models.base import MONTHS

LABELS = {
    "approved": re.compile(r"^(?:date approved(?: by governors)?|approved on|approval date|date of approval|"
                           r"date of last review|(?:date )?last reviewed(?: on)?|"
                           r"(?:date )?reviewed(?: on)?|last review(?: date)?|date ratified|ratified on|"
                           r"date adopted|adopted|date issued|issued|approved)\s*:\s*(.+)$", re.I),
    "approved_by": re.compile(r"^(?:approved by|ratified by|agreed by|adopted by|reviewed by)\s*:?\s*(.+)$", re.I),
    "review_due": re.compile(r"^(?:date for (?:next )?review|review date|next review(?: date)?(?: due)?(?: by)?|"
                             r"review due(?: by)?|date of next review|to be reviewed(?: by)?|due for review|"
                             r"renewal date|review by|review(?=\s*:))\s*:?\s*(.+)$", re.I),
    "owner": re.compile(r"^(?:policy owner|owner|responsible person|policy lead|author|written by|"
                        r"member of staff responsible|staff lead|lead member of staff|responsibility of|"
                        r"policy author)\s*:\s*(.+)$", re.I),
    "review_frequency": re.compile(r"^(?:review frequency|review cycle|frequency of review)\s*:\s*(.+)$", re.I),
    "version": re.compile(r"^(?:version(?: number)?|version no\.?)\s*:?\s*(v?\d+(?:\.\d+)*)$", re.I),
    "period": re.compile(r"^(?:period\s*:?\s*)?((?:19|20)\d{2}\s*[-–/]\s*(?:19|20)?\d{2})$", re.I),
}
"""The cover labels schools use, as one line each ('Next review due by: January 2024'). A new label is added
here and shown by a document in the import corpus (tests/fixtures/import-corpus)."""
_TERM = re.compile(r"^(autumn|spring|summer)(?: term)?\s+((?:19|20)\d{2})$", re.I)
_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})$")
_LONG_DATE = re.compile(r"^(?:[a-z]+day,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?,?\s+((?:19|20)\d{2})$",
                        re.I)
_MONTH_ONLY = re.compile(r"^([a-z]+)\.?,?\s+((?:19|20)\d{2})$", re.I)
_MONTHS = {name: number for number, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), start=1)}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_DASHED = re.compile(r"^([A-Za-z][A-Za-z ]{2,40}?)\s+[-–]\s+")
_THE = re.compile(r"^the\s+", re.I)
_APPROVED_ON = re.compile(r"^(?P<by>.+?)\s*(?::|,|\s[-–]|\son)\s+(?P<on>[^:,]+)$", re.I)


def cover_details(text: str) -> dict[str, str]:
    """The policy details one cover line gives, as written: 'Date approved: 12/03/2024' -> {'approved': '12/03/2024'}.

    'Approved by the Governing Board: 14 October 2025' gives both who approved it and when.
    """
    dashed = _DASHED.sub(r"\1: ", text)  # 'Date Approved - September 2023', as some covers write it
    label = next(((key, m.group(1).strip()) for candidate in (dashed, text)
                  for key, m in ((k, p.match(candidate)) for k, p in LABELS.items()) if m), None)
    if not label:
        return {}
    key, value = label
    if key == "approved_by":
        both = _APPROVED_ON.match(value)
        if both and term_date(both.group("on")):
            return {"approved_by": _THE.sub("", both.group("by").strip()), "approved": both.group("on").strip()}
        # 'Reviewed by: PP&C Committee March 2026': who, then when, with nothing between them.
        words = value.split()
        for size in (4, 3, 2, 1):
            if len(words) > size and term_date(" ".join(words[-size:])):
                return {"approved_by": _THE.sub("", " ".join(words[:-size])), "approved": " ".join(words[-size:])}
        # Pages say "approved … by the Governing Board": the cover's own 'the' would make it "by the the".
        return {key: _THE.sub("", value)}
    return {key: value}


def term_date(text: str) -> str | None:
    """A cover's date as the data format writes it: '12/03/2024' -> '2024-03-12', 'autumn term 2025' -> 'Autumn 2025',
    'Jan 2024' -> 'January 2024'."""
    text = text.strip().rstrip(".")
    term = _TERM.match(text)
    if term:
        return f"{term.group(1).capitalize()} {term.group(2)}"
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    month_only = _MONTH_ONLY.match(text)
    if month_only and month_only.group(1).lower() in _MONTHS:
        # A month is a date in the data format ('January 2024': its last day, as models.base.due_date reads it).
        return f"{MONTHS[_MONTHS[month_only.group(1).lower()] - 1]} {month_only.group(2)}"
    for pattern, order in ((_UK_DATE, "dmy"), (_LONG_DATE, "dMy")):
        match = pattern.match(text)
        if match:
            day, month, year = match.groups()
            month = _MONTHS.get(month.lower()) if order == "dMy" else int(month)
            try:
                return date(int(year), int(month or 0), int(day)).isoformat()
            except ValueError:
                return None
    return None


_MONTH_YEAR = re.compile(r"^([a-z]+)\s+((?:19|20)\d{2})$", re.I)


def cover_line_shown(text: str, policy) -> bool:
    """A cover line ('Review date: 01/09/2027') whose every detail the policy's page shows in its own form.

    The page shows a policy's dates as written in its file ('2027-09-01' or 'Autumn 2027') under its
    own labels, so the cover's words for the same details can never appear there word for word; the
    line is published when each detail it gives is the one the page shows (a cover's 'September 2027'
    is any date of that month).
    """
    details = cover_details(text.strip())
    if not details:
        return False
    for key, written in details.items():
        shown = getattr(policy, key, None)
        if not shown or key in policy.placeholders:
            return False
        if key in ("approved", "review_due"):
            month = _MONTH_YEAR.match(written.strip().rstrip("."))
            month_number = term_date(f"1 {month.group(1)} {month.group(2)}") if month else None
            if term_date(written) != shown and not (month_number and shown.startswith(month_number[:7])):
                return False
        elif _who(written) != _who(shown):
            return False
    return True


def _who(text: str) -> str:
    return normalise(text).strip().removeprefix("the ")
