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

Markdown strips every Unicode space around a target (U+00A0 and U+3000 too), and a browser
ignores format characters (Unicode category Cf: zero-width spaces, direction marks, the soft
hyphen); so before judging, every space, control and format character is removed, wherever it
is. That is stricter than any browser. An address holding a format character at all is refused,
as ids refuse them: ``https://example.org/\u202egpj.exe`` shows as ``…exe.jpg``, and a zero-width
space makes a host name that looks like another.

Protocol-relative addresses (``//evil.example``, and ``/\\evil.example``, which browsers read
the same way) go to another host whatever the page's own scheme, so they are refused too.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

LINK_SCHEMES = frozenset({"https", "mailto", "tel"})
"""Schemes a link may use anywhere."""

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Markdown's backslash escapes ('\:' -> ':'), undone as Markdown would before the browser sees them.
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# '//host', '\\host', '/\host', '\/host': another host (browsers read '\' as '/' in web addresses).
# '%6Aavascript:': harmless to a browser (a relative path), but only ever written to disguise a scheme.
_ENCODED_SCHEME = re.compile(r"^[A-Za-z0-9+.\-]*%[A-Za-z0-9+.\-%]*:")
_OTHER_HOST = re.compile(r"^[/\\]{2}")


def normalise(url: str) -> str:
    """The address as a browser reads it (entities decoded until nothing changes, which is stricter)."""
    text = _decoded(url)
    # Every space (any Unicode one), control and format character, wherever it is: Markdown strips
    # spaces around a target, browsers drop tabs and line breaks inside it and ignore format characters.
    text = "".join(character for character in text if not _ignored(character))
    return text.lstrip("<")


def _decoded(url: str) -> str:
    """Entities decoded until nothing changes ('&amp;#106;' -> '&#106;' -> 'j'), at most 8 times."""
    text = url
    for _ in range(8):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def _ignored(character: str) -> bool:
    return character.isspace() or unicodedata.category(character) in ("Cc", "Cf")


def hidden_character(url: str) -> str | None:
    """'U+202E RIGHT-TO-LEFT OVERRIDE' for the first format character (bidi, zero-width…) in an address."""
    for character in _decoded(url):
        if unicodedata.category(character) == "Cf":
            return f"U+{ord(character):04X} {unicodedata.name(character, 'an unnamed character')}"
    return None


def scheme_of(url: str) -> str | None:
    """The lower-case scheme of a normalised address, or None for a relative one."""
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


@functools.lru_cache(maxsize=1 << 16)
def judge(url: str, allow_http: bool = False, image: bool = False) -> str | None:
    """None when the address is allowed; otherwise why not, in words for an author.

    Kept per address (a pure function of its arguments): the gate asks it of every link of every built page, and
    most are the same few thousand (the menu, the footer, the theme's assets on every page). At 10x that was a
    sixth of the build's own CPU (issue 30)."""
    hidden = hidden_character(url)
    if hidden:
        return f"an address may not hold an invisible or direction-changing character ({hidden})"
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
