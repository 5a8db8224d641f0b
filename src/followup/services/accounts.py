"""The server's accounts (issue 15): add one, list them, disable, enable or delete one.

Checks come first and in the user's terms (an email as the contact checks read it,
lower-cased so that signing in ignores case; a password long enough), so that nothing
is written for bad input; the password is hashed here and never stored or shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from followup.domain.accounts import Account, AccountRole, password_problem
from followup.errors import InvalidInput, NotFound
from followup.services.ports import Accounts, Clock, ContactDetails, Passwords


@dataclass(frozen=True, slots=True)
class AccountDeps:
    """What the account commands need, built by ``followup.bootstrap.server_accounts``."""

    accounts: Accounts
    details: ContactDetails
    passwords: Passwords
    clock: Clock


def address(deps: AccountDeps, email: str) -> str:
    try:
        return deps.details.email(email).lower()
    except ValueError as e:
        raise InvalidInput(str(e), field="email") from None


def add(deps: AccountDeps, email: str, role: AccountRole, password: str | None) -> Account:
    """A new account; without ``password`` it cannot sign in until one is set."""
    checked = address(deps, email)
    hashed = None
    if password is not None:
        problem = password_problem(password)
        if problem is not None:
            raise InvalidInput(f"password: {problem}", field="password")
        hashed = deps.passwords.hash(password)
    return deps.accounts.add_account(checked, role, hashed, deps.clock.now())


def listed(deps: AccountDeps) -> list[Account]:
    return deps.accounts.accounts()


def disable(deps: AccountDeps, email: str) -> Account:
    """Disable an account (it keeps its data; it cannot sign in)."""
    checked = address(deps, email)
    account = deps.accounts.disable_account(checked, deps.clock.now())
    if account is None:
        raise NotFound(f"{checked}: no such account")
    return account


def enable(deps: AccountDeps, email: str) -> Account:
    """Let a disabled account sign in again: a disable by mistake is undone."""
    checked = address(deps, email)
    account = deps.accounts.enable_account(checked)
    if account is None:
        raise NotFound(f"{checked}: no such account")
    return account


def delete(deps: AccountDeps, email: str) -> Account:
    """Erase an account and everything it holds, for good (a seeker leaving the service
    has their search erased, not kept disabled for ever); the account as it was."""
    checked = address(deps, email)
    account = deps.accounts.delete_account(checked)
    if account is None:
        raise NotFound(f"{checked}: no such account")
    return account
