"""A seeker's mail on the server (issue 15, item 5), for programs: the same service as the
Settings page (``services.mail_account``). Only on the server: the local app answers 404.
A password goes in and never comes out: the answer says "set" or "not set"."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from followup.entrypoints.web.api.errors import ERRORS
from followup.entrypoints.web.pages.mail_settings import required
from followup.entrypoints.web.schemas.mail_settings import MailChanged, MailIn, MailOut
from followup.entrypoints.web.security import require_csrf
from followup.services import mail_account
from followup.services.mail_account import FIELDS, MailChange, MailView

read = APIRouter(prefix="/api", tags=["read"], responses=ERRORS)
write = APIRouter(
    prefix="/api", tags=["write"], responses=ERRORS, dependencies=[Depends(require_csrf)]
)


def _out(view: MailView) -> dict[str, object]:
    return {
        "settings": {k: v for k, v in view.settings.as_text().items() if k in FIELDS},
        "passwords": {p.kind: p.state for p in view.passwords},
        "digest": view.digest,
        "timezone": view.timezone,
    }


@read.get("/settings/mail", response_model=MailOut, summary="Your mail settings (server only)")
async def get_mail(request: Request) -> MailOut:
    return MailOut.model_validate(_out(mail_account.view(required(request))))


@write.put("/settings/mail", response_model=MailChanged, summary="Change them (server only)")
async def put_mail(request: Request, body: MailIn) -> MailChanged:
    deps = required(request)
    change = MailChange(
        values=body.settings,
        passwords={str(k): v for k, v in body.passwords.items()},
        forget=frozenset(body.forget),
        digest=body.digest,
    )
    stale = await run_in_threadpool(mail_account.update, deps, change)  # DNS: off the loop
    return MailChanged.model_validate({**_out(mail_account.view(deps)), "stale": stale})
