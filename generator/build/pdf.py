"""Print each policy's document to PDF with WeasyPrint, reusing earlier PDFs whose HTML has not changed.

Why WeasyPrint rather than Chromium's print-to-PDF (measured on the Social Media Policy, both editions):
it implements CSS paged media itself (A4 ``@page``, "Page N of M" and a running footer taken from the title
page with ``string-set``, page breaks around the title and signature pages), needs no browser on the school's
server (only Debian's pango and pip packages), and every resource it would load goes through
``_refuse_fetch``, so a document cannot reach another host. Fonts are the machine's own (fontconfig).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

# The running footer print.css puts on every page but the first: "School — Title" and "Page N of M".
_FOOTER_LINE = re.compile(r"^(?:.* — .*?)?\s*Page \d+ of \d+$")

CACHE_DIR = "pdf-cache"
"""Folder inside the build's work folder where PDFs are kept by the hash of their HTML."""


@dataclass
class FetchLog:
    """Every URL the PDF renderer asked for (all refused): the tests check it stays empty for real data."""

    refused: list[str]


@functools.cache
def _engine_version() -> str:
    return metadata.version("weasyprint")


def cache_key(html: str) -> str:
    """The same HTML printed by the same WeasyPrint gives the same PDF: key the cache on both."""
    return hashlib.sha256(f"weasyprint {_engine_version()}\n{html}".encode("utf-8")).hexdigest()


def html_to_pdf(html: str, log: FetchLog | None = None) -> bytes:
    """One HTML document as PDF bytes, with every outside resource refused."""
    import weasyprint  # imported only when a PDF has to be made: a warm rebuild never pays for it

    log = log if log is not None else FetchLog([])

    def _refuse_fetch(url: str, *args, **kwargs):
        log.refused.append(url)
        raise ValueError(f"the policy PDF loads nothing from outside the document (refused {url})")

    return weasyprint.HTML(string=html, url_fetcher=_refuse_fetch, base_url=None).write_pdf()


def make_pdfs(documents: dict[str, str], cache_dir: Path, kept: dict[str, str] | None = None) -> dict[str, bytes]:
    """PDF bytes for each document (name -> HTML): :func:`print_pdfs`, read."""
    return {name: path.read_bytes() for name, path in print_pdfs(documents, cache_dir, kept).items()}


def print_pdfs(documents: dict[str, str], cache_dir: Path, kept: dict[str, str] | None = None) -> dict[str, Path]:
    """The PDF of each document (name -> HTML) in ``cache_dir``, printed only when its HTML changed since the last
    build. ``kept``: documents whose HTML was not rendered again, by the hash of that HTML (their PDF is in the
    folder). Paths, not bytes: a 55x project's PDFs are tens of megabytes, and the build reads each once.

    Cache entries no build asked for this time are removed, so the folder holds one PDF per document.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    made: dict[str, Path] = {}
    for name, html_hash in (kept or {}).items():
        made[name] = cache_dir / f"{html_hash}.pdf"
    for name, html in documents.items():
        cached = cache_dir / f"{cache_key(html)}.pdf"
        if not cached.is_file():
            partial = cached.with_suffix(".part")
            partial.write_bytes(html_to_pdf(html))
            partial.replace(cached)  # never leave a half-written PDF under a valid key
        made[name] = cached
    used = {path.name for path in made.values()}
    for stale in cache_dir.glob("*.pdf"):
        if stale.name not in used:
            stale.unlink()
    return made


def document_key(project, policy, edition: str) -> str:
    """Everything a policy's printable document reads (``render/document.policy_document``), as one key: the policy
    (its model: every section, clause, note and detail), the edition, the school (the title page and cover), the
    date (the review status), the glossary, the templates, the tool's code and WeasyPrint's version (the PDF's name
    holds it). The same key gives the same HTML, so the PDF kept under that HTML's hash is found without rendering
    the HTML again (issue 30)."""
    from generator.load.file_cache import key_of
    from generator.render.guide_cache import TEMPLATES_VERSION

    return key_of("policy-document", _engine_version(), TEMPLATES_VERSION, edition, project.today.isoformat(),
                  project.school.model_dump_json(), project.glossary.model_dump_json(), policy.model_dump_json())


KEYS_FILE = "documents.json"
"""In each site's PDF cache folder: each document key's HTML hash (the name of its PDF), from the last build."""


def _read_keys(folder: Path) -> dict[str, str]:
    try:
        keys = json.loads((folder / KEYS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # absent, unreadable or half-written: every document is rendered again
        return {}
    return keys if isinstance(keys, dict) else {}


def _write_keys(folder: Path, keys: dict[str, str]) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{KEYS_FILE}.part"
        partial.write_text(json.dumps(keys, sort_keys=True), encoding="utf-8")
        partial.replace(folder / KEYS_FILE)
    except OSError:
        pass  # a read-only work folder: the next build renders the documents again


def attach_pdfs(project, rendered: dict, cache_dir: Path, preview_docs: Path | None = None) -> None:
    """Add each policy's PDF to the sites being built: the whole policy on the staff site, the parents'
    clauses on the parents' site (a policy with no clause for parents has no parents' PDF).

    A policy's document HTML is rendered only when its :func:`document_key` has no PDF kept under it; real builds
    then print what changed (kept by the HTML's hash, ``make_pdfs``). With ``preview_docs`` (the live preview's work
    folder) nothing is printed: a PDF whose HTML is in the cache is used, otherwise the one already in the preview's
    docs is kept as it is, so saving a file never waits for WeasyPrint.
    """
    from generator.render.document import edition_clauses, policy_document
    from generator.render.paths import policy_pdf_path

    for site, out in rendered.items():
        folder = cache_dir / site  # one cache folder per site, so building one site never prunes the other's PDFs
        known, keys = _read_keys(folder), {}
        paths, documents, kept = [], {}, {}
        for policy in project.policies:
            if site != "staff" and not edition_clauses(project, policy, "parents"):
                continue
            path, key = policy_pdf_path(policy.id, site), document_key(project, policy, site)
            paths.append(path)
            html_hash = known.get(key)
            # The preview prints nothing, so knowing the HTML's hash is enough; a build needs its PDF there.
            if html_hash is not None and (preview_docs is not None or (folder / f"{html_hash}.pdf").is_file()):
                kept[path] = keys[key] = html_hash
                continue
            documents[path] = policy_document(project, policy, site)
            keys[key] = cache_key(documents[path])
        if preview_docs is None:
            made = print_pdfs(documents, folder, kept)  # paths: read when the sources are written
        else:
            made = {}
            hashes = {**kept, **{path: cache_key(html) for path, html in documents.items()}}
            for path, html_hash in hashes.items():
                for candidate in (folder / f"{html_hash}.pdf", preview_docs / site / "docs" / path):
                    if candidate.is_file():
                        made[path] = candidate.read_bytes()
                        break
        out.files.update({path: made[path] for path in paths if path in made})  # in the policies' order
        if keys != known:
            _write_keys(folder, keys)


def pdf_text(path: Path) -> list[str]:
    """Each page's text as a reader sees it, without the running footer (which would otherwise split a
    sentence that runs over a page break). For the checks: faithfulness and what the public site shows."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(path).pages:
        lines = page.extract_text().splitlines()
        pages.append("\n".join(line for line in lines if not _FOOTER_LINE.match(line.strip())))
    return pages
