"""The school's own site settings: its top-level mkdocs.yml (issue 24, generator/load/site_settings.py).

The bug each test exists to catch:
- an allowed setting (palette, logo, favicon, stylesheet, menu link, name shown, copyright) read but never
  reaching the built site;
- a setting that would break the tool's guarantees (a plugin, a script, the theme's templates) let through, or
  refused somewhere other than its own line;
- text of the settings becoming live markup (the theme's templates print site_name and copyright unescaped),
  a javascript: link in the menu, an SVG logo (it can hold script);
- a school without the file, or with one holding only comments, built differently from before the file existed;
- the file or its assets edited without the build noticing (the early freshness key).
Runs on the neutral fixture school (tests/fixtures/neutral-school); expected values written by hand.
"""

from __future__ import annotations

import shutil
import struct
import zlib
from datetime import date
from pathlib import Path

import pytest

from generator import pipeline
from generator.checks import freshness
from generator.load.strict_yaml import parse_yaml
from generator.authoring.init import STARTER

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "neutral-school"
TODAY = date(2026, 11, 24)


def _png() -> bytes:
    """A 1×1 PNG, written out here so the test needs no image library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def _school(tmp_path: Path, settings: str | None) -> Path:
    school = tmp_path / "school"
    shutil.copytree(FIXTURE, school)
    if settings is not None:
        (school / "mkdocs.yml").write_text(settings, encoding="utf-8")
    return school


ALLOWED = """\
site_name: Hillside Academy
copyright: Hillside Academy Trust
theme:
  palette:
    primary: teal
    accent: amber
  logo: assets/crest.png
  favicon: assets/crest.png
extra_css:
  - assets/hillside.css
nav:
  - School website: https://www.example.org/hillside
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp_path = tmp_path_factory.mktemp("settings")
    school = _school(tmp_path, ALLOWED)
    (school / "assets").mkdir()
    (school / "assets" / "crest.png").write_bytes(_png())
    (school / "assets" / "hillside.css").write_text(".md-header { border-bottom: 3px solid orange; }\n",
                                                    encoding="utf-8")
    out = tmp_path / "site"
    result = pipeline.build(school, out, tmp_path / "work", TODAY)
    assert result.ok, [str(d) for d in result.diagnostics if d.is_error]
    return out


@pytest.mark.parametrize("site", ["staff", "parents"])
def test_allowed_settings_show_on_both_built_sites(built, site):
    home = (built / site / "index.html").read_text(encoding="utf-8")
    assert 'data-md-color-primary="teal"' in home and 'data-md-color-accent="amber"' in home
    assert '<img src="assets/school/crest.png"' in home
    assert '<link rel="icon" href="assets/school/crest.png">' in home
    assert 'href="assets/school/hillside.css"' in home
    # The tool's own stylesheet is still there, before the school's.
    assert home.index("assets/stylesheets/site.css") < home.index("assets/school/hillside.css")
    assert 'href="https://www.example.org/hillside"' in home and "School website" in home
    assert "Hillside Academy Trust" in home
    shown = "Staff policies" if site == "staff" else "Policies for parents"
    assert f"<title>Home - Hillside Academy — {shown}</title>" in home
    assert (built / site / "assets" / "school" / "crest.png").read_bytes() == _png()


def _errors(school: Path) -> list[str]:
    result = pipeline.check(school, TODAY)
    assert result.project is None, "a refused setting must stop the build"
    return [str(d) for d in result.diagnostics if d.is_error]


FORBIDDEN = """\
site_name: Hillside Academy
theme:
  custom_dir: my-theme
plugins:
  - search
extra_javascript:
  - assets/extra.js
hooks:
  - hook.py
"""


def test_forbidden_settings_are_refused_at_their_line(tmp_path):
    errors = _errors(_school(tmp_path, FORBIDDEN))
    # Lines and columns counted by hand in FORBIDDEN above: each key where it is written.
    assert [error.split(" ")[0] for error in errors] == [
        "mkdocs.yml:3:3:", "mkdocs.yml:4:1:", "mkdocs.yml:6:1:", "mkdocs.yml:8:1:"]
    assert all(" E390 " in error for error in errors)
    assert "'theme.custom_dir' may not be set" in errors[0] and "safety measures" in errors[0]
    assert "'plugins' may not be set" in errors[1]
    assert "'extra_javascript' may not be set" in errors[2] and "Content-Security-Policy" in errors[2]
    assert "'hooks' may not be set" in errors[3]


def test_a_setting_nobody_listed_is_refused_too(tmp_path):
    errors = _errors(_school(tmp_path, "theme:\n  primary: teal\nedit_uri: x\n"))
    assert [error.split(" ")[0] for error in errors] == ["mkdocs.yml:2:3:", "mkdocs.yml:3:1:"]
    assert "'theme.primary' is not a setting a school may change" in errors[0]


