"""The server's accounts on the web (``followup server run``, issue 15): who is asking.

:class:`SignedIn` runs before every route: it finds the account of the request, from
``Authorization: Bearer TOKEN`` on ``/api/`` or else from the session cookie, and puts it
and, for a seeker, that seeker's services in the request's state, where
:func:`~followup.entrypoints.web.state.deps_of` finds them. Anyone else gets 401 on
``/api/`` and is sent to the login page elsewhere. An account without a search of its
own (a coach, an admin) has no services: every route of a search answers 404, before
anything else is looked at (its body, its CSRF token).

The session cookie (``followup_session``) is HttpOnly and SameSite=Lax, and Secure when the
request came over HTTPS: directly, or through a proxy trusted with
``FOLLOWUP_TRUSTED_PROXY`` (uvicorn then takes the scheme and the client's address from
its ``X-Forwarded-*`` headers, and from nobody else's).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from followup.domain.accounts import Account, AccountRole
from followup.entrypoints.web.cache import TOKEN_MARKER
from followup.entrypoints.web.rendering import templates, with_token
from followup.entrypoints.web.security import require_csrf
from followup.entrypoints.web.uploads import PendingUploads
from followup.errors import FollowupError, NotFound
from followup.services import signin
from followup.services.session import Deps
from followup.services.signin import SignInDeps, Throttled

if TYPE_CHECKING:
    from followup.services.coaching import CoachDeps
    from followup.services.mail_account import MailDeps

SESSION_COOKIE = "followup_session"
#: Paths anyone may ask for: the login and invitation pages, the static files, and the
#: calendar feeds (a feed's secret address is its own key: calendar apps cannot sign in).
PUBLIC = ("/login", "/invite/", "/static/", "/calendar/")
FEED = re.compile(r"/calendar/([A-Za-z0-9_-]{43})\.ics")
#: Paths for every signed-in account, with or without a search: its own account, and
#: what holds nobody's records. Every other path is a seeker's search.
ACCOUNT = (*PUBLIC, "/account", "/logout", "/api/me", "/api/csrf", "/api/openapi.json")
#: A coach's own paths: the caseload and the searches shared with them (``web.coaching``,
#: which answers 404 for a seeker not shared, and to anyone but a coach).
COACH = ("/caseload", "/api/seekers")


@dataclass(frozen=True, slots=True)
class Gate:
    """What a worker of the server needs for every request (``bootstrap.server_gate``)."""

    signin: SignInDeps
    #: The services of one seeker, over the worker's pool of connections (and, when the
    #: caller just read it, the seeker's change token: ``PostgresStore``'s ``changes``).
    deps_for: Callable[..., Deps]
    close: Callable[[], None]
    #: The uploads of one seeker waiting for their import (``web.uploads``).
    uploads_for: Callable[[int], PendingUploads]
    #: Sharing with coaches and the coaches' reads (``None``: a server without them).
    coach: CoachDeps | None = None
    #: A seeker's mail settings, sealed passwords and digest switch (Settings).
    mail: Callable[[Deps], MailDeps] | None = None


def gate_of(request: Request) -> Gate:
    gate: Gate = request.app.state.gate
    return gate


def account_of(request: Request) -> Account:
    account: Account = request.scope["state"]["account"]
    return account


def _cookie_value(headers: Headers, name: str) -> str | None:
    for part in headers.get("cookie", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value
    return None


class SignedIn:
    """Find the request's account; refuse anyone else (see the module's docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        gate: Gate = scope["app"].state.gate
        state = scope.setdefault("state", {})
        headers = Headers(scope=scope)
        api = path.startswith("/api/")
        account = None
        changes: object = None
        authorization = headers.get("authorization") if api else None
        if authorization is not None:
            kind, _, token = authorization.partition(" ")
            if kind.lower() == "bearer" and token.strip():
                account = signin.bearer_account(gate.signin, token.strip())
            if account is None:  # a wrong token is refused, whatever cookie came along
                await _unauthorized(scope, receive, send, "unknown or revoked API token")
                return
            state["signed_in_by"] = "bearer"
        elif (secret := _cookie_value(headers, SESSION_COOKIE)) is not None:
            found = signin.session(gate.signin, secret)
            account, changes = found if found is not None else (None, None)
            state["signed_in_by"] = "session" if account else None
        if account is None and path.startswith("/calendar/"):
            feed = FEED.fullmatch(path)
            seeker = signin.feed_seeker(gate.signin, feed.group(1)) if feed else None
            if seeker is None:  # a bare 404, as the local feed answers: no page, no hint
                await PlainTextResponse("Not found", status_code=404)(scope, receive, send)
                return
            state["deps"] = gate.deps_for(seeker)
            state["cache_scope"] = f"seeker {seeker}"
        if account is not None:
            state["account"] = account
            if account.role is AccountRole.SEEKER:
                state["deps"] = gate.deps_for(account.id, changes)
                state["cache_scope"] = f"seeker {account.id}"
            elif account.role is AccountRole.COACH and path.startswith(COACH):
                pass  # the searches shared with this coach, read only (web.coaching)
            elif account.role is AccountRole.COACH and path == "/":
                await RedirectResponse("/caseload", status_code=303)(scope, receive, send)
                return
            elif not path.startswith(ACCOUNT):  # no search of its own: nothing here
                response: Response = (
                    JSONResponse({"error": "not found", "field": None}, status_code=404)
                    if api
                    else PlainTextResponse("Not found", status_code=404)
                )
                await response(scope, receive, send)
                return
        elif not path.startswith(PUBLIC):
            if api:
                await _unauthorized(scope, receive, send, "sign in, or send an API token")
                return
            query = scope.get("query_string", b"").decode("latin-1")
            target = path + (f"?{query}" if query else "")
            to_login = RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
            await to_login(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def _unauthorized(scope: Scope, receive: Receive, send: Send, why: str) -> None:
    response = JSONResponse(
        {"error": f"not signed in: {why}", "field": None},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="followup"'},
    )
    await response(scope, receive, send)


# --- pages ----------------------------------------------------------------------------------

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["account"])


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.include_router(api)


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """A page of the accounts (no search needed to show it), with this browser's token."""
    base = {
        "request": request,
        "csrf": Markup(TOKEN_MARKER),  # noqa: S704 - a constant of ours, not request data
        "path": request.url.path,
        "flash": None,
        "account": request.scope.get("state", {}).get("account"),
    }
    response = templates.TemplateResponse(request, name, {**base, **context}, status_code=status)
    return with_token(request, bytes(response.body), status)


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never ``//other``)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _start(request: Request, response: Response, secret: str) -> Response:
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int(signin.SESSION_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="lax",
    )
    return response


