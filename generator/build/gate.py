"""The last check before a build goes live: the built HTML itself holds no script or address of anyone else's making.

``check`` already refuses unsafe text in every source; this gate reads what mkdocs actually
wrote (every ``.html`` file and ``search/search_index.json``), independently of how the
Markdown got there, and fails the build if it finds:

* an address (``href``, ``src``, ``action``, ``formaction``, ``xlink:href``, ``poster``,
  ``data``, ``srcset``…) whose scheme breaks the URL rule of :mod:`generator.load.urls` (things a
  page loads by itself must be files of the site; the one exception is the theme's inline
  ``data:image/svg+xml`` favicon on ``<link rel="icon">``);
* any ``on…=`` event-handler attribute, any ``srcdoc``, ``javascript:`` (or ``expression(``)
  in CSS, ``<iframe>``, ``<object>``, ``<embed>``, ``<base>``, ``<meta http-equiv="refresh">``
  and SVG animation elements that can set an address;
* a ``<script>`` that is not one of the theme's: scripts loaded from the site's own
  ``assets/javascripts/`` folder, Material's two inline scripts (checked by their text, which
  differs between pages only in the base path) and its JSON configuration block.

It also writes the Content-Security-Policy (see :func:`add_csp`) once the pages pass, so only
the scripts the gate accepted are ever given a hash.
"""

from __future__ import annotations

import _markupbase
import base64
import hashlib
import html
import html.parser
import json
import re
import sys
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from generator.load import urls
from generator.load.diagnostics import Diagnostic
from generator.build.gate_trace import SourceIndex
from generator.load.urls import excerpt, judge, normalise

URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset", "background", "cite",
    "longdesc", "usemap", "ping", "manifest", "codebase", "archive", "classid", "icon", "lowsrc", "dynsrc",
    "profile", "imagesrcset", "itemtype",
})
# Attributes whose address the browser follows only when the reader clicks (a link); all others load by themselves.
_FOLLOWED = {("a", "href"), ("area", "href")}
FORBIDDEN_ELEMENTS = frozenset({
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "animate", "set",
    "animatemotion", "animatetransform", "handler", "listener", "foreignobject",
})
FAVICON_PREFIX = "data:image/svg+xml,"
# Material's inline scripts (base.html and partials/javascripts/content.html), the base path replaced by BASE.
KNOWN_INLINE_SCRIPTS = frozenset({
    '__md_scope=new URL(BASE,location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
    '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
    '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}',
    'var target=document.getElementById(location.hash.slice(1));'
    'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))',
})
# The theme's own inline script on 404.html (theme/404.html, through the site config's extra): the
# page's addresses are relative to the site's root, so when a web server serves it for a missing
# address deep in the site, this points the stylesheets and links at the site's root path, read
# from <meta name="policy-site-root"> (a path on this host only). No <base>: the CSP forbids it.
NOT_FOUND_SCRIPT = (
    '(function(){var m=document.querySelector(\'meta[name="policy-site-root"]\');'
    'if(!m||location.protocol==="file:"||/\\/404\\.html$/.test(location.pathname))return;'
    'var r=m.getAttribute("content");if(!/^\\/(?![\\/\\\\])/.test(r))return;'
    'document.querySelectorAll("link[rel=stylesheet][href],a[href]").forEach(function(e){'
    'var h=e.getAttribute("href");if(h.slice(0,2)==="./")e.setAttribute("href",r+h.slice(2))})})();'
)
KNOWN_INLINE_SCRIPTS = KNOWN_INLINE_SCRIPTS | {NOT_FOUND_SCRIPT}
_BASE_LITERAL = re.compile(r'new URL\("(?:\.|\.\.(?:/\.\.)*|/)",location\)')
# The theme's scripts, and the offline bundle's search index (Material's offline plugin makes it a script);
# './assets/…' is how 404.html, whose addresses are relative to the site's root, names them.
_THEME_SCRIPT = re.compile(r"^(?:\./)?(?:\.\./)*/?(?:assets/javascripts/[A-Za-z0-9_./-]+|search/search_index)\.js$")
_CSS_DANGER = re.compile(r"(?:javascript|vbscript|data)\s*:|expression\s*\(|@import|behavior\s*:|-moz-binding", re.I)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)


@dataclass
class _Finding:
    line: int
    column: int
    message: str
    value: str = ""
    """The text that holds the problem (an attribute's value, a script, the tag): traced to its source line."""


