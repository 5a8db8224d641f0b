"""The server's Settings page, its mail part (issue 15, item 5): a seeker's mail settings,
their SMTP and IMAP passwords (write-only: "set" or "not set", never shown back, not even
in a refused form), and the daily digest by email. Only on the server
(``followup server run``, see :func:`install`): the local app keeps its mail settings on
the command line.

Plain forms (CSRF-checked, no JavaScript needed), post/redirect/get: a reload never sends
a password again.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from followup.domain.mailbox import MAIL_KEYS
from followup.entrypoints.web.forms import form_errors
from followup.entrypoints.web.security import require_csrf
from followup.entrypoints.web.state import deps_of
from followup.errors import FollowupError, InvalidInput, NotFound
from followup.services import mail_account
from followup.services.mail_account import FIELDS, KINDS, MailChange, MailDeps

posts = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
FORM = "mail"
#: What the page says after a save (the ``mail`` query parameter of the redirect).
SAVED = {"saved": "Mail settings saved.", "forgot": "Password forgotten."}


def install(app: FastAPI) -> None:
    """The server's app only: these forms, and the same for programs (``api.mail_settings``)."""
    from followup.entrypoints.web.api import mail_settings as api  # noqa: PLC0415

    app.include_router(posts)
    app.include_router(api.read)
    app.include_router(api.write)


def mail_deps(request: Request) -> MailDeps | None:
    """The signed-in seeker's mail on the server; None in the local app."""
    gate = getattr(request.app.state, "gate", None)
    make = getattr(gate, "mail", None)
    return None if make is None else make(deps_of(request))


def required(request: Request) -> MailDeps:
    deps = mail_deps(request)
    if deps is None:
        raise NotFound("no such page")
    return deps


def context(request: Request) -> dict[str, Any]:
    """The mail part of the Settings page's context (nothing in the local app)."""
    deps = mail_deps(request)
    if deps is None:
        return {}
    said = request.query_params.get("mail", "")
    stale = [k for k in request.query_params.get("stale", "").split(",") if k in KINDS]
    view = mail_account.view(deps)
    return {
        "mail": view,
        "mail_text": view.settings.as_text(),
        "mail_fields": FIELDS,
        "mail_message": SAVED.get(said),
        "mail_stale": stale,
    }


def _change(form: FormData) -> MailChange:
    # Every mail key given, the server's own too: those are refused, named, not ignored.
    values = {k: v for k in MAIL_KEYS if isinstance(v := form.get(k), str)}
    passwords = {
        kind: v for kind in KINDS if isinstance(v := form.get(f"mail.{kind}_password"), str)
    }
    digest = None
    if form.get("digest_shown") == "1":
        digest = form.get("digest") == "on"
    return MailChange(values=values, passwords=passwords, digest=digest)


async def _again(request: Request, e: FollowupError, form: FormData) -> Response:
    from followup.entrypoints.web.pages.settings import _settings  # noqa: PLC0415

    # What was typed is shown again, except the passwords: never sent back to a browser.
    typed = {f"{FORM}.{k}": v for k in (*FIELDS, "digest") if isinstance(v := form.get(k), str)}
    if "digest_shown" in form and "digest" not in form:
        typed[f"{FORM}.digest"] = "off"
    shown = (*FIELDS, *(f"mail.{k}_password" for k in KINDS), "digest")
    errors = form_errors(e, FORM) if e.field in shown else {f"{FORM}.form": str(e)}
    return await _settings(request, errors, typed, code=422)


@posts.post("/settings/mail")
async def save_mail(request: Request) -> Response:
    deps = required(request)
    form = await request.form()
    try:
        # In a thread: the hosts are resolved (DNS), which must not hold the event loop.
        stale = await run_in_threadpool(mail_account.update, deps, _change(form))
    except FollowupError as e:
        return await _again(request, e, form)
    where = "/settings?mail=saved" + (f"&stale={','.join(stale)}" if stale else "") + "#mail"
    return RedirectResponse(where, status_code=303)


@posts.post("/settings/mail/forget")
async def forget_password(request: Request) -> Response:
    deps = required(request)
    form = await request.form()
    kind = form.get("kind")
    try:
        if kind not in KINDS:
            raise InvalidInput("say which password to forget: smtp or imap", field="form")
        mail_account.update(deps, MailChange(forget=frozenset({str(kind)})))
    except FollowupError as e:
        return await _again(request, e, form)
    return RedirectResponse("/settings?mail=forgot#mail", status_code=303)
