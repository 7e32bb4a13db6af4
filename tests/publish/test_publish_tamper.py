"""publish takes only what the build made (issue 23, item 1): a build folder edited after the build is refused,
saying which file changed, and nothing already live is lost.

Each case starts from the example school's real staff build (tests/conftest.py builds it once per session), copied,
then tampered with as an attacker or a careless editor would: a page with a script appended or its
Content-Security-Policy removed, a symlink to /etc/passwd, an extra file, a missing one, a fifo. Each is tried twice
where it matters: with build-manifest.json left as the build wrote it (the manifest names the file), and rewritten
to match the tampered folder (the gate, run again on the copy, refuses it anyway).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from generator import cli
from generator.publish import publisher as pub
from generator.build.site_manifest import BUILD_MANIFEST, refresh_manifest_entry, write_site_manifest

STAFF = pub.Expectation("wexham-court", "staff")
EXPECT = ["--expect-school", "wexham-court", "--expect-site", "staff", "--preview"]  # Wexham's DSL is a placeholder
PAGE = "what-to-do/index.html"
CSP_META = '<meta http-equiv="Content-Security-Policy" content="'


@pytest.fixture
def built(tmp_path, wexham_sites) -> Path:
    """A fresh copy of the real staff build, untouched."""
    site = tmp_path / "built"
    shutil.copytree(wexham_sites / "staff", site, symlinks=True)
    return site


@pytest.fixture
def live_target(tmp_path, wexham_sites) -> tuple[Path, str]:
    """A publishing folder with the untouched build already live: what must never be lost."""
    target = tmp_path / "www"
    outcome = pub.publish(wexham_sites / "staff", target, STAFF, allow_preview=True)
    return target, outcome.live.name


def refused(capsys, site: Path, target: Path, live_name: str) -> str:
    """Publish ``site``; assert it was refused and the live release is still the one before; return the message."""
    code = cli.main(["publish", *EXPECT, "--to", str(target), "--from", str(site)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Nothing live was changed" in err
    assert os.readlink(target / "current") == f"releases/{live_name}"
    assert pub.list_releases(target) == [live_name]
    assert not [entry for entry in (target / "releases").iterdir() if entry.name.startswith(".")]
    assert pub.verify_release(target / "current") == []
    return err


def append_script(site: Path) -> None:
    page = site / PAGE
    page.write_text(page.read_text(encoding="utf-8") + "<script>alert(document.cookie)</script>\n", encoding="utf-8")


def remove_csp(site: Path) -> None:
    page = site / PAGE
    text = page.read_text(encoding="utf-8")
    start = text.index(CSP_META)
    page.write_text(text[:start] + text[text.index(">", start) + 1:], encoding="utf-8")


def test_an_untouched_build_publishes(built, tmp_path):
    """Catches: a check that refuses the build's own output (nothing could ever be published)."""
    outcome = pub.publish(built, tmp_path / "www", STAFF, allow_preview=True)
    assert os.readlink(tmp_path / "www" / "current") == f"releases/{outcome.live.name}"
    assert (tmp_path / "www" / "current" / BUILD_MANIFEST).is_file()


def test_the_build_lists_every_file_it_made(built):
    """Catches: a build manifest that leaves files out (they would be refused as added, or never checked)."""
    listed = json.loads((built / BUILD_MANIFEST).read_text())["files"]
    on_disk = {path.relative_to(built).as_posix() for path in built.rglob("*") if path.is_file()}
    assert set(listed) == on_disk - {BUILD_MANIFEST}
    assert {"index.html", PAGE, "version.json", "csp-header.conf", "search/search_index.json"} <= set(listed)


@pytest.mark.parametrize("tamper", [append_script, remove_csp], ids=["script appended", "CSP meta removed"])
def test_a_page_edited_after_the_build_is_refused_by_the_manifest(built, live_target, capsys, tamper):
    """Catches: publish trusting the build folder (issue 23: an appended <script> ran in Chromium)."""
    tamper(built)
    err = refused(capsys, built, *live_target)
    assert f"  - {PAGE}: changed since the build (its SHA-256 differs from build-manifest.json)\n" in err


@pytest.mark.parametrize("tamper, reason", [
    (append_script, "<script> that is not the theme's: 'alert(document.cookie)'"),
    (remove_csp, f"{PAGE}: its Content-Security-Policy is missing or not the build's"),
], ids=["script appended", "CSP meta removed"])
def test_a_page_edited_with_its_manifest_rewritten_is_refused_by_the_gate(built, live_target, capsys, tamper,
                                                                          reason):
    """Catches: publish trusting a manifest that sits in the folder it describes (whoever edits the folder can
    rewrite it): the gate runs again on the copy before the swap."""
    tamper(built)
    write_site_manifest(built)
    err = refused(capsys, built, *live_target)
    assert "the gate that `build` runs refuses what would go live" in err
    assert reason in err


