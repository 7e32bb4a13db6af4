"""Each guide's own cross-file checks are kept between checks under its files, the shared groups' among them
(issue 30, checks/guides_cache.py): an edit of a shared group's step is checked again in every guide that uses it.

Bug it exists to catch: a guide's kept findings looked up under its own file only (or a group's file taken for
another's), so an unknown contact written into a shared group's step went unreported by `serve` and the editor
until the guide itself changed (planted: every file of a guide's key read as the guide's own -> red; the random
edits of tests/checks/test_incremental_check.py stayed green with it).
"""

from __future__ import annotations

import shutil

from support import TODAY, WEXHAM

from generator import pipeline
from generator.load.file_cache import ResultCache

GROUP = "decision_trees/shared/immediate-danger.yml"


def test_an_edit_of_a_shared_group_is_checked_again_in_the_guides_that_use_it(tmp_path):
    project = tmp_path / "school"
    shutil.copytree(WEXHAM, project, ignore=shutil.ignore_patterns("site", "build"))
    group = project / GROUP
    original = group.read_text(encoding="utf-8")
    assert "    contacts:\n      - police_emergency\n      - dsl\n" in original, "the fixture changed: update this test"
    cache = ResultCache()
    kept = pipeline.check(project, TODAY, cache)
    assert kept.ok
    group.write_text(original.replace("      - police_emergency\n      - dsl\n",
                                      "      - police_emergency\n      - dsl_on_duty\n", 1), encoding="utf-8")
    kept, clean = pipeline.check(project, TODAY, cache), pipeline.check(project, TODAY)
    unknown = [d for d in clean.diagnostics if d.is_error and d.path == GROUP and "dsl_on_duty" in d.message]
    assert unknown, [str(d) for d in clean.diagnostics]  # the clean check names the unknown contact in the group
    assert [str(d) for d in kept.diagnostics] == [str(d) for d in clean.diagnostics]
    group.write_text(original, encoding="utf-8")
    assert [str(d) for d in pipeline.check(project, TODAY, cache).diagnostics] == \
        [str(d) for d in pipeline.check(project, TODAY).diagnostics]
