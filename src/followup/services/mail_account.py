"""A seeker's mail on the server (issue 15, item 5): their mail settings, their SMTP and
IMAP passwords, and the daily digest by email, as the Settings page sets them.

Passwords go one way: they are given, sealed by the store (``adapters.secret_box``), and
never shown again; what can be seen is whether one is kept, and for which login and host.
A password is kept for the login and host it was given with: when either changes and no
new password comes with the change, the old one is forgotten (it would not be sent to
the new server anyway) and the answer says so.

Every setting is checked against the server's allow-list (``domain.mail_rules``) before
anything is written, and all of it (settings, passwords, digest) is written in one
transaction, or nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from followup.domain import text
from followup.domain.mail_rules import SERVER_ONLY, ServerMail
from followup.domain.mailbox import MAIL_KEYS, MailSettings
from followup.errors import InvalidInput

KINDS = ("smtp", "imap")
#: The mail settings a seeker sets on the server (``SERVER_ONLY`` are not theirs to set).
FIELDS = tuple(k for k in MAIL_KEYS if k not in SERVER_ONLY)
#: The longest password taken (a longer one is a paste gone wrong).
MAX_PASSWORD = 1024


class MailStore(Protocol):
    def read(self) -> ServerMail: ...

    def save(
        self, settings: MailSettings, passwords: Mapping[str, str | None], digest: bool
    ) -> None:
        """In one transaction: ``settings``; each password of ``passwords`` sealed for its
        kind's login and host in ``settings`` (None: forgotten); the digest switch."""
        ...


class HostCheck(Protocol):
    def check(self, settings: MailSettings) -> None:
        """``InvalidInput`` naming the setting the server's allow-list refuses."""
        ...


@dataclass(frozen=True, slots=True)
class MailDeps:
    store: MailStore
    hosts: HostCheck


@dataclass(frozen=True, slots=True)
class Password:
    kind: str
    #: "set" (kept for the login and host now set), "stale" (kept for others), "not set".
    state: str
    login: str | None = None
    host: str | None = None


@dataclass(frozen=True, slots=True)
class MailView:
    settings: MailSettings
    passwords: tuple[Password, ...]
    digest: bool
    timezone: str


def _login_host(settings: MailSettings, kind: str) -> tuple[str, str]:
    return (getattr(settings, f"{kind}_user") or "", getattr(settings, f"{kind}_host") or "")


def view(deps: MailDeps) -> MailView:
    stored = deps.store.read()
    passwords = []
    for kind in KINDS:
        kept = stored.passwords.get(kind)
        if kept is None:
            passwords.append(Password(kind, "not set"))
        else:
            state = "set" if kept == _login_host(stored.settings, kind) else "stale"
            passwords.append(Password(kind, state, *kept))
    return MailView(stored.settings, tuple(passwords), stored.digest, stored.timezone)


@dataclass(frozen=True, slots=True)
class MailChange:
    #: ``mail.*`` settings as typed; those absent stay as they are.
    values: Mapping[str, str] = field(default_factory=dict)
    #: A new password for a kind (an empty one is no change).
    passwords: Mapping[str, str] = field(default_factory=dict)
    forget: frozenset[str] = frozenset()
    #: The digest by email on or off; None: as it is.
    digest: bool | None = None


def update(deps: MailDeps, change: MailChange) -> list[str]:
    """Check all of ``change``, then write it whole; the kinds whose password was
    forgotten because their server or login changed (the seeker is told)."""
    stored = deps.store.read()
    settings = stored.settings
    for key, value in change.values.items():
        settings = settings.with_value(key, value)  # an unknown key is refused, named
    deps.hosts.check(settings)  # the allow-list: SERVER_ONLY settings, the hosts
    writes: dict[str, str | None] = {}
    stale = []
    for kind in KINDS:
        name = f"mail.{kind}_password"
        given = change.passwords.get(kind, "")
        login, host = _login_host(settings, kind)
        if given:
            _check_password(given, name)
            if not login or not host:
                raise InvalidInput(
                    f"{name}: set the {kind.upper()} server and login first (with the password)",
                    field=name,
                )
            writes[kind] = given
            continue
        kept = stored.passwords.get(kind)
        if kind in change.forget:
            if kept is not None:
                writes[kind] = None
        elif kept not in (None, (login, host)) and kept == _login_host(stored.settings, kind):
            writes[kind] = None  # it was for the login or host just changed
            stale.append(kind)
    digest = stored.digest if change.digest is None else change.digest
    if digest and (not settings.address or not settings.smtp_host):
        raise InvalidInput(
            "digest: set your address and your outgoing (SMTP) server first", field="digest"
        )
    if settings != stored.settings or writes or digest != stored.digest:
        deps.store.save(settings, writes, digest)
    return stale


def _check_password(password: str, name: str) -> None:
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(f"{name}: longer than {MAX_PASSWORD} characters", field=name)
    if text.unsafe_in_line(password) is not None:  # never named: it is part of the secret
        raise InvalidInput(
            f"{name}: it holds a line break or a control character, which a mail server "
            "cannot be sent",
            field=name,
        )
