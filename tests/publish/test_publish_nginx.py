"""Publishing to a real web server (issue 5): Debian's nginx serves <dir>/current while releases swap.

The example school's staff site is built once per session (``wexham_sites`` in tests/conftest.py runs
``python -m generator build --project tests/fixtures/wexham --output <tmp>``), and two releases are made from
it: A and B, whose every HTML page carries a marker (and whose version.json differ), so that any
response can be matched byte for byte to the file of one release. nginx runs unprivileged on a
free port of 127.0.0.1 with ``root <dir>/current`` and ``open_file_cache off``, so it resolves the
symlink on every request: that is what makes the swap atomic for visitors (see PUBLISHING.md).

nginx is installed by scripts/setup.sh (`make setup`); if it is missing these tests fail.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from generator.publish import publisher as pub
from generator.build.site_manifest import write_site_manifest

# Wexham's DSL contacts are still placeholders, so its builds are previews (S701): published for review.
EXPECT = ("--expect-school", "wexham-court", "--expect-site", "staff", "--preview")

REPO = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MAX_REQUESTS = 5000
MAX_SECONDS = 20.0


# --------------------------------------------------------------------------------------------
# Fixtures: the built site, releases A and B, nginx


@pytest.fixture(scope="module")
def releases(tmp_path_factory, wexham_sites) -> dict[str, Path]:
    """{"A": site, "B": site}: the example school's staff build (tests/conftest.py builds it once per session),
    each page, the search index and version.json marked with its release."""
    root = tmp_path_factory.mktemp("publish-sites")
    built = wexham_sites / "staff"
    pub.check_build(built, pub.Expectation("wexham-court", "staff"), allow_preview=True)
    sites = {}
    for label in ("A", "B"):
        site = root / label
        shutil.copytree(built, site)
        for page in site.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            assert "</head>" in text and text.rstrip().endswith("</html>"), page
            page.write_text(text.replace("</head>", f'<meta name="release-marker" content="{label}"></head>', 1),
                            encoding="utf-8")
        index = json.loads((site / "search" / "search_index.json").read_text())
        index["release_marker"] = label
        (site / "search" / "search_index.json").write_text(json.dumps(index))
        version = json.loads((site / "version.json").read_text())
        version.update(git_sha=label.lower() * 40, built_at=f"2025-01-0{1 + (label == 'B')}T10:00:00+00:00")
        (site / "version.json").write_text(json.dumps(version, indent=2) + "\n")
        write_site_manifest(site)  # marked on purpose, so vouched for as the build would (publish checks it)
        sites[label] = site
    return sites


def _pages(site: Path) -> list[str]:
    """URL paths to fetch: the home page, every section index, version.json and the search index."""
    paths = ["/" + (page.parent.relative_to(site).as_posix() + "/" if page.parent != site else "")
             for page in sorted(site.rglob("index.html"))]
    return paths[:12] + ["/version.json", "/search/search_index.json", "/no-such-page/"]


def _expected(site: Path, path: str) -> tuple[int, bytes]:
    if path == "/no-such-page/":
        return 404, (site / "404.html").read_bytes()
    file = site / path.lstrip("/")
    if path.endswith("/"):
        file = file / "index.html"
    return 200, file.read_bytes()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


NGINX_CONF = """\
# A minimal nginx for <www>/current, as PUBLISHING.md describes (plus what running unprivileged
# from a temporary folder needs: pid, logs and temp paths inside it).
{user}worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    # The swap is atomic for visitors because nginx resolves <www>/current on every request:
    # no cache of open files or of their paths, and symlinks followed.
    open_file_cache off;
    disable_symlinks off;
    server {{
        listen 127.0.0.1:{port};
        root {www}/current;
        index index.html;
        error_page 404 /404.html;
    }}
}}
"""


@pytest.fixture
def nginx(tmp_path):
    """nginx serving tmp_path/www/current on 127.0.0.1; yields (www, port)."""
    if not Path(NGINX).is_file():
        pytest.fail(f"nginx is not installed ({NGINX}): run `make setup` (scripts/setup.sh installs nginx-light)",
                    pytrace=False)
    www, run = tmp_path / "www", tmp_path / "nginx"
    www.mkdir()
    run.mkdir()
    port = _free_port()
    conf = run / "nginx.conf"
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers must read pytest's 0700 temp folders
    conf.write_text(NGINX_CONF.format(user=user, tmp=run, port=port, www=www))
    test = subprocess.run([NGINX, "-t", "-p", str(run), "-e", str(run / "error.log"), "-c", str(conf)],
                          capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    process = subprocess.Popen([NGINX, "-p", str(run), "-e", str(run / "error.log"), "-c", str(conf),
                                "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"nginx did not start: {process.stderr.read().decode()}"
                                         f"{(run / 'error.log').read_text() if (run / 'error.log').exists() else ''}")
                time.sleep(0.05)
        yield www, port
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=120)


# --------------------------------------------------------------------------------------------
# Fetching and classifying responses


class Fetcher:
    """Keeps fetching the pages over keep-alive connections; classifies each response as A or B."""

    def __init__(self, port: int, releases: dict[str, Path]):
        self.port = port
        self.paths = _pages(releases["A"])
        self.expected = {label: {path: _expected(site, path) for path in self.paths}
                         for label, site in releases.items()}
        self.results: list[tuple[float, str, str]] = []  # (start time, path, "A" / "B" / problem)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.pause = 0.003  # a few hundred requests a second: the bound is reached only if the test overruns

    def classify(self, path: str, status: int, body: bytes) -> str:
        for label, pages in self.expected.items():
            if (status, body) == pages[path]:
                return label
        complete = body.rstrip().endswith(b"</html>") if b"<html" in body else "json"
        markers = [label for label in self.expected if f'content="{label}"'.encode() in body]
        return f"PROBLEM {path}: status {status}, {len(body)} bytes, complete {complete}, markers {markers}"

    def fetch_once(self, connection: http.client.HTTPConnection, path: str) -> str:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return self.classify(path, response.status, response.read())

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        index, started = 0, time.monotonic()
        try:
            while not self.stop.is_set():
                with self.lock:
                    if len(self.results) >= MAX_REQUESTS or time.monotonic() - started > MAX_SECONDS:
                        return
                path = self.paths[index % len(self.paths)]
                index += 1
                start = time.monotonic()
                try:
                    outcome = self.fetch_once(connection, path)
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                    outcome = f"PROBLEM {path}: {error!r}"
                with self.lock:
                    self.results.append((start, path, outcome))
                time.sleep(self.pause)
        finally:
            connection.close()

    def count(self) -> int:
        with self.lock:
            return len(self.results)

    def sweep(self) -> Counter:
        """Fetch every page once, now; count the outcomes."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            return Counter(self.fetch_once(connection, path) for path in self.paths)
        finally:
            connection.close()


