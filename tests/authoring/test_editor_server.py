"""The browser editor answers only its own page on this machine (issue 29): bound to 127.0.0.1, a token in the
printed address (then a cookie), the Host it bound, its own Origin for every change, and never a file outside the
project. Each test names the bug it exists to catch."""

from __future__ import annotations

import re

import pytest

from editor_support import Client, copy_example, running_editor


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    project = copy_example(tmp_path_factory.mktemp("editor"))
    with running_editor(project) as server:
        yield server, Client(server), project


def test_it_listens_on_this_machine_only(editor):
    server, _, _ = editor
    assert server.server_address[0] == "127.0.0.1"


def test_without_the_token_nothing_is_answered(editor):
    # Bug: a page answered without the token (any local program or page could read the school's drafts).
    _, client, _ = editor
    status, _, body = client.get("/api/documents", headers={"X-Editor-Token": None})
    assert status == 403
    assert "address it printed" in body["error"]
    status, _, _ = client.get("/api/documents", headers={"X-Editor-Token": "not-the-token"})
    assert status == 403
    # Another token of the same length and alphabet (a check of its form, not its value, would let it in).
    other = ("A" if client.token[0] != "A" else "B") + client.token[1:]
    for headers in ({"X-Editor-Token": other}, {"X-Editor-Token": None, "Cookie": f"policy_editor_token={other}"}):
        status, _, _ = client.get("/api/documents", headers=headers)
        assert status == 403, headers


def test_the_printed_address_sets_a_cookie_that_opens_the_page(editor):
    server, client, _ = editor
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]{43}", server.url)
    status, headers, _ = client.get(f"/?token={client.token}", headers={"X-Editor-Token": None})
    assert status == 303 and headers["Location"] == "/"
    cookie = headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    status, headers, page = client.get("/", headers={"X-Editor-Token": None, "Cookie": cookie.split(";")[0]})
    assert status == 200 and "<h1>Policy editor</h1>" in page


def test_another_host_name_is_refused(editor):
    # Bug: no Host check, so a DNS-rebinding page (evil.example resolving to 127.0.0.1) reads the editor.
    _, client, _ = editor
    status, _, body = client.get("/api/documents", headers={"Host": f"evil.example:{client.port}"})
    assert status == 421, body
    status, _, _ = client.get("/api/documents", headers={"Host": "127.0.0.1:1"})
    assert status == 421


@pytest.mark.parametrize("headers, why", [
    ({"Origin": "http://evil.example"}, "Origin"),
    ({"Origin": None}, "Origin"),
    ({"Sec-Fetch-Site": "cross-site"}, "Sec-Fetch-Site"),
    ({"X-Editor-Token": None, "Cookie": "policy_editor_token=TOKEN"}, "token"),
])
def test_a_change_from_another_site_is_refused(editor, headers, why):
    # Bugs: a POST accepted from another origin, without an Origin, from a cross-site fetch, or on the cookie alone
    # (a cross-site form sends the cookie, never our header).
    _, client, project = editor
    headers = {name: (value.replace("TOKEN", client.token) if value else value) for name, value in headers.items()}
    before = (project / "glossary.yml").read_bytes()
    status, _, body = client.post("/api/save", {"path": "glossary.yml", "data": {"terms": []}}, headers=headers)
    assert status == 403 and why in body["error"], body
    assert (project / "glossary.yml").read_bytes() == before


def test_every_answer_carries_the_content_security_policy(editor):
    _, client, _ = editor
    for path in ("/", "/assets/editor.js", "/api/documents", "/nothing-here"):
        _, headers, _ = client.get(path)
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "default-src 'none'" in policy, path
        assert "unsafe-inline" not in policy and "http" not in policy, path
    _, headers, _ = client.get("/", headers={"X-Editor-Token": None})
    assert "Content-Security-Policy" in headers  # refusals too


def test_the_editor_page_has_no_inline_script(editor):
    _, client, _ = editor
    _, _, page = client.get("/")
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all('src="/assets/' in attributes and not body.strip() for attributes, body in scripts)


@pytest.mark.parametrize("path", ["../school.yml", "/etc/passwd", "policies/../../outside.yml", "policies/link.yml",
                                  "policies/social-media.yml/", "site/staff/index.html", "%2e%2e/school.yml"])
def test_no_file_outside_the_project_is_read_or_written(editor, path, tmp_path):
    # Bug: a path from the browser joined to the project folder and opened (../, an absolute path, a symbolic
    # link out of the project).
    _, client, project = editor
    outside = tmp_path / "outside.yml"
    outside.write_text("terms: []\n", encoding="utf-8")
    link = project / "policies" / "link.yml"
    if not link.exists():
        link.symlink_to(outside)
    status, _, body = client.get(f"/api/document?path={path}")
    assert status == 404 and "not one of the project's" in body["error"], body
    status, _, body = client.post("/api/save", {"path": path, "data": {"terms": []}})
    assert status == 404, body
    assert outside.read_text(encoding="utf-8") == "terms: []\n"


@pytest.mark.parametrize("new_id", ["../evil", "/tmp/evil", "Evil Id", "évil", "a" * 200, "social-media"])
def test_a_new_file_needs_a_plain_id_that_is_not_taken(editor, new_id):
    _, client, project = editor
    status, _, body = client.post("/api/new", {"kind": "policy", "id": new_id})
    assert status == 400, body
    assert not any(project.parent.glob("evil*")) and not (project / "policies" / "evil.yml").exists()


def test_the_command_prints_the_address_with_its_token(tmp_path):
    import subprocess
    import sys
    import urllib.request

    from support import REPO

    project = copy_example(tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "generator", "edit", "--project", str(project)], cwd=REPO,
                               stderr=subprocess.PIPE, text=True)
    try:
        lines = [process.stderr.readline() for _ in range(2)]
        url = lines[1].strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]{43}", url), lines
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with browser.open(url, timeout=60) as answer:  # follows the redirect with the cookie it set
            assert answer.status == 200 and "<h1>Policy editor</h1>" in answer.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_request_larger_than_the_limit_is_refused_before_it_is_read(editor):
    # Bug: a body of any size read into memory (and a file over the loader's limit written).
    _, client, project = editor
    before = (project / "glossary.yml").read_bytes()
    status, _, body = client.send("POST", "/api/save", headers={"Content-Length": "9000000",
                                                                "Content-Type": "application/json"})
    assert status == 413 and "larger than 8,000,000 bytes" in body["error"]
    assert (project / "glossary.yml").read_bytes() == before
