"""`serve` keeps each file's parse and check in memory between saves (issue 30): after every save its regenerated
sources (what mkdocs builds the preview from) are byte for byte those of a clean run on the same files.

Bug it exists to catch: a save whose change the kept results hide, e.g. the in-memory cache read back for a file
whose bytes changed (planted: the parse's key made from the file's name only -> red at the first edit of a guide).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from support import TODAY, WEXHAM
from test_incremental_check import Author

from generator import pipeline
from generator.authoring import serve, serve_hook

SAVES = 8


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def test_each_save_regenerates_what_a_clean_run_does(tmp_path, monkeypatch):
    project = tmp_path / "school"
    shutil.copytree(WEXHAM, project, ignore=shutil.ignore_patterns("site", "build"))
    work = tmp_path / "work"
    monkeypatch.setenv(serve.ENV_PROJECT, str(project))
    monkeypatch.setenv(serve.ENV_WORK_DIR, str(work))
    monkeypatch.setenv(serve.ENV_TODAY, TODAY.isoformat())
    monkeypatch.setattr(serve, "CACHE", type(serve.CACHE)())  # this session's, not another test's
    monkeypatch.setattr(serve, "PROBLEMS", [])
    author = Author(project, random.Random(7))
    edits = [author.change_a_step, author.edit_a_contact, author.change_a_source_status, author.add_a_guide,
             author.break_a_reference, author.mend_everything, author.change_a_step, author.remove_a_file]
    serve_hook.regenerate()  # the first build, as serve() makes it
    compared = 0
    for number, edit in enumerate(edits[:SAVES]):
        author.count += 1
        what = edit()
        serve_hook.regenerate()  # a save: what the hook runs before mkdocs rebuilds
        clean_work = tmp_path / f"clean-{number}"
        clean = pipeline.generate(project, clean_work, TODAY, preview=True)
        if clean.ok:
            assert _files(work) == _files(clean_work), f"save {number}: {what}"
            assert serve.PROBLEMS == []
            compared += 1
        else:  # the preview keeps the last good sources and shows the errors on every page
            assert serve.PROBLEMS == [str(d) for d in clean.diagnostics if d.is_error], f"save {number}: {what}"
    assert compared >= 4
    assert serve.CACHE.hits > 0
