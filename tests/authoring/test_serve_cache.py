"""What the live preview keeps between saves is dropped when no save uses it any more (issue 30): serve's cache of
each file's parse and checks (``authoring/serve_cache.SessionCache``), and the last build's page titles and guide
pages (``serve_dirty.PreviewState``). Before, every version of every file edited stayed in memory for the session.

Bugs they exist to catch, each planted once and seen red: the cache never dropping anything (its size grew by the
entries of each save's new version); a full build keeping the titles and guide pages of pages since removed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from support import TODAY, WEXHAM

from generator import pipeline
from generator.authoring.serve_cache import SessionCache
from generator.authoring.serve_dirty import PreviewState, keep_or_restore, keep_titles
from generator.render.guide_cache import GuideCache

GUIDE = "decision_trees/joining-or-leaving.yml"
USE_WHEN = "use_when: You are starting at the school"


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and "pdf-cache" not in path.parts}


def test_the_session_cache_holds_what_the_last_saves_use_and_still_serves_what_a_clean_render_does(tmp_path):
    project = tmp_path / "school"
    shutil.copytree(WEXHAM, project, ignore=shutil.ignore_patterns("site", "build"))
    cache, guides, served = SessionCache(), GuideCache(), tmp_path / "served"
    guide = project / GUIDE
    original = guide.read_text(encoding="utf-8")
    assert USE_WHEN in original, "the fixture changed: update this test"
    sizes = []
    for save in range(8):  # eight saves, each a new version of one guide's use_when, as an author types
        guide.write_text(original.replace(USE_WHEN, f"{USE_WHEN} ({save})", 1), encoding="utf-8")
        assert pipeline.generate(project, served, TODAY, preview=True, cache=cache, guide_cache=guides).ok
        cache.drop_unasked()
        sizes.append(cache.entries())
    # From the third save on, the cache holds the project's entries and the last two versions of the guide: the
    # same number after every save (without dropping, each save added its version's entries). The second save may
    # hold more: a file's model kept in memory is found without asking for its per-file answer, which is then
    # dropped a save later (checks/check_cache.validated_model).
    assert len(set(sizes[2:])) == 1 and sizes[2] <= sizes[1], f"the cache grew from save to save: {sizes}"
    guide.write_text(original, encoding="utf-8")  # back to a version dropped long ago: made again, and right
    assert pipeline.generate(project, served, TODAY, preview=True, cache=cache, guide_cache=guides).ok
    cache.drop_unasked()
    clean = tmp_path / "clean"
    assert pipeline.generate(project, clean, TODAY, preview=True).ok
    ours, theirs = _files(served), _files(clean)
    assert sorted(ours) == sorted(theirs)
    assert [path for path in theirs if ours[path] != theirs[path]] == []


class _Page:
    def __init__(self, url: str):
        self.url, self.title, self.meta, self.markdown = url, f"Title of {url}", {}, "# read"


class _Files:
    """What keep_titles reads of MkDocs' Files: each documentation page's Page."""

    def __init__(self, urls):
        self.urls = urls

    def documentation_pages(self):
        return [type("File", (), {"page": _Page(url)})() for url in self.urls]


def test_a_full_build_forgets_the_titles_of_pages_removed_since():
    state = PreviewState()
    keep_titles(state, _Files(["", "policies/a/", "guides-index/"]))
    keep_titles(state, _Files(["", "guides-index/"]))  # a full build after policies/a was removed
    assert sorted(state.titles) == ["", "guides-index/"]


def test_a_full_build_forgets_the_pages_of_guides_removed_since(tmp_path):
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "search" / "search_index.json").write_text(json.dumps({"docs": []}), encoding="utf-8")
    for guide in ("one", "two"):
        (site / "what-to-do" / guide).mkdir(parents=True)
        (site / "what-to-do" / guide / "index.html").write_text(f"<p>{guide}</p>", encoding="utf-8")
    state = PreviewState()
    keep_or_restore(state, site, ["guides/one.html", "guides/two.html"])
    keep_or_restore(state, site, ["guides/one.html"])  # a full build after the guide 'two' was removed
    assert sorted(state.guide_pages) == ["what-to-do/one/index.html"]


def test_serve_keeps_what_its_first_regeneration_filled_out_of_the_cycle_collector(tmp_path, monkeypatch):
    """Bug it exists to catch: serve not freezing what its caches hold after the first regeneration, so a full
    collection scans every kept model again at most saves (0.1-0.25 s of a save at 10x). Planted: settle() not
    called -> red."""
    import gc

    import mkdocs.commands.serve

    from generator.authoring import serve
    from generator.authoring.serve_sources import SourcesWriter

    project = tmp_path / "school"
    shutil.copytree(WEXHAM, project, ignore=shutil.ignore_patterns("site", "build"))
    for name, value in (("CACHE", SessionCache()), ("GUIDES", GuideCache()), ("PROBLEMS", []),
                        ("PREVIEW", PreviewState()), ("SOURCES", SourcesWriter())):
        monkeypatch.setattr(serve, name, value)
    for name in (serve.ENV_PROJECT, serve.ENV_WORK_DIR, serve.ENV_TODAY):
        monkeypatch.setenv(name, "")  # serve sets them: put back after the test
    monkeypatch.chdir(tmp_path)  # serve changes to the site's folder
    seen = {}

    def mkdocs_serve(**kwargs):  # stands in for MkDocs' server, which would run until interrupted
        kept = list(serve.CACHE._shared.values())  # the models the first check kept
        tracked = {id(thing) for thing in gc.get_objects()}  # what the collector still scans
        seen.update(kept=len(kept), scanned=[model for model in kept if id(model) in tracked])

    monkeypatch.setattr(mkdocs.commands.serve, "serve", mkdocs_serve)
    try:
        assert serve.serve(project, tmp_path / "work", "staff", "127.0.0.1:8000", TODAY) == 0
    finally:
        gc.unfreeze()
    assert seen["kept"] > 10, "serve's first check kept no models: the test no longer looks at what it keeps"
    assert seen["scanned"] == [], f"{len(seen['scanned'])} of {seen['kept']} kept models still scanned by the collector"
