"""The rsync route: the same releases and swap on another machine, over SSH (the scripts run there, and what
they answer)."""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.publish.layout import (CURRENT, MANIFEST_FILE, PARTIAL_SUFFIX, RELEASES, SUMS_FILE, TARGET_FILE,
                                      PublishError)
from generator.publish.releases import _RELEASE_NAME, _release_from_link
from generator.publish.target import Expectation

_TARGET = re.compile(r"^(?P<host>(?:[^@\s/:]+@)?(?:\[[0-9A-Fa-f:.]+\]|[^@\s/:\[\]]+)):(?P<path>/\S*)$")


@dataclass
class Remote:
    """``user@host:/absolute/path`` plus how to reach it: key, pinned host keys, port, ssh program."""

    host: str
    path: str
    ssh_key: Path
    known_hosts: Path
    port: int | None = None
    ssh_program: str = "ssh"
    rsync_program: str = "rsync"

    @classmethod
    def parse(cls, target: str, ssh_key: Path, known_hosts: Path, port: int | None = None, **kwargs) -> "Remote":
        match = _TARGET.match(target)
        if not match:
            raise PublishError(f"--rsync {target!r} is not of the form user@host:/absolute/path")
        path = match["path"].rstrip("/") or "/"
        if path == "/":
            raise PublishError("--rsync must name a folder below /, e.g. deploy@web:/var/www/policies/staff")
        return cls(match["host"], path, Path(ssh_key), Path(known_hosts), port, **kwargs)

    def ssh_command(self) -> list[str]:
        """ssh with only this key and only the pinned host keys; never asks, never trusts a new host."""
        command = [
            self.ssh_program,
            "-i", str(self.ssh_key),
            "-o", "IdentitiesOnly=yes",
            "-o", f"UserKnownHostsFile={self.known_hosts}",
            "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=30",
        ]
        if self.port:
            command += ["-p", str(self.port)]
        return command

    def rsync_command(self, source: Path, extra: list[Path], name: str, link_dest: str | None) -> list[str]:
        """rsync the site (and manifest files) into releases/.<name>.partial/ on the remote."""
        command = [
            self.rsync_program, "--recursive", "--links", "--checksum",
            "--chmod=Du=rwx,Dgo=rx,Fu=rw,Fgo=r", "-e", shlex.join(self.ssh_command()),
        ]
        if link_dest:
            command.append(f"--link-dest=../{link_dest}/")
        command += [f"{source}/"] + [str(path) for path in extra]
        command.append(f"{self.host}:{self.path}/{RELEASES}/.{name}{PARTIAL_SUFFIX}/")
        return command

    def run_script(self, script: str, timeout: float = 300) -> str:
        """Run a POSIX sh script on the remote (fed on standard input); return its standard output."""
        command = self.ssh_command() + [self.host, "sh -s"]
        try:
            result = subprocess.run(command, input=script, capture_output=True, text=True, timeout=timeout)
        except FileNotFoundError:
            raise PublishError(f"{self.ssh_program} is not installed (Debian: apt-get install openssh-client)") from None
        except subprocess.TimeoutExpired:
            raise PublishError(f"ssh to {self.host} did not finish within {timeout:.0f} s") from None
        if result.returncode != 0:
            raise PublishError(f"On {self.host}: {result.stderr.strip() or 'ssh exited with ' + str(result.returncode)}")
        return result.stdout


def _remote_prepare_script(path: str) -> str:
    folder = shlex.quote(path)
    return f"""set -eu
mkdir -p -- {folder}/{RELEASES}
cd -- {folder}
if [ -e {CURRENT} ] && [ ! -L {CURRENT} ]; then
  echo "$(pwd)/{CURRENT} is a real folder or file, not a symlink: move it aside so publish can manage it" >&2
  exit 3
fi
for leftover in {RELEASES}/.*{PARTIAL_SUFFIX} .{CURRENT}.tmp.*; do
  case "$leftover" in *'*'*) ;; *) rm -rf -- "$leftover" ;; esac
done
printf 'current=%s\\n' "$(readlink {CURRENT} 2>/dev/null || true)"
if [ -f {TARGET_FILE} ]; then printf 'target=%s\\n' "$(tr -d '\\n' < {TARGET_FILE})"; fi
ls -1 {RELEASES} | sed 's/^/release=/'
"""


def _remote_finish_script(path: str, name: str, count: int, expect: Expectation) -> str:
    folder, release = shlex.quote(path), shlex.quote(name)
    partial = f"{RELEASES}/.{name}{PARTIAL_SUFFIX}"
    return f"""set -eu
cd -- {folder}
cd -- {shlex.quote(partial)}
if ! sha256sum --quiet --strict -c {SUMS_FILE} >&2; then
  echo "the copy does not match the manifest (manifest mismatch)" >&2
  exit 4
fi
found=$(find . -type f ! -name {MANIFEST_FILE} ! -name {SUMS_FILE} | wc -l)
if [ "$found" -ne {count} ]; then
  echo "the copy holds $found files, the manifest {count} (manifest mismatch)" >&2
  exit 4
fi
cd -- {folder}
if [ ! -e {TARGET_FILE} ]; then
  printf '%s\\n' {shlex.quote(expect.as_json())} > .{TARGET_FILE}.tmp.$$ && mv -T -- .{TARGET_FILE}.tmp.$$ {TARGET_FILE}
fi
mv -T -- {shlex.quote(partial)} {RELEASES}/{release}
ln -sfn -- {RELEASES}/{release} .{CURRENT}.tmp.$$
mv -T -- .{CURRENT}.tmp.$$ {CURRENT}
sync 2>/dev/null || true
printf 'current=%s\\n' "$(readlink {CURRENT})"
ls -1 {RELEASES} | sed 's/^/release=/'
"""


def _remote_prune_script(path: str, names: list[str]) -> str:
    folder = shlex.quote(path)
    lines = [f"set -eu", f"cd -- {folder}/{RELEASES}"]
    for name in names:
        lines.append(f"mv -T -- {shlex.quote(name)} {shlex.quote('.' + name + '.deleting' + PARTIAL_SUFFIX)}")
        lines.append(f"rm -rf -- {shlex.quote('.' + name + '.deleting' + PARTIAL_SUFFIX)}")
    return "\n".join(lines) + "\n"


def _parse_listing(output: str) -> tuple[str | None, list[str]]:
    current, names = None, []
    for line in output.splitlines():
        key, _, value = line.partition("=")
        if key == "current":
            current = _release_from_link(value) if value else None
        elif key == "release" and value and not value.startswith(".") and _RELEASE_NAME.match(value):
            names.append(value)
    return current, sorted(names)


def _parse_target(output: str, where: str) -> Expectation | None:
    for line in output.splitlines():
        key, _, value = line.partition("=")
        if key == "target":
            return Expectation.from_json(value, where)
    return None


def check_ssh_files(remote: Remote) -> None:
    for label, path in (("--ssh-key", remote.ssh_key), ("--known-hosts", remote.known_hosts)):
        if not path.is_file():
            raise PublishError(f"{label} {path} does not exist")
    if remote.ssh_key.stat().st_mode & 0o077:
        raise PublishError(f"--ssh-key {remote.ssh_key} can be read by other users and ssh will refuse it: "
                           f"chmod 600 {remote.ssh_key}")
    if not remote.known_hosts.read_text(encoding="utf-8", errors="replace").strip():
        raise PublishError(f"--known-hosts {remote.known_hosts} is empty: it must hold the server's host key "
                           "(ssh-keyscan it once from a trusted network and check the fingerprint)")
