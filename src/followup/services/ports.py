"""The ports: what the use cases need from the outside world, and nothing more.

The SQLite store implements :class:`Store` today and a PostgreSQL store will later;
both must pass the same contract tests (``tests/integration/contract/``, one module per
concept of :class:`Repository`).
Unit tests of the services use the in-memory fakes of ``tests/fakes.py`` (the fake
repository is split as :class:`Repository` is, in ``tests/fake_store/``).
"""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from followup.domain.listed import Listed, Scheduled
from followup.domain.model import Action, Application, Contact, Status
from followup.domain.reading import Planned
from followup.domain.settings import Settings

if TYPE_CHECKING:  # named in annotations only: what a command never uses is never loaded
    from followup.domain.accounts import Account, AccountRole, ApiToken
    from followup.domain.agenda import Feed, Line
    from followup.domain.coaching import Lateness, Look, Looked, Overdue, Seeker, Share
    from followup.domain.digest import DigestState
    from followup.domain.drafts import Email, EmailDraft
    from followup.domain.history import Entry, Revision
    from followup.domain.insights import Record, Timing
    from followup.domain.mailbox import (
        IncomingMail,
        MailSettings,
        OutboxEntry,
        OutboxState,
        SentMail,
    )

#: How a list of applications can be sorted.
SORTS = ("company", "position", "status", "applied")


class StoredSettings(Protocol):
    """The user's settings and the mail settings: one value per key, absent until saved."""

    def load_settings(self) -> Settings:
        """The saved settings, or the defaults when none were saved."""
        ...

    def save_settings(self, settings: Settings) -> None: ...
    def has_settings(self) -> bool: ...
    def load_mail_settings(self) -> MailSettings: ...
    def save_mail_settings(self, settings: MailSettings) -> None: ...


class Records(Protocol):
    """The applications, each stored and loaded whole with its contacts, interviews,
    touches and dismissals, so that a write can never be partial."""

    def get(self, app_id: str) -> Application | None: ...
    def load(self, app_ids: Iterable[str]) -> list[Application]:
        """The applications among ``app_ids``, in that order (unknown ids are skipped)."""
        ...

    def existing(self, app_ids: Iterable[str]) -> set[str]: ...
    def put(self, app: Application) -> None: ...
    def put_many(self, apps: list[Application]) -> None: ...
    def delete_many(self, app_ids: list[str]) -> None:
        """Delete applications with all they hold (contacts, interviews, touches, plan,
        outbox)."""
        ...

    def applications(self, status: Status | None = None) -> Iterator[Application]:
        """Every application (or those with ``status``), grouped by company."""
        ...

    def company_keys(self, app_ids: Iterable[str]) -> set[str]: ...
    def all_company_keys(self) -> list[str]: ...
    def company_members(self, keys: Iterable[str]) -> dict[str, list[str]]:
        """The ids of the applications at each company (R13 links their plans)."""
        ...

    def any_accepted(self) -> bool:
        """Whether some application is ``accepted`` (R20 ends the search)."""
        ...


class Listings(Protocol):
    """What people read in lists (search, board, calendar), without loading whole records."""

    def search(
        self, query: str, status: Status | None, sort: str, limit: int, offset: int
    ) -> tuple[list[Listed], int]:
        """A page of applications matching ``query`` and the total. Each word of it
        (:func:`followup.domain.search.terms`) must start a word of the company, the
        position, the notes, a contact's name, email or phone, or the job posting; a
        query with no word matches nothing (an empty one, everything).

        ``sort`` is one of :data:`SORTS`; a leading ``-`` reverses it.
        """
        ...

    def newest(self, status: Status, limit: int) -> list[Listed]:
        """The most recently added applications with this status (a board column): by
        application day, then by the day recorded, the newest first."""
        ...

    def count_by_status(self) -> dict[Status, int]: ...
    def interviews_between(
        self, start: datetime, end: datetime, *, ordered: bool = True
    ) -> list[Scheduled]:
        """The interviews not cancelled in ``[start, end)``, in time order (``ordered=False``:
        in any order, when the store reads them faster so: the calendar sorts its own)."""
        ...

    def contacts_of(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Contact]:
        """The contacts named by ``(application id, contact id)``, in one query."""
        ...

    def notes_of(self, app_ids: Iterable[str]) -> dict[str, str]:
        """The notes of these applications (those that have some)."""
        ...

    def insight_records(self, first: date | None, last: date | None) -> list[Record]:
        """The applications added (applied, else recorded) from ``first`` to ``last``
        (both included; ``None``: open-ended, and with neither, every application, dated
        or not), in order of id, with only what the Insights figures read (issue 14)."""
        ...


