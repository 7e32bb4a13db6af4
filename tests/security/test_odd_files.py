"""Odd files wherever the tool reads the school's files: a symbolic link (to a file outside the project), a named
pipe, a 50 MB file, a binary file, a NUL byte, bytes that are not UTF-8. Each is refused at its file (and line),
with no traceback, and no message echoes the file's content.

tests/load/test_load.py and the broken corpus (tests/broken/e101-*) hold the first cases found, one place each;
this is the matrix over every place: the data files and pages a school loads, its trust-overrides.yml and site
settings, the files its settings name under assets/, and a pack of guides.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.load.loader import load_project
from generator.load.pack import load_pack
from generator.load.site_settings import read_site_settings
from generator.load.strict_yaml import load_yaml
from support import REPO

SECRET = "SECRET-4711-CONTENT"
"""In every odd file and in the file a link points to: never in a message."""
FIFTY_MB = 50 * 1024 * 1024


def _outside(tmp: Path) -> Path:
    target = tmp / "outside" / "secret.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"id: secret\ntitle: {SECRET}\n", encoding="utf-8")
    return target


def symlink(path: Path, tmp: Path) -> None:
    path.symlink_to(_outside(tmp))


def fifo(path: Path, tmp: Path) -> None:
    os.mkfifo(path)


def huge(path: Path, tmp: Path) -> None:
    with open(path, "wb") as handle:
        handle.write(f"title: {SECRET}\n".encode())
        handle.truncate(FIFTY_MB)  # sparse: costs no disk


def binary(path: Path, tmp: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + SECRET.encode() + b"\x00\xff")


def nul(path: Path, tmp: Path) -> None:
    path.write_bytes(f"id: odd\ntitle: {SECRET}\x00\n".encode())


def not_utf8(path: Path, tmp: Path) -> None:
    path.write_bytes(f"id: odd\ntitle: {SECRET} ".encode() + b"\xff\xfe\xc3\x28\n")


KINDS = [symlink, fifo, huge, binary, nul, not_utf8]
PLACES = ["policies/odd.yml", "decision_trees/odd.yml", "decision_trees/shared/odd.yml", "docs/staff/odd.md",
          "docs/parents/odd.md", "school.yml", "glossary.yml", "sources.yml", "trust-overrides.yml"]


def _refused(diagnostics, display: str) -> None:
    assert [d for d in diagnostics if d.is_error and d.path == display and d.line >= 1], \
        f"{display} not refused: {[str(d) for d in diagnostics]}"
    assert SECRET not in "\n".join(f"{d} {d.hint}" for d in diagnostics), "a message echoes the file's content"


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
@pytest.mark.parametrize("place", PLACES)
def test_an_odd_data_file_or_page_is_refused_without_echoing_it(tmp_path, place, kind):
    """Found: a pipe named sources.yml or trust-overrides.yml was skipped as if it were not there (is_file()),
    so a school's overrides could vanish unsaid -> red (2 cases) before load/files.present."""
    root = tmp_path / "school"
    path = root / place
    path.parent.mkdir(parents=True)
    kind(path, tmp_path)
    loaded = load_project(root)
    _refused(loaded.diagnostics, place)


def test_the_school_s_site_settings_file_odd_too(tmp_path):
    for kind in KINDS:
        root = tmp_path / kind.__name__
        root.mkdir()
        kind(root / "mkdocs.yml", tmp_path)
        _, diagnostics = read_site_settings(root)
        _refused(diagnostics, "mkdocs.yml")


ASSET_KINDS = [symlink, fifo, huge]  # an asset is binary (a logo): its bytes are not read as text


def _linked_folder(root: Path, tmp: Path) -> None:
    """assets/ itself a link to a folder outside the school's, holding a file of the right name."""
    outside = tmp / "elsewhere"
    outside.mkdir()
    (outside / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET.encode())
    (root / "assets").rmdir()
    (root / "assets").symlink_to(outside, target_is_directory=True)


def _linked_subfolder(root: Path, tmp: Path) -> None:
    outside = tmp / "elsewhere"
    outside.mkdir()
    (outside / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET.encode())
    (root / "assets" / "img").symlink_to(outside, target_is_directory=True)


@pytest.mark.parametrize("make", [*ASSET_KINDS, _linked_folder, _linked_subfolder], ids=lambda make: make.__name__)
def test_an_odd_asset_a_setting_names_is_refused_and_not_copied(tmp_path, make):
    """A logo behind a link, a pipe or too big is refused at the setting's line (E392), and no bytes are kept
    for the site. Found: a linked assets/ folder (or a folder under it) was followed, and a file of another
    folder of the machine copied into both sites -> red (2 cases) before the fix in site_settings.asset."""
    root = tmp_path / "school"
    (root / "assets").mkdir(parents=True)
    name = "assets/img/logo.png" if make is _linked_subfolder else "assets/logo.png"
    (root / "mkdocs.yml").write_text(f"theme:\n  logo: {name}\n", encoding="utf-8")
    if make in ASSET_KINDS:
        make(root / name, tmp_path)
    else:
        make(root, tmp_path)
    settings, diagnostics = read_site_settings(root)
    assert [(d.path, d.line, d.code) for d in diagnostics if d.is_error] == [("mkdocs.yml", 2, "E392")]
    assert SECRET not in "\n".join(str(d) for d in diagnostics)
    assert settings.files == {}


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
def test_an_odd_file_in_a_pack_is_refused_without_echoing_it(tmp_path, kind):
    packs = tmp_path / "packs"
    shutil.copytree(REPO / "tests" / "fixtures" / "packs" / "testland", packs / "testland")
    kind(packs / "testland" / "decision_trees" / "odd.yml", tmp_path)
    (tmp_path / "school.yml").write_text("guide_pack: testland\n", encoding="utf-8")
    school = load_yaml(tmp_path / "school.yml", "school.yml")
    diagnostics: list = []
    load_pack(school, [], [], diagnostics, packs=packs)
    _refused(diagnostics, "(generator)/pack/testland/decision_trees/odd.yml")
