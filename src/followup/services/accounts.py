"""The server's accounts (issue 15): add one, list them, disable one.

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
