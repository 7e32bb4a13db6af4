"""Incremental build (issue 30): `generator build`, a new process each time, keeps each file's check and each guide's
output on disk in its work folder (pipeline.CHECK_CACHE_DIR, GUIDE_CACHE_DIR; and what the leak check found in each
part of the parents' site and the search texts the gate passed, LEAK_CACHE_DIR and gate-cache/) and builds, after
every kind of edit, the sites a clean build makes, byte for byte (but the build's date stamps, as test_build_cache
allows).

A property-style test: a seeded random walk of edits on a copy of the Wexham example school (a guide's step
reworded; the title of a guide others link to; the head teacher's role, a contact several guides name; the status of
the KCSIE source every guide cites; everything put back), each kind once in a random order, and after EVERY edit the
built sites compared file by file with a clean build into new folders. Each step is two builds of both sites (about
a minute of CPU in all): the other kinds of edit (a linked question, a shared group) are walked on the render, in
tests/render/test_incremental_render.py, under the same keys. The clean build is given the PDFs already printed (build/pdf.py keys them on
their whole HTML: not what this test is about), so that it prints none. Once everything is put back the clean
build is the session's shared build of the example school (conftest.wexham_sites): the same files, the same date.

Bugs it exists to catch, each planted once and seen red: a guide's key without the titles of the guides it links
to; the guides' outputs read from disk without their contacts' state (the head teacher's old role stayed in the
steps).
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
import yaml

from support import TODAY, WEXHAM

from generator import pipeline
from generator.build.caches import GATE_CACHE_DIR
from generator.build.pdf import CACHE_DIR as PDF_CACHE_DIR

SEED = 55
LINKED = "decision_trees/dsl-cannot-be-reached.yml"
"""A guide that others name as related."""
_DATED = {"version.json", "sitemap.xml", "sitemap.xml.gz", "build-manifest.json"}
"""The build's time and date (and the manifest, which holds version.json's hash): nothing else may differ."""


def _replace(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in {relative}: the fixture changed, update this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _reword_a_step(root: Path, rng: random.Random) -> str:
    path = rng.choice(sorted((root / "decision_trees").glob("*.yml")))
    lines = path.read_text(encoding="utf-8").split("\n")
    titles = [n for n, line in enumerate(lines)  # plain ones: a quoted title would not be closed
              if line.startswith("    title: ") and line[len("    title: "):][:1] not in "\"'>|"]
    lines[rng.choice(titles)] += " (edited)"
    path.write_text("\n".join(lines), encoding="utf-8")
    return f"a step of {path.name}"


def _source_status(root: Path, rng: random.Random) -> str:
    builtin = yaml.safe_load((Path(pipeline.PACKAGE) / "data" / "sources.yml").read_text(encoding="utf-8"))
    entry = next(item for item in builtin["sources"] if item["id"] == "kcsie-2025")
    status = rng.choice(["draft", "consultation"])
    (root / "sources.yml").write_text(yaml.safe_dump({"sources": [{**entry, "status": status}]}, sort_keys=False),
                                      encoding="utf-8")
    return f"kcsie-2025 {status}"


EDITS = {
    "step": _reword_a_step,
    "linked title": lambda root, rng: _replace(root, LINKED, "\ntitle: I can't reach the DSL",
                                               "\ntitle: I can't reach the DSL today"),
    "contact": lambda root, rng: _replace(root, "school.yml", "    role: Headteacher", "    role: Head teacher"),
    "source": _source_status,
}


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*"))
            if path.is_file() and path.name not in _DATED}


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "school"
    shutil.copytree(WEXHAM, root, ignore=shutil.ignore_patterns("site", "build"))
    return root


def test_an_incremental_build_builds_what_a_clean_build_builds_after_every_edit(project, tmp_path, wexham_sites):
    rng = random.Random(SEED)
    originals = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    out, work = tmp_path / "site", tmp_path / "work"
    first = pipeline.build(project, out, work, TODAY)
    assert first.ok, [str(d) for d in first.diagnostics]
    assert any((work / pipeline.GUIDE_CACHE_DIR).glob("*.json")), "the build kept no guide's output"
    # What the leak check and the gate keep are read by every build below: the leak check's answers per part of the
    # parents' site (build/leak_cache.py), the gate's pages and search texts that passed.
    assert (work / pipeline.LEAK_CACHE_DIR / "found.json").is_file(), "the build kept no leak check's answers"
    assert json.loads((work / GATE_CACHE_DIR / "parents.json").read_text(encoding="utf-8"))["entries"]
    kinds = rng.sample(sorted(EDITS), len(EDITS)) + ["everything put back"]
    for step, kind in enumerate(kinds):
        if kind in EDITS:
            what = f"{kind}: {EDITS[kind](project, rng) or ''}"
        else:
            what = kind
            for path, data in originals.items():
                path.write_bytes(data)
        incremental = pipeline.build(project, out, work, TODAY)
        assert incremental.ok, f"edit {step} ({what}): {[str(d) for d in incremental.diagnostics]}"
        clean_out, clean_work = tmp_path / f"clean-{step}", tmp_path / f"clean-work-{step}"
        if kind in EDITS:
            shutil.copytree(work / PDF_CACHE_DIR, clean_work / PDF_CACHE_DIR)
            clean = pipeline.build(project, clean_out, clean_work, TODAY)
            assert clean.ok, f"edit {step} ({what})"
        else:
            # Put back, the project is the example school's own files: its clean build is the session's (the same
            # files, built at the same date by `generator build` in a process of its own).
            clean_out = wexham_sites
        for name in pipeline.SITES:
            ours, theirs = _files(out / name), _files(clean_out / name)
            assert sorted(ours) == sorted(theirs), f"{name} after edit {step} ({what})"
            stale = [path for path in theirs if ours[path] != theirs[path]]
            assert not stale, f"{name} after edit {step} ({what}): these files are stale: {stale[:5]}"
        if kind in EDITS:
            shutil.rmtree(clean_out)
            shutil.rmtree(clean_work)


@pytest.fixture
def rendered(monkeypatch) -> list[int]:
    """How many guides each render rendered (not read back from a cache), in the order the renders ended."""
    from generator.render import guide_cache

    counts: list[int] = []
    finish = guide_cache.GuideCache.finish

    def counting(self):
        counts.append(self.rendered)
        finish(self)

    monkeypatch.setattr(guide_cache.GuideCache, "finish", counting)
    return counts


def test_a_build_after_one_guide_changed_renders_that_guide_only(project, tmp_path, rendered):
    """What the disk cache is for: a new build process (a new GuideCache) after a step of a guide no other guide
    links to is reworded renders that guide alone (on the staff site: it is not a parents' guide); an unchanged
    project's forced build renders every guide."""
    out, work = tmp_path / "site", tmp_path / "work"
    assert pipeline.build(project, out, work, TODAY).ok
    everything = rendered[-1]
    assert everything > 10
    path = project / "decision_trees" / "joining-or-leaving.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("\n    title: ", "\n    title: Now ", 1), encoding="utf-8")
    assert pipeline.build(project, out, work, TODAY).ok
    assert rendered[-1] == 1
    assert pipeline.build(project, out, work, TODAY, force=True).ok
    assert rendered[-1] == everything, "--force rendered from what was kept"


def test_a_check_after_a_build_renders_only_the_guide_that_changed(project, tmp_path, rendered, capsys):
    """`check` renders both sites for the faithfulness check and the public list; it keeps each guide's output in
    the work folder beside build's, under the same keys, so a check after one guide's edit renders that guide."""
    from generator.cli import main

    out, work = tmp_path / "site", tmp_path / "work"
    assert pipeline.build(project, out, work, TODAY).ok
    everything = rendered[-1]
    check = ["check", "--project", str(project), "--work-dir", str(work), "--today", TODAY.isoformat()]
    assert main(check) == 0
    assert rendered[-1] == 0, "check rendered guides that build had kept"
    path = project / "decision_trees" / "joining-or-leaving.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("\n    title: ", "\n    title: Now ", 1), encoding="utf-8")
    assert main(check) == 0
    assert rendered[-1] == 1
    assert everything > 10