class StoredPlan(Protocol):
    """The plan derived from the records, kept to answer fast (``doctor --repair``
    rebuilds it)."""

    def replace_plans(
        self, plans: list[tuple[Application, list[Planned]]], exact_from: datetime
    ) -> None: ...
    def stale(self, now: datetime) -> set[str]:
        """Applications whose stored plan is exact only after ``now`` (a write came later)."""
        ...

    def exact_from(self, app_ids: Iterable[str]) -> dict[str, datetime]: ...
    def planned(self, app_id: str) -> list[Planned]: ...
    def planned_many(self, app_ids: Iterable[str]) -> dict[str, list[Planned]]:
        """The stored plans of these applications (those that have some), in no order."""
        ...

    def due(self, now: datetime, last_day: date) -> list[Action]:
        """Stored actions that apply at ``now`` and are due on or before ``last_day``."""
        ...

    def next_actions(self, app_ids: Iterable[str], now: datetime, today: date) -> dict[str, Action]:
        """The first stored action of each of these applications that applies at ``now``
        (FORMAT.md's order: due, kind, contact; R20's ``withdraw`` read as due ``today``),
        chosen by the store: a list's "Next" column decodes one action per line."""

    def due_in_order(
        self,
        now: datetime,
        first: date,
        last: date,
        *,
        limit: int | None = None,
        offset: int = 0,
        skip: Collection[str] = (),
        lines: bool = False,
        ordered: bool = True,
    ) -> Iterator[Action]:
        """Stored actions that apply at ``now``, due from ``first`` to ``last`` (as stored),
        but those of the applications in ``skip``: in FORMAT.md's order (due, kind,
        application, contact), then by id; ``limit`` of them from ``offset``, read as the
        iterator is consumed (inside the transaction). ``lines``: only what a list line
        shows (no script, no steps, no ``contact_application``). ``ordered=False``: in
        any order (a caller that sorts them its own way, the calendar), when the store
        reads them faster so."""
        ...

    def due_lines(
        self, now: datetime, first: date, last: date, *, skip: Collection[str] = ()
    ) -> Iterator[Line]:
        """:meth:`due_in_order`'s actions with ``lines`` and ``ordered=False``, as the
        calendar's :class:`~followup.domain.agenda.Line` tuples (no ``Action`` built), and
        as stored: R20's ``withdraw`` not yet anchored on the day it is read."""
        ...

    def due_records(
        self,
        now: datetime,
        first: date,
        last: date,
        *,
        limit: int | None = None,
        offset: int = 0,
        skip: Collection[str] = (),
    ) -> Iterator[dict[str, Any]]:
        """:meth:`due_in_order`'s actions as the store keeps them (``formats.plan.to_record``:
        JSON values, days as ISO text), decoded but not built into ``Action`` objects: what a
        page of cards reads (issue 12)."""
        ...

    def count_due(
        self, now: datetime, first: date, last: date, cap: int, skip: Collection[str] = ()
    ) -> int:
        """How many actions :meth:`due_in_order` would give, counting no further than ``cap``."""
        ...

    def due_pages(
        self,
        now: datetime,
        ranges: Sequence[tuple[date, date]],
        limit: int,
        cap: int,
        skip: Collection[str] = (),
    ) -> list[tuple[list[dict[str, Any]], int]]:
        """For each range ``(first, last)``: its first ``limit`` records, as
        :meth:`due_records` reads them, and its count, as :meth:`count_due` (no further than
        ``cap``). Every section of Today at once (issue 12: the local store reads them in
        two statements, not two a range)."""
        ...

    def find_planned(self, action_id: str, now: datetime) -> Action | None: ...
    def open_count(self, cap: int) -> int:
        """How many applications are open, counting no further than ``cap`` (R9)."""
        ...

    def last_added(self) -> date | None: ...
    def next_change(self, now: datetime) -> datetime | None:
        """The first instant after ``now`` at which the stored plan changes by itself."""
        ...

    def plan_version(self) -> str | None: ...
    def set_plan_version(self, version: str) -> None: ...
    def integrity_problems(self) -> list[str]:
        """What the database engine itself finds wrong (corruption, broken references)."""
        ...


