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

from generator.build import caches
from generator.build import mkdocs_build as build_module
from generator import pipeline
from generator.checks import freshness
from generator.render import renderer as render
from generator.render.renderer import RenderedSite

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "neutral-school"
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
        files={"policies/concern/concern.pdf": b"%PDF-1.7"},
        includes={"abbreviations.md": "*[DSL]: Designated Safeguarding Lead\n",
                  "guides/concern.html": "<section>Step one</section>"},
        config={"INHERIT": str(base), "theme": {"name": "material", "custom_dir": str(theme)}, "nav": ["index.md"]},
    )
    version = {"git_sha": "abc", "built_at": "2026-11-24T09:00:00+00:00", "review_dates_checked_on": "2026-11-24",
               "validated": True, "data_checksums": {"school.yml": "1"}}
    return rendered, version


def _key(rendered: RenderedSite, version: dict, **options) -> str:
    return caches.inputs_key(rendered, version, options.get("gate", True), options.get("allow_http", False))


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
    elif what == "a PDF":
        rendered.files["policies/concern/concern.pdf"] = b"%PDF-1.7 changed"
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


EDITS = ["one page", "a new page", "an include", "a PDF", "a guide's steps", "the config", "base config", "theme template", "theme asset",
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
    # Every installed package counts (MarkupSafe, PyYAML, backrefs… run in mkdocs too), as its metadata folder names it.
    installed = caches.installed_packages()
    assert any("/mkdocs_material-" in name for name in installed)
    assert any("/markupsafe-" in name.lower() for name in installed)
    monkeypatch.setattr(caches, "installed_packages",
                        lambda: [name + ".99" if "/markupsafe-" in name.lower() else name for name in installed])
    assert _key(rendered, version) != before, "a new MarkupSafe must rebuild"
    monkeypatch.setattr(caches, "installed_packages", lambda: installed)
    monkeypatch.setattr(caches.sys, "version", "3.99.0")
    assert _key(rendered, version) != before, "another Python must rebuild"


def test_up_to_date_needs_a_complete_build_with_the_same_key(tmp_path):
    site = tmp_path / "staff"
    (site / "search").mkdir(parents=True)
    for name in ("index.html", "404.html", "search/search_index.json"):
        (site / name).write_text("x", encoding="utf-8")
    (site / "version.json").write_text(json.dumps({caches.INPUTS_KEY: "k"}), encoding="utf-8")
    assert caches.is_up_to_date(site, "k")
    assert not caches.is_up_to_date(site, "other")
    (site / "404.html").unlink()
    assert not caches.is_up_to_date(site, "k"), "a site missing a page is rebuilt"
    assert not caches.is_up_to_date(tmp_path / "absent", "k")
    (site / "404.html").write_text("x", encoding="utf-8")
    (site / "version.json").write_text("not json", encoding="utf-8")
    assert not caches.is_up_to_date(site, "k")


def _identity(site: Path) -> tuple:
    version = json.loads((site / "version.json").read_text(encoding="utf-8"))
    return version["built_at"], version[caches.INPUTS_KEY], (site / "index.html").stat().st_ino


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
    # copy of the tool, which both the renderer and the early check (generator/checks/freshness.py) read.
    tool = tmp_path / "tool"
    shutil.copytree(freshness.PACKAGE, tool, ignore=shutil.ignore_patterns("__pycache__"))
    page = tool / "templates" / "staff" / "home.md.j2"
    page.write_text(page.read_text(encoding="utf-8") + "\nA line added to the template.\n", encoding="utf-8")
    monkeypatch.setattr(render, "TEMPLATES", tool / "templates")
    monkeypatch.setattr(freshness, "PACKAGE", tool)
    templated = pipeline.build(project, out, work, date(2026, 11, 25), ("staff",))
    assert templated.built == ["staff"], "a changed template must rebuild"
    assert "A line added to the template." in (out / "staff" / "index.html").read_text(encoding="utf-8")


# Modules build.py takes only names from, whose code does not act on a built site: the RenderedSite type (what
# rendering makes reaches the key as the rendered sources) and version.json's file and field names.
ONLY_NAMES_FROM = {"generator.render.renderer": "the RenderedSite type",
                   "generator.checks.freshness": "VERSION_FILE, RAW_KEY, git_state (into version.json)"}


def _is_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # a name inside a module, not a module
        return False


def _generator_imports(module: str) -> set[str]:
    """The generator's modules that ``module`` imports, by dotted name (so the walk holds in any folder layout)."""
    import ast
    import importlib

    tree = ast.parse(Path(importlib.import_module(module).__file__).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and (node.module == "generator" or node.module.startswith("generator.")):
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if _is_module(name) else node.module)
    return found - {"generator"}


def test_the_code_that_acts_on_the_built_site_is_in_the_key():
    """The guides' steps (guide_steps.py), merge_entries (search_index.py) and the gate change the output after
    mkdocs, whatever the sources: a change to any module build.py runs, directly or through another, must rebuild.
    The bug it caught: guide_steps.py, added to build.py's imports, was not in _BUILD_CODE (planted again: red)."""
    import importlib

    wanted, todo = {build_module.__name__}, [build_module.__name__]
    while todo:
        for name in _generator_imports(todo.pop()) - set(ONLY_NAMES_FROM):
            if name not in wanted:
                wanted.add(name)
                todo.append(name)
    assert {"generator.build.gate", "generator.render.guide_steps", "generator.render.search_index", "generator.load.urls"} <= wanted, \
        "the import walk found too little"
    files = {Path(importlib.import_module(name).__file__).resolve() for name in wanted}
    assert files <= {path.resolve() for path in caches._BUILD_CODE}


# What mkdocs reads, and what is only added to its output after it (issue 17: a change of the second kind
# reuses mkdocs' last output). Planted: every include counted as added after mkdocs -> "an include" red;
# the guides' steps counted as read by mkdocs -> "a guide's steps" red.
READ_BY_MKDOCS = ["one page", "a new page", "an include", "a PDF", "the config", "base config", "theme template",
                  "theme asset", "new theme file"]
NOT_READ_BY_MKDOCS = ["a guide's steps", "--today", "a data file's checksum", "the commit"]


@pytest.mark.parametrize("what", READ_BY_MKDOCS + NOT_READ_BY_MKDOCS)
def test_the_mkdocs_key_holds_what_mkdocs_reads_and_nothing_else(site, what):
    rendered, version = site
    before = caches.mkdocs_key(rendered)
    _edit(rendered, version, what)
    if what in READ_BY_MKDOCS:
        assert caches.mkdocs_key(rendered) != before, f"mkdocs reads {what}: its old output would be stale"
    else:
        assert caches.mkdocs_key(rendered) == before, f"mkdocs does not read {what}: it need not run again"


def test_the_search_entries_are_added_after_mkdocs():
    assert caches.read_after_mkdocs("search-entries.json")
    assert caches.read_after_mkdocs("guides/concern.html")
    assert not caches.read_after_mkdocs("abbreviations.md")
    assert not caches.read_after_mkdocs("guides/concern.md")
    assert not caches.read_after_mkdocs("other/guides/concern.html")


RULES_SCHOOL = FIXTURE.parent / "rules-school"
_DATED = {"version.json", "sitemap.xml", "sitemap.xml.gz",  # the build's time and date; nothing else may differ
          "build-manifest.json"}  # (it holds version.json's hash)


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*"))
            if path.is_file() and path.name not in _DATED}


