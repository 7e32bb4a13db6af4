"""Incremental render (issue 30): the live preview, which keeps each guide's output and each policy's pages while
nothing they read changes (generator/render/guide_cache.py, page_cache.py), writes what a clean render writes, byte
for byte, after every kind of edit.

A property-style test: a seeded random walk of edits on a copy of the Wexham example school (a guide's step
reworded; the title of a guide others link to, "I can't reach the DSL"; the question other guides route to in it,
whose words are those links' labels; the head teacher's role, a contact several guides name; the status of the
KCSIE source every guide cites; the shared "immediate danger" group every staff guide starts with; a sentence added
to a policy's clause; the school's name in school.yml; a glossary term; a hand-written page; everything put back),
and after EVERY edit the sources `serve` writes (its work folder, kept across saves as `serve` keeps it, with the
caches it keeps in memory) compared file by file with a clean generation into a new folder.

Bugs it exists to catch, each planted once and seen red: a guide's key without the titles of the guides it links
to (its "see also" kept the old title), without the labels of their steps (a route's link kept the old question),
a contact read by a guide not recorded (the head teacher's old role stayed in the steps); a policy's key without
the policy (a reworded clause stayed old on its section and whole-policy pages), without the school (the school's
old name stayed on the policy's pages), what a kept policy's pages publish not recorded again (the public list no
longer matched). The sources are written as `serve` writes them (authoring/serve_sources.py: a digest per path,
nothing read back), and what the writer reports it added, changed and removed, which the dirty build trusts, is
what happened to the folder (planted: a file written again not reported as changed -> red).
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
import yaml

from support import TODAY, WEXHAM, contents_key

from generator import pipeline
from generator.authoring.serve_sources import SourcesWriter
from generator.load.file_cache import ResultCache
from generator.render.guide_cache import GuideCache

EDITS = 18
SEED = 30
LINKED = "dsl-cannot-be-reached.yml"
"""A guide 10 others name as related, and whose question 'is_a_senior_leader_available' 18 routes lead to."""


class Author:
    """Edits the project as an author does (seeded): each edit writes whole files, as an editor saves."""

    def __init__(self, root: Path, rng: random.Random):
        self.root, self.rng = root, rng
        self.files = {path: path.read_text(encoding="utf-8") for path in root.rglob("*.yml")}
        self.count = 0
        self.pages = {path: path.read_text(encoding="utf-8") for path in (root / "docs").rglob("*.md")}
        self.kinds = [self.reword_a_step, self.retitle_a_linked_guide, self.reword_a_linked_question,
                      self.reword_a_contact, self.change_a_source_status, self.reword_the_shared_group,
                      self.reword_a_policy_clause, self.rename_the_school, self.reword_a_glossary_term,
                      self.reword_a_hand_written_page, self.put_everything_back]
        self.first = self.rng.sample(self.kinds, len(self.kinds))
        """Every kind once, in a random order, before the walk goes on at random."""

    def _replace(self, relative: str, old: str, new: str) -> str:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is no longer in {relative}: the fixture changed, update this test"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return relative

    def reword_a_step(self) -> str:
        path = self.rng.choice(sorted((self.root / "decision_trees").glob("*.yml")))
        lines = path.read_text(encoding="utf-8").split("\n")
        titles = [n for n, line in enumerate(lines)  # plain ones: a quoted title would not be closed
                  if line.startswith("    title: ") and line[len("    title: "):][:1] not in "\"'>|"]
        lines[self.rng.choice(titles)] += f" (edit {self.count})"
        path.write_text("\n".join(lines), encoding="utf-8")
        return f"a step of {path.name}"

    def retitle_a_linked_guide(self) -> str:
        return "title of " + self._replace(f"decision_trees/{LINKED}", "\ntitle: I can't reach the DSL",
                             f"\ntitle: I can't reach the DSL ({self.count})")

    def reword_a_linked_question(self) -> str:
        return "question of " + self._replace(f"decision_trees/{LINKED}", "question: Can you speak to the head teacher",
                             f"question: ({self.count}) Can you speak to the head teacher")

    def reword_a_contact(self) -> str:
        return "contact in " + self._replace("school.yml", "    role: Headteacher", f"    role: Headteacher {self.count}")

    def change_a_source_status(self) -> str:
        builtin = yaml.safe_load((Path(pipeline.PACKAGE) / "data" / "sources.yml").read_text(encoding="utf-8"))
        entry = next(item for item in builtin["sources"] if item["id"] == "kcsie-2025")
        status = self.rng.choice(["draft", "consultation", "final"])
        (self.root / "sources.yml").write_text(yaml.safe_dump({"sources": [{**entry, "status": status}]},
                                                              sort_keys=False), encoding="utf-8")
        return f"kcsie-2025 {status}"

    def reword_the_shared_group(self) -> str:
        return "group " + self._replace("decision_trees/shared/immediate-danger.yml", "question: Is a child, or anyone else,",
                             f"question: ({self.count}) Is a child, or anyone else,")

    def reword_a_policy_clause(self) -> str:
        # A sentence added after the approved one (every sentence of the approved document must stay published).
        path = self.root / "policies" / "social-media.yml"
        text = path.read_text(encoding="utf-8")
        reworded = re.sub(r"(all who work on the school\n *site\.)[^\n]*", rf"\1 Edit {self.count}.", text, count=1)
        assert reworded != text, "the clause who-policy-applies-to changed: update this test"
        path.write_text(reworded, encoding="utf-8")
        return "policy clause"

    def rename_the_school(self) -> str:
        return "school " + self._replace("school.yml", "\nname: Wexham Court Primary School",
                                         f"\nname: Wexham Court Primary School {self.count}")

    def reword_a_glossary_term(self) -> str:
        return "glossary " + self._replace("glossary.yml", "expansion: Senior Leadership Team",
                                           f"expansion: Senior Leadership Team {self.count}")

    def reword_a_hand_written_page(self) -> str:
        path = self.rng.choice(sorted(self.pages))
        path.write_text(path.read_text(encoding="utf-8") + f"\nAdded in edit {self.count}.\n", encoding="utf-8")
        return f"page {path.name}"

    def put_everything_back(self) -> str:
        for path, text in {**self.files, **self.pages}.items():
            if path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
        return "everything as it was"

    def edit(self) -> str:
        self.count += 1
        return (self.first.pop() if self.first else self.rng.choice(self.kinds))()


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and "pdf-cache" not in path.parts}


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "school"
    shutil.copytree(WEXHAM, root, ignore=shutil.ignore_patterns("site", "build"))
    return root


def test_incremental_render_writes_what_a_clean_render_writes_after_every_edit(project, tmp_path):
    author = Author(project, random.Random(SEED))
    checks, guides, writer = ResultCache(), GuideCache(), SourcesWriter()  # what serve keeps for the whole session
    served = tmp_path / "served"
    kinds_seen = set()
    # A clean render is made from the project's files alone: a state the walk comes back to (everything put back)
    # is rendered clean once (3 of the 15 states are repeats).
    clean_by_contents: dict[str, tuple] = {}
    for step in range(EDITS + 1):
        what = "no edit" if step == 0 else author.edit()
        kinds_seen.add(what.split(" ")[0])
        before = _files(served) if served.exists() else {}
        mtimes = {path: (served / path).stat().st_mtime_ns for path in before}
        writer.forget_last()
        incremental = pipeline.generate(project, served, TODAY, preview=True, cache=checks, guide_cache=guides,
                                        write=writer)
        key = contents_key(project)
        if key not in clean_by_contents:
            clean_folder = tmp_path / f"clean-{step}"
            clean = pipeline.generate(project, clean_folder, TODAY, preview=True)
            clean_by_contents[key] = clean, _files(clean_folder)
            shutil.rmtree(clean_folder)
        clean, theirs = clean_by_contents[key]
        assert incremental.ok and clean.ok, f"edit {step} ({what}) made the project invalid: the walk should not"
        ours = _files(served)
        assert sorted(ours) == sorted(theirs), f"after edit {step} ({what})"
        different = [path for path in theirs if ours[path] != theirs[path]]
        assert not different, f"after edit {step} ({what}) these files are stale: {different[:5]}"
        for name in ("staff", "parents"):
            assert incremental.rendered[name].published == clean.rendered[name].published, f"edit {step} ({what})"
        # Unchanged files are not written again: mkdocs' and serve's watchers see only the real change.
        touched = [path for path, data in before.items() if ours.get(path) == data
                   and (served / path).stat().st_mtime_ns != mtimes[path]]
        assert not touched, f"after edit {step} ({what}) unchanged files were rewritten: {touched[:5]}"
        for name in ("staff", "parents"):
            written = writer.last[(served / name).resolve()]
            was = {path[len(name) + 1:]: data for path, data in before.items() if path.startswith(name + "/")}
            now = {path[len(name) + 1:]: data for path, data in ours.items() if path.startswith(name + "/")}
            happened = (set(now) - set(was), {path for path in now if path in was and now[path] != was[path]},
                        set(was) - set(now))
            assert (written.added, written.changed, written.removed) == happened, f"edit {step} ({what}), {name}"
    assert {"a", "title", "question", "contact", "kcsie-2025", "group", "policy", "school", "glossary", "page",
            "everything"} <= kinds_seen, f"the walk missed a kind of edit: {sorted(kinds_seen)}"


def test_a_save_that_changes_one_guide_renders_that_guide_only(project):
    """What the cache is for: a step reworded in a guide no other guide links to renders that guide again on the
    staff site (1 guide; it is not a parents' guide), and a save that changes nothing renders none."""
    checks, guides = ResultCache(), GuideCache()
    assert pipeline.render(project, TODAY, preview=True, cache=checks, guide_cache=guides).ok
    assert pipeline.render(project, TODAY, preview=True, cache=checks, guide_cache=guides).ok
    assert guides.rendered == 0 and guides.policies.rendered == 0
    path = project / "decision_trees" / "joining-or-leaving.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n    title: ", "\n    title: Now ", 1), encoding="utf-8")
    assert pipeline.render(project, TODAY, preview=True, cache=checks, guide_cache=guides).ok
    assert guides.rendered == 1
    assert guides.policies.rendered == 0  # nor any policy's pages (page_cache.py)
