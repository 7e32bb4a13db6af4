"""The editor's HTTP routes on 127.0.0.1 (the standard library's ThreadingHTTPServer: a few routes need no web
framework). Every request passes the guard first; every response carries the Content-Security-Policy."""

from __future__ import annotations

import json
import mimetypes
from datetime import date
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from generator.authoring.editor.documents import KINDS, OutsideProject
from generator.authoring.editor.guard import CSP, PREVIEW_CSP, Guard, new_token
from generator.authoring.editor.session import MAX_REQUEST, Refused, Session
from generator.authoring.schema import build_schema

ASSETS = Path(__file__).resolve().parent / "assets"
_ASSET_NAMES = {"editor.js", "form.js", "editor.css", "preview.css"}
_SCHEMAS = {schema for schema in KINDS.values() if schema}


class EditorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, today: date, port: int = 0, token: str | None = None):
        super().__init__(("127.0.0.1", port), _Handler)
        self.session = Session(root.resolve(), today)
        self.guard = Guard(token or new_token(), self.server_address[1])
        self.faults: list[Exception] = []
        """Faults of the editor's own (answered with 500); cli prints nothing of them, tests look here."""

    def handle_error(self, request, client_address) -> None:
        pass  # a dropped connection; the base class would print a traceback, and only cli prints

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/?token={self.guard.token}"


class _Handler(BaseHTTPRequestHandler):
    server: EditorServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass  # cli is the only module that prints

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        first_visit = self.server.guard.token_in_query(query)
        if self._refused("GET", first_visit):
            return
        if first_visit:
            # Turn the token of the printed address into a cookie, and drop it from the address bar.
            self._send(HTTPStatus.SEE_OTHER, b"", "text/plain", {"Location": "/",
                                                                 "Set-Cookie": self.server.guard.cookie_header()})
            return
        session = self.server.session
        try:
            if url.path == "/":
                self._send_editor_page()
            elif url.path.startswith("/assets/") and url.path[8:] in _ASSET_NAMES:
                name = url.path[8:]
                self._send(HTTPStatus.OK, (ASSETS / name).read_bytes(), mimetypes.guess_type(name)[0] or "text/plain")
            elif url.path.startswith("/schemas/") and url.path[9:].removesuffix(".json") in _SCHEMAS:
                self._json(build_schema(url.path[9:].removesuffix(".json") + ".schema.json"))
            elif url.path == "/api/documents":
                self._json(session.documents())
            elif url.path == "/api/document":
                self._json(session.open(query.get("path", [""])[0]))
            elif url.path == "/api/registries":
                self._json(session.registries())
            elif url.path == "/preview":
                _, html = session.preview_of(query.get("path", [""])[0])
                self._send(HTTPStatus.OK, html.encode(), "text/html; charset=utf-8", csp=PREVIEW_CSP)
            else:
                self._json({"error": "no such page"}, HTTPStatus.NOT_FOUND)
        except (Refused, OutsideProject) as refused:
            self._json({"error": str(refused)}, getattr(refused, "status", 404))
        except Exception as error:  # noqa: BLE001 - a fault of the editor is answered, never a dropped connection
            self._fault(error)

    def do_POST(self) -> None:  # noqa: N802
        if self._refused("POST"):
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST:
            self.close_connection = True
            self._json({"error": f"the change is larger than {MAX_REQUEST:,} bytes"}, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            return
        try:
            request = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self._json({"error": "the request is not JSON"}, HTTPStatus.BAD_REQUEST)
            return
        session = self.server.session
        routes = {"/api/check": session.check, "/api/save": session.save,
                  "/api/new": lambda r: session.start_new(str(r.get("kind", "")), str(r.get("id", "")))}
        route = routes.get(urlsplit(self.path).path)
        if route is None or not isinstance(request, dict):
            self._json({"error": "no such action"}, HTTPStatus.NOT_FOUND)
            return
        try:
            self._json(route(request))
        except Refused as refused:
            self._json({"error": str(refused), **refused.details}, refused.status)
        except OutsideProject as refused:
            self._json({"error": str(refused)}, HTTPStatus.BAD_REQUEST)
        except Exception as error:  # noqa: BLE001
            self._fault(error)

    def _fault(self, error: Exception) -> None:
        if isinstance(error, (BrokenPipeError, ConnectionResetError)):
            return  # the browser went elsewhere (a preview frame reloaded) before the answer was sent
        self.server.faults.append(error)
        self._json({"error": f"internal error in the editor: {type(error).__name__}: {error} (nothing was written "
                             "unless it said so; please report it)"}, HTTPStatus.INTERNAL_SERVER_ERROR)

    def _refused(self, method: str, first_visit: bool = False) -> bool:
        refusal = self.server.guard.refusal(method, self.headers, first_visit)
        if refusal:
            self.close_connection = True  # its body (if any) is left unread: never read it as the next request
            self._json({"error": refusal[1]}, refusal[0])
        return bool(refusal)

    def _send_editor_page(self) -> None:
        page = (ASSETS / "editor.html").read_text(encoding="utf-8")
        page = page.replace("{{TOKEN}}", self.server.guard.token)
        self._send(HTTPStatus.OK, page.encode(), "text/html; charset=utf-8")

    def _json(self, value, status: int = HTTPStatus.OK) -> None:
        self._send(status, json.dumps(value).encode(), "application/json")

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None, csp: str = CSP) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", csp)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
