"""The one rule for every link and image address, from any source and in the built pages.

A browser does not read an address as it is written: it removes tabs and line breaks
anywhere in it, strips leading control characters and spaces, decodes HTML entities
(``&#x6A;``, ``&colon;``, even without their semicolon) and ignores the case of the scheme.
So ``jav<newline>ascript:`` and ``&#106;avascript:`` are both ``javascript:``. The address
is judged only after that normalisation, against an allow-list:

* links: ``https:``, ``mailto:``, ``tel:``, relative paths and ``#anchors``; ``http:`` only
  where school.yml says ``site: allow_http_links: true``;
* images (and anything else the page would load by itself): relative paths only, because
  the sites make no request to another host.

Protocol-relative addresses (``//evil.example``, and ``/\\evil.example``, which browsers read
the same way) go to another host whatever the page's own scheme, so they are refused too.
"""

from __future__ import annotations

import html
import re

LINK_SCHEMES = frozenset({"https", "mailto", "tel"})
"""Schemes a link may use anywhere."""

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_INVISIBLE = re.compile("[\t\n\r]")
_LEADING = "".join(chr(code) for code in range(0x21))  # C0 controls and space
# Markdown's backslash escapes ('\:' -> ':'), undone as Markdown would before the browser sees them.
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# '//host', '\\host', '/\host', '\/host': another host (browsers read '\' as '/' in web addresses).
# '%6Aavascript:': harmless to a browser (a relative path), but only ever written to disguise a scheme.
_ENCODED_SCHEME = re.compile(r"^[A-Za-z0-9+.\-]*%[A-Za-z0-9+.\-%]*:")
_OTHER_HOST = re.compile(r"^[/\\]{2}")


def normalise(url: str) -> str:
    """The address as a browser reads it (entities decoded until nothing changes, which is stricter)."""
    text = url
    for _ in range(8):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    text = _INVISIBLE.sub("", text)
    return text.lstrip(_LEADING).lstrip("<").lstrip(_LEADING)


def scheme_of(url: str) -> str | None:
    """The lower-case scheme of a normalised address, or None for a relative one."""
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


def judge(url: str, allow_http: bool = False, image: bool = False) -> str | None:
    """None when the address is allowed; otherwise why not, in words for an author."""
    text = normalise(url)
    for candidate in dict.fromkeys((text, _MARKDOWN_ESCAPE.sub(r"\1", text))):
        if _OTHER_HOST.match(candidate):
            return "an address starting with '//' (or '\\') goes to another site"
        scheme = scheme_of(candidate)
        if scheme is None:
            if _ENCODED_SCHEME.match(candidate):
                return "a scheme written with %-codes is not allowed (it looks like a disguised link)"
            continue
        if image:
            return f"an image must be a file of this site, not a '{scheme}:' address"
        if scheme in LINK_SCHEMES or (scheme == "http" and allow_http):
            continue
        if scheme == "http":
            return "'http:' links are not allowed (use https://, or set 'allow_http_links: true' under 'site' in school.yml)"
        return f"'{scheme}:' links are not allowed"
    return None


def excerpt(text: str, limit: int = 40) -> str:
    """A short, escaped excerpt of untrusted text for an error message (never the whole input)."""
    short = _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text[:limit])
    return short + ("…" if len(text) > limit else "")


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