# --------------------------------------------------------------------------------------------
# The tests


def test_nginx_serves_whole_releases_while_they_swap_and_after_a_rollback(nginx, releases):
    www, port = nginx
    first = run_cli("publish", *EXPECT, "--to", str(www), "--from", str(releases["A"]))
    assert first.returncode == 0, first.stderr
    assert "git aaaaaaaa" in first.stdout and "built 2025-01-01T10:00:00+00:00" in first.stdout

    fetcher = Fetcher(port, releases)
    assert fetcher.sweep() == Counter({"A": len(fetcher.paths)})

    workers = [threading.Thread(target=fetcher.run) for _ in range(3)]
    for worker in workers:
        worker.start()
    try:
        deadline = time.monotonic() + 5
        while fetcher.count() < 150 and time.monotonic() < deadline:
            time.sleep(0.01)
        # Publishing may take seconds on a busy machine: fetch more slowly meanwhile, so the bound on requests
        # is not spent before the swap (it was, with nine processes on two cores: 2,000 A and no B).
        fetcher.pause = 0.02
        second = run_cli("publish", *EXPECT, "--to", str(www), "--from", str(releases["B"]))
        published = time.monotonic()
        fetcher.pause = 0.003
        assert second.returncode == 0, second.stderr
        after = fetcher.count()
        while fetcher.count() < after + 300 and time.monotonic() < published + 5:
            time.sleep(0.01)
    finally:
        fetcher.stop.set()
        for worker in workers:
            worker.join(timeout=30)

    results = fetcher.results
    problems = [outcome for _, _, outcome in results if outcome not in ("A", "B")]
    assert not problems, f"{len(problems)} of {len(results)} responses were not a whole page of A or B:\n" + \
        "\n".join(problems[:10])
    counts = Counter(outcome for _, _, outcome in results)
    assert counts["A"] >= 100 and counts["B"] >= 100, counts  # the swap happened while fetching
    late = [outcome for start, _, outcome in results if start > published]
    assert late and set(late) == {"B"}, "after publish returned, some responses still came from A"
    assert len(results) <= MAX_REQUESTS
    assert "git bbbbbbbb" in second.stdout

    back = run_cli("rollback", "--to", str(www))
    assert back.returncode == 0, back.stderr
    assert "git aaaaaaaa" in back.stdout
    assert fetcher.sweep() == Counter({"A": len(fetcher.paths)})
    live = json.loads(http_get(port, "/version.json"))
    assert live["git_sha"] == "a" * 40 and live["validated"] is True


