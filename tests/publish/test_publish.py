"""Publishing (issue 5): releases, manifest, atomic swap, pruning, rollback, refusals, the rsync route.

These use small synthetic built sites (what `python -m generator build` writes: version.json,
index.html, 404.html, search/search_index.json); the real build is published to a real nginx in
test_publish_nginx.py. The rsync route runs real rsync, with a stand-in for ssh that runs the
remote side on this machine (there is no SSH server here).
"""

from __future__ import annotations

import fcntl
import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator import cli
from generator.publish import publisher as pub
from generator.publish.releases import _RELEASE_NAME
from generator.publish.remote import _remote_finish_script
from generator.build.gate import add_csp
from generator.build.site_manifest import write_site_manifest

REPO = Path(__file__).resolve().parents[2]


SCHOOL = "oakfield"
STAFF = pub.Expectation(SCHOOL, "staff")
EXPECT = ["--expect-school", SCHOOL, "--expect-site", "staff"]


def make_site(root: Path, label: str = "A", validated=True, extra: dict[str, str] | None = None,
              school: str = SCHOOL, site: str = "staff") -> Path:
    """A minimal complete built site whose every page says which build it is, finished as `build` finishes one:
    the Content-Security-Policy on every page, then build-manifest.json (what publish takes, file by file)."""
    root.mkdir(parents=True, exist_ok=True)
    page = f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{label}</title></head><body>build {label}</body></html>\n"
    files = {
        "index.html": page,
        "404.html": page.replace("build", "not found"),
        "policies/index.html": page,
        "assets/site.css": "body { color: black }\n",  # the same in every build
        "search/search_index.json": json.dumps({"docs": [{"location": "", "text": label}]}),
        "version.json": json.dumps({"git_sha": f"{label.lower() * 7}0123456789abcdef", "built_at":
                                    f"2025-01-0{len(label)}T10:00:00+00:00", "validated": validated,
                                    "school_id": school, "site": site,
                                    "pages": ["404.html", "index.html", "policies/index.html"]}),
    }
    files.update(extra or {})
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    add_csp(root, set())
    write_site_manifest(root)
    return root


def publish(source, target, **options):
    return pub.publish(source, target, STAFF, **options)


def publish_rsync(source, remote, **options):
    return pub.publish_rsync(source, remote, STAFF, **options)


def live(target: Path) -> str:
    return os.readlink(target / "current")


def at(second: int) -> datetime:
    return datetime(2025, 3, 1, 12, 0, second, 123000, tzinfo=timezone.utc)


# --------------------------------------------------------------------------------------------
# A publish


