"""The policies' PDFs found by what their document reads (issue 30, build/pdf.py's ``document_key``): a policy whose
document inputs are unchanged gets its kept PDF without its HTML being rendered, in the live preview and in
`generator build`; after every kind of edit the PDFs attached are those of the document as it reads now.

A property-style test: a seeded random walk of edits on a copy of the Wexham example school with a second policy (a
clause of one policy reworded; a policy's title; the school's name; its vision; a glossary term; the date moved on,
which changes the review status on the title page; everything put back), and after EVERY edit the PDFs that
``attach_pdfs`` gives, with the work folder kept from save to save, compared with the document rendered afresh.
WeasyPrint is stood in for by a printer whose "PDF" is the HTML's bytes, so a stale PDF is a stale document.

Bugs it exists to catch, each planted once and seen red: the key without the school (the title page kept the old
name), without the date (the review line kept the old date), without the policy (a reworded clause kept its old
words); the lookup trusting a hash whose PDF is gone (a build attached nothing).
"""

from __future__ import annotations

import random
import re
import shutil
from datetime import timedelta

import pytest

from support import TODAY, WEXHAM

from generator import pipeline
from generator.build import pdf
from generator.load.file_cache import ResultCache
from generator.render import document
from generator.render.renderer import RenderedSite

EDITS = 12
SEED = 30
SECOND = "policies/screens.yml"


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "school"
    shutil.copytree(WEXHAM, root, ignore=shutil.ignore_patterns("site", "build", "docs"))
    text = (root / "policies" / "social-media.yml").read_text(encoding="utf-8")
    (root / SECOND).write_text(text.replace("id: social-media\ntitle: Social Media Policy",
                                            "id: screens\ntitle: Screens Policy", 1), encoding="utf-8")
    return root


@pytest.fixture
def printer(monkeypatch):
    """WeasyPrint stood in for: the "PDF" is the HTML, so each attached file names the document it was made from."""
    printed = []

    def print_html(html, log=None):
        printed.append(html)
        return html.encode("utf-8")
    monkeypatch.setattr(pdf, "html_to_pdf", print_html)
    return printed


@pytest.fixture
def rendered_documents(monkeypatch):
    """How many documents' HTML was rendered (the work the keyed lookup saves)."""
    calls = []
    real = document.policy_document

    def counted(project, policy, edition):
        calls.append((policy.id, edition))
        return real(project, policy, edition)
    monkeypatch.setattr(document, "policy_document", counted)
    return calls


class Author:
    def __init__(self, root, rng):
        self.root, self.rng, self.count = root, rng, 0
        self.files = {path: path.read_text(encoding="utf-8") for path in root.rglob("*.yml")}
        self.today = TODAY
        self.kinds = [self.reword_a_clause, self.retitle_a_policy, self.rename_the_school, self.reword_the_vision,
                      self.reword_a_glossary_term, self.move_the_date, self.put_everything_back]
        self.first = self.rng.sample(self.kinds, len(self.kinds))

    def _replace(self, relative, old, new):
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is no longer in {relative}: the fixture changed, update this test"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def reword_a_clause(self):
        path = self.root / self.rng.choice(["policies/social-media.yml", SECOND])
        text = path.read_text(encoding="utf-8")
        reworded = re.sub(r"all who work on the school\n( *)site[^.]*\.", rf"all who work on the school\n\1site ({self.count}).", text)
        assert reworded != text, "the clause who-policy-applies-to changed: update this test"
        path.write_text(reworded, encoding="utf-8")
        return "clause"

    def retitle_a_policy(self):
        self._replace(SECOND, "title: Screens Policy", f"title: Screens Policy {self.count}")
        return "title"

    def rename_the_school(self):
        self._replace("school.yml", "name: Wexham Court Primary School", f"name: Wexham Court Primary School {self.count}")
        return "school"

    def reword_the_vision(self):
        self._replace("school.yml", "vision: Preparing every child", f"vision: ({self.count}) Preparing every child")
        return "vision"

    def reword_a_glossary_term(self):
        self._replace("glossary.yml", "expansion: Designated Safeguarding Lead",
                      f"expansion: Designated Safeguarding Lead {self.count}")
        return "glossary"

    def move_the_date(self):
        self.today = self.today + timedelta(days=self.rng.choice([1, 400]))
        return "date"

    def put_everything_back(self):
        for path, text in self.files.items():
            if path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
        self.today = TODAY
        return "everything"

    def edit(self):
        self.count += 1
        return (self.first.pop() if self.first else self.rng.choice(self.kinds))()


