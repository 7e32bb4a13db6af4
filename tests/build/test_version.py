"""version.json (issue 13, item 6): which school, site and commit a build is, and its own list of pages."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from generator.build.mkdocs_build import expected_pages, version_info, write_version
from generator.load.diagnostics import DiagnosticError
from generator.render.renderer import RenderedSite

TODAY = date(2025, 3, 1)


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def repository(tmp_path) -> Path:
    """A git repository holding a one-file school project, committed."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    git(root, "config", "user.email", "test@example.invalid")
    git(root, "config", "user.name", "Test")
    (root / "school.yml").write_text("id: oakfield\n")
    git(root, "add", "school.yml")
    git(root, "commit", "-q", "-m", "first")
    return root


def test_the_commit_is_found_from_another_folder_and_a_clean_checkout_is_not_dirty(repository, tmp_path,
                                                                                     monkeypatch):
    monkeypatch.chdir(tmp_path)  # not the project folder: git must be run with -C <project>
    info = version_info(repository, [repository / "school.yml"], TODAY, "oakfield")
    assert info["git_sha"] == git(repository, "rev-parse", "HEAD") and len(info["git_sha"]) == 40
    assert info["git_dirty"] is False
    assert info["school_id"] == "oakfield"
    assert info["data_checksums"] == {"school.yml":
                                      "72a548053d7d1658bbee419b1479967c28d1134834dd9fdbca57a1938142803a"}  # sha256sum


def test_a_worktree_and_uncommitted_changes(repository, tmp_path, monkeypatch):
    worktree = tmp_path / "worktree"
    git(repository, "worktree", "add", "-q", "-b", "other", str(worktree))
    monkeypatch.chdir(repository)
    info = version_info(worktree, [worktree / "school.yml"], TODAY)
    assert info["git_sha"] == git(worktree, "rev-parse", "HEAD")
    assert info["git_dirty"] is False
    (worktree / "school.yml").write_text("id: changed\n")
    assert version_info(worktree, [worktree / "school.yml"], TODAY)["git_dirty"] is True
    git(worktree, "checkout", "--", "school.yml")
    (worktree / "new-policy.yml").write_text("id: new\n")  # an untracked file changes the build too
    assert version_info(worktree, [worktree / "school.yml"], TODAY)["git_dirty"] is True


def test_outside_git_the_commit_is_unknown_and_dirty_is_null(tmp_path):
    (tmp_path / "school.yml").write_text("id: oakfield\n")
    info = version_info(tmp_path, [tmp_path / "school.yml"], TODAY)
    assert (info["git_sha"], info["git_dirty"]) == ("unknown", None)


def site(docs: list[str], directory_urls: bool = True) -> RenderedSite:
    return RenderedSite("staff", docs={path: "" for path in docs},
                        config={"site_name": "Oakfield — Staff policies", "use_directory_urls": directory_urls})


DOCS = ["index.md", "policies/index.md", "policies/phones.md", "what-to-do/lost-phone.md", "contacts.md",
        "images/logo.png"]


def test_each_source_page_becomes_one_html_page():
    assert expected_pages(site(DOCS)) == ["404.html", "contacts/index.html", "index.html", "policies/index.html",
                                          "policies/phones/index.html", "what-to-do/lost-phone/index.html"]
    assert expected_pages(site(DOCS, directory_urls=False)) == [
        "404.html", "contacts.html", "index.html", "policies/index.html", "policies/phones.html",
        "what-to-do/lost-phone.html"]


def test_version_json_lists_the_pages_and_a_missing_one_fails_the_build(tmp_path):
    built = tmp_path / "staff"
    for page in ["404.html", "contacts/index.html", "index.html", "policies/index.html", "policies/phones/index.html",
                 "what-to-do/lost-phone/index.html"]:
        (built / page).parent.mkdir(parents=True, exist_ok=True)
        (built / page).write_text("<html></html>")
    write_version(built, site(DOCS), {"school_id": "oakfield", "validated": True})
    version = json.loads((built / "version.json").read_text())
    assert version["site"] == "staff" and version["school_id"] == "oakfield"
    assert version["site_name"] == "Oakfield — Staff policies"
    assert "policies/phones/index.html" in version["pages"] and len(version["pages"]) == 6

    (built / "policies" / "phones" / "index.html").unlink()
    with pytest.raises(DiagnosticError) as caught:
        write_version(built, site(DOCS), {})
    assert [str(d) for d in caught.value.diagnostics] == [
        "build/staff/mkdocs.yml:1:1: E603 staff site: mkdocs did not make policies/phones/index.html"]


@pytest.mark.parametrize("name", ["staff", "parents"])
def test_the_example_build_lists_every_page_it_made(wexham_sites, name):
    version = json.loads((wexham_sites / name / "version.json").read_text())
    on_disk = sorted(path.relative_to(wexham_sites / name).as_posix() for path in (wexham_sites / name).rglob("*.html"))
    assert version["pages"] == on_disk
    assert version["site"] == name and version["school_id"] == "wexham-court"
    assert any(page.startswith("policies/") for page in on_disk) and any(p.startswith("what-to-do/") for p in on_disk)


# --------------------------------------------------------------------------------------------
# The 404 page's emergency panel (issue 13, item 7): the school's contacts, as plain data


def test_the_not_found_pages_emergency_contacts_come_from_the_school_and_respect_public(wexham_project):
    import dataclasses

    from generator.load.models.school import SiteSettings
    from generator.pipeline import BASE_CONFIG, THEME_DIR
    from generator.render.renderer import render_project

    contacts = dict(wexham_project.contacts)
    contacts["dsl"] = contacts["dsl"].model_copy(update={"name": "Ms A Example", "phone": "01632 960001",
                                                         "placeholder": False})
    contacts["school_office"] = contacts["school_office"].model_copy(update={"public": False})
    school = wexham_project.school.model_copy(
        update={"site": SiteSettings(parents_url="https://www.example.sch.uk/p/")})
    rendered = render_project(dataclasses.replace(wexham_project, school=school, contacts=contacts),
                              BASE_CONFIG, THEME_DIR)
    staff, parents = (rendered[name].config["extra"] for name in ("staff", "parents"))
    dsl = {"role": "Designated Safeguarding Lead (DSL)", "name": "Ms A Example", "phone": "01632 960001",
           "placeholder": False}
    assert staff["emergency"]["contacts"][1] == dsl
    assert [c["role"] for c in staff["emergency"]["contacts"]] == [
        "Police (emergency)", "Designated Safeguarding Lead (DSL)", "Deputy Designated Safeguarding Lead",
        "Headteacher", "Out-of-hours children's social care (emergency duty team)"]
    # the school office is public: false, so the parents' panel leaves it out
    assert [c["role"] for c in parents["emergency"]["contacts"]] == ["Police (emergency)",
                                                                     "Designated Safeguarding Lead (DSL)"]
    assert parents["site_root_path"] == "/p/" and "site_root_path" not in staff


def test_the_site_root_path_stays_on_its_own_host():
    from generator.render.renderer import site_root_path

    assert site_root_path("https://intranet.example.sch.uk/policies") == "/policies/"
    assert site_root_path("https://intranet.example.sch.uk/policies/staff/") == "/policies/staff/"
    assert site_root_path("https://www.example.sch.uk") == "/"
    assert site_root_path("https://www.example.sch.uk//evil.example/") == "/evil.example/"
    assert site_root_path("https://www.example.sch.uk/\\evil.example/") == "/evil.example/"
