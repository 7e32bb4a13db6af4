"""The editor keeps each file's parse and checks, and each guide's page, for its session, as ``serve`` does
(issue 30: a check beside every field): a check with the session's caches gives what a clean check gives, after
every kind of change the editor sends, though each check runs on a new temporary copy of the project; and the
session's first check settles what the caches keep out of the cycle collector's scans (authoring/settle.py).

Bugs they exist to catch: a kept result read back under the temporary copy's path, or a stale one under the
project's (planted: the session's cache kept from before the change, a guide's page kept whatever its words ->
red); the editor not settling what its first check kept (planted: settle_once not called -> red).
"""

from __future__ import annotations

import gc
import shutil

from support import TODAY, WEXHAM

from generator.authoring import settle
from generator.authoring.editor.checking import check_with
from generator.authoring.editor.session import Session
from generator.authoring.serve_cache import SessionCache
from generator.render.guide_cache import GuideCache

GUIDE = "decision_trees/joining-or-leaving.yml"
GROUP = "decision_trees/shared/immediate-danger.yml"


def _outcome(checked) -> tuple:
    rendered = checked.result.rendered if checked.result and checked.result.rendered else {}
    return ([str(finding.diagnostic) for finding in checked.findings],
            {name: dict(site.docs) for name, site in rendered.items()})


def test_checks_with_the_session_caches_give_what_clean_checks_give(tmp_path):
    project = tmp_path / "school"
    shutil.copytree(WEXHAM, project, ignore=shutil.ignore_patterns("site", "build"))
    guide, group = (project / GUIDE).read_text(encoding="utf-8"), (project / GROUP).read_text(encoding="utf-8")
    assert "use_when: You are starting" in guide and "      - dsl\n" in group, "the fixture changed: update this test"
    changes = [  # as the editor sends them: each a whole file's new text, none written
        {},
        {GUIDE: guide.replace("use_when: You are starting", "use_when: You are now starting", 1)},
        {GUIDE: guide.replace("use_when: You are starting", "use_when: You are now starting", 1),
         GROUP: group.replace("      - dsl\n", "      - dsl_on_duty\n", 1)},  # an unknown contact in a shared group
        {GUIDE: guide.replace("use_when: You are starting", "use_when: [You are", 1)},  # YAML broken
        {GROUP: group.replace("      - dsl\n", "      - deputy_dsl\n", 1)},
        {},
    ]
    cache, guides = SessionCache(), GuideCache()
    for number, change in enumerate(changes):
        kept = check_with(project, change, TODAY, cache=cache, guide_cache=guides)
        cache.drop_unasked()
        clean = check_with(project, change, TODAY)
        assert _outcome(kept) == _outcome(clean), f"change {number}"
    assert any("dsl_on_duty" in str(f.diagnostic) for f in check_with(project, changes[2], TODAY).findings)


def test_the_editors_first_check_settles_what_its_caches_keep(tmp_path, monkeypatch):
    project = tmp_path / "school"
    shutil.copytree(WEXHAM, project, ignore=shutil.ignore_patterns("site", "build"))
    monkeypatch.setattr(settle, "_settled", False)
    session = Session(project, TODAY)
    try:
        assert session.registries()["contacts"]
        kept = list(session.cache._shared.values())
        tracked = {id(thing) for thing in gc.get_objects()}
    finally:
        gc.unfreeze()
    assert len(kept) > 10
    assert [model for model in kept if id(model) in tracked] == []
