"""Benchmark (issue 16): import a generated 100-page Word policy. Not a timed test; target under 5 s.

Writes a .docx of about 50,000 words (about 100 pages at 500 words a page: Word's default 11 pt
Calibri, single-spaced, fits 500-550) made of the real policy's sentences: 20 numbered Heading 1
sections of 6 numbered Heading 2 sub-sections, each with 6 paragraphs, a 6-bullet list (with
sub-bullets) and, every other sub-section, a 4x5 table. Then times
`python -m generator import` on it in a fresh interpreter (so start-up and imports count), N times.

    .venv/bin/python bench/import_docx.py [--repeat 3] [--words 50000]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import docx  # noqa: E402

from import_docs import HEADING_NUMBERING, add_heading_numbering, number_paragraph  # noqa: E402

WORDS_PER_PAGE = 500


def seed_sentences() -> list[str]:
    text = (REPO / "policies" / "source" / "social-media-policy.txt").read_text(encoding="utf-8")
    lines = [re.sub(r"^\s*-\s+", "", line).strip() for line in text.splitlines()]
    sentences = [s for line in lines for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", line)
                 if len(s.split()) >= 8 and not s.startswith(("<", "["))]
    return sentences


def make_document(path: Path, words: int) -> dict:
    sentences = seed_sentences()
    document = docx.Document()
    add_heading_numbering(document)
    for line in ("OAK LANE PRIMARY SCHOOL", "Safeguarding and Child Protection Policy", "2025-2026",
                 "Date Approved: Autumn 2025", "Approved By: Governing Body", "Date for Review: Autumn 2026"):
        document.add_paragraph(line)
    written, cursor, counts = 0, 0, {"sections": 0, "paragraphs": 0, "bullets": 0, "tables": 0}

    def text(n: int) -> str:
        nonlocal cursor, written
        chosen = [sentences[(cursor + i) % len(sentences)] for i in range(n)]
        cursor += n
        written += sum(len(s.split()) for s in chosen)
        return " ".join(chosen)

    section = 0
    while written < words:
        section += 1
        number_paragraph(document.add_paragraph(f"Part {section} of the policy", style="Heading 1"),
                         HEADING_NUMBERING, 0)
        counts["sections"] += 1
        for sub in range(1, 7):
            number_paragraph(document.add_paragraph(f"Topic {section}.{sub}", style="Heading 2"), HEADING_NUMBERING, 1)
            counts["sections"] += 1
            for _ in range(6):
                document.add_paragraph(text(2))
                counts["paragraphs"] += 1
            document.add_paragraph("Staff should:")
            for index in range(6):
                document.add_paragraph(text(1), style="List Bullet 2" if index == 3 else "List Bullet")
                counts["bullets"] += 1
            if sub % 2:
                table = document.add_table(rows=4, cols=5)
                for r in range(4):
                    for c in range(5):
                        table.cell(r, c).text = "" if r == c == 0 else f"Cell {section}.{sub} {r}-{c}"
                counts["tables"] += 1
    document.save(str(path))
    counts["words"] = written
    counts["pages_estimated"] = round(written / WORDS_PER_PAGE)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--words", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "big-policy.docx"
        shape = make_document(source, args.words)
        project = work / "project"
        project.mkdir()
        shutil.copy(REPO / "school.yml", project / "school.yml")
        times = []
        for run in range(args.repeat):
            start = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run([sys.executable, "-m", "generator", "import", str(source), "--project",
                                   str(project), "--force", "--today", "2026-11-24"],
                                  cwd=REPO, capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return 1
            times.append({"wall_s": round(elapsed, 2), "cpu_s": round(after.ru_utime + after.ru_stime
                                                                       - before.ru_utime - before.ru_stime, 2)})
        draft = project / "policies" / "safeguarding-and-child-protection.yml"
        result = {"document": {**shape, "docx_kb": round(source.stat().st_size / 1024),
                               "draft_kb": round(draft.stat().st_size / 1024)},
                  "runs": times, "median_wall_s": statistics.median(t["wall_s"] for t in times),
                  "summary": done.stderr.splitlines()[:2]}
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
