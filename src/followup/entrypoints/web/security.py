"""Safe by default: the Host check, the CSRF defence, and the headers of every response.

- **Host**: a request whose Host header is not one of the served names is refused with
  403, so a web page on another site cannot reach this server through DNS rebinding.
  Bound to every interface (``--host 0.0.0.0``), the server answers to this machine's
  own names and addresses and to the names given with ``--allow-host``.
- **CSRF**: cookies are shared by every port of a host, so a page served from
  ``127.0.0.1:OTHER`` can set any cookie this app reads: a token equal to a cookie
  (double-submit) would be forgeable. Instead the ``followup_csrf`` cookie holds a
  random browser id, and the token is an HMAC of that id with a secret that only this
  server process holds: nobody else can mint a token for any id. Every request that
  changes something carries the token, in the ``X-CSRF-Token`` header (HTMX and the API)
  or the ``csrf_token`` form field (plain forms), and must come from this very origin:
  a browser's ``Origin`` must be this scheme, host and port, and its ``Sec-Fetch-Site``
  (when sent) ``same-origin``. Programs that send no ``Origin`` (curl, scripts) need the
  token only. GET requests never change anything, so they need neither. On the server,
  an API request signed in by ``Authorization: Bearer`` needs neither: browsers never
  add that header on their own, so no other site can make one carry it.
- **Headers**: a Content-Security-Policy without inline scripts or styles, no framing,
  no referrer to other sites, and ``Cache-Control: no-store`` on everything but the static files,
  since every page and API answer holds personal data. Refusals carry them too.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import secrets
import socket
from collections.abc import Iterable

from fastapi import Request
from starlette.datastructures import Headers
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
SAFETY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Not "no-referrer": under it, browsers send ``Origin: null`` with a form's POST, and the
    # origin check could not tell the app's own forms from an opaque page. "same-origin"
    # still tells no other site where the user was.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
WIDE_HOSTS = ("0.0.0.0", "::", "")  # noqa: S104 - names of "every interface", compared only
#: What this server puts in the cookie: 32 random bytes, URL-safe base64. Anything else
#: (a cookie set by another page of the host, say) is ignored and replaced.
BROWSER_ID = re.compile(r"[A-Za-z0-9_-]{43}")
#: What a token looks like (an HMAC-SHA256 in hex): the only thing put into a page.
TOKEN = re.compile(r"[0-9a-f]{64}")


# --- Host -----------------------------------------------------------------------------------


def host_name(name: str) -> str:
    """A name or address as a Host header writes it (IPv6 in brackets), lower case."""
    name = name.strip().lower()
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"
    return name


def machine_names() -> set[str]:
    """This machine's own names and addresses, for a server bound to every interface.

    Its host name (short and fully qualified), the addresses they resolve to, and the
    address it reaches the network from (a UDP "connect" sends nothing). An address this
    misses (a second network card) can be given with ``--allow-host``.
    """
    names = {socket.gethostname(), socket.getfqdn()}
    for name in list(names):
        with contextlib.suppress(OSError):  # a name that does not resolve still counts itself
            names.update(str(info[4][0]) for info in socket.getaddrinfo(name, None))
    for family, target in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect((target, 9))  # fails when no route of that family
            names.add(str(probe.getsockname()[0]))
    return {n for n in names if n and "%" not in n}  # a scoped address is no Host header


def allowed_hosts(host: str, port: int, extra: Iterable[str] = ()) -> frozenset[str]:
    """The Host header values this server answers to."""
    names = {host_name(host)}
    if host_name(host) in (*LOCAL_HOSTS, *(host_name(h) for h in WIDE_HOSTS)):
        names.update(LOCAL_HOSTS)
    if host in WIDE_HOSTS:
        names.update(host_name(n) for n in machine_names())
    names.update(host_name(n) for n in extra)
    names.discard("")
    return frozenset({*names, *(f"{name}:{port}" for name in names)})


class HostCheck:
    """Refuse requests for any other host with 403 (DNS rebinding)."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = frozenset(hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        host = Headers(scope=scope).get("host", "").lower() if scope["type"] == "http" else None
        if host is not None and host not in self.hosts:
            response = PlainTextResponse(
                "Forbidden: unknown host", status_code=403, headers=refusal_headers()
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def refusal_headers() -> dict[str, str]:
    return {**SAFETY_HEADERS, "Cache-Control": "no-store"}


# --- headers and the browser id -------------------------------------------------------------


class SecurityHeaders:
    """The headers of every response, and a browser id cookie for browsers without one.

    The headers are encoded once, when the server starts, and put in place of any of the
    same name in one pass over the response's headers.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")
        if not browser_ids(Headers(scope=scope)):
            scope.setdefault("state", {})["new_browser_id"] = secrets.token_urlsafe(32)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                added = _STATIC_HEADERS if static else _PAGE_HEADERS
                headers = [h for h in message.get("headers", ()) if h[0] not in _REPLACED]
                headers += added
                if not static and (new := scope.get("state", {}).get("new_browser_id")):
                    headers.append((b"set-cookie", _cookie(new).encode("latin-1")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


_STATIC_HEADERS = [(k.lower().encode(), v.encode()) for k, v in SAFETY_HEADERS.items()]
_PAGE_HEADERS = [*_STATIC_HEADERS, (b"cache-control", b"no-store")]
_REPLACED = frozenset(name for name, _ in _PAGE_HEADERS)


def _cookie(browser_id: str) -> str:
    return f"{CSRF_COOKIE}={browser_id}; Path=/; HttpOnly; SameSite=Strict"


def browser_ids(headers: Headers) -> list[str]:
    """The well-formed browser ids the request's cookies hold, most specific path first.

    Another page of this host may have set more ``followup_csrf`` cookies (on a narrower
    path); each is only an id, worthless without the token this server derives from it.
    """
    found = []
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == CSRF_COOKIE and BROWSER_ID.fullmatch(value):
            found.append(value)
    return found


def sign(secret: bytes, browser_id: str) -> str:
    return hmac.new(secret, browser_id.encode("ascii"), hashlib.sha256).hexdigest()


def _secret(request: Request) -> bytes:
    secret: bytes = request.app.state.csrf_secret
    return secret


def csrf_token(request: Request) -> str:
    """The token of this browser (of its cookie's id, or of the one set on this response)."""
    ids = browser_ids(request.headers) or [request.scope.get("state", {}).get("new_browser_id")]
    assert ids[0] is not None  # SecurityHeaders always provides one
    return sign(_secret(request), str(ids[0]))


# --- the check ------------------------------------------------------------------------------


class CsrfRefused(Exception):
    """A state-changing request from another origin, or without the right token."""


def same_origin(request: Request) -> bool:
    """Whether a browser says the request comes from a page of this very origin.

    ``Sec-Fetch-Site: same-site`` is not enough: another port of this host is the same
    site. Without ``Origin`` the request is not a browser's cross-origin one (browsers
    send it with every POST, PUT, PATCH and DELETE), so the token decides alone.
    """
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    served = f"{request.url.scheme}://{request.headers.get('host', '')}"
    return origin.lower() == served.lower()


async def require_csrf(request: Request) -> None:
    """A dependency of every route that changes something (pages and API alike)."""
    if request.method in SAFE_METHODS:
        return
    if request.scope.get("state", {}).get("signed_in_by") == "bearer":
        return  # the server's API token: a browser never sends it on its own (no CSRF)
    if not same_origin(request):
        raise CsrfRefused("Forbidden: a change requested by another site")
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()  # parsed once; the route reads it from the cache
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not given or not TOKEN.fullmatch(given):  # also keeps non-ASCII from compare_digest
        raise CsrfRefused(WRONG_TOKEN)
    secret = _secret(request)
    if not any(hmac.compare_digest(sign(secret, i), given) for i in browser_ids(request.headers)):
        raise CsrfRefused(WRONG_TOKEN)


WRONG_TOKEN = "Forbidden: missing or wrong CSRF token (reload the page and try again)"  # noqa: S105


async def csrf_refused(request: Request, exc: Exception) -> PlainTextResponse:
    return PlainTextResponse(str(exc) or WRONG_TOKEN, status_code=403)