@runtime_checkable
class StoredTimings(Protocol):
    """Each status follow-up's due day and done day (:mod:`followup.domain.punctuality`),
    kept beside the stored plan by a store that serves coaches (the server's: a caseload
    reads them for 50 seekers in one query). The re-plan of a company replaces its
    applications' rows (:func:`followup.services.planning.replan_companies`); deleting an
    application deletes its rows. The local store does not keep them: one person's
    ``followup stats`` times the follow-ups it shows when asked (a write stays cheaper)."""

    def replace_timings(self, app_ids: Collection[str], timings: list[Timing]) -> None:
        """Forget the rows of these applications; keep ``timings`` (of some of them)."""
        ...

    def stored_timings(self) -> list[Timing]:
        """Every row, by application and touch (``doctor``-like checks and the tests)."""
        ...


class History(Protocol):
    """The history of changes (``followup history``, ``followup undo``)."""

    def add_history(
        self,
        at: datetime,
        summary: str,
        revisions: tuple[Revision, ...],
        undoes: int | None = None,
    ) -> int:
        """Append an entry; when it is an undo, mark the entry it reverts as undone."""
        ...

    def history(self, limit: int, before: int | None = None) -> list[Entry]:
        """The newest entries first, older than the entry ``before`` when given."""
        ...

    def history_entry(self, entry_id: int) -> Entry | None: ...
    def last_undoable(self) -> Entry | None:
        """The newest entry that is not an undo and was not undone."""
        ...

    def forget_history(self, before: datetime) -> int:
        """Erase the entries made before ``before``, and every undo of one of them (an undo
        is newer than what it reverts, and never undone itself): how many. What they held
        (a deleted application, say) is then gone, and they can no longer be undone."""
        ...


