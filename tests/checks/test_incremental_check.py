"""Incremental check (issue 30): a check that reads back each unchanged file's parse and per-file check gives what a
clean check gives, after every kind of edit an author makes.

A property-style test: a seeded random walk of edits on a copy of the Wexham example school (a guide's step changed,
a reference broken and mended, a guide added, copied byte for byte under another name, or removed, a contact a guide
uses renamed or reworded, a source's status changed, plain http allowed or not, a file's YAML broken, the shared
immediate-danger group's question reworded, a secrecy promise written into a guide, the guide others hand over to no
longer a safeguarding one, a plain http link written into a page), and after
EVERY edit three checks compared: a clean one (no cache), one with the cache `serve` keeps in memory for the whole
session, and one as `check` runs it, a new process reading the cache on disk. The diagnostics must be the same, in
the same order, and so must the models every later stage reads (guides, policies, school). The in-memory cache keeps
each valid file's model itself and gives it back to the next check while the file is unchanged: every valid
project it checks is rendered, as `serve` renders it at each save, before the next edit, so that a later step
changing a kept model in place shows as a difference from the clean check after the next edit.

Bugs it exists to catch, each planted once and seen red: a parse's key without the file's name (a copy of a guide
under a new name was reported at the first file's place), a per-file check's key without the http setting (a
guide's http:// link stayed refused, or allowed, after school.yml changed), the in-memory parse giving out the
values it keeps (a later stage's change to them leaked into the next check), the safety rules' findings on a guide
kept under a key without the shared groups it uses (S101 stayed away after the group's question was reworded), a
page's markup check kept under a key without the http setting (the page's http link stayed refused, or allowed),
a later stage changing a kept model in place (the renderer dropping one of a guide's other names, also_called, from
the model it was given: the next check's models differed from the clean check's), a kept model given back for a
changed file (kept under the file's name only), no model kept at all.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
import yaml

from support import TODAY, WEXHAM, contents_key

from generator import pipeline
from generator.load.file_cache import ResultCache
from generator.render.guide_cache import GuideCache
from generator.render.renderer import render_project

EDITS = 40
SEED = 30


def _outcome(result) -> tuple:
    """What a check gives every later stage: its diagnostics and, when valid, the models."""
    diagnostics = [str(d) for d in result.diagnostics]
    if result.project is None:
        return diagnostics, None
    project = result.project
    return diagnostics, ([tree.model_dump() for tree in project.trees],
                         [policy.model_dump() for policy in project.policies], project.school.model_dump())


class Author:
    """Edits a project as an author does, at random (seeded): each edit writes whole files, as an editor saves."""

    def __init__(self, root: Path, rng: random.Random):
        self.root, self.rng = root, rng
        self.trees = root / "decision_trees"
        self.originals = {path.name: path.read_text(encoding="utf-8") for path in self.trees.glob("*.yml")}
        self.school = (root / "school.yml").read_text(encoding="utf-8")
        self.group = self.trees / "shared" / "immediate-danger.yml"
        self.group_text = self.group.read_text(encoding="utf-8")
        self.page = root / "docs" / "parents" / "online-safety.md"
        self.page_text = self.page.read_text(encoding="utf-8")
        self.added: list[Path] = []
        self.count = 0

    def _tree(self) -> Path:
        return self.rng.choice(sorted(self.trees.glob("*.yml")))

    def _rewrite(self, path: Path, old: str, new: str) -> bool:
        text = path.read_text(encoding="utf-8")
        if old not in text:
            return False
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return True

    def change_a_step(self) -> str:
        path = self._tree()
        lines = path.read_text(encoding="utf-8").split("\n")
        titles = [n for n, line in enumerate(lines) if line.lstrip().startswith("title: ") and line.startswith("  ")]
        if not titles:
            return "no step title"
        n = self.rng.choice(titles)
        lines[n] += f" (edit {self.count})"
        path.write_text("\n".join(lines), encoding="utf-8")
        return f"step title in {path.name}"

    def break_a_reference(self) -> str:
        path = self._tree()
        kind = self.rng.choice(["      - dsl\n", "      - dsl-cannot-be-reached\n", "      - kcsie-2025#"])
        broken = kind.replace("dsl", f"nobody-{self.count}", 1) if "dsl" in kind else "      - kcsie-2099#"
        return f"reference broken in {path.name}" if self._rewrite(path, kind, broken) else "no such reference"

    def mend_a_file(self) -> str:
        name = self.rng.choice(sorted(self.originals))
        (self.trees / name).write_text(self.originals[name], encoding="utf-8")
        return f"{name} as it was"

    def mend_everything(self) -> str:
        """Back to the valid project, so that the walk goes on through valid states as well as broken ones."""
        for path in self.added:
            path.unlink(missing_ok=True)
        self.added.clear()
        for name, text in self.originals.items():
            (self.trees / name).write_text(text, encoding="utf-8")
        (self.root / "school.yml").write_text(self.school, encoding="utf-8")
        self.group.write_text(self.group_text, encoding="utf-8")
        self.page.write_text(self.page_text, encoding="utf-8")
        return "everything as it was"

    def add_an_http_link_to_a_page(self) -> str:
        """A hand-written page's plain http link: refused or allowed as school.yml says (its markup check is kept)."""
        link = f"\nSee [help](http://example.org/p{self.count}).\n"
        self.page.write_text(self.page.read_text(encoding="utf-8") + link, encoding="utf-8")
        return "http link in a page"

    def edit_the_shared_group(self) -> str:
        """The group every safeguarding guide starts with: its question no longer asks about immediate danger, so
        each guide using it breaks S101, a finding kept per guide that only the group's edit changes."""
        if self.rng.random() < 0.4:
            self.group.write_text(self.group_text, encoding="utf-8")
            return "shared group as it was"
        done = self._rewrite(self.group, "in immediate danger or at risk of serious harm right now?",
                             f"worried ({self.count})?")
        return "shared group's question reworded" if done else "shared group unchanged"

    def promise_secrecy(self) -> str:
        """A guide's title that promises secrecy (S301, found on that guide alone)."""
        path = self._tree()
        return (f"secrecy promised in {path.name}" if self._rewrite(
            path, "\ntitle: ", "\ntitle: I promise to keep it a secret - ") else "no title")

    def unmark_a_linked_guide(self) -> str:
        """The guide that outcomes hand over to when the DSL cannot be reached is no longer a safeguarding one: a
        finding of the rules that look across guides (S401) on the guides linking to it, which did not change."""
        path = self.trees / "dsl-cannot-be-reached.yml"
        if not path.exists():
            return "no linked guide"
        done = self._rewrite(path, "safeguarding: true", "safeguarding: false")
        return "linked guide no longer safeguarding" if done else "linked guide unchanged"

    def add_a_guide(self) -> str:
        source = self._tree()
        text = source.read_text(encoding="utf-8")
        old_id = yaml.safe_load(text)["id"] if text.startswith(("#", "id:")) else None
        new = self.trees / f"added-{self.count}.yml"
        if old_id:
            text = text.replace(f"id: {old_id}\n", f"id: added-{self.count}\n", 1)
        new.write_text(text, encoding="utf-8")
        self.added.append(new)
        return f"{new.name} from {source.name}"

    def _edited(self) -> Path:
        """A guide the author has changed (they copy or move what they were just working on), else any."""
        edited = [path for path in sorted(self.trees.glob("*.yml"))
                  if self.originals.get(path.name) != path.read_text(encoding="utf-8")]
        return self.rng.choice(edited) if edited else self._tree()

    def copy_a_guide(self) -> str:
        """The same bytes under another name: every diagnostic about it must name the new file."""
        source = self._edited()
        new = self.trees / f"copy-{self.count}.yml"
        shutil.copy(source, new)
        self.added.append(new)
        return f"{new.name}, a copy of {source.name}"

    def remove_a_file(self) -> str:
        if self.added and self.rng.random() < 0.7:
            path = self.added.pop(self.rng.randrange(len(self.added)))
        else:
            path = self._tree()
        path.unlink()
        return f"{path.name} removed"

    def edit_a_contact(self) -> str:
        path = self.root / "school.yml"
        choice = self.rng.choice(["rename", "reword", "restore"])
        if choice == "rename":  # the guides that name deputy_dsl now name a contact that is not there
            done = self._rewrite(path, "  deputy_dsl:\n", f"  deputy_dsl_{self.count}:\n")
        elif choice == "reword":
            done = self._rewrite(path, "role: Headteacher", f"role: Headteacher {self.count}")
        else:
            path.write_text(self.school, encoding="utf-8")
            done = True
        return f"contact {choice}" if done else "contact unchanged"

    def change_a_source_status(self) -> str:
        builtin = yaml.safe_load((Path(pipeline.PACKAGE) / "data" / "sources.yml").read_text(encoding="utf-8"))
        entry = next(item for item in builtin["sources"] if item["id"] == "kcsie-2025")
        status = self.rng.choice(["draft", "consultation", "final", None])
        sources = [] if status is None else [{**entry, "status": status}]
        (self.root / "sources.yml").write_text(yaml.safe_dump({"sources": sources}, sort_keys=False, default_flow_style=False), encoding="utf-8")
        return f"kcsie-2025 {status or 'as built in'}"

    def toggle_http(self) -> str:
        path = self.root / "school.yml"
        text = path.read_text(encoding="utf-8")
        if "allow_http_links" in text:
            path.write_text(text.replace("site:\n  allow_http_links: true\n", ""), encoding="utf-8")
            return "http refused"
        path.write_text(text.rstrip("\n") + "\nsite:\n  allow_http_links: true\n", encoding="utf-8")
        return "http allowed"

    def add_an_http_link(self) -> str:
        path = self._tree()
        return (f"http link in {path.name}" if self._rewrite(
            path, "\ntitle: ", f"\ntitle: See [help](http://example.org/{self.count}) - ") else "no title")

    def move_the_lines(self) -> str:
        """A comment above everything: the same values, every one a line lower."""
        path = self._edited()
        path.write_text(f"# note {self.count}\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
        return f"lines moved in {path.name}"

    def break_the_yaml(self) -> str:
        path = self._tree()
        text = path.read_text(encoding="utf-8")
        path.write_text(text + 'extra: "never closed\n', encoding="utf-8")
        return f"YAML broken in {path.name}"

    def edit(self) -> str:
        self.count += 1
        kinds = [self.change_a_step, self.break_a_reference, self.mend_a_file, self.add_a_guide, self.copy_a_guide,
                 self.remove_a_file, self.edit_a_contact, self.change_a_source_status, self.toggle_http,
                 self.add_an_http_link, self.break_the_yaml, self.move_the_lines, self.mend_a_file, self.mend_everything,
                 self.mend_everything, self.edit_the_shared_group, self.edit_the_shared_group, self.promise_secrecy,
                 self.unmark_a_linked_guide, self.add_an_http_link_to_a_page]
        return self.rng.choice(kinds)()


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "school"
    shutil.copytree(WEXHAM, root, ignore=shutil.ignore_patterns("site", "build"))
    return root


def test_incremental_check_equals_a_clean_check_after_every_edit(project, tmp_path):
    author = Author(project, random.Random(SEED))
    in_memory = ResultCache()  # what serve and the editor keep for the whole session
    guides = GuideCache()  # serve's guides' output, kept beside it
    on_disk = tmp_path / "check-cache"  # what `check` keeps; each check below is a new ResultCache, as a new process
    kinds_seen, errors_seen, valid_seen, rules_seen = set(), 0, 0, set()
    # A clean check is made from the project's files alone: a state the walk comes back to (everything as it was,
    # a file mended) is checked clean once (9 of the 41 states are repeats).
    clean_by_contents: dict[str, tuple] = {}
    for step in range(EDITS + 1):
        what = "no edit" if step == 0 else author.edit()
        kinds_seen.add(what.split(" ")[0])
        key = contents_key(project)
        if key not in clean_by_contents:
            clean_by_contents[key] = _outcome(pipeline.check(project, TODAY))
        clean = clean_by_contents[key]
        served = pipeline.check(project, TODAY, in_memory)
        assert _outcome(served) == clean, f"edit {step}: {what} (in memory)"
        if served.project is not None:  # the later stages run on the kept models, as at serve's every save
            render_project(served.project, pipeline.BASE_CONFIG, pipeline.THEME_DIR, preview=True, guide_cache=guides)
        assert _outcome(pipeline.check(project, TODAY, ResultCache(on_disk))) == clean, f"edit {step}: {what} (disk)"
        errors_seen += clean[1] is None
        valid_seen += clean[1] is not None
        rules_seen.update(line.split(" ")[1] for line in clean[0])
    # The walk went through broken and valid projects alike, and reused what it had kept.
    assert errors_seen >= 5 and valid_seen >= 5, (errors_seen, valid_seen)
    assert in_memory.hits > in_memory.misses
    # The safety rules' findings came and went: on one guide alone (S301), through the shared group it uses (S101).
    assert {"S101", "S301"} <= rules_seen, rules_seen


def test_a_kept_result_is_read_back_only_for_the_same_file(project, tmp_path):
    """The cache is used at all: a second check of an unchanged project parses and checks nothing again, and one
    changed file is the only one parsed and checked again."""
    cache = ResultCache()
    pipeline.check(project, TODAY, cache)
    first = cache.misses
    pipeline.check(project, TODAY, cache)
    assert cache.misses == first
    tree = project / "decision_trees" / "peer-cyberbullying.yml"
    tree.write_text(tree.read_text(encoding="utf-8").replace("title: I find out", "title: I learn", 1),
                    encoding="utf-8")
    pipeline.check(project, TODAY, cache)
    assert cache.misses == first + 4  # its parse, its check against its model, its own cross-file checks, its rules


def test_a_kept_model_is_given_back_only_for_an_unchanged_file(project):
    """In one process a valid file's model is kept itself: the next check gives back the same object for each
    unchanged guide and policy, and a new model for the one guide edited (its new title in it)."""
    cache = ResultCache()
    before = pipeline.check(project, TODAY, cache).project
    tree = project / "decision_trees" / "peer-cyberbullying.yml"
    tree.write_text(tree.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1), encoding="utf-8")
    after = pipeline.check(project, TODAY, cache).project
    assert [a is b for a, b in zip(before.policies, after.policies)] == [True] * len(before.policies)
    assert after.school is before.school
    # project.trees are copies with the shared groups put in place: the edited guide's shows its new title
    titles = {tree.id: tree.title for tree in after.trees}
    assert titles["peer-cyberbullying"].startswith("Edited ")
    assert titles == {tree.id: tree.title for tree in before.trees} | {"peer-cyberbullying": titles["peer-cyberbullying"]}


