"""Benchmark (issue 25): import a generated 100-page text PDF. Not a timed test; target under 5 s.

Prints, with WeasyPrint (the project's PDF engine), an A4 document of about 50,000 words made of the real
policy's sentences, shaped like bench/import_docx.py's Word document: numbered sections and sub-sections,
paragraphs, bullet lists with sub-bullets, a table every other sub-section, a cover, and a running footer
('Oak Lane Primary School - Page N'). Then times `python -m generator import` on it in a fresh interpreter
(start-up and imports included), N times, and reports the page count.

    .venv/bin/python bench/import_pdf.py [--repeat 3] [--words 50000]
"""

from __future__ import annotations

import argparse
import html
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from import_docx import seed_sentences  # noqa: E402


def make_pdf(path: Path, words: int) -> dict:
    import weasyprint
    from pypdf import PdfReader

    sentences = [html.escape(s) for s in seed_sentences()]
    parts = ["<html><head><style>body { font-family: sans-serif; font-size: 11pt } @page { size: A4; margin: 2cm;"
             " @bottom-center { content: 'Oak Lane Primary School - Page ' counter(page) } }</style></head><body>",
             "<h1>Safeguarding and Child Protection Policy</h1><p>Date approved: Autumn 2025<br>"
             "Approved by: Governing Body<br>Date for review: Autumn 2026</p>"]
    written, cursor, section = 0, 0, 0

    def text(n: int) -> str:
        nonlocal cursor, written
        chosen = [sentences[(cursor + i) % len(sentences)] for i in range(n)]
        cursor += n
        written += sum(len(s.split()) for s in chosen)
        return " ".join(chosen)

    while written < words:
        section += 1
        parts.append(f"<h2>{section}. Part {section} of the policy</h2>")
        for sub in range(1, 7):
            parts.append(f"<h3>{section}.{sub} Topic {section}.{sub}</h3>")
            parts += [f"<p>{text(2)}</p>" for _ in range(6)]
            parts.append(f"<p>Staff should:</p><ul><li>{text(1)}</li><li>{text(1)}<ul><li>{text(1)}</li></ul></li>"
                         f"<li>{text(1)}</li></ul>")
            if sub % 2:
                rows = "".join("<tr>" + "".join(f"<td>Cell {section}.{sub} {r}-{c}</td>" for c in range(4))
                               + "</tr>" for r in range(4))
                parts.append(f"<table>{rows}</table>")
    parts.append("</body></html>")
    weasyprint.HTML(string="".join(parts)).write_pdf(str(path))
    return {"words": written, "sections": section, "pages": len(PdfReader(str(path)).pages)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--words", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "big-policy.pdf"
        shape = make_pdf(source, args.words)
        project = work / "project"
        project.mkdir()
        shutil.copy(REPO / "school.yml", project / "school.yml")
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run([sys.executable, "-m", "generator", "import", str(source), "--project",
                                   str(project), "--force", "--today", "2026-12-07"],
                                  cwd=REPO, capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return 1
            times.append({"wall_s": round(elapsed, 2), "cpu_s": round(after.ru_utime + after.ru_stime
                                                                       - before.ru_utime - before.ru_stime, 2)})
        result = {"document": {**shape, "pdf_kb": round(source.stat().st_size / 1024)}, "runs": times,
                  "median_wall_s": statistics.median(t["wall_s"] for t in times),
                  "summary": done.stderr.splitlines()[:2]}
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