def http_get(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        assert response.status == 200, (path, response.status)
        return response.read()
    finally:
        connection.close()


def test_a_publish_killed_at_any_moment_leaves_current_on_a_complete_release(nginx, releases):
    www, port = nginx
    fetcher = Fetcher(port, releases)
    command = [sys.executable, "-m", "generator", "publish", *EXPECT, "--to", str(www), "--keep", "3", "--from"]

    started = time.monotonic()
    first = subprocess.run(command + [str(releases["A"])], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    duration = time.monotonic() - started

    # Kill after a random delay within how long a publish takes; a publish that finished first
    # shortens the window. Until 24 publishes have been killed (at most 60 tries).
    rng = random.Random(5)
    window, kills, interrupted, attempt = duration, 0, 0, 0
    while kills < 24 and attempt < 60:
        attempt += 1
        label = "AB"[attempt % 2]
        process = subprocess.Popen(command + [str(releases[label])], cwd=REPO, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, window))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        else:
            window *= 0.8
        process.wait()
        leftovers = [entry.name for entry in (www / "releases").iterdir() if entry.name.startswith(".")]
        interrupted += bool(leftovers)

        link = www / "current"
        assert link.is_symlink(), f"attempt {attempt}: {link} is gone"
        release = (www / os.readlink(link)).resolve()
        assert release.parent == (www / "releases").resolve() and not release.name.startswith(".")
        assert pub.verify_release(release) == [], f"attempt {attempt}: {release.name} is not complete"
        served = fetcher.sweep()
        assert set(served) <= {"A", "B"} and len(served) == 1, f"attempt {attempt}: served {served}"

    print(f"kill test: {attempt} publishes, {kills} killed, {interrupted} left a partial release, window {window:.2f} of {duration:.2f} s")
    assert kills >= 20, f"only {kills} of {attempt} publishes were still running when killed"
    assert interrupted >= 1, "no kill landed while a release was being copied"
    final = run_cli("publish", *EXPECT, "--to", str(www), "--keep", "3", "--from", str(releases["B"]))
    assert final.returncode == 0, final.stderr
    assert not [entry for entry in (www / "releases").iterdir() if entry.name.startswith(".")]
    assert len(pub.list_releases(www)) <= 4  # keep 3, plus the one live before if it was older
    assert fetcher.sweep() == Counter({"B": len(fetcher.paths)})