def test_a_change_mkdocs_does_not_read_skips_mkdocs_and_gives_the_site_a_full_build_gives(tmp_path, monkeypatch):
    """The defect it guards against is a stale page: a build that reused mkdocs' output must equal, file for file,
    a full build of the same sources. Planted: mkdocs' output kept after the steps were put in -> the next build
    stops (the guide page has no place for its steps; red); nothing kept -> mkdocs runs again (red); the gate not
    given its memory -> red."""
    project = tmp_path / "project"
    shutil.copytree(RULES_SCHOOL, project)
    out, work = tmp_path / "site", tmp_path / "work"
    mkdocs_runs: list[list[str]] = []
    popen = build_module.subprocess.Popen

    def counting(args, **options):
        if "mkdocs" in args:
            mkdocs_runs.append(args)
        return popen(args, **options)

    monkeypatch.setattr(build_module.subprocess, "Popen", counting)
    remembered: list[int] = []  # how many pages each gate was told had passed before
    check_site = build_module.check_site

    def recording(*args, passed_before=None, **options):
        remembered.append(len(passed_before or {}))
        return check_site(*args, passed_before=passed_before, **options)

    monkeypatch.setattr(build_module, "check_site", recording)
    first = pipeline.build(project, out, work, TODAY, ("staff",))
    assert first.ok and first.built == ["staff"], [str(d) for d in first.diagnostics]
    assert len(mkdocs_runs) == 1 and remembered == [0]

    guide = project / "decision_trees" / "worried-about-a-child.yml"
    text = guide.read_text(encoding="utf-8")
    assert "question: What worries you?" in text
    guide.write_text(text.replace("question: What worries you?", "question: What worries you most?"), encoding="utf-8")
    steps_only = pipeline.build(project, out, work, TODAY, ("staff",))
    assert steps_only.ok and steps_only.built == ["staff"], [str(d) for d in steps_only.diagnostics]
    assert len(mkdocs_runs) == 1, "a change to a guide's steps alone ran mkdocs again"
    pages = len(list((out / "staff").rglob("*.html")))
    assert remembered[-1] == pages, "the gate was not given the pages that passed the last build"
    page = (out / "staff" / "what-to-do" / "worried-about-a-child" / "index.html").read_text(encoding="utf-8")
    assert "What worries you most?" in page and "What worries you?" not in page
    assert "What worries you most?" in (out / "staff" / "search" / "search_index.json").read_text(encoding="utf-8")

    full = pipeline.build(project, tmp_path / "full", tmp_path / "full-work", TODAY, ("staff",))
    assert full.ok and len(mkdocs_runs) == 2
    reused, built = _files(out / "staff"), _files(tmp_path / "full" / "staff")
    assert sorted(reused) == sorted(built)
    assert [name for name in built if reused[name] != built[name]] == []

    guide.write_text(guide.read_text(encoding="utf-8").replace("title: I am worried about a child",
                                                               "title: I am worried about a pupil"), encoding="utf-8")
    titled = pipeline.build(project, out, work, TODAY, ("staff",))
    assert titled.ok and len(mkdocs_runs) == 3, "a guide's title is in the pages mkdocs builds: it must run"
    forced = pipeline.build(project, out, work, TODAY, ("staff",), force=True)
    assert forced.ok and len(mkdocs_runs) == 4 and remembered[-1] == 0, "--force reuses nothing"
    assert "I am worried about a pupil" in (out / "staff" / "index.html").read_text(encoding="utf-8") \
        or "I am worried about a pupil" in (out / "staff" / "what-to-do" / "index.html").read_text(encoding="utf-8")