def _end(request: Request, response: Response) -> Response:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="lax",
    )
    return response


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login")
async def login_page(request: Request, next: str | None = None) -> Response:
    if request.scope["state"].get("account") is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return page(request, "login.html", {"next": _safe_next(next), "email": "", "error": None})


@router.post("/login", dependencies=[Depends(require_csrf)])
async def login(
    request: Request,
    email: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
) -> Response:
    gate = gate_of(request)
    try:
        _, secret = await run_in_threadpool(  # argon2id takes a while: not in the event loop
            signin.sign_in, gate.signin, email, password, _client(request)
        )
    except Throttled as e:
        return page(request, "login.html", {"next": next, "email": email, "error": str(e)}, 429)
    except signin.SignInRefused as e:
        return page(request, "login.html", {"next": next, "email": email, "error": str(e)}, 401)
    if (old := _cookie_value(request.headers, SESSION_COOKIE)) is not None:
        signin.sign_out(gate.signin, old)  # the browser's previous session ends here
    return _start(request, RedirectResponse(_safe_next(next), status_code=303), secret)


@router.post("/logout", dependencies=[Depends(require_csrf)])
async def logout(request: Request) -> Response:
    if (secret := _cookie_value(request.headers, SESSION_COOKIE)) is not None:
        signin.sign_out(gate_of(request).signin, secret)
    return _end(request, RedirectResponse("/login", status_code=303))


@router.post("/logout/everywhere", dependencies=[Depends(require_csrf)])
async def logout_everywhere(request: Request) -> Response:
    signin.sign_out_everywhere(gate_of(request).signin, account_of(request))
    return _end(request, RedirectResponse("/login", status_code=303))


def _account_page(request: Request, status: int = 200, **context: Any) -> Response:
    account = account_of(request)
    tokens = signin.tokens(gate_of(request).signin, account)
    return page(
        request,
        "account.html",
        {"me": account, "tokens": tokens, "error": None, "done": None, **context},
        status,
    )


@router.get("/account")
async def account_page(request: Request, done: str | None = None) -> Response:
    said = {"password": "Your password was changed; every other session has ended."}
    return _account_page(request, done=said.get(done or ""))


@router.post("/account/password", dependencies=[Depends(require_csrf)])
async def change_password(
    request: Request, current: str = Form(""), password: str = Form("")
) -> Response:
    try:
        secret = await run_in_threadpool(
            signin.change_password, gate_of(request).signin, account_of(request), current, password
        )
    except FollowupError as e:
        return _account_page(request, 400, error=str(e))
    return _start(request, RedirectResponse("/account?done=password", status_code=303), secret)


@router.post("/account/tokens/{token_id}/revoke", dependencies=[Depends(require_csrf)])
async def revoke_token(request: Request, token_id: int) -> Response:
    try:
        signin.revoke_token(gate_of(request).signin, account_of(request), token_id)
    except NotFound:
        return _account_page(request, 404, error=f"No token {token_id} of yours.")
    return RedirectResponse("/account", status_code=303)


@router.get("/invite/{secret}")
async def invitation_page(request: Request, secret: str) -> Response:
    account = signin.invited(gate_of(request).signin, secret)
    if account is None:
        return page(request, "invite.html", {"invited": None, "error": None}, 404)
    return page(request, "invite.html", {"invited": account, "error": None})


@router.post("/invite/{secret}", dependencies=[Depends(require_csrf)])
async def accept_invitation(request: Request, secret: str, password: str = Form("")) -> Response:
    gate = gate_of(request)
    invited = signin.invited(gate.signin, secret)
    if invited is None:
        return page(request, "invite.html", {"invited": None, "error": None}, 404)
    try:
        _, session = await run_in_threadpool(
            signin.accept_invitation, gate.signin, secret, password
        )
    except FollowupError as e:
        return page(request, "invite.html", {"invited": invited, "error": str(e)}, 400)
    return _start(request, RedirectResponse("/", status_code=303), session)


@api.get("/me")
async def me(request: Request) -> dict[str, Any]:
    """Who this request belongs to (the token's or the session's account)."""
    account = account_of(request)
    return {
        "id": account.id,
        "email": account.email,
        "role": account.role.value,
        "signed_in_by": request.scope["state"].get("signed_in_by"),
    }