@pytest.mark.parametrize("settings, where, words", [
    ("site_name: Hillside <script>alert(1)</script>\n", "mkdocs.yml:1:12:", "may not hold markup"),
    ("copyright: '{{ config }}'\n", "mkdocs.yml:1:12:", "may not hold markup"),
    ("nav:\n  - Click: javascript:alert(1)\n", "mkdocs.yml:2:12:", "must link to an https://"),
    ("nav:\n  - <b>Bold</b>: https://example.org\n", "mkdocs.yml:2:5:", "may not hold markup"),
    ("theme:\n  palette:\n    primary: 'teal\" onload=\"x'\n", "mkdocs.yml:3:14:", "may not hold markup"),
    ("theme:\n  logo: assets/crest.svg\n", "mkdocs.yml:2:9:", "can hold script"),
    ("theme:\n  logo: ../crest.png\n", "mkdocs.yml:2:9:", "in the school's assets/ folder"),
    ("theme:\n  favicon: assets/missing.png\n", "mkdocs.yml:2:12:", "not in the school's folder"),
])
def test_text_that_could_become_markup_or_script_is_refused(tmp_path, settings, where, words):
    errors = _errors(_school(tmp_path, settings))
    assert len(errors) == 1 and errors[0].startswith(where) and words in errors[0], errors


@pytest.mark.parametrize("colour, key", [("'#1a5276'", "primary"), ("navy", "primary"), ("black", "accent")])
def test_a_colour_the_theme_does_not_know_is_refused_not_ignored(tmp_path, colour, key):
    """Material ignores a palette colour it does not know (a hex colour above all) and keeps its default, so the
    school's colour would silently not appear; the names come from Material's own list (changing-the-colors)."""
    errors = _errors(_school(tmp_path, f"theme:\n  palette:\n    {key}: {colour}\n"))
    assert len(errors) == 1 and errors[0].startswith("mkdocs.yml:3:") and f"no {key} colour" in errors[0], errors
    assert "custom" in errors[0]


@pytest.mark.parametrize("colour", ["deep purple", "Teal", "custom"])
def test_the_theme_s_own_colour_names_are_accepted(tmp_path, colour):
    result = pipeline.check(_school(tmp_path, f"theme:\n  palette:\n    primary: {colour}\n"), TODAY)
    assert [str(d) for d in result.diagnostics if d.is_error] == []


@pytest.mark.parametrize("settings", [None, "# Nothing but comments: the defaults.\n#theme:\n#  logo: x\n"])
def test_without_settings_the_sites_are_as_before(tmp_path, settings):
    """The default: no file (or only comments) renders exactly what the generator renders by itself."""
    plain = pipeline.render(_school(tmp_path / "a", None), TODAY)
    assert plain.ok and plain.project.site_settings.files == {}
    result = pipeline.render(_school(tmp_path / "b", settings), TODAY)
    assert result.ok, [str(d) for d in result.diagnostics if d.is_error]
    for site in ("staff", "parents"):
        ours, theirs = result.rendered[site], plain.rendered[site]
        assert ours.config == theirs.config and ours.docs == theirs.docs and ours.files == theirs.files
    # The generated config keeps the tool's keys only (written by hand: what render.py sets).
    assert set(result.rendered["staff"].config) == {"INHERIT", "site_name", "site_description", "docs_dir",
                                                    "theme", "nav", "extra"}


def test_the_starter_and_the_root_school_have_a_file_of_defaults_only():
    """`init` writes the file (a copy of the starter); the root school's holds nothing beyond defaults, so
    its sites are built exactly as without it."""
    for path in (STARTER / "mkdocs.yml", REPO / "mkdocs.yml"):
        text = path.read_text(encoding="utf-8")
        assert parse_yaml(text, path, "mkdocs.yml") is None, f"{path} sets something"
        assert "INHERITs the tool's base config" in text


@pytest.mark.parametrize("edit", ["settings", "asset"])
def test_editing_the_settings_or_an_asset_changes_the_early_key(tmp_path, edit):
    school = _school(tmp_path, "theme:\n  logo: assets/crest.png\n")
    (school / "assets").mkdir()
    (school / "assets" / "crest.png").write_bytes(_png())
    before = freshness.raw_inputs_keys(school, TODAY, ("staff",), ("abc", False))["staff"]
    if edit == "settings":
        (school / "mkdocs.yml").write_text("theme:\n  logo: assets/crest.png\n  palette: {primary: red}\n",
                                           encoding="utf-8")
    else:
        (school / "assets" / "crest.png").write_bytes(_png() + b"\0")
    assert freshness.raw_inputs_keys(school, TODAY, ("staff",), ("abc", False))["staff"] != before
