"""A running editor on a copy of the example school, and a client that sends exactly the headers a test chooses
(for tests/test_editor_*.py and tests/browser/test_editor.py)."""

from __future__ import annotations

import http.client
import json
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

from support import TODAY, WEXHAM


def copy_example(folder: Path) -> Path:
    """The example school copied into ``folder`` (the tests edit the copy, never the fixture)."""
    project = folder / "school"
    shutil.copytree(WEXHAM, project)
    return project


@contextmanager
def running_editor(project: Path):
    from generator.authoring.editor.server import EditorServer

    server = EditorServer(project, TODAY)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


class Client:
    """Requests to the editor with the right Host, token and Origin unless a test says otherwise."""

    def __init__(self, server):
        self.port = server.server_address[1]
        self.token = server.guard.token

    def own_headers(self) -> dict:
        return {"Host": f"127.0.0.1:{self.port}", "X-Editor-Token": self.token,
                "Origin": f"http://127.0.0.1:{self.port}", "Sec-Fetch-Site": "same-origin"}

    def send(self, method: str, path: str, body=None, headers: dict | None = None, replace: bool = False):
        """(status, headers, body as JSON or text); ``headers`` are laid over the editor's own (or replace them)."""
        sent = dict(headers or {}) if replace else {**self.own_headers(), **(headers or {})}
        sent = {name: value for name, value in sent.items() if value is not None}
        payload = json.dumps(body).encode() if body is not None else None
        if payload is not None:
            sent["Content-Type"] = "application/json"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in sent.items():
            connection.putheader(name, value)
        if payload is not None:
            connection.putheader("Content-Length", str(len(payload)))
        connection.endheaders(payload)
        response = connection.getresponse()
        raw = response.read()
        connection.close()
        try:
            content = json.loads(raw)
        except ValueError:
            content = raw.decode("utf-8", "replace")
        return response.status, response.headers, content

    def get(self, path: str, **options):
        return self.send("GET", path, **options)

    def post(self, path: str, body, **options):
        return self.send("POST", path, body, **options)