def _sites():
    return {name: RenderedSite(name) for name in ("staff", "parents")}


def _expected(project):
    """Each PDF as the document reads now, rendered afresh (the stand-in printer's "PDF" is the HTML)."""
    wanted = {}
    for site in ("staff", "parents"):
        for policy in project.policies:
            if site == "staff" or document.edition_clauses(project, policy, "parents"):
                name = policy.id if site == "staff" else f"{policy.id}-for-parents"  # as README.md names them
                wanted[(site, f"policies/{policy.id}/{name}.pdf")] = \
                    document.policy_document(project, policy, site).encode("utf-8")
    return wanted


def _attached(sites):
    return {(name, path): data for name, site in sites.items() for path, data in site.files.items()}


def test_the_pdfs_found_by_their_inputs_are_those_of_the_document_as_it_reads_after_every_edit(
        project, tmp_path, printer, rendered_documents):
    author = Author(project, random.Random(SEED))
    checks, cache_dir = ResultCache(), tmp_path / "work" / pdf.CACHE_DIR
    seen = set()
    for step in range(EDITS + 1):
        what = "no edit" if step == 0 else author.edit()
        seen.add(what)
        checked = pipeline.check(project, author.today, checks)
        assert checked.ok, f"edit {step} ({what}) made the project invalid: the walk should not"
        wanted = _expected(checked.project)
        # The live preview first (it prints nothing: a PDF of the document as it reads now, or none), then a build.
        preview = _sites()
        pdf.attach_pdfs(checked.project, preview, cache_dir, tmp_path / "work")
        for (site, path), data in _attached(preview).items():
            assert data == wanted[(site, path)], f"after edit {step} ({what}) the preview showed a stale {path}"
        built = _sites()
        pdf.attach_pdfs(checked.project, built, cache_dir)
        attached = _attached(built)
        assert sorted(attached) == sorted(wanted), f"after edit {step} ({what})"
        stale = [path for path in wanted if attached[path] != wanted[path]]
        assert not stale, f"after edit {step} ({what}) these PDFs are stale: {stale}"
    assert seen >= {"clause", "title", "school", "vision", "glossary", "date", "everything"}, sorted(seen)


def test_an_unchanged_policy_is_found_without_rendering_its_document(project, tmp_path, printer, rendered_documents):
    """What the key is for: a second build, and a preview after it, render no document; rewording one clause of one
    policy renders that policy's documents only (its staff and parents' editions) and prints the one that changed."""
    checks, cache_dir = ResultCache(), tmp_path / "work" / pdf.CACHE_DIR
    project_now = pipeline.check(project, TODAY, checks).project
    pdf.attach_pdfs(project_now, _sites(), cache_dir)
    assert sorted(rendered_documents) == [("screens", "parents"), ("screens", "staff"),
                                          ("social-media", "parents"), ("social-media", "staff")]
    rendered_documents.clear()
    printer.clear()
    pdf.attach_pdfs(project_now, _sites(), cache_dir)
    pdf.attach_pdfs(project_now, _sites(), cache_dir, tmp_path / "work")
    assert rendered_documents == [] and printer == []
    path = project / SECOND
    path.write_text(path.read_text(encoding="utf-8").replace("school\n          site.", "school\n          site every day.", 1), encoding="utf-8")
    sites = _sites()
    pdf.attach_pdfs(pipeline.check(project, TODAY, checks).project, sites, cache_dir)
    assert sorted(rendered_documents) == [("screens", "parents"), ("screens", "staff")]
    # The clause is not for parents: the parents' edition's HTML is the same, so only the staff one is printed.
    assert len(printer) == 1 and len(_attached(sites)) == 4


def test_a_kept_hash_whose_pdf_is_gone_is_printed_again(project, tmp_path, printer):
    """The work folder's PDFs can be removed by hand (or by a build of the other site's folder): the key file
    alone must not stand for a PDF."""
    checks, cache_dir = ResultCache(), tmp_path / "work" / pdf.CACHE_DIR
    project_now = pipeline.check(project, TODAY, checks).project
    pdf.attach_pdfs(project_now, _sites(), cache_dir)
    for kept in (cache_dir / "staff").glob("*.pdf"):
        kept.unlink()
    sites = _sites()
    pdf.attach_pdfs(project_now, sites, cache_dir)
    assert sorted(sites["staff"].files) == ["policies/screens/screens.pdf", "policies/social-media/social-media.pdf"]