class _PageScanner(HTMLParser):
    """Collects every problem in one HTML document (html.parser is tolerant of any input)."""

    def __init__(self, allow_http: bool = False):
        super().__init__(convert_charrefs=True)
        self.allow_http = allow_http
        self.findings: list[_Finding] = []
        self.inline_scripts: list[str] = []
        self._script: dict | None = None
        self._script_text: list[str] = []
        self._style = False

    def _add(self, message: str, value: str | None = None) -> None:
        line, column = self.getpos()
        if value is None:
            value = self.get_starttag_text() or ""
        self.findings.append(_Finding(line, column + 1, message, value))

    def handle_starttag(self, tag, attrs):
        self._check_tag(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check_tag(tag, attrs)
        if tag == "script":
            self._end_script()

    def _check_tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "") for name, value in attrs}
        if tag in FORBIDDEN_ELEMENTS:
            self._add(f"<{tag}> is not allowed in a page")
        if tag == "meta" and values.get("http-equiv", "").strip().lower() == "refresh":
            self._add(f"<meta http-equiv=\"refresh\" content='{excerpt(values.get('content', ''))}'> is not allowed",
                      values.get("content", ""))
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self._add(f"event handler attribute {name}='{excerpt(value)}' is not allowed", value)
            elif name == "srcdoc":
                self._add(f"srcdoc='{excerpt(value)}' is not allowed", value)
            elif name == "style" and _CSS_DANGER.search(normalise(value)):
                self._add(f"style='{excerpt(value)}' is not allowed", value)
            elif name == "style":
                self._check_css(value)
            elif name in URL_ATTRIBUTES or name.endswith(":href"):
                self._check_address(tag, name, value, values)
        if tag == "script":
            self._script = values
            self._script_text = []
        if tag == "style":
            self._style = True

    def _check_address(self, tag: str, name: str, value: str, values: dict) -> None:
        if name in ("srcset", "imagesrcset"):
            for candidate in value.split(","):
                self._check_address(tag, "src", candidate.strip().split(" ")[0], values)
            return
        if tag == "link" and name == "href" and "icon" in values.get("rel", "").lower().split() \
                and value.startswith(FAVICON_PREFIX):
            return  # the theme's inline favicon (mkdocs.yml): an image, never a script
        # <link rel="canonical"> (MkDocs writes it when school.yml gives the site's address) names
        # the page's own public address; no browser loads it, so it is judged as a link is.
        canonical = tag == "link" and name == "href" and values.get("rel", "").lower().split() == ["canonical"]
        if (tag, name) in _FOLLOWED or canonical:
            reason = judge(value, self.allow_http)
        else:
            reason = judge(value, image=True)
        if tag == "script" and name == "src" and not reason and not _THEME_SCRIPT.match(value):
            reason = "only the theme's scripts (assets/javascripts/) may be loaded"
        if reason:
            self._add(f"<{tag} {name}='{excerpt(value)}'>: {reason}", value)

    def _check_css(self, css: str) -> None:
        for match in _CSS_URL.finditer(css):
            reason = judge(match.group(2), image=True)
            if reason:
                self._add(f"CSS url('{excerpt(match.group(2))}'): {reason}", match.group(2))

    def handle_data(self, data):
        if self._script is not None:
            self._script_text.append(data)
        elif self._style:
            if _CSS_DANGER.search(normalise(data)):
                self._add(f"<style> holds '{excerpt(_CSS_DANGER.search(normalise(data)).group())}'", data)
            self._check_css(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self._end_script()
        if tag == "style":
            self._style = False

    def _end_script(self) -> None:
        attrs, text = self._script or {}, "".join(self._script_text)
        self._script, self._script_text = None, []
        if "src" in attrs:
            if text.strip():
                self._add("a <script> with a src must be empty", text)
            return
        if attrs.get("type") == "application/json" and attrs.get("id") == "__config" and len(attrs) == 2:
            try:
                json.loads(text)
            except ValueError:
                self._add("the theme's configuration block is not JSON")
            return
        if set(attrs) or _BASE_LITERAL.sub("new URL(BASE,location)", text) not in KNOWN_INLINE_SCRIPTS:
            self._add(f"<script> that is not the theme's: '{excerpt(text.strip())}'", text)
            return
        self.inline_scripts.append(text)


def scan_html(text: str, allow_http: bool = False) -> tuple[list[_Finding], list[str]]:
    """Problems in one HTML document, and the (accepted) inline scripts it holds."""
    scanner = _PageScanner(allow_http=allow_http)
    scanner.feed(text)
    scanner.close()
    if scanner._script is not None:
        scanner._end_script()
    return scanner.findings, scanner.inline_scripts


@dataclass
class GateResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    script_hashes: set[str] = field(default_factory=set)
    passed: dict[str, list[str]] = field(default_factory=dict)
    """The pages that passed, by the SHA-256 of their bytes, each with its inline scripts' CSP hashes."""
    entries_passed: set[str] = field(default_factory=set)
    """The search index's field values that passed, by the SHA-256 of their text."""


def gate_version(allow_http: bool) -> str:
    """What a page's result depends on besides its bytes: the gate's code, Python's HTML parser and the option.
    A page that passed under the same version and with the same bytes passes again."""
    digest = hashlib.sha256(f"{sys.version}\0{allow_http}\0".encode())
    for module in (__file__, urls.__file__, html.parser.__file__, _markupbase.__file__, html.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


def check_site(site_dir: Path, display: str, origins: dict[str, tuple[str, str]] | None = None,
               allow_http: bool = False, passed_before: Mapping[str, list[str]] | None = None,
               texts: Mapping[str, str] | None = None, entries_before: Collection[str] | None = None) -> GateResult:
    """Every problem in one built site (``display`` names it in messages, e.g. 'site/parents').

    ``texts``: every source file's text by display path; a finding then names the file and line that wrote
    it ('from decision_trees/x.yml:29'), where one holds its text (:mod:`generator.build.gate_trace`).

    ``passed_before``: the pages that passed an earlier gate of the same :func:`gate_version` (its ``passed``); a
    page with the same bytes is not parsed again (issue 17: most pages of a rebuilt site did not change).
    ``entries_before``: the same for the search index's field values (its ``entries_passed``; issue 30: at 55× the
    index holds thousands of entries, and after one guide's edit all but that guide's are the same).
    """
    result = GateResult()
    passed_before = passed_before or {}
    sources = SourceIndex(texts) if texts else None
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest in passed_before:
            result.passed[digest] = list(passed_before[digest])
            result.script_hashes.update(passed_before[digest])
            continue
        text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")  # as read_text reads
        findings, scripts = scan_html(text, allow_http)
        hashes = sorted({script_hash(script) for script in scripts})
        result.script_hashes.update(hashes)
        if not findings:
            result.passed[digest] = hashes
        own = _source_of(relative, origins or {})
        for finding in findings:
            source = sources.trace(finding.value, own) if sources else own
            result.diagnostics.append(Diagnostic(f"{display}/{relative}", finding.line, finding.column, "E701",
                                                 finding.message + (f" (from {source})" if source else ""),
                                                 hint="the build was stopped before this page went live"))
    index = site_dir / "search" / "search_index.json"
    if index.is_file():
        result.diagnostics.extend(_check_search_index(index, f"{display}/search/search_index.json", allow_http,
                                                      sources, entries_before or frozenset(),
                                                      result.entries_passed))
    return result


def _source_of(relative: str, origins: dict[str, tuple[str, str]]) -> str | None:
    stem = relative.removesuffix("index.html").removesuffix(".html").rstrip("/")
    for candidate in (f"{stem}.md", f"{stem}/index.md" if stem else "index.md"):
        if candidate in origins:
            return origins[candidate][0]
    return None


def _check_search_index(path: Path, display: str, allow_http: bool, sources: SourceIndex | None = None,
                        passed_before: Collection[str] = frozenset(),
                        passed: set[str] | None = None) -> list[Diagnostic]:
    """Material shows the index's titles and text as HTML in search results: they get the same checks."""
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return [Diagnostic(display, 1, 1, "E701", "the search index is not JSON")]
    found = []
    for number, doc in enumerate(index.get("docs", []), start=1):
        where = doc.get("location", "")
        reason = judge(where, image=True)
        if reason:
            found.append(Diagnostic(display, 1, 1, "E701", f"entry {number} location '{excerpt(where)}': {reason}"))
        # Title and text, and any other words an entry carries (tags, a guide's keywords): Material
        # may show any of them, so all are checked alike.
        for key in _shown_fields(doc):
            value = str(doc.get(key, ""))
            digest = hashlib.sha256(value.encode("utf-8")).hexdigest()
            if digest in passed_before:  # the same text passed this gate before: what it finds depends on nothing else
                if passed is not None:
                    passed.add(digest)
                continue
            findings, _ = scan_html(value, allow_http)
            scripts = re.search(r"<\s*script", value, re.I)
            if passed is not None and not findings and not scripts:
                passed.add(digest)
            for finding in findings:
                source = sources.trace(finding.value, None) if sources else None
                found.append(Diagnostic(display, 1, 1, "E701", f"entry {number} ({excerpt(where)}) {key}: "
                                                                 f"{finding.message}"
                                                                 + (f" (from {source})" if source else "")))
            if scripts and not findings:
                found.append(Diagnostic(display, 1, 1, "E701", f"entry {number} ({excerpt(where)}) {key}: <script>"))
    return found


def _shown_fields(doc: dict) -> list[str]:
    """An entry's text fields: every key but its address and boost ("title" and "text" always)."""
    return ["title", "text"] + sorted(key for key in doc if key not in ("title", "text", "location", "boost"))


def script_hash(text: str) -> str:
    """The CSP source expression allowing one inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def csp_policy(hashes: set[str]) -> str:
    """The Content-Security-Policy both sites carry: only this site's files, inline scripts by hash only."""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(sorted(hashes)),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ])


CSP_HEADER_FILE = "csp-header.conf"
"""Written into each built site: the nginx line that sends the same policy as a header (see PUBLISHING.md)."""


def add_csp(site_dir: Path, hashes: set[str]) -> None:
    """Put the policy at the top of every page's <head>, and write the nginx header line beside the pages."""
    policy = csp_policy(hashes)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    for path in sorted(site_dir.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        # Right after the charset (which must stay in the first 1024 bytes), before any script or link.
        head = re.search(r"<meta charset=[^>]*>", text, re.I) or re.search(r"<head[^>]*>", text, re.I)
        if head:
            text = text[:head.end()] + meta + text[head.end():]
            path.write_text(text, encoding="utf-8")
    (site_dir / CSP_HEADER_FILE).write_text(
        "# Generated by `python -m generator build`: include it in the site's nginx location block.\n"
        f"add_header Content-Security-Policy \"{policy}; frame-ancestors 'none'\" always;\n", encoding="utf-8")
