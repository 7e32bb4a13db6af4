"""Who may talk to the editor: this machine's browser, holding the token, from the editor's own pages.

The editor can write the school's files, so a web page open in another tab must not be able to drive it. As
Jupyter does, the URL printed at start carries a random token, which the first visit turns into a cookie
(HttpOnly, SameSite=Strict); every request needs one or the other. On top of that, the Host header must be the
address we bound (a DNS-rebinding page has its own host name there), and every request that changes something must
come from our own origin (Origin and Sec-Fetch-Site) and carry the token in a header, which a cross-site form cannot
set.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

COOKIE = "policy_editor_token"
TOKEN_HEADER = "X-Editor-Token"

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'")
"""Every response's Content-Security-Policy: the editor's own files only, no inline script, no other host."""

PREVIEW_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'self'; "
               "base-uri 'none'; form-action 'none'")
"""The preview's: the page as the site renders it, shown in a frame with no script at all."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


@dataclass
class Guard:
    token: str
    port: int
    hosts: tuple[str, ...] = field(default=("127.0.0.1", "localhost"))

    @property
    def origins(self) -> set[str]:
        return {f"http://{host}:{self.port}" for host in self.hosts}

    def refusal(self, method: str, headers, token_in_url: bool = False) -> tuple[int, str] | None:
        """None when the request may go on; else (HTTP status, why), said in plain words. ``token_in_url``: the
        first visit, with the address printed at start (only a GET may use it)."""
        if headers.get("Host", "") not in {f"{host}:{self.port}" for host in self.hosts}:
            return 421, "this editor answers only at 127.0.0.1 or localhost with its own port"
        first_visit = token_in_url and method == "GET"
        if not (first_visit or self._has_cookie(headers) or self._has_token_header(headers)):
            return 403, "open the editor with the address it printed when it started (it holds the token)"
        if method != "GET":
            if headers.get("Origin") not in self.origins:
                return 403, "a change must come from the editor's own page (Origin)"
            if headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
                return 403, "a change must come from the editor's own page (Sec-Fetch-Site)"
            if not self._has_token_header(headers):
                return 403, "a change must carry the editor's token"
        elif headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            return 403, "the editor's pages are not for other sites to load"
        return None

    def token_in_query(self, query: dict[str, list[str]]) -> bool:
        return any(hmac.compare_digest(value, self.token) for value in query.get("token", []))

    def cookie_header(self) -> str:
        return f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"

    def _has_cookie(self, headers) -> bool:
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("Cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie is no cookie
            return False
        return COOKIE in cookie and hmac.compare_digest(cookie[COOKIE].value, self.token)

    def _has_token_header(self, headers) -> bool:
        return hmac.compare_digest(headers.get(TOKEN_HEADER, ""), self.token)