class MailState(Protocol):
    """What email needs remembered: the outbox, how far each folder was read, and which
    touches and contacts a message belongs to."""

    def add_outbox(self, entry: OutboxEntry) -> int:
        """Store ``entry`` (its ``id`` is ignored); the id it was given."""
        ...

    def outbox(self, states: Iterable[OutboxState]) -> list[OutboxEntry]:
        """The entries in these states, oldest first."""
        ...

    def outbox_entry(self, entry_id: int) -> OutboxEntry | None: ...
    def set_outbox_state(
        self, entry_id: int, state: OutboxState, error: str | None, now: datetime
    ) -> None: ...
    def folder_state(self, folder: str) -> tuple[int, int] | None:
        """``(uidvalidity, last uid read)`` of a mailbox folder."""
        ...

    def set_folder_state(self, folder: str, uidvalidity: int, last_uid: int) -> None: ...
    def sent_mail(self, message_ids: Iterable[str]) -> dict[str, SentMail]:
        """The emails followup recorded with these Message-IDs (what a reply may answer)."""
        ...

    def known_message_ids(self, message_ids: Iterable[str]) -> set[str]:
        """Those Message-IDs some touch already has (a reply is recorded once)."""
        ...

    def contacts_by_address(self, addresses: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
        """``address -> [(application, contact)]`` (lower-cased addresses), among the
        applications that have a stored plan: open ones first, then the newest."""
        ...


class FeedAndDigest(Protocol):
    """The calendar feed (at most one) and the digest's memory of what it last listed."""

    def feed(self) -> Feed | None: ...
    def set_feed(self, feed: Feed | None) -> None: ...
    def digest_state(self) -> DigestState | None: ...
    def save_digest_state(self, state: DigestState) -> None: ...


class Repository(
    StoredSettings, Records, Listings, StoredPlan, History, MailState, FeedAndDigest, Protocol
):
    """One transaction's view of the records and of what is stored beside them.

    Each concept is its own protocol with its own contract tests
    (``tests/integration/contract/``); a store implements them all.
    """


class Store(Protocol):
    def reading(self) -> AbstractContextManager[Repository]:
        """A consistent snapshot for reads."""
        ...

    def writing(self) -> AbstractContextManager[Repository]:
        """One write transaction: committed on success, rolled back on any error."""
        ...

    def change_token(self) -> object:
        """A value that changes whenever anyone commits a change (cheap: no transaction)."""
        ...


class Mailer(Protocol):
    """Sends one message. Raises ``NotSent`` when it certainly did not go out (``Rejected``
    when the server refused it for good), ``MaybeSent`` when the connection failed after the
    message was handed over (it may have)."""

    def send(self, sender: str, recipient: str, message: bytes) -> None: ...
    def check(self) -> list[str]:
        """Connect, secure and log in (no message): the steps done, or ``MailFailed``."""
        ...


class Mailbox(Protocol):
    """A mailbox read without changing it (IMAP EXAMINE, BODY.PEEK)."""

    def open(self, folder: str) -> int | None:
        """Select ``folder`` read-only; its UIDVALIDITY, or None when there is no such folder."""
        ...

    def since(self, uid: int, day: date | None = None) -> list[IncomingMail]:
        """The messages of the open folder with a UID above ``uid`` (with ``uid`` 0 and a
        ``day``: those received from that day on), oldest first."""
        ...

    def close(self) -> None: ...
    def check(self) -> list[str]:
        """Connect, secure, log in and open every folder: the steps done, or ``MailFailed``."""
        ...


class Drafts(Protocol):
    """Turns an email's data into its text (the user may override the wording)."""

    def render(self, draft: EmailDraft) -> Email:
        """The email; ``InvalidInput`` naming the template when it cannot be used."""
        ...


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, aware."""
        ...


class HolidaySource(Protocol):
    def __call__(self, country: str | None) -> Container[date]: ...
    def is_supported(self, country: str) -> bool: ...
    def forget(self) -> None:
        """Drop cached holidays (called when followup's version changes)."""
        ...


class ContactDetails(Protocol):
    """Checks and normalises what identifies a person (R2): email and phone."""

    def email(self, value: str) -> str:
        """The normalised address; ``ValueError`` with a one-line reason if invalid."""
        ...

    def phone(self, value: str, country: str | None) -> str:
        """The number in international format; ``ValueError`` with a reason if invalid."""
        ...


class Accounts(Protocol):
    """The accounts of a followup server (issue 15); each call is its own transaction."""

    def add_account(
        self, email: str, role: AccountRole, password_hash: str | None, now: datetime
    ) -> Account:
        """A new account (and, for a seeker, the search it owns); ``Refused`` when the
        email already has one."""
        ...

    def accounts(self) -> list[Account]:
        """Every account, in the order they were added."""
        ...

    def disable_account(self, email: str, now: datetime) -> Account | None:
        """Disable the account of ``email`` (kept as it is when already disabled); the
        account, or ``None`` when there is none."""
        ...

    def enable_account(self, email: str) -> Account | None:
        """Let the account of ``email`` sign in again (undoes :meth:`disable_account`); the
        account, or ``None`` when there is none."""
        ...

    def delete_account(self, email: str) -> Account | None:
        """Erase the account of ``email`` with everything it holds, in one transaction: a
        seeker's whole search (records, plan, history, mail settings and sealed passwords,
        shares, uploads, its queued jobs), any account's sessions, tokens and invitations,
        and the failed sign-ins kept under its email. A coach's looks stay in the logs of
        the seekers they looked at, under the email. The account as it was, or ``None``
        when there is none."""
        ...


class Coaching(Protocol):
    """Sharing a search with a coach, and the coach's reads across the searches shared
    with them (issue 15, item 4); each call is its own short transaction. Nothing here
    reads or writes a seeker's records: the coach reads those through a read-only
    :class:`Store` of the seeker, once :meth:`shared_seeker` said it is shared."""

    def share(self, seeker_id: int, coach_email: str, now: datetime) -> Share | None:
        """Share with the enabled coach account of ``coach_email`` (kept as it is when
        already shared); ``None`` when there is no such coach."""
        ...

    def unshare(self, seeker_id: int, coach_email: str) -> bool:
        """Revoke the share with that coach; whether there was one."""
        ...

    def shares_of(self, seeker_id: int) -> list[Share]:
        """The coaches this seeker shares with, in the order shared."""
        ...

    def look_at_caseload(
        self, coach_id: int, coach_email: str, now: datetime, keep_from: date
    ) -> list[Seeker]:
        """The enabled seekers sharing with this coach, by email, each one's look at their
        caseload logged as :meth:`note_looks` does, in the same statement (one round
        trip, and the log is written before any figure of theirs is read)."""
        ...

    def shared_seeker(self, coach_id: int, seeker_id: int) -> Seeker | None:
        """That seeker, if enabled and sharing with this coach now."""
        ...

    def caseload_figures(
        self, days: dict[int, date], now: datetime, first: int, cap: int, late_days: int
    ) -> dict[int, tuple[Overdue, Lateness]]:
        """For each seeker (id -> their local today), in one query for all of them: the
        stored actions applying at ``now`` due before that day (counted up to ``cap``,
        the ``first`` most overdue) and their last activity; and their stored timed
        follow-ups (:class:`StoredTimings`) done in the ``late_days`` days before that
        day that had a due day, counted, and the late ones."""
        ...

    def note_looks(
        self,
        coach_id: int,
        coach_email: str,
        seeker_ids: list[int],
        what: Looked,
        now: datetime,
        keep_from: date,
    ) -> None:
        """Log a look at each of these seekers' data (coalesced per UTC day), and forget
        their rows of days before ``keep_from``."""
        ...

    def looks(self, seeker_id: int, limit: int) -> list[Look]:
        """The seeker's access log, the latest first."""
        ...


class Passwords(Protocol):
    """One-way password hashes (argon2id)."""

    def hash(self, password: str) -> str: ...
    def verify(self, hashed: str, password: str) -> bool: ...


class SignIns(Protocol):
    """Signing in to a followup server (issue 15): sessions, API tokens, invitations and
    failed attempts. Secrets arrive here only as their SHA-256 (``*_sha256``); each call is
    its own transaction. An account found by a secret is an enabled one."""

    def credentials(self, email: str) -> tuple[Account, str | None] | None:
        """The account of ``email`` and its password hash, or ``None``."""
        ...

    def failures(self, email: str, address: str, since: datetime) -> tuple[int, int]:
        """Failed sign-ins since ``since``: for ``email``, and from ``address``."""
        ...

    def add_failure(self, email: str, address: str, at: datetime) -> None: ...

    def start_session(
        self, account_id: int, id_sha256: str, now: datetime, expires: datetime
    ) -> None: ...

    def session_account(self, id_sha256: str, now: datetime) -> Account | None:
        """The account of an unexpired session."""
        ...

    def session(self, id_sha256: str, now: datetime) -> tuple[Account, object] | None:
        """:meth:`session_account`, with the seeker's change token (``Store.change_token``)
        read by the same query (``None`` for an account without a search)."""
        ...

    def end_session(self, id_sha256: str) -> None: ...

    def end_sessions(self, account_id: int) -> int:
        """End every session of the account; how many there were."""
        ...

    def add_token(self, account_id: int, token_sha256: str, now: datetime) -> int: ...

    def token_account(self, token_sha256: str, now: datetime) -> Account | None:
        """The account of an unrevoked token (noting it was used)."""
        ...

    def tokens(self, account_id: int) -> list[ApiToken]: ...

    def revoke_token(self, account_id: int, token_id: int, now: datetime) -> bool:
        """Revoke one of the account's own tokens; whether there was such a token."""
        ...

    def add_invitation(
        self, account_id: int, token_sha256: str, now: datetime, expires: datetime
    ) -> None: ...

    def accept_invitation(
        self, token_sha256: str, password_hash: str, now: datetime
    ) -> Account | None:
        """Set the password of an unused, unexpired invitation's account and use the
        invitation up, at once; ``None`` when there is no such invitation."""
        ...

    def invited(self, token_sha256: str, now: datetime) -> Account | None:
        """The account an unused, unexpired invitation is for (nothing changes)."""
        ...

    def set_password(self, account_id: int, password_hash: str) -> None: ...

    def feed_seeker(self, token_sha256: str) -> int | None:
        """The enabled seeker whose calendar feed has this token, if any."""
        ...
