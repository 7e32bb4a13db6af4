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
from generator import publish as pub

REPO = Path(__file__).resolve().parents[1]


def make_site(root: Path, label: str = "A", validated=True, extra: dict[str, str] | None = None) -> Path:
    """A minimal complete built site whose every page says which build it is."""
    root.mkdir(parents=True, exist_ok=True)
    page = f"<!doctype html><html><head><title>{label}</title></head><body>build {label}</body></html>\n"
    files = {
        "index.html": page,
        "404.html": page.replace("build", "not found"),
        "policies/index.html": page,
        "assets/site.css": "body { color: black }\n",  # the same in every build
        "search/search_index.json": json.dumps({"docs": [{"location": "", "text": label}]}),
        "version.json": json.dumps({"git_sha": f"{label.lower() * 7}0123456789abcdef", "built_at":
                                    f"2025-01-0{len(label)}T10:00:00+00:00", "validated": validated,
                                    "site": "staff"}),
    }
    files.update(extra or {})
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def live(target: Path) -> str:
    return os.readlink(target / "current")


def at(second: int) -> datetime:
    return datetime(2025, 3, 1, 12, 0, second, 123000, tzinfo=timezone.utc)


# --------------------------------------------------------------------------------------------
# A publish


def test_publish_makes_a_verified_release_and_points_current_at_it(tmp_path, capsys):
    site = make_site(tmp_path / "site")
    target = tmp_path / "www"
    code = cli.main(["publish", "--to", str(target), "--from", str(site)])
    out, err = capsys.readouterr()
    assert code == 0, err

    (name,) = pub.list_releases(target)
    assert name.endswith("-aaaaaaa") and pub._RELEASE_NAME.match(name)
    assert live(target) == f"releases/{name}"  # relative: the folder can be moved or mounted elsewhere
    release = target / "releases" / name
    assert pub.verify_release(release) == []
    manifest = json.loads((release / "manifest.json").read_text())
    assert set(manifest["files"]) == {"index.html", "404.html", "policies/index.html", "assets/site.css",
                                      "search/search_index.json", "version.json"}
    assert manifest["release"] == name
    # version.json is kept byte for byte, and what went live is printed.
    assert (release / "version.json").read_bytes() == (site / "version.json").read_bytes()
    assert "aaaaaaa0123456789abcdef" in out and "2025-01-01T10:00:00+00:00" in out and name in out
    # sha256sum can check a release too (that is what the rsync route runs on the server).
    check = subprocess.run(["sha256sum", "--quiet", "--strict", "-c", "SHA256SUMS"], cwd=release,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert (target / "current" / "index.html").read_text().count("build A") == 1


def test_a_second_publish_swaps_and_the_first_is_kept(tmp_path):
    target = tmp_path / "www"
    first = pub.publish(make_site(tmp_path / "a", "A"), target, now=at(1))
    second = pub.publish(make_site(tmp_path / "b", "B"), target, now=at(2))
    assert second.replaced == first.live.name
    assert pub.list_releases(target) == [first.live.name, second.live.name]
    assert "build B" in (target / "current" / "index.html").read_text()
    assert second.live.version["git_sha"].startswith("bbbbbbb")


def test_two_publishes_in_the_same_millisecond_get_different_names(tmp_path):
    target, site = tmp_path / "www", make_site(tmp_path / "a")
    names = [pub.publish(site, target, now=at(1)).live.name for _ in range(3)]
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
    good = pub.publish(make_site(tmp_path / "good"), target)
    spoil, reason = REFUSALS[case]
    bad = make_site(tmp_path / "bad", "B")
    spoil(bad)
    code = cli.main(["publish", "--to", str(target), "--from", str(bad)])
    err = capsys.readouterr().err
    assert code == 1
    assert reason in err and "Nothing live was changed" in err
    assert live(target) == f"releases/{good.live.name}"
    assert pub.list_releases(target) == [good.live.name]
    assert not [p for p in (target / "releases").iterdir() if p.name.startswith(".")]


def test_publish_refuses_a_missing_folder(tmp_path):
    with pytest.raises(pub.PublishError, match="does not exist or is not a folder"):
        pub.publish(tmp_path / "nothing", tmp_path / "www")


def test_publish_lists_every_problem_at_once(tmp_path):
    site = make_site(tmp_path / "site", validated=False)
    (site / "404.html").unlink()
    (site / "search" / "search_index.json").unlink()
    with pytest.raises(pub.PublishError) as caught:
        pub.publish(site, tmp_path / "www")
    message = str(caught.value)
    assert '"validated": true' in message and "404.html is missing" in message and "search index" in message


def test_a_copy_that_does_not_match_the_manifest_is_refused_and_removed(tmp_path):
    target = tmp_path / "www"
    good = pub.publish(make_site(tmp_path / "a"), target)

    def corrupt(partial: Path) -> None:
        (partial / "policies" / "index.html").write_text("truncated")

    with pytest.raises(pub.PublishError, match=r"manifest mismatch(.|\n)*policies/index.html: SHA-256 differs"):
        pub.publish(make_site(tmp_path / "b", "B"), target, _after_copy=corrupt)
    assert live(target) == f"releases/{good.live.name}"
    assert sorted(p.name for p in (target / "releases").iterdir()) == [good.live.name]


def test_verify_release_finds_changed_missing_and_extra_files(tmp_path):
    target = tmp_path / "www"
    release = pub.publish(make_site(tmp_path / "a"), target).live.path
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
        pub.publish(make_site(tmp_path / "a"), target)


def test_only_one_publish_at_a_time(tmp_path):
    target = tmp_path / "www"
    target.mkdir()
    with open(target / ".publish.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(pub.PublishError, match="Another publish or rollback is running"):
            pub.publish(make_site(tmp_path / "a"), target)
    pub.publish(make_site(tmp_path / "a"), target)  # the lock is free again


def test_leftovers_of_an_interrupted_publish_are_cleaned_up(tmp_path):
    target = tmp_path / "www"
    first = pub.publish(make_site(tmp_path / "a"), target)
    (target / "releases" / ".20250101T000000.000Z-dead000.partial" / "x").mkdir(parents=True)
    os.symlink("releases/nowhere", target / ".current.tmp.12345")
    second = pub.publish(make_site(tmp_path / "b", "B"), target)
    assert sorted(p.name for p in (target / "releases").iterdir()) == [first.live.name, second.live.name]
    assert sorted(p.name for p in target.iterdir()) == [".publish.lock", "current", "releases"]


# --------------------------------------------------------------------------------------------
# Keeping the last N releases


def test_keeps_the_last_n_releases(tmp_path):
    target, site = tmp_path / "www", make_site(tmp_path / "a")
    names = [pub.publish(site, target, keep=3, now=at(i)).live.name for i in range(7)]
    assert pub.list_releases(target) == names[-3:]


def test_keep_never_removes_the_live_release_or_the_one_before_it(tmp_path):
    target, site = tmp_path / "www", make_site(tmp_path / "a")
    names = [pub.publish(site, target, now=at(i)).live.name for i in range(4)]
    pub.rollback(target, names[1])  # the newest two turn out to be bad
    assert pub.releases_to_prune(names, names[1], keep=1) == [names[2]]
    assert pub.releases_to_prune(names, names[1], keep=1, replaced=names[3]) == [names[2]]
    fixed = pub.publish(site, target, keep=1, now=at(9)).live.name
    # kept: the new live one, the one before it by name, and the one live until now
    assert pub.list_releases(target) == [names[1], names[3], fixed]


def test_keep_must_be_positive(tmp_path, capsys):
    assert cli.main(["publish", "--to", str(tmp_path / "www"), "--from", str(make_site(tmp_path / "a")),
                     "--keep", "0"]) == 1
    assert "--keep must be at least 1" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# Rollback


def test_rollback_goes_to_the_previous_release_by_default_and_to_a_named_one(tmp_path, capsys):
    target = tmp_path / "www"
    a = pub.publish(make_site(tmp_path / "a", "A"), target, now=at(1)).live.name
    b = pub.publish(make_site(tmp_path / "b", "B"), target, now=at(2)).live.name
    c = pub.publish(make_site(tmp_path / "c", "CC"), target, now=at(3)).live.name

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
    a = pub.publish(make_site(tmp_path / "a"), target, now=at(1)).live.name
    with pytest.raises(pub.PublishError, match="no release older than the live one"):
        pub.rollback(target)
    with pytest.raises(pub.PublishError, match="no release called 'nope'"):
        pub.rollback(target, "nope")
    b = pub.publish(make_site(tmp_path / "b", "B"), target, now=at(2)).live.name
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

    script = pub._remote_finish_script("/var/www/policies/staff", "20250301T120001.123Z-aaaaaaa", 12)
    assert "sha256sum --quiet --strict -c SHA256SUMS" in script
    assert "ln -sfn -- releases/20250301T120001.123Z-aaaaaaa .current.tmp.$$" in script
    assert "mv -T -- .current.tmp.$$ current" in script


def test_rsync_route_refuses_bad_key_files(tmp_path, capsys):
    site = make_site(tmp_path / "a")
    key, hosts = tmp_path / "key", tmp_path / "known_hosts"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    key.chmod(0o644)
    hosts.write_text("web ssh-ed25519 AAAA\n")
    args = ["publish", "--from", str(site), "--rsync", "deploy@web:/srv/www", "--ssh-key", str(key),
            "--known-hosts", str(hosts)]
    assert cli.main(args) == 1
    assert f"chmod 600 {key}" in capsys.readouterr().err
    key.chmod(0o600)
    hosts.write_text("")
    assert cli.main(args) == 1
    assert "is empty" in capsys.readouterr().err
    assert cli.main(args[:5]) == 2
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
    first = pub.publish_rsync(make_site(tmp_path / "a", "A"), remote, keep=2, now=at(1))
    assert first.replaced is None and first.where == f"deploy@web:{server}"
    assert os.readlink(server / "current") == f"releases/{first.live.name}"
    assert pub.verify_release(server / "current") == []

    second = pub.publish_rsync(make_site(tmp_path / "b", "B"), remote, keep=2, now=at(2))
    assert second.replaced == first.live.name
    assert "build B" in (server / "current" / "index.html").read_text()
    assert pub.verify_release(server / "current") == []
    # --link-dest: a file that did not change is a hard link to the previous release's copy
    old, new = (server / "releases" / name / "assets" / "site.css" for name in (first.live.name, second.live.name))
    assert old.stat().st_ino == new.stat().st_ino
    assert (server / "releases" / second.live.name / "index.html").stat().st_ino != \
        (server / "releases" / first.live.name / "index.html").stat().st_ino
    assert stat.S_IMODE(new.stat().st_mode) == 0o644

    third = pub.publish_rsync(make_site(tmp_path / "c", "CC"), remote, keep=2, now=at(3))
    assert third.pruned == [first.live.name]
    assert pub.list_releases(server) == [second.live.name, third.live.name]
    # and the local rollback works on what the rsync route made
    pub.rollback(server)
    assert os.readlink(server / "current") == f"releases/{second.live.name}"


def test_rsync_route_refuses_a_copy_that_does_not_match_the_manifest(tmp_path, fake_remote):
    remote, server = fake_remote
    first = pub.publish_rsync(make_site(tmp_path / "a", "A"), remote, now=at(1))

    def corrupt() -> None:
        (partial,) = (server / "releases").glob(".*.partial")
        (partial / "index.html").write_text("corrupted in transit")

    with pytest.raises(pub.PublishError, match="manifest mismatch"):
        pub.publish_rsync(make_site(tmp_path / "b", "B"), remote, now=at(2), _before_finish=corrupt)
    assert os.readlink(server / "current") == f"releases/{first.live.name}"
    # the next publish clears the partial release away
    pub.publish_rsync(make_site(tmp_path / "c", "CC"), remote, now=at(3))
    assert not list((server / "releases").glob(".*"))


def test_rsync_route_refuses_an_unvalidated_build_before_connecting(tmp_path, fake_remote):
    remote, server = fake_remote
    with pytest.raises(pub.PublishError, match='does not say "validated": true'):
        pub.publish_rsync(make_site(tmp_path / "a", validated=False), remote)
    assert not (Path(remote.ssh_program).parent / "ssh.log").exists()
    assert not server.exists()


def test_cli_help_lists_the_publishing_commands():
    result = subprocess.run([sys.executable, "-m", "generator", "--help"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("publish", "rollback", "bundle"):
        assert command in result.stdout