def test_publish_makes_a_verified_release_and_points_current_at_it(tmp_path, capsys):
    site = make_site(tmp_path / "site")
    target = tmp_path / "www"
    code = cli.main(["publish", *EXPECT, "--to", str(target), "--from", str(site)])
    out, err = capsys.readouterr()
    assert code == 0, err

    (name,) = pub.list_releases(target)
    assert name.endswith("-aaaaaaa") and _RELEASE_NAME.match(name)
    assert live(target) == f"releases/{name}"  # relative: the folder can be moved or mounted elsewhere
    release = target / "releases" / name
    assert pub.verify_release(release) == []
    manifest = json.loads((release / "manifest.json").read_text())
    assert set(manifest["files"]) == {"index.html", "404.html", "policies/index.html", "assets/site.css",
                                      "search/search_index.json", "version.json", "csp-header.conf",
                                      "build-manifest.json"}
    assert manifest["release"] == name
    # version.json is kept byte for byte, and what went live is printed.
    assert (release / "version.json").read_bytes() == (site / "version.json").read_bytes()
    assert "aaaaaaa0123456789abcdef" in out and "2025-01-01T10:00:00+00:00" in out and name in out
    assert "Live now: staff site of oakfield, git aaaaaaa0123456789abcdef, built 2025-01-01" in out
    # sha256sum can check a release too (that is what the rsync route runs on the server).
    check = subprocess.run(["sha256sum", "--quiet", "--strict", "-c", "SHA256SUMS"], cwd=release,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert (target / "current" / "index.html").read_text().count("build A") == 1


def test_a_second_publish_swaps_and_the_first_is_kept(tmp_path):
    target = tmp_path / "www"
    first = publish(make_site(tmp_path / "a", "A"), target, now=at(1))
    second = publish(make_site(tmp_path / "b", "B"), target, now=at(2))
    assert second.replaced == first.live.name
    assert pub.list_releases(target) == [first.live.name, second.live.name]
    assert "build B" in (target / "current" / "index.html").read_text()
    assert second.live.version["git_sha"].startswith("bbbbbbb")


def test_two_publishes_in_the_same_millisecond_get_different_names(tmp_path):
    target, site = tmp_path / "www", make_site(tmp_path / "a")
    names = [publish(site, target, now=at(1)).live.name for _ in range(3)]
    assert len(set(names)) == 3
    assert names == sorted(names)
    assert names[1] == names[0] + "-2" and names[2] == names[0] + "-3"


# --------------------------------------------------------------------------------------------
# Refusals: each says exactly why, and nothing live changes


def _remove(path: str):
    return lambda site: (site / path).unlink()


REFUSALS = {
    "no version.json": (_remove("version.json"), "version.json is missing"),
    "validated false": (lambda site: make_site(site, validated=False), 'does not say "validated": true'),
    "validated missing": (lambda site: (site / "version.json").write_text('{"git_sha": "abc"}'),
                          'does not say "validated": true'),
    "validated as a string": (lambda site: make_site(site, validated="true"), 'does not say "validated": true'),
    "version.json not JSON": (lambda site: (site / "version.json").write_text("{"), "is not valid JSON"),
    "no index.html": (_remove("index.html"), "index.html is missing"),
    "no 404.html": (_remove("404.html"), "404.html is missing"),
    "no search index": (_remove("search/search_index.json"), "search_index.json is missing (the search index)"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_publish_refuses_an_unvalidated_or_incomplete_build_and_says_why(tmp_path, capsys, case):
    target = tmp_path / "www"
    good = publish(make_site(tmp_path / "good"), target)
    spoil, reason = REFUSALS[case]
    bad = make_site(tmp_path / "bad", "B")
    spoil(bad)
    code = cli.main(["publish", *EXPECT, "--to", str(target), "--from", str(bad)])
    err = capsys.readouterr().err
    assert code == 1
    assert reason in err and "Nothing live was changed" in err
    assert live(target) == f"releases/{good.live.name}"
    assert pub.list_releases(target) == [good.live.name]
    assert not [p for p in (target / "releases").iterdir() if p.name.startswith(".")]


# --------------------------------------------------------------------------------------------
# The wrong place (issue 13): another site, another school, an incomplete build


def refused(tmp_path, capsys, site: Path, expect: list[str], target: Path | None = None) -> str:
    """Publish ``site`` with the given --expect-* flags; assert it was refused; return the message."""
    target = target or tmp_path / "www"
    code = cli.main(["publish", *expect, "--to", str(target), "--from", str(site)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Nothing live was changed" in err
    return err


def test_the_staff_build_is_refused_by_a_target_for_the_parents_site(tmp_path, capsys):
    staff = make_site(tmp_path / "staff", site="staff")
    err = refused(tmp_path, capsys, staff, ["--expect-school", SCHOOL, "--expect-site", "parents"])
    assert "this build is the staff site, but the target is for the parents' site (wrong site" in err
    assert not (tmp_path / "www" / "releases").exists() and not (tmp_path / "www" / "current").exists()


def test_a_build_of_another_school_is_refused(tmp_path, capsys):
    other = make_site(tmp_path / "other", school="wexham-court")
    err = refused(tmp_path, capsys, other, EXPECT)
    assert "this build is of school 'wexham-court', but the target is for school 'oakfield' (wrong school" in err


def test_an_incomplete_build_is_refused_against_its_own_list_of_pages(tmp_path, capsys):
    site = make_site(tmp_path / "site")
    shutil.rmtree(site / "policies")
    err = refused(tmp_path, capsys, site, EXPECT)
    assert "1 of the 3 pages this build made are missing (the build is incomplete): policies/index.html" in err


def test_a_build_without_its_identity_or_page_list_is_refused(tmp_path, capsys):
    site = make_site(tmp_path / "site")
    version = json.loads((site / "version.json").read_text())
    for key in ("school_id", "pages"):
        spoiled = {k: v for k, v in version.items() if k != key}
        (site / "version.json").write_text(json.dumps(spoiled))
        err = refused(tmp_path, capsys, site, EXPECT)
        assert {"school_id": "does not say which school and site it is",
                "pages": "has no list of the build's pages"}[key] in err
    (site / "version.json").write_text(json.dumps({**version, "pages": ["index.html", "../../etc/passwd"]}))
    assert "lists pages outside the site: '../../etc/passwd'" in refused(tmp_path, capsys, site, EXPECT)


def test_publish_needs_to_be_told_the_school_and_site(tmp_path, capsys):
    site = make_site(tmp_path / "site")
    for flags in ([], ["--expect-school", SCHOOL], ["--expect-site", "staff"]):
        assert cli.main(["publish", *flags, "--to", str(tmp_path / "www"), "--from", str(site)]) == 2
        assert "publish needs --expect-school ID and --expect-site" in capsys.readouterr().err
    assert not (tmp_path / "www").exists()


def test_a_folder_remembers_which_site_it_is_for(tmp_path, capsys):
    """Swapped folders (the parents' folder given as the staff one) are refused even when the
    flags match the build: the folder's publish-target.json, written by its first publish, says."""
    parents_dir = tmp_path / "www-parents"
    first = pub.publish(make_site(tmp_path / "p", site="parents"), parents_dir, pub.Expectation(SCHOOL, "parents"))
    assert json.loads((parents_dir / "publish-target.json").read_text()) == {"school": SCHOOL, "site": "parents"}
    err = refused(tmp_path, capsys, make_site(tmp_path / "s"), EXPECT, target=parents_dir)
    assert (f"Refusing to publish the staff site of school 'oakfield' to {parents_dir}: that folder is where "
            "the parents' site of school 'oakfield' is published") in err
    assert live(parents_dir) == f"releases/{first.live.name}" and pub.list_releases(parents_dir) == [first.live.name]


def test_the_rsync_route_refuses_the_wrong_site_before_connecting_and_a_folder_for_another(tmp_path, fake_remote):
    remote, server = fake_remote
    with pytest.raises(pub.PublishError, match="wrong site"):
        pub.publish_rsync(make_site(tmp_path / "a"), remote, pub.Expectation(SCHOOL, "parents"))
    assert not (Path(remote.ssh_program).parent / "ssh.log").exists()
    pub.publish_rsync(make_site(tmp_path / "p", site="parents"), remote, pub.Expectation(SCHOOL, "parents"))
    assert json.loads((server / "publish-target.json").read_text()) == {"school": SCHOOL, "site": "parents"}
    with pytest.raises(pub.PublishError, match="that folder is where the parents' site of school 'oakfield'"):
        publish_rsync(make_site(tmp_path / "s"), remote)
    assert "build A" in (server / "current" / "index.html").read_text()
    assert len(pub.list_releases(server)) == 1


def test_publish_refuses_a_missing_folder(tmp_path):
    with pytest.raises(pub.PublishError, match="does not exist or is not a folder"):
        publish(tmp_path / "nothing", tmp_path / "www")


def test_publish_lists_every_problem_at_once(tmp_path):
    site = make_site(tmp_path / "site", validated=False)
    (site / "404.html").unlink()
    (site / "search" / "search_index.json").unlink()
    with pytest.raises(pub.PublishError) as caught:
        publish(site, tmp_path / "www")
    message = str(caught.value)
    assert '"validated": true' in message and "404.html is missing" in message and "search index" in message


def test_a_copy_that_does_not_match_the_manifest_is_refused_and_removed(tmp_path):
    target = tmp_path / "www"
    good = publish(make_site(tmp_path / "a"), target)

    def corrupt(partial: Path) -> None:
        (partial / "policies" / "index.html").write_text("truncated")

    with pytest.raises(pub.PublishError, match=r"manifest mismatch(.|\n)*policies/index.html: SHA-256 differs"):
        publish(make_site(tmp_path / "b", "B"), target, _after_copy=corrupt)
    assert live(target) == f"releases/{good.live.name}"
    assert sorted(p.name for p in (target / "releases").iterdir()) == [good.live.name]


def test_verify_release_finds_changed_missing_and_extra_files(tmp_path):
    target = tmp_path / "www"
    release = publish(make_site(tmp_path / "a"), target).live.path
    assert pub.verify_release(release) == []
    (release / "index.html").write_text("changed")
    (release / "404.html").unlink()
    (release / "stray.html").write_text("extra")
    assert pub.verify_release(release) == ["404.html: missing", "stray.html: not in the manifest",
                                           "index.html: SHA-256 differs from the manifest"]
    (release / "manifest.json").unlink()
    assert pub.verify_release(release) == [f"{release / 'manifest.json'} is missing"]


def test_publish_refuses_when_current_is_a_real_folder(tmp_path):
    target = tmp_path / "www"
    (target / "current").mkdir(parents=True)
    with pytest.raises(pub.PublishError, match="is a real folder or file, not a symlink"):
        publish(make_site(tmp_path / "a"), target)


def test_only_one_publish_at_a_time(tmp_path):
    target = tmp_path / "www"
    target.mkdir()
    with open(target / ".publish.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(pub.PublishError, match="Another publish or rollback is running"):
            publish(make_site(tmp_path / "a"), target)
    publish(make_site(tmp_path / "a"), target)  # the lock is free again


def test_leftovers_of_an_interrupted_publish_are_cleaned_up(tmp_path):
    target = tmp_path / "www"
    first = publish(make_site(tmp_path / "a"), target)
    (target / "releases" / ".20250101T000000.000Z-dead000.partial" / "x").mkdir(parents=True)
    os.symlink("releases/nowhere", target / ".current.tmp.12345")
    second = publish(make_site(tmp_path / "b", "B"), target)
    assert sorted(p.name for p in (target / "releases").iterdir()) == [first.live.name, second.live.name]
    assert sorted(p.name for p in target.iterdir()) == [".publish.lock", "current", "publish-target.json", "releases"]


# --------------------------------------------------------------------------------------------
# Keeping the last N releases


def test_keeps_the_last_n_releases(tmp_path):
    target, site = tmp_path / "www", make_site(tmp_path / "a")
    names = [publish(site, target, keep=3, now=at(i)).live.name for i in range(7)]
    assert pub.list_releases(target) == names[-3:]


def test_keep_never_removes_the_live_release_or_the_one_before_it(tmp_path):
    target, site = tmp_path / "www", make_site(tmp_path / "a")
    names = [publish(site, target, now=at(i)).live.name for i in range(4)]
    pub.rollback(target, names[1])  # the newest two turn out to be bad
    assert pub.releases_to_prune(names, names[1], keep=1) == [names[2]]
    assert pub.releases_to_prune(names, names[1], keep=1, replaced=names[3]) == [names[2]]
    fixed = publish(site, target, keep=1, now=at(9)).live.name
    # kept: the new live one, the one before it by name, and the one live until now
    assert pub.list_releases(target) == [names[1], names[3], fixed]


def test_keep_must_be_positive(tmp_path, capsys):
    assert cli.main(["publish", *EXPECT, "--to", str(tmp_path / "www"), "--from", str(make_site(tmp_path / "a")),
                     "--keep", "0"]) == 1
    assert "--keep must be at least 1" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# Rollback


def test_rollback_goes_to_the_previous_release_by_default_and_to_a_named_one(tmp_path, capsys):
    target = tmp_path / "www"
    a = publish(make_site(tmp_path / "a", "A"), target, now=at(1)).live.name
    b = publish(make_site(tmp_path / "b", "B"), target, now=at(2)).live.name
    c = publish(make_site(tmp_path / "c", "CC"), target, now=at(3)).live.name

    assert cli.main(["rollback", "--to", str(target)]) == 0
    out = capsys.readouterr().out
    assert live(target) == f"releases/{b}"
    assert "bbbbbbb" in out and f"was {c}" in out
    assert "build B" in (target / "current" / "index.html").read_text()

    assert cli.main(["rollback", "--to", str(target), "--release", c]) == 0
    assert live(target) == f"releases/{c}"
    capsys.readouterr()

    assert cli.main(["rollback", "--to", str(target), "--list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert [line.split()[1] if line.startswith("*") else line.split()[0] for line in listing] == [a, b, c]
    assert listing[2].startswith("* ") and listing[2].endswith("<- live")


def test_rollback_refusals(tmp_path, capsys):
    target = tmp_path / "www"
    assert cli.main(["rollback", "--to", str(target)]) == 1
    assert "nothing has been published there" in capsys.readouterr().err
    a = publish(make_site(tmp_path / "a"), target, now=at(1)).live.name
    with pytest.raises(pub.PublishError, match="no release older than the live one"):
        pub.rollback(target)
    with pytest.raises(pub.PublishError, match="no release called 'nope'"):
        pub.rollback(target, "nope")
    b = publish(make_site(tmp_path / "b", "B"), target, now=at(2)).live.name
    (target / "releases" / a / "index.html").write_text("damaged on disk")
    with pytest.raises(pub.PublishError, match=r"Refusing to roll back(.|\n)*index.html: SHA-256 differs"):
        pub.rollback(target)
    assert live(target) == f"releases/{b}"


# --------------------------------------------------------------------------------------------
# The rsync route


def test_rsync_target_parsing(tmp_path):
    key, hosts = tmp_path / "key", tmp_path / "known_hosts"
    remote = pub.Remote.parse("deploy@web.school.example:/var/www/policies/staff/", key, hosts)
    assert (remote.host, remote.path) == ("deploy@web.school.example", "/var/www/policies/staff")
    assert pub.Remote.parse("deploy@[2001:db8::1]:/srv/www", key, hosts).host == "deploy@[2001:db8::1]"
    for bad in ("web:relative/path", "deploy@web", "/just/a/path", "deploy@web:/", "a b@web:/x"):
        with pytest.raises(pub.PublishError):
            pub.Remote.parse(bad, key, hosts)


def test_ssh_and_rsync_commands_pin_the_host_key_and_use_only_the_given_key(tmp_path):
    remote = pub.Remote.parse("deploy@web:/var/www/policies/staff", Path("/run/key"), Path("/run/known hosts"),
                              port=2222)
    ssh = remote.ssh_command()
    assert ssh[:3] == ["ssh", "-i", "/run/key"]
    options = [ssh[i + 1] for i, word in enumerate(ssh) if word == "-o"]
    assert "StrictHostKeyChecking=yes" in options and "StrictHostKeyChecking=no" not in options
    assert "UserKnownHostsFile=/run/known hosts" in options
    assert {"IdentitiesOnly=yes", "BatchMode=yes", "GlobalKnownHostsFile=/dev/null"} <= set(options)
    assert ssh[-2:] == ["-p", "2222"]

    rsync = remote.rsync_command(Path("/b/site/staff"), [Path("/t/manifest.json"), Path("/t/SHA256SUMS")],
                                 "20250301T120001.123Z-aaaaaaa", "20250201T080000.000Z-bbbbbbb")
    assert rsync[0] == "rsync" and "--checksum" in rsync and "--recursive" in rsync
    assert shlex.split(rsync[rsync.index("-e") + 1]) == ssh  # quoting survives rsync's own splitting
    assert "--link-dest=../20250201T080000.000Z-bbbbbbb/" in rsync
    assert rsync[-4:] == ["/b/site/staff/", "/t/manifest.json", "/t/SHA256SUMS",
                          "deploy@web:/var/www/policies/staff/releases/.20250301T120001.123Z-aaaaaaa.partial/"]
    first = remote.rsync_command(Path("/b/site"), [], "20250301T120001.123Z-aaaaaaa", None)
    assert not [word for word in first if word.startswith("--link-dest")]

    script = _remote_finish_script("/var/www/policies/staff", "20250301T120001.123Z-aaaaaaa", 12, STAFF)
    assert "sha256sum --quiet --strict -c SHA256SUMS" in script
    assert "ln -sfn -- releases/20250301T120001.123Z-aaaaaaa .current.tmp.$$" in script
    assert "mv -T -- .current.tmp.$$ current" in script


def test_rsync_route_refuses_bad_key_files(tmp_path, capsys):
    site = make_site(tmp_path / "a")
    key, hosts = tmp_path / "key", tmp_path / "known_hosts"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    key.chmod(0o644)
    hosts.write_text("web ssh-ed25519 AAAA\n")
    args = ["publish", *EXPECT, "--from", str(site), "--rsync", "deploy@web:/srv/www", "--ssh-key", str(key),
            "--known-hosts", str(hosts)]
    assert cli.main(args) == 1
    assert f"chmod 600 {key}" in capsys.readouterr().err
    key.chmod(0o600)
    hosts.write_text("")
    assert cli.main(args) == 1
    assert "is empty" in capsys.readouterr().err
    assert cli.main(args[:9]) == 2
    assert "needs --ssh-key FILE and --known-hosts FILE" in capsys.readouterr().err


FAKE_SSH = r"""#!/bin/sh
# Stands in for ssh: checks the options publish must pass, then runs the remote command here.
log="$(dirname "$0")/ssh.log"
echo "$*" >> "$log"
case " $* " in *" -o StrictHostKeyChecking=yes "*) ;; *) echo "fake ssh: host key not pinned" >&2; exit 255;; esac
user=""
while [ $# -gt 0 ]; do
  case "$1" in
    -l) user="$2@"; shift 2 ;;  # rsync passes user@host as -l user host
    -i|-o|-p) shift 2 ;;
    -*) shift ;;
    *) break ;;
  esac
done
host="$user$1"; shift
[ "$host" = "deploy@web" ] || { echo "fake ssh: unexpected host $host" >&2; exit 255; }
exec sh -c "$*"
"""


@pytest.fixture
def fake_remote(tmp_path):
    if shutil.which("rsync") is None:
        pytest.fail("rsync is not installed: run `make setup` (scripts/setup.sh installs it)", pytrace=False)
    ssh = tmp_path / "bin" / "ssh"
    ssh.parent.mkdir()
    ssh.write_text(FAKE_SSH)
    ssh.chmod(0o755)
    key, hosts = tmp_path / "key", tmp_path / "known_hosts"
    key.write_text("not a real key\n")
    key.chmod(0o600)
    hosts.write_text("web ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFake\n")
    server = tmp_path / "server" / "www"
    remote = pub.Remote.parse(f"deploy@web:{server}", key, hosts, ssh_program=str(ssh))
    return remote, server


def test_rsync_route_publishes_verifies_swaps_links_and_prunes(tmp_path, fake_remote):
    remote, server = fake_remote
    first = publish_rsync(make_site(tmp_path / "a", "A"), remote, keep=2, now=at(1))
    assert first.replaced is None and first.where == f"deploy@web:{server}"
    assert os.readlink(server / "current") == f"releases/{first.live.name}"
    assert pub.verify_release(server / "current") == []

    second = publish_rsync(make_site(tmp_path / "b", "B"), remote, keep=2, now=at(2))
    assert second.replaced == first.live.name
    assert "build B" in (server / "current" / "index.html").read_text()
    assert pub.verify_release(server / "current") == []
    # --link-dest: a file that did not change is a hard link to the previous release's copy
    old, new = (server / "releases" / name / "assets" / "site.css" for name in (first.live.name, second.live.name))
    assert old.stat().st_ino == new.stat().st_ino
    assert (server / "releases" / second.live.name / "index.html").stat().st_ino != \
        (server / "releases" / first.live.name / "index.html").stat().st_ino
    assert stat.S_IMODE(new.stat().st_mode) == 0o644

    third = publish_rsync(make_site(tmp_path / "c", "CC"), remote, keep=2, now=at(3))
    assert third.pruned == [first.live.name]
    assert pub.list_releases(server) == [second.live.name, third.live.name]
    # and the local rollback works on what the rsync route made
    pub.rollback(server)
    assert os.readlink(server / "current") == f"releases/{second.live.name}"


def test_rsync_route_refuses_a_copy_that_does_not_match_the_manifest(tmp_path, fake_remote):
    remote, server = fake_remote
    first = publish_rsync(make_site(tmp_path / "a", "A"), remote, now=at(1))

    def corrupt() -> None:
        (partial,) = (server / "releases").glob(".*.partial")
        (partial / "index.html").write_text("corrupted in transit")

    with pytest.raises(pub.PublishError, match="manifest mismatch"):
        publish_rsync(make_site(tmp_path / "b", "B"), remote, now=at(2), _before_finish=corrupt)
    assert os.readlink(server / "current") == f"releases/{first.live.name}"
    # the next publish clears the partial release away
    publish_rsync(make_site(tmp_path / "c", "CC"), remote, now=at(3))
    assert not list((server / "releases").glob(".*"))


def test_rsync_route_refuses_an_unvalidated_build_before_connecting(tmp_path, fake_remote):
    remote, server = fake_remote
    with pytest.raises(pub.PublishError, match='does not say "validated": true'):
        publish_rsync(make_site(tmp_path / "a", validated=False), remote)
    assert not (Path(remote.ssh_program).parent / "ssh.log").exists()
    assert not server.exists()


def test_cli_help_lists_the_publishing_commands():
    result = subprocess.run([sys.executable, "-m", "generator", "--help"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("publish", "rollback", "bundle"):
        assert command in result.stdout


# --------------------------------------------------------------------------------------------
# S701: a preview build (placeholder DSL contacts) is not published without --preview

PREVIEW_REASON = "contact 'dsl' is a placeholder: the site can be built as a preview but not published"


def make_preview_site(root: Path) -> Path:
    site = make_site(root)
    version = json.loads((site / "version.json").read_text())
    (site / "version.json").write_text(json.dumps({**version, "preview_only": [PREVIEW_REASON]}))
    write_site_manifest(site)  # as the build writes it: a preview build is what the build made
    return site


def test_publish_refuses_a_preview_build(tmp_path, capsys):
    """Catches: publish ignoring version.json's preview_only (staff would find "to be confirmed" for the DSL)."""
    target = tmp_path / "www"
    code = cli.main(["publish", *EXPECT, "--to", str(target), "--from", str(make_preview_site(tmp_path / "a"))])
    assert code == 1
    err = capsys.readouterr().err
    assert f"  - this build is a preview only: {PREVIEW_REASON}\n" in err
    assert "or publish it for review only with --preview\n" in err
    assert "Nothing live was changed." in err
    assert not (target / "current").exists()


def test_publish_preview_flag_allows_a_preview_build(tmp_path):
    target = tmp_path / "www"
    code = cli.main(["publish", *EXPECT, "--preview", "--to", str(target),
                     "--from", str(make_preview_site(tmp_path / "a"))])
    assert code == 0
    assert (target / "current" / "index.html").is_file()


# (from tests/build/test_atomic_swap.py, which covers the build's swap: publish's own lives here)
def test_publish_switches_current_with_one_rename_of_a_prepared_link(tmp_path, monkeypatch):
    target = tmp_path / "live"
    pub.publish(make_site(tmp_path / "a", "A"), target, STAFF)
    first = os.readlink(target / "current")
    site = make_site(tmp_path / "b", "B")
    log = []
    current = target / "current"

    def watch(name, real):
        def wrapper(*args, **kwargs):
            paths = [str(a) for a in args if isinstance(a, (str, os.PathLike))]
            assert current.is_symlink() and (current / "index.html").is_file(), f"current broken before {name}"
            log.append((name, paths, os.readlink(args[0]) if name == "replace" and Path(args[0]).is_symlink()
                        else None))
            result = real(*args, **kwargs)
            assert current.is_symlink() and (current / "index.html").is_file(), f"current broken after {name}"
            return result
        return wrapper

    for name in ("replace", "rename", "unlink", "remove", "symlink", "rmdir"):
        monkeypatch.setattr(pub.os, name, watch(name, getattr(os, name)))
    monkeypatch.setattr(pub.shutil, "rmtree", watch("rmtree", pub.shutil.rmtree))
    monkeypatch.setattr(Path, "unlink", watch("Path.unlink", Path.unlink))
    outcome = pub.publish(site, target, STAFF)
    touching = [entry for entry in log if any(p == str(current) for p in entry[1])]
    assert len(touching) == 1, touching
    name, paths, pointed = touching[0]
    assert name == "replace" and paths[1] == str(current)
    assert pointed == f"releases/{outcome.live.name}" != first, "the link was prepared before the one rename"
