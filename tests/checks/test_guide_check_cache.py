"""A guide's own cross-file checks kept between checks (checks/guides_cache.py, issue 30) go stale with nothing the
guide does not say itself: after each edit of another file that changes what a guide's check finds, the check that
reads kept results gives what a clean one gives.

Hand-made, because the random walk of test_incremental_check.py reaches these only by chance (a kept result of
the guide, in a valid project, then the other file edited). Each edit is first seen to change a clean check's
findings, so no case passes by finding nothing. Bugs it exists to catch, each planted once and seen red: the
project's digest without the sources (the draft's W413 stayed away), without the contacts' public flags (E418
stayed away), without the other guides' step ids (the hand-over's E407 stayed away), without the school's nation
(the W411 of sources of another nation stayed away).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from support import TODAY, WEXHAM

from generator import pipeline
from generator.load.file_cache import ResultCache


def _source_in_draft(root: Path) -> None:
    builtin = yaml.safe_load((Path(pipeline.PACKAGE) / "data" / "sources.yml").read_text(encoding="utf-8"))
    entry = next(item for item in builtin["sources"] if item["id"] == "kcsie-2025")
    (root / "sources.yml").write_text(yaml.safe_dump({"sources": [{**entry, "status": "draft"}]}, sort_keys=False),
                                      encoding="utf-8")


def _contact_hidden(root: Path) -> None:
    """The school office, named by a guide on the parents' site, no longer public."""
    path = root / "school.yml"
    text = path.read_text(encoding="utf-8")
    old = "    role: School office\n    placeholder: true\n    public: true\n"
    assert text.count(old) == 1
    path.write_text(text.replace(old, "    role: School office\n    placeholder: true\n    public: false\n"),
                    encoding="utf-8")


def _handed_over_step_renamed(root: Path) -> None:
    """sharing-nudes' step another guide hands over to (`also_follow: sharing-nudes#sexual_extortion`) renamed,
    everywhere in its own guide: that guide stays valid, the guide handing over to it does not."""
    path = root / "decision_trees" / "sharing-nudes.yml"
    text = path.read_text(encoding="utf-8")
    assert "sexual_extortion" in text
    path.write_text(text.replace("sexual_extortion", "sextortion"), encoding="utf-8")


def _school_in_wales(root: Path) -> None:
    """The guides cite sources of England's (W411 on each guide citing one) and follow England's procedures."""
    path = root / "school.yml"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\nnation: Wales\n", encoding="utf-8")


@pytest.mark.parametrize("edit", [_source_in_draft, _contact_hidden, _handed_over_step_renamed, _school_in_wales],
                         ids=["source in draft", "contact hidden", "handed-over step renamed", "school in wales"])
def test_a_kept_guide_check_follows_the_files_it_reads(tmp_path, edit):
    root = tmp_path / "school"
    shutil.copytree(WEXHAM, root, ignore=shutil.ignore_patterns("site", "build"))
    in_memory, on_disk = ResultCache(), tmp_path / "kept"
    before = [str(d) for d in pipeline.check(root, TODAY, in_memory).diagnostics]
    pipeline.check(root, TODAY, ResultCache(on_disk))
    edit(root)
    clean = [str(d) for d in pipeline.check(root, TODAY).diagnostics]
    assert clean != before, "the edit changes what a clean check finds"
    assert [str(d) for d in pipeline.check(root, TODAY, in_memory).diagnostics] == clean
    assert [str(d) for d in pipeline.check(root, TODAY, ResultCache(on_disk)).diagnostics] == clean