def test_a_weakened_policy_is_refused(built, live_target, capsys):
    """Catches: a CSP check that only asks whether a policy is there ('unsafe-inline' lets any script run)."""
    page = built / PAGE
    page.write_text(page.read_text(encoding="utf-8").replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
                    encoding="utf-8")
    write_site_manifest(built)
    assert f"{PAGE}: its Content-Security-Policy is missing or not the build's" in refused(capsys, built, *live_target)


def test_a_theme_script_replaced_is_refused(built, live_target, capsys):
    """Catches: a gate that reads the pages but not the scripts they load."""
    script = built / "assets" / "javascripts" / "tree.js"
    script.write_text(script.read_text(encoding="utf-8") + "\nfetch('/steal?' + document.cookie);\n", encoding="utf-8")
    write_site_manifest(built)
    err = refused(capsys, built, *live_target)
    assert "assets/javascripts/tree.js: not one of the theme's scripts" in err


def test_an_svg_with_a_script_is_refused(built, live_target, capsys):
    """Catches: a gate that reads only .html (an SVG opened by itself runs its scripts)."""
    (built / "assets" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>')
    write_site_manifest(built)
    err = refused(capsys, built, *live_target)
    assert "assets/logo.svg:1:1: event handler attribute onload='alert(1)' is not allowed" in err


def test_a_json_file_with_markup_is_refused(built, live_target, capsys):
    """Catches: a gate that reads only the search index among the JSON files (tags.json is shown by the theme)."""
    tags = built / "tags.json"
    document = json.loads(tags.read_text(encoding="utf-8"))
    document["mappings"][0]["tags"] = ['<img src=x onerror="alert(1)">']
    tags.write_text(json.dumps(document), encoding="utf-8")
    write_site_manifest(built)
    assert "tags.json: a text holds what the gate refuses: event handler attribute onerror" in \
        refused(capsys, built, *live_target)


@pytest.mark.parametrize("rewrite_manifest", [False, True], ids=["manifest as built", "manifest rewritten"])
def test_a_symlink_to_etc_passwd_is_refused_and_never_read(built, live_target, capsys, rewrite_manifest):
    """Catches: publish following links (issue 23: /etc/passwd was published as passwd.txt and listed)."""
    os.symlink("/etc/passwd", built / "passwd.txt")
    if rewrite_manifest:
        write_site_manifest(built)
    err = refused(capsys, built, *live_target)
    assert "  - passwd.txt: not a regular file (a symbolic link): only the files the build made are published" in err
    assert "root:" not in err  # the first line of /etc/passwd
    target, _ = live_target
    assert not any(path.name == "passwd.txt" for path in target.rglob("*"))


def test_a_page_replaced_by_a_symlink_is_refused(built, live_target, capsys):
    """Catches: a check that lists files with a function that follows links (it would hash /etc/passwd's copy)."""
    (built / "404.html").unlink()
    os.symlink("/etc/passwd", built / "404.html")
    err = refused(capsys, built, *live_target)
    assert "  - 404.html: not a regular file (a symbolic link)" in err and "root:" not in err


def test_a_folder_symlinked_out_of_the_site_is_refused(built, live_target, capsys):
    os.symlink("/etc", built / "more")
    assert "  - more: not a regular file (a symbolic link)" in refused(capsys, built, *live_target)


def test_a_fifo_is_refused_without_hanging(built, live_target, capsys):
    """Catches: reading every file (opening a fifo for reading waits for a writer forever)."""
    os.mkfifo(built / "pipe.html")
    assert "  - pipe.html: not a regular file (a named pipe (fifo))" in refused(capsys, built, *live_target)


def test_an_extra_file_is_refused(built, live_target, capsys):
    """Catches: a check of the listed files only (a dropped-in page would go live unchecked)."""
    (built / "policies" / "offer.html").write_text("<!doctype html><p>Win a prize</p>")
    err = refused(capsys, built, *live_target)
    assert "  - policies/offer.html: added after the build (not in build-manifest.json)\n" in err


def test_a_missing_file_and_a_missing_manifest_are_refused(built, live_target, capsys):
    (built / "assets" / "javascripts" / "tree.js").unlink()
    assert "  - assets/javascripts/tree.js: missing (the build made it; it is gone)\n" in \
        refused(capsys, built, *live_target)
    (built / BUILD_MANIFEST).unlink()
    assert f"  - {BUILD_MANIFEST} is missing: only a folder made by `python -m generator build`" in \
        refused(capsys, built, *live_target)


def test_a_file_changed_while_being_copied_is_refused(built, tmp_path, monkeypatch):
    """Catches: a copy that is not checked against what was checked (the folder can change between the two)."""
    from generator.build import site_manifest

    original = site_manifest._copy_regular

    def copy_then_change(path: Path, out: Path):
        if path.name == "index.html" and path.parent == built:
            path.write_text("<script>alert(1)</script>")
        return original(path, out)

    monkeypatch.setattr(site_manifest, "_copy_regular", copy_then_change)
    with pytest.raises(pub.PublishError, match=r"index.html: changed during the publish"):
        pub.publish(built, tmp_path / "www", STAFF, allow_preview=True)
    assert not (tmp_path / "www" / "current").exists()


def test_the_rsync_route_refuses_a_tampered_build_before_connecting(built, tmp_path):
    """Catches: the rsync route skipping the checks the local route makes."""
    append_script(built)
    key, hosts = tmp_path / "key", tmp_path / "known_hosts"
    key.write_text("k\n")
    key.chmod(0o600)
    hosts.write_text("web ssh-ed25519 AAAA\n")
    remote = pub.Remote.parse("deploy@web:/srv/www", key, hosts, ssh_program=str(tmp_path / "no-ssh"))
    with pytest.raises(pub.PublishError, match=f"{PAGE}: changed since the build"):
        pub.publish_rsync(built, remote, STAFF, allow_preview=True)


def test_the_build_refreshing_version_json_keeps_the_manifest_true_and_never_vouches_for_an_edit(built):
    """Catches: a rebuild that rewrites version.json (the raw inputs' key) and leaves the manifest stale, or that
    rewrites the whole manifest and so vouches for a folder edited since the build."""
    version = built / "version.json"
    old = json.loads((built / BUILD_MANIFEST).read_text())["files"]["version.json"]
    version.write_text(version.read_text() + " ")
    refresh_manifest_entry(built, "version.json", old)
    pub.check_build(built, STAFF, allow_preview=True)  # publishable
    edited_old = json.loads((built / BUILD_MANIFEST).read_text())["files"]["version.json"]
    version.write_text(version.read_text() + " ")
    refresh_manifest_entry(built, "version.json", "0" * 64)  # the manifest did not hold what was there before
    with pytest.raises(pub.PublishError, match="version.json: changed since the build"):
        pub.check_build(built, STAFF, allow_preview=True)
    assert json.loads((built / BUILD_MANIFEST).read_text())["files"]["version.json"] == edited_old


def test_the_gate_at_publish_allows_http_links_only_if_the_build_did(tmp_path):
    """Catches: publish's gate run with other options than the build's (a school with allow_http_links: true could
    never publish), and an http:// link going out from a build that did not allow it."""
    from test_publish import STAFF as OAKFIELD_STAFF, make_site

    page = '<!doctype html><html><head><meta charset="utf-8"></head><body><a href="http://example.org/">x</a></body></html>'
    site = make_site(tmp_path / "site", extra={"policies/index.html": page})  # its manifest: http not allowed
    with pytest.raises(pub.PublishError, match=r"policies/index.html:1:\d+: <a href='http://example.org/'>"):
        pub.publish(site, tmp_path / "www", OAKFIELD_STAFF)
    write_site_manifest(site, allow_http=True)  # as `build` writes it for a school with allow_http_links: true
    pub.publish(site, tmp_path / "www", OAKFIELD_STAFF)
    assert "http://example.org/" in (tmp_path / "www" / "current" / "policies" / "index.html").read_text()


def test_the_build_records_the_gates_http_option_in_its_manifest(tmp_path):
    """Catches: the build not passing school.yml's allow_http_links to the manifest (its http links would then be
    refused at publish, though the build's gate allowed them)."""
    from generator import pipeline
    from support import TODAY

    project = tmp_path / "school"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "rules-school", project)
    with open(project / "school.yml", "a", encoding="utf-8") as handle:
        handle.write("site:\n  allow_http_links: true\n")
    built = pipeline.build(project, tmp_path / "site", tmp_path / "work", TODAY, ("staff",))
    assert built.ok, [str(d) for d in built.diagnostics if d.is_error]
    manifest = json.loads((tmp_path / "site" / "staff" / BUILD_MANIFEST).read_text())
    assert manifest["gate_allows_http_links"] is True
