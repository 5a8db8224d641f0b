"""Coaches, with consent (issue 15, item 4): sharing, the caseload, the access log.

- **Sharing** is the seeker's alone: they name a coach by the email the coach signs in
  with, and revoke it when they like. An email that is not an enabled coach account
  (no account, a seeker's, an admin's, a disabled one) gets one answer, "no coach
  account with that email" (404), whatever it is: a seeker learns nothing else about
  other people's accounts.
- **A coach reads, never writes**: a shared seeker's services are given to the coach
  over a :class:`ReadOnlyStore` (every write refused), and only after the share was
  found in this request's own query, so a revoked share takes effect at once. A seeker
  not shared with the coach is "not found", as if it did not exist.
- **The access log**: every look of a coach at a seeker's data is written before the
  data is read (a look that then fails is still logged: the log never says less than
  happened), coalesced per coach, what and UTC day (how many times, first and last),
  kept :data:`LOG_KEPT_DAYS` days; the seeker's Settings page shows the latest
  :data:`LOG_SHOWN`.
- **The caseload** (:func:`caseload`) reads the stored plan of every shared seeker in
  one set-based query; the follow-ups done late too, from their timings
  (:mod:`followup.domain.punctuality`) stored when the records that decide them were
  written (:class:`~followup.services.ports.StoredTimings`): a look costs the same
  whatever the seekers changed since the last one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from followup.domain.accounts import Account, AccountRole
from followup.domain.coaching import CaseloadRow, Look, Looked, Seeker, Share
from followup.errors import InvalidInput, NotFound, Refused
from followup.services.planning import COUNT_CAP, PLANNER_VERSION
from followup.services.ports import Clock, Coaching, ContactDetails, Repository, Store
from followup.services.session import Deps

#: How long the access log keeps a row (days after its UTC day).
LOG_KEPT_DAYS = 365
#: Rows of the access log shown on the seeker's Settings page, the latest first.
LOG_SHOWN = 50
#: The most overdue actions the caseload shows of each seeker.
FIRST_OVERDUE = 3
#: The caseload's "done late" counts the follow-ups of these last days.
LATE_DAYS = 30


class ReadOnlyStore:
    """A seeker's store as a coach gets it: reads as the seeker's, every write refused."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def reading(self) -> AbstractContextManager[Repository]:
        return self._store.reading()

    @contextmanager
    def writing(self) -> Iterator[Repository]:
        raise Refused("a coach reads a seeker's search and never changes it")
        yield  # pragma: no cover - a generator, for the context manager

    def change_token(self) -> object:
        return self._store.change_token()


@dataclass(frozen=True, slots=True)
class CoachDeps:
    """Built once per server process by ``followup.bootstrap.server_gate``."""

    coaching: Coaching
    clock: Clock
    details: ContactDetails
    #: A seeker's own services (the store is wrapped read-only here before any use).
    deps_for: Callable[[int], Deps]


# --- the seeker's side ---------------------------------------------------------------------


def coach_address(deps: CoachDeps, email: str) -> str:
    try:
        return deps.details.email(email.strip()).lower()
    except ValueError as e:
        raise InvalidInput(f"coach: {e}", field="coach") from None


def share(deps: CoachDeps, seeker: Account, email: str) -> Share:
    """Share ``seeker``'s search with the coach of ``email`` (again: nothing changes)."""
    address = coach_address(deps, email)
    found = deps.coaching.share(_seeker_id(seeker), address, deps.clock.now())
    if found is None:
        raise NotFound(
            f"no coach account with the email {address} on this server (ask your coach "
            "for the email they sign in with)",
            field="coach",
        )
    return found


def unshare(deps: CoachDeps, seeker: Account, email: str) -> None:
    """Revoke a share: the coach's next request finds nothing of this seeker."""
    address = email.strip().lower()
    if not deps.coaching.unshare(_seeker_id(seeker), address):
        raise NotFound(f"you do not share your search with {address}", field="coach")


def shares(deps: CoachDeps, seeker: Account) -> list[Share]:
    return deps.coaching.shares_of(_seeker_id(seeker))


def access_log(deps: CoachDeps, seeker: Account) -> list[Look]:
    """The latest looks of coaches at this seeker's data."""
    return deps.coaching.looks(_seeker_id(seeker), LOG_SHOWN)


def _seeker_id(account: Account) -> int:
    if account.role is not AccountRole.SEEKER:  # the routes let only seekers here
        raise NotFound("only a seeker shares a search")
    return account.id


# --- the coach's side ----------------------------------------------------------------------


def seeker_of(deps: CoachDeps, coach: Account, seeker_id: str, what: Looked) -> tuple[Seeker, Deps]:
    """A seeker sharing with ``coach`` and their services, read-only; the look is logged.
    Anything else (no such seeker, not shared, not a number, not a coach): "not found"."""
    found = None
    if coach.role is AccountRole.COACH and seeker_id.isdigit() and len(seeker_id) < 19:
        found = deps.coaching.shared_seeker(coach.id, int(seeker_id))
    if found is None:
        raise NotFound(f"no seeker {seeker_id} shares a search with you")
    _note(deps, coach, [found.id], what)
    own = deps.deps_for(found.id)
    return found, replace(own, store=ReadOnlyStore(own.store))


def caseload(deps: CoachDeps, coach: Account, now: datetime | None = None) -> list[CaseloadRow]:
    """Every seeker sharing with ``coach``: their overdue actions (how many, the most
    overdue few), last activity, and the follow-ups they did late in the last
    :data:`LATE_DAYS` days; by email. Logged as a look at each of them.

    Two statements whatever the number of seekers (the seekers with the look logged,
    then all their figures), unless a seeker's stored plan is older than this planner."""
    if coach.role is not AccountRole.COACH:
        raise NotFound("only a coach has a caseload")
    now = now or deps.clock.now()
    logged_at = deps.clock.now()
    seekers = deps.coaching.look_at_caseload(
        coach.id, coach.email, logged_at, _keep_from(logged_at)
    )
    for s in seekers:
        if s.planned_by != PLANNER_VERSION:  # new, or stored before migration 0009
            deps.deps_for(s.id)  # ensure_current: re-planned and timed, once
    days = {s.id: now.astimezone(ZoneInfo(s.timezone)).date() for s in seekers}
    figures = deps.coaching.caseload_figures(days, now, FIRST_OVERDUE, COUNT_CAP, LATE_DAYS)
    return [CaseloadRow(s, *figures[s.id]) for s in seekers]


def _keep_from(now: datetime) -> date:
    """The first UTC day of the access log kept at ``now`` (the rows' days are UTC)."""
    return now.astimezone(UTC).date() - timedelta(days=LOG_KEPT_DAYS)


def _note(deps: CoachDeps, coach: Account, seeker_ids: list[int], what: Looked) -> None:
    now = deps.clock.now()
    deps.coaching.note_looks(coach.id, coach.email, seeker_ids, what, now, _keep_from(now))
