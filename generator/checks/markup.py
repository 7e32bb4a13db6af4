"""What Markdown text (from a data file or a hand-written page) may not contain.

Every construct that could put markup or an address of the author's making on a page is
found here, the way Python-Markdown would find it, and judged by :mod:`generator.load.urls`:

* raw HTML (hand-written pages and data alike: only HTML comments are allowed in pages,
  and only ``<https://…>``-style autolinks anywhere);
* link and image targets: ``[x](target)``, ``![x](target)``, ``[id]: target`` and
  ``<autolinks>``; a target is read up to its closing bracket, across line breaks, because
  Markdown keeps a line break inside ``( )`` and the browser then removes it;
* attribute lists (``{: onclick=… }``, ``{ href=… }``) that would set an HTML attribute;
* snippet includes (``--8<--``), which would copy another file into the page.

Returns :class:`Finding`\\ s with the offset of the problem in the text; the caller turns
them into located diagnostics. Text inside code spans and fenced code blocks is shown,
not run, so it is skipped in hand-written pages (data text is checked whole).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.load.urls import excerpt, judge

LINK_HINT = "links must start with https://, mailto: or tel:, or be a page of this site"


@dataclass(frozen=True)
class Finding:
    offset: int
    message: str
    hint: str | None = None


_TAG = re.compile(r"<[A-Za-z/!?]")
# Python-Markdown's own autolink patterns (anything else in '<…>' is raw HTML to it).
_AUTOLINK = re.compile(r"<((?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>]*)>")
_AUTOMAIL = re.compile(r"<([^<> !]+@[^@<> ]+)>")
_HTML_COMMENT = re.compile(r"<!--(?:-?>|.*?--!?>)", re.S)
# attr_list's own pattern for '{: … }' / '{ … }' (one line), and its tokens.
_ATTRIBUTE_LIST = re.compile(r"\{\:?[ ]*([^\}\n ][^\n]*?)\}")
_ATTRIBUTE_TOKEN = re.compile(r"""[^ =}]+="[^"]*"|[^ =}]+='[^']*'|[^ =}]+=[^ =}]+|[^ =}]+""")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# A fence only after a blank line (or at the start): stricter than Markdown, so that text Markdown would
# not read as code is never skipped here.
_FENCE = re.compile(r"(?:(?<=\n\n)|\A)([ \t]*)(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*\2[`~]*[ \t]*$|\Z)", re.S | re.M)
_CODE_SPAN = re.compile(r"(?<!\\)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_REFERENCE = re.compile(r"\]:")
_INLINE = re.compile(r"\]\(")
_IMAGE_START = re.compile(r"!\[")
_IMAGE_REFERENCE = re.compile(r"!\[[^\]]*\]\s*\[([^\]]*)\]")
_REFERENCE_LABEL = re.compile(r"\[([^\]]*)\]:\s*$")


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group())


def mask_code(text: str) -> str:
    """The text with fenced code blocks, code spans and jinja calls blanked (lines and columns kept)."""
    text = _FENCE.sub(_blank, text)
    text = _CODE_SPAN.sub(_blank, text)
    return _JINJA.sub(_blank, text)


def find_problems(text: str, allow_http: bool = False, page: bool = False) -> list[Finding]:
    """Every unsafe construct in one Markdown text, in order; empty when it is safe."""
    if "<" not in text and "{" not in text and "]" not in text:
        # Every construct found below needs one of these: a tag, an autolink or a snippet ('<'), an
        # attribute list ('{'), a link or reference target (']'). Most data text has none (issue 17).
        return []
    # Data text is never run as a template, so '{{ … }}' in it is text like any other and is checked.
    scanned = mask_code(text) if page else text
    found: list[Finding] = []
    found += _raw_html(scanned, allow_http, page)
    found += _snippets(scanned)
    found += _attribute_lists(scanned)
    found += _targets(scanned, allow_http)
    return sorted(found, key=lambda f: f.offset)


