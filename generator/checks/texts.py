"""The checks every string of every data file goes through, whatever its field: no markup or live address
of the author's making, no text too long to read, and addresses, emails and phone numbers in their form."""

from __future__ import annotations

import re
from typing import Any, Iterable

from generator.checks.markup import find_problems
from generator.load.diagnostics import Diagnostic
from generator.load.loader import LoadedProject
from generator.load.source import Source
from generator.load.urls import excerpt, hidden_character


MAX_TEXT_CHARS = 20_000
"""The longest text one value of a data file may hold (the longest real clause is about 600 characters)."""


_WEB_ADDRESS = re.compile(r"^https?://[^\s<>\"'(){}\[\]\\^`|]+$")
_EMAIL = re.compile(r"^[^@\s<>()\[\]\"',;:]+@[^@\s<>()\[\]\"',;:]+\.[^@\s<>()\[\]\"',;:]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-.]*$")
_FORMATS = {
    "url": (_WEB_ADDRESS, "is not a web address", "write it in full, starting with https://"),
    "website": (_WEB_ADDRESS, "is not a web address", "write it in full, starting with https://"),
    "staff_url": (_WEB_ADDRESS, "is not a web address", "write it in full, starting with https://"),
    "parents_url": (_WEB_ADDRESS, "is not a web address", "write it in full, starting with https://"),
    "email": (_EMAIL, "is not an email address", "write just the address, e.g. office@example.sch.uk"),
    "phone": (_PHONE, "is not a phone number",
              "use digits, spaces, '+', '-' and brackets only; put opening hours or extensions in 'hours' or 'notes'"),
}


def _strings(data: Any, loc: tuple = ()) -> Iterable[tuple[tuple, str]]:
    """Every string in the data with its key path, in document order (a stack, not nested generators:
    those cost a step per level for every string)."""
    stack = [(loc, data)]
    while stack:
        loc, data = stack.pop()
        if isinstance(data, str):
            yield loc, data
        elif isinstance(data, dict):
            stack.extend((loc + (key,), value) for key, value in reversed(data.items()))
        elif isinstance(data, list):
            stack.extend((loc + (index,), data[index]) for index in range(len(data) - 1, -1, -1))


def _check_text(source: Source, allow_http: bool = False) -> Iterable[Diagnostic]:
    """Refuse anything in any text that would become HTML or a live address of the author's making.

    This runs on every string of every data file, whatever its field, so a new field in a
    model cannot open a way for a <script> or a javascript: link to reach a page. The
    constructs and the URL rule are in generator.checks.markup and generator.load.urls.
    """
    for loc, value in _strings(source.data):
        field = next((part for part in reversed(loc) if isinstance(part, str)), None)
        if len(value) > MAX_TEXT_CHARS:
            # Refused before anything reads it: every later stage costs more per character (issue 23).
            yield source.diagnostic(loc, "E210", f"'{field}' holds {len(value):,} characters; a text is limited to "
                                    f"{MAX_TEXT_CHARS:,}", hint="split it into several clauses, items or steps")
            continue
        problems = find_problems(value, allow_http)
        if problems:
            problem = problems[0]
            line, column = source.position_in_value(loc, value, problem.offset)
            yield Diagnostic(source.display, line, column, "E206", problem.message, hint=problem.hint)
            continue
        if field in _FORMATS and len(loc) >= 1 and loc[-1] == field:
            pattern, what, hint = _FORMATS[field]
            hidden = hidden_character(value)
            if hidden:  # refused as in ids: it shows one address and leads to another
                yield source.diagnostic(loc, "E207", f"'{field}': '{excerpt(value.strip())}' holds {hidden}, an "
                                                     "invisible or direction-changing character",
                                        hint="type the address again by hand")
            elif not pattern.match(value.strip()):
                yield source.diagnostic(loc, "E207", f"'{field}': '{excerpt(value.strip())}' {what}", hint=hint)


def allows_http(loaded: LoadedProject) -> bool:
    """school.yml's 'site: allow_http_links: true' (read before the school file is validated)."""
    data = loaded.school.data if loaded.school else None
    site = data.get("site") if isinstance(data, dict) else None
    value = site.get("allow_http_links") if isinstance(site, dict) else None
    return str(value).lower() in ("true", "yes", "on", "y", "t", "1")  # what the model reads as true
