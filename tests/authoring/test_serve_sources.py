"""The live preview writes each site's sources knowing what it wrote (issue 30, authoring/serve_sources.py): a save
writes only the files whose content changed, without reading the folder back, removes what the site no longer has,
and tells the dirty build exactly which files it added, changed or removed.

Bugs they exist to catch, each planted once and seen red: a file the site no longer has left in the folder after a
save (MkDocs would still build the removed page); the digests of a write that failed part-way kept, so that a later
save whose content matches them skips a file the failed write had changed (a stale page); a first write to a folder
trusting nothing on disk and calling every file added, or trusting it blindly and leaving an earlier session's file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.authoring.serve_dirty import full_build_reason
from generator.authoring.serve_sources import SourcesWriter, Written
from generator.build.mkdocs_build import write_sources
from generator.render.renderer import RenderedSite


def _site(docs: dict[str, str], includes: dict[str, str] | None = None) -> RenderedSite:
    return RenderedSite("staff", docs=dict(docs), includes=dict(includes or {}), config={"site_name": "Test"})


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _as_written_afresh(site: RenderedSite, tmp_path: Path, name: str) -> dict[str, bytes]:
    write_sources(site, tmp_path / name)
    return _files(tmp_path / name)


def test_each_save_writes_only_what_changed_and_the_folder_is_what_a_fresh_write_gives(tmp_path):
    folder = tmp_path / "staff"
    # An earlier session's folder: one page as it will be, one the site no longer has, one page differently worded.
    (folder / "docs" / "old").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (folder / "docs" / "old" / "gone.md").write_text("# Gone\n", encoding="utf-8")
    (folder / "docs" / "policy.md").write_text("# Policy, before\n", encoding="utf-8")
    writer = SourcesWriter()
    first = _site({"index.md": "# Home\n", "policy.md": "# Policy\n", "what-to-do/a/index.md": "# A\n"})
    assert writer(first, folder) is True
    # Counted by hand from the three files above and the site: mkdocs.yml and guide a are new.
    assert writer.last[folder.resolve()] == Written(added={"mkdocs.yml", "docs/what-to-do/a/index.md"},
                                                    changed={"docs/policy.md"}, removed={"docs/old/gone.md"})
    assert _files(folder) == _as_written_afresh(first, tmp_path, "fresh-1")
    assert not (folder / "docs" / "old").exists()

    # Every file an old time, so a rewrite shows; then a save that rewords guide a, adds steps, removes the policy.
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    second = _site({"index.md": "# Home\n", "what-to-do/a/index.md": "# A, reworded\n"}, {"guides/a.html": "<ol></ol>"})
    writer.forget_last()
    assert writer(second, folder) is True
    assert writer.last[folder.resolve()] == Written(added={"includes/guides/a.html"},
                                                    changed={"docs/what-to-do/a/index.md"},
                                                    removed={"docs/policy.md"})
    assert _files(folder) == _as_written_afresh(second, tmp_path, "fresh-2")
    untouched = [name for name in ("docs/index.md", "mkdocs.yml")
                 if (folder / name).stat().st_mtime_ns != 1_000_000_000]
    assert untouched == [], "files whose content did not change were written again"

    writer.forget_last()
    assert writer(second, folder) is False  # the same site again: nothing written, nothing to rebuild
    assert writer.last[folder.resolve()] == Written()


def test_a_write_that_failed_part_way_is_not_trusted_by_the_next(tmp_path, monkeypatch):
    folder = tmp_path / "parents"
    writer = SourcesWriter()
    before = _site({"a.md": "# A\n", "b.md": "# B\n"})
    writer(before, folder)
    real_write = Path.write_bytes

    def fail_at_b(path, data):
        if path.name == "b.md":
            raise OSError("disk full")
        return real_write(path, data)

    monkeypatch.setattr(Path, "write_bytes", fail_at_b)
    with pytest.raises(OSError):
        writer(_site({"a.md": "# A, changed\n", "b.md": "# B, changed\n"}), folder)  # a.md written, then it fails
    monkeypatch.setattr(Path, "write_bytes", real_write)
    assert writer.last[folder.resolve()] is None
    assert full_build_reason(True, None, False, False) is not None
    writer(before, folder)  # the first site's content again: a.md must be written back, though its digest matches
    assert _files(folder) == _as_written_afresh(before, tmp_path, "fresh")


def test_the_dirty_build_is_chosen_from_what_was_written():
    guide_only = Written(changed={"docs/what-to-do/a/index.md", "includes/guides/a.html"})
    assert full_build_reason(True, guide_only, False, False) is None
    assert full_build_reason(True, Written(), False, False) is None  # an edit that changed no page
    assert full_build_reason(False, guide_only, False, False) == "the first build"
    assert full_build_reason(True, Written(changed={"docs/policies/x.md"}), False, False) == "docs/policies/x.md changed"
    assert full_build_reason(True, Written(added={"docs/what-to-do/b/index.md"}), False, False) is not None
    assert full_build_reason(True, Written(removed={"docs/what-to-do/a/index.md"}), False, False) is not None
    assert full_build_reason(True, guide_only, True, False) is not None
    assert full_build_reason(True, guide_only, False, True) is not None