def _raw_html(text: str, allow_http: bool, page: bool) -> list[Finding]:
    found = []
    if page:
        text = _HTML_COMMENT.sub(_blank, text)
    autolinks = {m.start(): m for m in _AUTOLINK.finditer(text)}
    automails = {m.start() for m in _AUTOMAIL.finditer(text)}
    for match in _TAG.finditer(text):
        if match.start() in automails:
            continue  # <name@example.org>: Markdown writes a mailto: link
        auto = autolinks.get(match.start())
        if auto:
            reason = judge(auto.group(1), allow_http)
            if reason:
                found.append(Finding(match.start() + 1, f"{reason} (found '{excerpt(auto.group(1))}')", LINK_HINT))
            continue
        shown = text[match.start():match.start() + 20].split("\n")[0]
        found.append(Finding(match.start(), f"raw HTML is not allowed in text (found '{excerpt(shown)}')",
                             "write plain Markdown: **bold**, *italic*, [link text](https://…)"))
    return found


def _snippets(text: str) -> list[Finding]:
    match = re.search(r"-+8<-+|;+8<;+", text)
    if not match:
        return []
    return [Finding(match.start(), f"'{excerpt(match.group())}' (a snippet include) is not allowed",
                    "write the text out in full")]


def _attribute_lists(text: str) -> list[Finding]:
    found = []
    for match in _ATTRIBUTE_LIST.finditer(text):
        for token in _ATTRIBUTE_TOKEN.findall(match.group(1)):
            if token.startswith((".", "#")) and "=" not in token:
                continue  # a class or id: harmless
            name = token.split("=", 1)[0].strip(":").lower()
            if "=" in token or name.startswith("on") or name in _URL_ATTRIBUTES:
                found.append(Finding(match.start(), f"HTML attributes are not allowed in text (found "
                                                    f"'{excerpt(match.group(), 30)}')",
                                     "remove the {…} part: the site's look is set by its theme"))
                break
    return found


_URL_ATTRIBUTES = {"href", "src", "srcdoc", "action", "formaction", "xlink:href", "style", "poster", "data",
                   "srcset", "background"}


def _closing(text: str, start: int) -> int:
    """Index of the ')' closing a link target that starts at start (nested brackets allowed)."""
    depth = 1
    for index in range(start, len(text)):
        character = text[index]
        if character == "\\":
            continue
        if character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
            if depth == 0:
                return index
    return len(text)


def _image_openers(text: str) -> set[int]:
    """Offsets of the '](' that end an image's alt text (![alt](src)): their targets are loaded, not followed."""
    ends = set()
    for match in _IMAGE_START.finditer(text):
        depth = 0
        for index in range(match.start() + 1, len(text)):
            if text[index] == "[":
                depth += 1
            elif text[index] == "]":
                depth -= 1
                if depth == 0:
                    ends.add(index)
                    break
    return ends


def _targets(text: str, allow_http: bool) -> list[Finding]:
    found = []
    images = _image_openers(text)
    image_labels = {m.group(1).strip().lower() for m in _IMAGE_REFERENCE.finditer(text)}
    for match in _INLINE.finditer(text):
        start = match.end()
        target = text[start:_closing(text, start)]
        _judge_target(found, text, start, target, allow_http, image=match.start() in images)
    for match in _REFERENCE.finditer(text):
        start = match.end()
        label = _REFERENCE_LABEL.search(text[:match.end()])
        image = bool(label) and label.group(1).strip().lower() in image_labels
        end = min([i for i in (text.find("\n\n", start), len(text)) if i >= 0])
        target = text[start:end].lstrip()
        target = re.split(r"[ ]", target, maxsplit=1)[0] if target else target
        _judge_target(found, text, start, target, allow_http, image=image)
    return found


def _judge_target(found: list, text: str, start: int, target: str, allow_http: bool, image: bool) -> None:
    reason = judge(target, allow_http, image=image)
    if reason:
        shown = target.strip()
        offset = start + (len(target) - len(target.lstrip()))
        found.append(Finding(offset, f"{reason} (found '{excerpt(shown)}')", LINK_HINT))


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset in text."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1
