"""Issue 2 acceptance: a school's data builds into two faithful, leak-free, self-contained sites.

Tests that expect Wexham's own content (its approved social media policy, its overdue review, its reviewed public
list, its hand-written pages) run on the example school tests/fixtures/wexham (``wexham_sites``), so a fork with
another school at the root keeps them; the rest are gates on whatever school is at the root (``real_sites``)."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from support import REPO, TODAY, WEXHAM, run_generator
from generator.checks.faithfulness import missing_sentences, normalise, source_sentences
from generator.build.leaks import find_leaks
from generator.load.models import PublicList

SEED = WEXHAM / "policies" / "source" / "social-media-policy.txt"


class _Text(HTMLParser):
    """Visible text of a page (scripts and styles dropped)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.parts)


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_both_sites_build_strictly(real_sites: Path):
    for name in ("staff", "parents"):
        assert (real_sites / name / "index.html").is_file()
        assert (real_sites / name / "404.html").is_file()
        assert (real_sites / name / "search" / "search_index.json").is_file()
        version = json.loads((real_sites / name / "version.json").read_text())
        assert version["validated"] is True and version["site"] == name


def test_staff_site_contains_every_sentence_of_the_seed(wexham_sites: Path, wexham_project):
    """The built pages (not only the data) hold every approved sentence, or its recorded deviation."""
    corpus = "\n".join(page_text(page) for page in html_pages(wexham_sites / "staff"))
    sentences = source_sentences(SEED.read_text(encoding="utf-8"))
    deviations = [(d.original, d.published) for d in wexham_project.policies_by_id["social-media"].deviations]
    missing = [s.text for s in missing_sentences(sentences, corpus, deviations)]
    print(f"\nfaithfulness: {len(sentences) - len(missing)}/{len(sentences)} seed sentences found in the "
          f"staff site; missing: {missing}")
    assert len(sentences) > 120, "the seed should split into well over 120 sentences"
    assert not missing, f"sentences of the approved policy not on the staff site: {missing}"


def test_the_parents_site_shows_only_what_was_reviewed(wexham_sites: Path, wexham_project):
    """Judged by the committed, reviewed list (published-to-parents.yml), not by the audiences it checks."""
    reviewed = PublicList.model_validate(yaml.safe_load((WEXHAM / "published-to-parents.yml").read_text("utf-8")))
    parents = wexham_sites / "parents"
    assert find_leaks(wexham_project, reviewed, parents) == []
    raw = "\n".join(p.read_text(encoding="utf-8") for p in parents.rglob("*.html"))
    anchored = {citation for citation, ref in wexham_project.clauses.items() if f'id="{ref.clause.id}"' in raw}
    assert anchored == set(reviewed.clauses)
    # and the reviewed clauses are there, so the check above is not vacuous
    assert len(reviewed.clauses) >= 6
    policy = normalise(page_text(parents / "policies" / "social-media" / "index.html"))
    for citation in reviewed.clauses:
        assert normalise(wexham_project.clauses[citation].clause.text or "") in policy


def test_every_clause_has_one_anchor_and_a_visible_link(real_sites: Path, real_project):
    pages = {p: p.read_text(encoding="utf-8") for p in (real_sites / "staff" / "policies").rglob("*.html")}
    ids = [ref.clause.id for ref in real_project.clauses.values()]
    assert len(ids) == len(set(ids))
    for ref in real_project.clauses.values():
        holders = [p for p, body in pages.items() if f'id="{ref.clause.id}"' in body]
        assert len(holders) == 1, f"{ref.citation} anchored in {holders}"
        assert f'href="#{ref.clause.id}"' in pages[holders[0]], f"{ref.citation} has no link to itself"


def test_clause_ids_are_stable(real_project):
    """Published clause ids are used in links and citations: renaming one must be a reviewed change."""
    snapshot = REPO / "checks" / "clause-ids.txt"
    current = sorted(real_project.clauses)
    published = [line for line in snapshot.read_text().splitlines() if line and not line.startswith("#")]
    removed = sorted(set(published) - set(current))
    assert not removed, (f"published clause ids disappeared: {removed}. Keep ids stable; if the change is "
                         f"intended, update {snapshot.relative_to(REPO)}")
    assert set(current) - set(published) == set(), f"new clause ids: add them to {snapshot.relative_to(REPO)}"


@pytest.mark.parametrize("site", ["staff", "parents"])
def test_every_page_has_exactly_one_h1(real_sites: Path, site: str):
    for page in html_pages(real_sites / site):
        count = len(re.findall(r"<h1[\s>]", page.read_text(encoding="utf-8")))
        assert count == 1, f"{page.relative_to(real_sites)} has {count} <h1>"


_EXTERNAL = [
    re.compile(r"""\bsrc\s*=\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"""@import\s+["']?\s*(?:https?:)?//""", re.I),
]


@pytest.mark.parametrize("site", ["staff", "parents"])
def test_no_page_or_stylesheet_loads_from_another_host(real_sites: Path, site: str):
    files = [p for p in (real_sites / site).rglob("*") if p.suffix in (".html", ".css")]
    assert files
    for path in files:
        body = path.read_text(encoding="utf-8")
        for pattern in _EXTERNAL:
            match = pattern.search(body)
            assert not match, f"{path.relative_to(real_sites)} loads from another host: {body[match.start():match.start() + 80]}"


def test_overdue_banner_depends_on_the_date(tmp_path):
    from datetime import date

    from generator.pipeline import render

    overdue = render(WEXHAM, TODAY).rendered["staff"].docs
    in_date = render(WEXHAM, date(2024, 6, 1)).rendered["staff"].docs
    section_pages = [path for path in overdue if path.startswith("policies/social-media/")]
    assert len(section_pages) > 2
    for path in section_pages:
        assert '!!! warning "Review overdue"' in overdue[path], path
        assert "Review overdue" not in in_date[path], path
    register = overdue["policies/index.md"]
    assert "| Overdue |" in register and "| Overdue |" not in in_date["policies/index.md"]


def test_overdue_banner_is_on_the_built_pages(wexham_sites: Path):
    page = (wexham_sites / "staff" / "policies" / "social-media" / "responding-to-misuse" / "index.html").read_text()
    assert "Review overdue" in page and "Autumn 2024" in page


def test_broken_hand_written_link_fails_the_build_with_its_line(tmp_path):
    import shutil

    project = tmp_path / "project"
    project.mkdir()
    for name in ("school.yml", "glossary.yml", "sources.yml", "policies", "decision_trees", "docs"):
        source = WEXHAM / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    page = project / "docs" / "parents" / "report-a-concern.md"
    page.write_text(page.read_text() + "\nSee [the missing page](missing.md).\n")
    result = run_generator("build", "--project", str(project), "--today", TODAY.isoformat())
    assert result.returncode == 1
    line = len(page.read_text().splitlines())
    assert f"docs/parents/report-a-concern.md:{line}:" in result.stderr
    assert "missing.md" in result.stderr
    assert not (project / "site" / "parents").exists()
