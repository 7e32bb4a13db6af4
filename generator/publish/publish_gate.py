"""The build's gate, run again by ``publish`` on the copy it is about to make live (issue 23).

``build`` refuses a page holding a script or address of anyone else's making and gives every page a
Content-Security-Policy. Between the build and the publish the folder may have been edited, and its
``build-manifest.json`` rewritten with it; so before the swap ``publish`` reads the copy again, as the build did:

* every HTML page passes the gate (:func:`generator.build.gate.check_site`, the search index included) and carries the
  build's Content-Security-Policy once, unweakened: the policy the gate would write for exactly the inline
  scripts it accepts in this copy, and ``csp-header.conf`` says the same;
* every ``.js`` file is one of the theme's own, byte for byte (mkdocs-material's and this project's theme);
* every ``.svg`` file passes the gate as a page does, with no ``<script>`` at all;
* every ``.json`` file is JSON, and every text in it passes the gate as the search index's texts do.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path

from generator.build.gate import CSP_HEADER_FILE, check_site, csp_policy, scan_html
from generator.build.site_manifest import gate_allows_http

_THEME = Path(__file__).resolve().parent.parent / "theme"
_CSP_META = re.compile(r"<meta\b[^>]*http-equiv\s*=\s*[\"']?content-security-policy", re.I)
_SCRIPT = re.compile(r"<\s*script", re.I)
_INDEX = "search/search_index.json"


def gate_release(folder: Path) -> list[str]:
    """Every problem in a copy of a built site, each as ``path[:line:column]: what``; empty when it may go live."""
    folder = Path(folder)
    result = check_site(folder, "", allow_http=gate_allows_http(folder))
    problems = [f"{d.path.lstrip('/')}:{d.line}:{d.column}: {d.message}" for d in result.diagnostics]
    problems += _csp_problems(folder, csp_policy(result.script_hashes))
    known = _theme_scripts()
    for path in sorted(path for path in folder.rglob("*") if path.is_file()):
        relative = path.relative_to(folder).as_posix()
        if path.suffix == ".js" and hashlib.sha256(path.read_bytes()).hexdigest() not in known:
            problems.append(f"{relative}: not one of the theme's scripts (a script the build did not make)")
        elif path.suffix == ".svg":
            problems += _svg_problems(path, relative)
        elif path.suffix == ".json" and relative != _INDEX:
            problems += _json_problems(path, relative)
    return problems


def _csp_problems(folder: Path, policy: str) -> list[str]:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    problems = []
    for path in sorted(folder.rglob("*.html")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if len(_CSP_META.findall(text)) != 1 or text.count(meta) != 1:
            problems.append(f"{path.relative_to(folder).as_posix()}: its Content-Security-Policy is missing or not "
                            "the build's (every page carries the policy allowing exactly the theme's scripts)")
    header = folder / CSP_HEADER_FILE
    if not header.is_file() or f'"{policy}; frame-ancestors \'none\'"' not in header.read_text(encoding="utf-8"):
        problems.append(f"{CSP_HEADER_FILE}: missing or not the build's Content-Security-Policy")
    return problems


def _svg_problems(path: Path, relative: str) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    findings, _ = scan_html(text)
    problems = [f"{relative}:{finding.line}:{finding.column}: {finding.message}" for finding in findings]
    if _SCRIPT.search(text) and not findings:
        problems.append(f"{relative}: an image holds a <script>")
    return problems


def _json_problems(path: Path, relative: str) -> list[str]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError):
        return [f"{relative}: not JSON (the build writes only JSON there)"]
    problems = []
    for text in _texts(document):
        findings, _ = scan_html(text)
        if findings or _SCRIPT.search(text):
            reason = findings[0].message if findings else "<script>"
            problems.append(f"{relative}: a text holds what the gate refuses: {reason}")
    return problems


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in [key, *_texts(item)]]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


@cache
def _theme_scripts() -> frozenset[str]:
    """SHA-256 of every script a site may hold: mkdocs-material's (as installed) and this project's theme's."""
    import material  # the theme the sites are built with (requirements.txt pins it)

    roots = (Path(material.__file__).resolve().parent / "templates", _THEME)
    return frozenset(hashlib.sha256(path.read_bytes()).hexdigest() for root in roots for path in root.rglob("*.js"))
