"""Print each policy's document to PDF with WeasyPrint, reusing earlier PDFs whose HTML has not changed.

Why WeasyPrint rather than Chromium's print-to-PDF (measured on the Social Media Policy, both editions):
it implements CSS paged media itself (A4 ``@page``, "Page N of M" and a running footer taken from the title
page with ``string-set``, page breaks around the title and signature pages), needs no browser on the school's
server (only Debian's pango and pip packages), and every resource it would load goes through
``_refuse_fetch``, so a document cannot reach another host. Fonts are the machine's own (fontconfig).
"""

from __future__ import annotations

import hashlib
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


def make_pdfs(documents: dict[str, str], cache_dir: Path) -> dict[str, bytes]:
    """PDF bytes for each document (name -> HTML), printed only when its HTML changed since the last build.

    Cache entries no build asked for this time are removed, so the folder holds one PDF per document.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    made: dict[str, bytes] = {}
    used: set[str] = set()
    for name, html in documents.items():
        key = cache_key(html)
        used.add(f"{key}.pdf")
        cached = cache_dir / f"{key}.pdf"
        if cached.is_file():
            made[name] = cached.read_bytes()
            continue
        data = html_to_pdf(html)
        partial = cached.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(cached)  # never leave a half-written PDF under a valid key
        made[name] = data
    for stale in cache_dir.glob("*.pdf"):
        if stale.name not in used:
            stale.unlink()
    return made


def attach_pdfs(project, rendered: dict, cache_dir: Path, preview_docs: Path | None = None) -> None:
    """Add each policy's PDF to the sites being built: the whole policy on the staff site, the parents'
    clauses on the parents' site (a policy with no clause for parents has no parents' PDF).

    With ``preview_docs`` (the live preview's work folder) nothing is printed: a PDF whose HTML is in
    the cache is used, otherwise the one already in the preview's docs is kept as it is, so saving a
    file never waits for WeasyPrint. Real builds always print what changed.
    """
    from generator.render.document import edition_clauses, policy_document
    from generator.render.paths import policy_pdf_path

    for site, out in rendered.items():
        documents = {policy_pdf_path(policy.id, site): policy_document(project, policy, site)
                     for policy in project.policies
                     if site == "staff" or edition_clauses(project, policy, "parents")}
        if preview_docs is None:
            # One cache folder per site, so building one site never prunes the other's PDFs.
            out.files.update(make_pdfs(documents, cache_dir / site))
            continue
        for path, html in documents.items():
            for candidate in (cache_dir / site / f"{cache_key(html)}.pdf", preview_docs / site / "docs" / path):
                if candidate.is_file():
                    out.files[path] = candidate.read_bytes()
                    break


def pdf_text(path: Path) -> list[str]:
    """Each page's text as a reader sees it, without the running footer (which would otherwise split a
    sentence that runs over a page break). For the checks: faithfulness and what the public site shows."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(path).pages:
        lines = page.extract_text().splitlines()
        pages.append("\n".join(line for line in lines if not _FOOTER_LINE.match(line.strip())))
    return pages
