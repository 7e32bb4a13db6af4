"""The live preview's dirty rebuild (issue 30, generator/authoring/serve_dirty.py): after a save that changes only
guides, MkDocs rebuilds only their pages, and the served site is what a full build of the same sources gives (every
file byte for byte, the search index entry for entry); any other save gets the full build.

Bugs it exists to catch: a guide page MkDocs did not rebuild keeping its old steps (a question reworded while the
page's Markdown stayed the same), Material's search index holding only the rebuilt pages' entries after a dirty
build, a guide whose steps changed left as the last build finished it (planted: the page not given back and
its steps not put in again when only its steps changed -> red at the question reworded), and what MkDocs' dirty
build gets wrong by itself (found by this test: the menu's hand-written pages named
None on every rebuilt page, Material's tags.json listing the rebuilt pages only), and the first save not settling
what the session keeps once the first build's garbage is gone (planted: settle_once not called -> red).
"""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from support import TODAY, WEXHAM

from generator import pipeline
from generator.authoring import serve, serve_hook, settle
from generator.authoring.serve_dirty import PreviewState
from generator.authoring.serve_cache import SessionCache
from generator.authoring.serve_sources import SourcesWriter
from generator.render.guide_cache import GuideCache

URL = "http://127.0.0.1:8000/"


def _config(site_folder: Path, site_dir: Path):
    config = load_config(config_file=str(site_folder / "mkdocs.yml"), site_dir=str(site_dir), strict=False,
                         hooks=[str(serve.HOOK)], dev_addr="127.0.0.1:8000")
    config.site_url = URL
    return config


def _site(folder: Path) -> dict[str, object]:
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            relative = path.relative_to(folder).as_posix()
            files[relative] = (json.loads(path.read_text(encoding="utf-8")) if relative.endswith("search_index.json")
                               else path.read_bytes())
    return files


class _Server:
    """What the hook's on_serve uses of MkDocs' server: its builder (the full build) and unwatch."""

    def __init__(self, full_build):
        self.builder = full_build

    def unwatch(self, path):
        pass


def test_a_save_of_guides_only_is_rebuilt_dirty_and_serves_what_a_full_build_does(tmp_path, monkeypatch):
    project, work = tmp_path / "school", tmp_path / "work"
    shutil.copytree(WEXHAM, project, ignore=shutil.ignore_patterns("site", "build"))
    for name, value in ((serve.ENV_PROJECT, project), (serve.ENV_WORK_DIR, work), (serve.ENV_TODAY, TODAY.isoformat())):
        monkeypatch.setenv(name, str(value))
    for name, value in (("CACHE", SessionCache()), ("GUIDES", GuideCache()), ("PROBLEMS", []),
                        ("PREVIEW", PreviewState()), ("SOURCES", SourcesWriter())):
        monkeypatch.setattr(serve, name, value)
    assert pipeline.generate(project, work, TODAY, preview=True, cache=serve.CACHE, guide_cache=serve.GUIDES).ok
    site_folder, served = work / "staff", tmp_path / "served"
    monkeypatch.chdir(site_folder)
    full_builds = []

    def full_build():
        full_builds.append(1)
        build(_config(site_folder, served), serve_url=URL)

    server = _Server(full_build)
    serve_hook.on_serve(server, _config(site_folder, served), full_build)
    full_build()  # the first build, as MkDocs' serve makes it
    monkeypatch.setattr(settle, "_settled", False)
    guide = project / "decision_trees" / "joining-or-leaving.yml"
    policy = project / "policies" / "social-media.yml"
    saves = [  # (file, old, new, whether the save is rebuilt dirty): written as an editor saves, whole
        (guide, "use_when: You are starting", "use_when: You are now starting", True),
        (guide, "question: Are you joining or leaving the school?", "question: Are you joining or leaving us?", True),
        (policy, "title: Social Media Policy", "title: Social Media and Online Safety Policy", False),
        (guide, "use_when: You are now starting", "use_when: You are starting", True),
    ]
    for number, (path, old, new, dirty) in enumerate(saves):
        text = path.read_text(encoding="utf-8")
        assert old in text, "the fixture changed: update this test"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        count = len(full_builds)
        try:
            server.builder()
        finally:
            gc.unfreeze()
        # The first save settles what the session keeps (collected, then frozen: authoring/settle.py).
        assert settle._settled, "the first save did not settle the session"
        assert len(full_builds) == count + (0 if dirty else 1), f"save {number} ({new})"
        clean = tmp_path / f"clean-{number}"
        kept = serve.PREVIEW
        monkeypatch.setattr(serve, "PREVIEW", PreviewState())  # the clean build's own, not the preview's
        build(_config(site_folder, clean), serve_url=URL)
        monkeypatch.setattr(serve, "PREVIEW", kept)
        ours, theirs = _site(served), _site(clean)
        assert sorted(ours) == sorted(theirs), f"save {number} ({new})"
        stale = [name for name in theirs if ours[name] != theirs[name]]
        assert not stale, f"save {number} ({new}): {stale[:5]}"
        shutil.rmtree(clean)
