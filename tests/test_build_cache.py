"""Incremental builds (issue 17, item 3): a site built from the same inputs is not rebuilt, and a change to
any one input is.

A stale page is the defect these guard against: each input that ``inputs_key`` hashes is changed on its
own and must change the key (planted: leaving the theme files out of the key turns
the three theme cases red; leaving version.json out turns the --today, checksum and commit cases red).
The end-to-end test builds the neutral fixture school: unchanged inputs keep the output folder as it
was (same version.json, same inode); --force, a changed data file, a changed --today date and a changed
generator template each rebuild.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from generator import build as build_module
from generator import freshness, pipeline, render
from generator.render import RenderedSite

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "neutral-school"
TODAY = date(2026, 11, 24)


@pytest.fixture
def site(tmp_path) -> tuple[RenderedSite, dict]:
    base = tmp_path / "mkdocs.yml"
    base.write_text("site_name: x\n", encoding="utf-8")
    theme = tmp_path / "theme"
    (theme / "assets" / "javascripts").mkdir(parents=True)
    (theme / "main.html").write_text("{% extends 'base.html' %}\n", encoding="utf-8")
    (theme / "assets" / "javascripts" / "tree.js").write_text("// tree\n", encoding="utf-8")
    rendered = RenderedSite(
        name="staff",
        docs={"index.md": "# Home\n", "what-to-do/concern/index.md": "# Concern\n"},
        includes={"abbreviations.md": "*[DSL]: Designated Safeguarding Lead\n",
                  "guides/concern.html": "<section>Step one</section>"},
        config={"INHERIT": str(base), "theme": {"name": "material", "custom_dir": str(theme)}, "nav": ["index.md"]},
    )
    version = {"git_sha": "abc", "built_at": "2026-11-24T09:00:00+00:00", "review_dates_checked_on": "2026-11-24",
               "validated": True, "data_checksums": {"school.yml": "1"}}
    return rendered, version


def _key(rendered: RenderedSite, version: dict, **options) -> str:
    return build_module.inputs_key(rendered, version, options.get("gate", True), options.get("allow_http", False))


def _edit(rendered: RenderedSite, version: dict, what: str) -> None:
    theme = Path(rendered.config["theme"]["custom_dir"])
    if what == "one page":
        rendered.docs["what-to-do/concern/index.md"] += "More.\n"
    elif what == "a new page":
        rendered.docs["extra.md"] = "# Extra\n"
    elif what == "an include":
        rendered.includes["abbreviations.md"] += "*[LADO]: Local Authority Designated Officer\n"
    elif what == "the config":
        rendered.config["nav"] = ["index.md", "what-to-do/concern/index.md"]
    elif what == "base config":
        Path(rendered.config["INHERIT"]).write_text("site_name: y\n", encoding="utf-8")
    elif what == "theme template":
        (theme / "main.html").write_text("{% extends 'base.html' %}{# changed #}\n", encoding="utf-8")
    elif what == "theme asset":
        (theme / "assets" / "javascripts" / "tree.js").write_text("// tree, changed\n", encoding="utf-8")
    elif what == "new theme file":
        (theme / "assets" / "extra.css").write_text("a {}\n", encoding="utf-8")
    elif what == "a guide's steps":
        rendered.includes["guides/concern.html"] += "<section>Step two</section>"
    elif what == "--today":
        version["review_dates_checked_on"] = "2026-11-25"
    elif what == "a data file's checksum":
        version["data_checksums"]["school.yml"] = "2"
    elif what == "the commit":
        version["git_sha"] = "def"
    else:  # pragma: no cover
        raise AssertionError(what)


EDITS = ["one page", "a new page", "an include", "a guide's steps", "the config", "base config", "theme template", "theme asset",
         "new theme file", "--today", "a data file's checksum", "the commit"]


@pytest.mark.parametrize("what", EDITS)
def test_every_input_changes_the_key(site, what):
    rendered, version = site
    before = _key(rendered, version)
    assert _key(rendered, version) == before, "the key must be the same for the same inputs"
    _edit(rendered, version, what)
    assert _key(rendered, version) != before, f"changing {what} left the key unchanged: a stale site would stay"


def test_the_build_time_and_options(site, monkeypatch):
    rendered, version = site
    before = _key(rendered, version)
    assert _key(rendered, {**version, "built_at": "2030-01-01T00:00:00+00:00"}) == before  # not an input
    assert _key(rendered, version, gate=False) != before
    assert _key(rendered, version, allow_http=True) != before
    from importlib import metadata
    original = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "99.0" if name == "mkdocs-material" else original(name))
    assert _key(rendered, version) != before, "a new mkdocs-material must rebuild"


def test_up_to_date_needs_a_complete_build_with_the_same_key(tmp_path):
    site = tmp_path / "staff"
    (site / "search").mkdir(parents=True)
    for name in ("index.html", "404.html", "search/search_index.json"):
        (site / name).write_text("x", encoding="utf-8")
    (site / "version.json").write_text(json.dumps({build_module.INPUTS_KEY: "k"}), encoding="utf-8")
    assert build_module.is_up_to_date(site, "k")
    assert not build_module.is_up_to_date(site, "other")
    (site / "404.html").unlink()
    assert not build_module.is_up_to_date(site, "k"), "a site missing a page is rebuilt"
    assert not build_module.is_up_to_date(tmp_path / "absent", "k")
    (site / "404.html").write_text("x", encoding="utf-8")
    (site / "version.json").write_text("not json", encoding="utf-8")
    assert not build_module.is_up_to_date(site, "k")


def _identity(site: Path) -> tuple:
    version = json.loads((site / "version.json").read_text(encoding="utf-8"))
    return version["built_at"], version[build_module.INPUTS_KEY], (site / "index.html").stat().st_ino


def test_build_skips_an_unchanged_site_and_rebuilds_a_changed_one(tmp_path, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    out, work = tmp_path / "site", tmp_path / "work"

    first = pipeline.build(project, out, work, TODAY, ("staff",))
    assert first.ok and first.built == ["staff"], [str(d) for d in first.diagnostics]
    built = _identity(out / "staff")

    again = pipeline.build(project, out, work, TODAY, ("staff",))
    assert again.ok and again.built == [], "nothing changed, yet the site was rebuilt"
    assert _identity(out / "staff") == built

    forced = pipeline.build(project, out, work, TODAY, ("staff",), force=True)
    assert forced.built == ["staff"]
    built = _identity(out / "staff")

    policy = project / "policies" / "mobile-phones.yml"
    policy.write_text(policy.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    changed = pipeline.build(project, out, work, TODAY, ("staff",))
    assert changed.built == ["staff"], "a changed data file must rebuild (its checksum is in version.json)"
    built = _identity(out / "staff")

    later = pipeline.build(project, out, work, date(2026, 11, 25), ("staff",))
    assert later.built == ["staff"], "a different --today must rebuild (review dates are checked against it)"
    assert _identity(out / "staff") != built

    # A changed generator template changes the generated pages, and so the key. The template is changed in a
    # copy of the tool, which both the renderer and the early check (generator/freshness.py) read.
    tool = tmp_path / "tool"
    shutil.copytree(freshness.PACKAGE, tool, ignore=shutil.ignore_patterns("__pycache__"))
    page = tool / "templates" / "staff" / "home.md.j2"
    page.write_text(page.read_text(encoding="utf-8") + "\nA line added to the template.\n", encoding="utf-8")
    monkeypatch.setattr(render, "TEMPLATES", tool / "templates")
    monkeypatch.setattr(freshness, "PACKAGE", tool)
    templated = pipeline.build(project, out, work, date(2026, 11, 25), ("staff",))
    assert templated.built == ["staff"], "a changed template must rebuild"
    assert "A line added to the template." in (out / "staff" / "index.html").read_text(encoding="utf-8")


def test_the_code_that_acts_on_the_built_site_is_in_the_key():
    """merge_entries (search_index.py) and the gate change the output after mkdocs, whatever the sources: a change
    to them must rebuild (planted: search_index.py left out of _BUILD_CODE -> red)."""
    import ast

    tree = ast.parse(Path(build_module.__file__).read_text(encoding="utf-8"))
    used_after_mkdocs = {"gate", "search_index"}
    imported = {node.module.rpartition(".")[2] for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator.")}
    assert used_after_mkdocs <= imported, "the test's list is out of date with build.py's imports"
    assert {f"{name}.py" for name in used_after_mkdocs | {"build"}} <= {path.name for path in build_module._BUILD_CODE}
