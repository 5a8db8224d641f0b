"""Safe by default: the Host check, the CSRF token, and the headers of every response.

- **Host**: a request whose Host header is not the served host is refused with 403,
  so a web page on another site cannot reach this server through DNS rebinding.
- **CSRF**: every request that changes something carries a token equal to the
  ``followup_csrf`` cookie (double-submit): in the ``X-CSRF-Token`` header (HTMX and
  the API) or the ``csrf_token`` form field (plain forms). The cookie is
  ``SameSite=Strict`` and ``HttpOnly``; pages put the token in their forms. GET
  requests never change anything, so they need none.
- **Headers**: a Content-Security-Policy without inline scripts or styles, no framing,
  no referrer, and ``Cache-Control: no-store`` on everything but the static files,
  since every page and API answer holds personal data.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable

from fastapi import Request
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "followup_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host header values this server answers to."""
    names = {host, *LOCAL_HOSTS} if host in (*LOCAL_HOSTS, "::1") else {host}
    return frozenset({*names, *(f"{name}:{port}" for name in names)})


class HostCheck:
    """Refuse requests for any other host with 403 (DNS rebinding)."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = frozenset(hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and Headers(scope=scope).get("host") not in self.hosts:
            response = PlainTextResponse("Forbidden: unknown host", status_code=403)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """The headers of every response, and the CSRF cookie for browsers without one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")
        token = csrf_cookie(Headers(scope=scope))
        if token is None:
            token = secrets.token_urlsafe(32)
            scope.setdefault("state", {})["new_csrf_token"] = token

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "no-referrer"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                if not static:
                    headers["Cache-Control"] = "no-store"
                    if scope.get("state", {}).get("new_csrf_token"):
                        headers.append("Set-Cookie", _cookie(token))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cookie(token: str) -> str:
    return f"{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"


def csrf_cookie(headers: Headers) -> str | None:
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == CSRF_COOKIE and value:
            return value
    return None


def csrf_token(request: Request) -> str:
    """The token pages put in their forms (the cookie's, or the one set on this response)."""
    token = csrf_cookie(request.headers) or request.scope.get("state", {}).get("new_csrf_token")
    assert token is not None  # SecurityHeaders always provides one
    return str(token)


class CsrfRefused(Exception):
    """A state-changing request without the right token."""


async def require_csrf(request: Request) -> None:
    """A dependency of every route that changes something."""
    if request.method in SAFE_METHODS:
        return
    expected = csrf_cookie(request.headers)
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()  # parsed once; the route reads it from the cache
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not expected or not given or not hmac.compare_digest(expected, given):
        raise CsrfRefused


async def csrf_refused(request: Request, exc: Exception) -> PlainTextResponse:
    return PlainTextResponse(
        "Forbidden: missing or wrong CSRF token (reload the page and try again)",
        status_code=403,
    )