def test_a_stage_that_changes_a_files_values_does_not_change_what_is_kept(project):
    cache = ResultCache()
    first = pipeline.check(project, TODAY, cache)
    from generator.load.loader import load_project

    loaded = load_project(project, cache=cache)
    loaded.trees[0].data["title"] = "changed by a later stage"  # what the trust's policies' renaming could do
    loaded.trees[0].data.setdefault("nodes", []).clear()
    assert _outcome(pipeline.check(project, TODAY, cache)) == _outcome(first)


def _broken(project: Path) -> Path:
    tree = project / "decision_trees" / "peer-cyberbullying.yml"
    tree.write_text(tree.read_text(encoding="utf-8") + 'extra: "never closed\n', encoding="utf-8")
    return tree


@pytest.mark.parametrize("edit", ["copy", "comment above"])
def test_each_thing_a_kept_result_depends_on(project, tmp_path, edit):
    """Hand-made cases of what the random walk may or may not reach: a broken guide copied byte for byte under
    another name (its error must name the copy: the file's name is part of the key), and a comment written above
    a broken guide (its error must move a line down: the text, not only the values, is part of the key)."""
    tree = _broken(project)
    in_memory = ResultCache()
    before = _outcome(pipeline.check(project, TODAY, in_memory))
    pipeline.check(project, TODAY, ResultCache(tmp_path / "kept"))
    error = next(line for line in before[0] if " E102 " in line)  # decision_trees/peer-cyberbullying.yml:L:C: E102
    where, line = error.split(":")[0], int(error.split(":")[1])
    if edit == "copy":
        shutil.copy(tree, tree.with_name("copy.yml"))
        expected = error.replace(where, "decision_trees/copy.yml", 1)
    else:
        tree.write_text("# reviewed\n" + tree.read_text(encoding="utf-8"), encoding="utf-8")
        expected = error.replace(f"{where}:{line}:", f"{where}:{line + 1}:", 1)
    clean = _outcome(pipeline.check(project, TODAY))
    assert expected in clean[0]
    assert _outcome(pipeline.check(project, TODAY, in_memory)) == clean
    assert _outcome(pipeline.check(project, TODAY, ResultCache(tmp_path / "kept"))) == clean
