"""Signing in to a followup server (issue 15): passwords, sessions, API tokens, invitations.

- **Secrets** (a session's id, an API token, an invitation) are 32 random bytes from
  ``secrets``; the database keeps only their SHA-256, so a copy of it signs nobody in.
- **Guessing** is throttled: after :data:`MAX_FAILURES` failed sign-ins within
  :data:`FAILURE_WINDOW`, for one email or from one client address, every attempt is
  refused (HTTP 429) without looking at the password, until the window moves on.
- **No hint whether an email has an account**: an unknown email, a disabled account, one
  without a password yet and a wrong password all get the same refusal, and each costs
  one argon2id verification (a dummy hash stands in for a missing one), so neither the
  answer nor its timing tells them apart.
- **A new session at every sign-in** (no fixation): the id is made by the server after
  the password checked, never taken from the browser. A password change ends every
  session of the account and starts a new one for the browser that changed it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from followup.domain.accounts import Account, ApiToken, password_problem
from followup.domain.agenda import token_digest
from followup.errors import InvalidInput, NotFound, Refused
from followup.services.ports import Clock, Passwords, SignIns

MAX_FAILURES = 10
FAILURE_WINDOW = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(days=14)
INVITATION_LIFETIME = timedelta(days=7)
#: What every refused sign-in says, whatever the reason.
REFUSED = "Wrong email or password."


class Throttled(Refused):
    """Too many failed sign-ins lately (HTTP 429)."""


class SignInRefused(Refused):
    """Wrong email or password (or an account that cannot sign in): the same for all."""


@dataclass(frozen=True, slots=True)
class SignInDeps:
    """Built once per server process by ``followup.bootstrap``."""

    signins: SignIns
    passwords: Passwords
    clock: Clock
    #: A hash of a random password, verified when there is no real hash to verify.
    dummy_hash: str


def new_secret() -> tuple[str, str]:
    """A new secret and the SHA-256 that is kept of it."""
    secret = secrets.token_urlsafe(32)
    return secret, digest(secret)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def sign_in(deps: SignInDeps, email: str, password: str, address: str) -> tuple[Account, str]:
    """The account and a new session's secret; :class:`Throttled` or
    :class:`SignInRefused` (the same refusal whatever was wrong)."""
    email = email.strip().lower()
    now = deps.clock.now()
    by_email, by_address = deps.signins.failures(email, address, now - FAILURE_WINDOW)
    if by_email >= MAX_FAILURES or by_address >= MAX_FAILURES:
        raise Throttled("Too many failed sign-ins: wait 15 minutes and try again.")
    found = deps.signins.credentials(email) if len(password) <= 1024 else None
    account, hashed = found if found is not None else (None, None)
    ok = deps.passwords.verify(hashed or deps.dummy_hash, password[:1024])
    if account is None or hashed is None or account.disabled_at is not None or not ok:
        deps.signins.add_failure(email[:320], address, now)
        raise SignInRefused(REFUSED)
    return account, _start_session(deps, account)


def _start_session(deps: SignInDeps, account: Account) -> str:
    secret, hashed = new_secret()
    now = deps.clock.now()
    deps.signins.start_session(account.id, hashed, now, now + SESSION_LIFETIME)
    return secret


def session_account(deps: SignInDeps, secret: str) -> Account | None:
    return deps.signins.session_account(digest(secret), deps.clock.now())


def session(deps: SignInDeps, secret: str) -> tuple[Account, object] | None:
    """The session's account and, for a seeker, their change token as of this moment (a
    page's cache asks for it next: read here, it costs no query of its own)."""
    return deps.signins.session(digest(secret), deps.clock.now())


def bearer_account(deps: SignInDeps, token: str) -> Account | None:
    return deps.signins.token_account(digest(token), deps.clock.now())


def sign_out(deps: SignInDeps, secret: str) -> None:
    deps.signins.end_session(digest(secret))


def sign_out_everywhere(deps: SignInDeps, account: Account) -> int:
    return deps.signins.end_sessions(account.id)


def change_password(deps: SignInDeps, account: Account, current: str, new: str) -> str:
    """Set a new password (the current one must be given): every session ends, and the
    secret of a new one for this browser is returned."""
    found = deps.signins.credentials(account.email)
    hashed = found[1] if found else None
    if not deps.passwords.verify(hashed or deps.dummy_hash, current[:1024]) or hashed is None:
        raise InvalidInput("current password: wrong password", field="current")
    _check(new)
    deps.signins.set_password(account.id, deps.passwords.hash(new))
    deps.signins.end_sessions(account.id)
    return _start_session(deps, account)


def _check(password: str) -> None:
    problem = password_problem(password)
    if problem is not None:
        raise InvalidInput(f"password: {problem}", field="password")


def new_token(deps: SignInDeps, account: Account) -> str:
    """A new API token of the account, to show once."""
    secret, hashed = new_secret()
    deps.signins.add_token(account.id, hashed, deps.clock.now())
    return secret


def tokens(deps: SignInDeps, account: Account) -> list[ApiToken]:
    return deps.signins.tokens(account.id)


def revoke_token(deps: SignInDeps, account: Account, token_id: int) -> None:
    if not deps.signins.revoke_token(account.id, token_id, deps.clock.now()):
        raise NotFound(f"no token {token_id}")


def account_of(deps: SignInDeps, email: str) -> Account:
    found = deps.signins.credentials(email.strip().lower())
    if found is None:
        raise NotFound(f"{email.strip().lower()}: no such account")
    return found[0]


def invite(deps: SignInDeps, account: Account) -> str:
    """A one-time invitation to set the account's password: its secret, to send once."""
    secret, hashed = new_secret()
    now = deps.clock.now()
    deps.signins.add_invitation(account.id, hashed, now, now + INVITATION_LIFETIME)
    return secret


def invited(deps: SignInDeps, secret: str) -> Account | None:
    return deps.signins.invited(digest(secret), deps.clock.now())


def accept_invitation(deps: SignInDeps, secret: str, password: str) -> tuple[Account, str]:
    """Set the password through an invitation (used up at once) and sign in."""
    _check(password)
    account = deps.signins.accept_invitation(
        digest(secret), deps.passwords.hash(password), deps.clock.now()
    )
    if account is None:
        raise NotFound("this invitation link was used already or has expired")
    return account, _start_session(deps, account)


def feed_seeker(deps: SignInDeps, token: str) -> int | None:
    """Whose calendar feed address this is: a calendar app cannot sign in, so the secret
    address alone names its seeker (the feed checks the token again as it reads)."""
    return deps.signins.feed_seeker(token_digest(token))