def test_the_gate_memory_is_used_only_by_the_same_gate(tmp_path, monkeypatch):
    """Pages that passed an older gate are read again by a changed one (planted: the version not compared -> red)."""
    from generator.build import gate
    from generator.load import urls

    cache = tmp_path / "staff.json"
    script = gate.script_hash("var x = 1")
    cache.write_text(json.dumps({"gate_version": "v1", "passed": {"ab": [script]}}), encoding="utf-8")
    assert caches._passed_before(cache, "v1") == {"ab": [script]}
    assert caches._passed_before(cache, "v2") == {}
    cache.write_text("not json", encoding="utf-8")
    assert caches._passed_before(cache, "v1") == {}
    cache.write_text(json.dumps({"gate_version": "v1", "passed": {"ab": script}}), encoding="utf-8")
    assert caches._passed_before(cache, "v1") == {}, "a damaged memory is not used"
    # Its hashes go into every page's Content-Security-Policy: nothing but a hash may come from it.
    cache.write_text(json.dumps({"gate_version": "v1", "passed": {"ab": [script[:-1] + " 'unsafe-inline'"]}}),
                     encoding="utf-8")
    assert caches._passed_before(cache, "v1") == {}
    assert caches._passed_before(tmp_path / "absent.json", "v1") == {}

    before = gate.gate_version(allow_http=False)
    for module in (gate, urls):
        copy = tmp_path / Path(module.__file__).name
        copy.write_text(Path(module.__file__).read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
        monkeypatch.setattr(module, "__file__", str(copy))
        assert gate.gate_version(allow_http=False) != before, f"a change to {copy.name} kept the gate's memory"
        before = gate.gate_version(allow_http=False)


def _kept(cache: Path) -> str | None:
    return (cache / "key").read_text(encoding="utf-8") if (cache / "key").is_file() else None


def test_keeping_mkdocs_output_stopped_half_way_leaves_the_old_copy_or_none(tmp_path, monkeypatch):
    """Never a partial copy under a key (planted: the old copy deleted in place, its key first kept -> red)."""
    built, cache = tmp_path / "built", tmp_path / "work" / "mkdocs-cache" / "staff"
    for name in ("index.html", "a/index.html", "b/index.html"):
        (built / name).parent.mkdir(parents=True, exist_ok=True)
        (built / name).write_text(name, encoding="utf-8")
    caches._keep_mkdocs_output(built, cache, "old")
    assert _kept(cache) == "old" and (cache / "site" / "b" / "index.html").is_file()

    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:  # stopped while copying: the old copy is whole
        patch.setattr(caches.shutil, "copytree", stop)
        with pytest.raises(KeyboardInterrupt):
            caches._keep_mkdocs_output(built, cache, "new")
    assert _kept(cache) == "old" and len(list((cache / "site").rglob("*.html"))) == 3

    replace, calls = caches.os.replace, []

    def stop_second(*args):
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return replace(*args)

    with monkeypatch.context() as patch:  # stopped between moving the old copy away and putting the new one in
        patch.setattr(caches.os, "replace", stop_second)
        with pytest.raises(KeyboardInterrupt):
            caches._keep_mkdocs_output(built, cache, "new")
    assert not cache.exists(), "a copy was left under the name"
    assert not caches._reuse_mkdocs_output(cache, "old", tmp_path / "target")
    assert sorted(path.name for path in cache.parent.iterdir()) == [], "the build's own leftovers were not removed"

    caches._keep_mkdocs_output(built, cache, "new")
    assert caches._reuse_mkdocs_output(cache, "new", tmp_path / "target")
    assert sorted(path.relative_to(tmp_path / "target").as_posix() for path in (tmp_path / "target").rglob("*.html")) \
        == ["a/index.html", "b/index.html", "index.html"]


def test_sources_changed_while_mkdocs_reads_them_stop_the_build(tmp_path, monkeypatch):
    """Another process (a live preview regenerating on a save) writing the site's sources while mkdocs reads
    them: the build stops, nothing goes live and nothing is kept (planted: the check left out -> red)."""
    project = tmp_path / "project"
    shutil.copytree(RULES_SCHOOL, project)
    out, work = tmp_path / "site", tmp_path / "work"
    popen = build_module.subprocess.Popen

    def meddling(args, **options):
        if "mkdocs" in args:
            page = Path(options["cwd"]) / "docs" / "index.md"
            page.write_text(page.read_text(encoding="utf-8") + "\nWritten by another process.\n", encoding="utf-8")
        return popen(args, **options)

    monkeypatch.setattr(build_module.subprocess, "Popen", meddling)
    result = pipeline.build(project, out, work, TODAY, ("staff",))
    assert not result.ok and [d.code for d in result.diagnostics if d.is_error] == ["E604"]
    assert not (out / "staff").exists() and not (work / caches.MKDOCS_CACHE_DIR / "staff").exists()


def test_a_killed_build_s_copy_is_removed_and_a_running_one_s_kept(tmp_path):
    """Planted: leftovers never removed -> the dead build's copy stays (red)."""
    built, cache = tmp_path / "built", tmp_path / "mkdocs-cache" / "staff"
    (built / "index.html").parent.mkdir(parents=True)
    (built / "index.html").write_text("x", encoding="utf-8")
    dead, running, other = (cache.parent / ".staff.new-999999999-ab_c1", cache.parent / ".staff.new-1-xy",
                            cache.parent / ".staff.notes")
    for folder in (dead, running, other):
        folder.mkdir(parents=True)
    caches._keep_mkdocs_output(built, cache, "k")
    assert not dead.exists() and running.exists() and other.exists() and _kept(cache) == "k"
