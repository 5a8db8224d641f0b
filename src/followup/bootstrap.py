"""The composition root: the one place that chooses and builds the real adapters.

Where the data lives: ``--db PATH``, else ``$FOLLOWUP_DB``, else ``followup.db`` in the
platform's user data dir (``platformdirs``: ``~/.local/share/followup`` on Linux).
Templates and other user files: ``$FOLLOWUP_CONFIG_DIR``, else the platform's config dir.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, time
from typing import TYPE_CHECKING

from followup.adapters.clock import FixedClock, SystemClock, system_timezone
from followup.adapters.contact_details import LibraryContactDetails
from followup.adapters.holidays import HolidaysPackage
from followup.adapters.sqlite.holiday_cache import SqliteHolidayCache
from followup.adapters.sqlite.store import SqliteStore
from followup.adapters.templates import TemplateDrafts
from followup.domain.when import in_zone
from followup.errors import DatabaseRefused, DatabaseUnreachable
from followup.services.planning import ensure_current
from followup.services.session import Deps

if TYPE_CHECKING:
    from fastapi import FastAPI

    from followup.adapters.mail_hosts import ServerMailHosts
    from followup.adapters.postgres.mail_secrets import PostgresMailSecrets
    from followup.adapters.postgres.schedule import PostgresSchedule
    from followup.adapters.secret_box import SecretBox
    from followup.domain.accounts import Account
    from followup.entrypoints.web.accounts import Gate
    from followup.services.accounts import AccountDeps
    from followup.services.coaching import CoachDeps
    from followup.services.interchange import ReadAhead
    from followup.services.mail_account import MailDeps
    from followup.services.ports import Clock, Mailbox, Mailer
    from followup.services.scheduled import DigestDeliveries
    from followup.services.signin import SignInDeps

APP_NAME = "followup"


def database_path(option: str | None = None) -> str:
    if option:
        return _chosen(option)
    if env := os.environ.get("FOLLOWUP_DB"):
        return _chosen(env)
    from platformdirs import user_data_dir  # noqa: PLC0415 - only when no path is given

    return os.path.join(user_data_dir(APP_NAME, appauthor=False), "followup.db")


def _chosen(path: str) -> str:
    """A path the user typed must be in a folder that exists: creating the folder (and an
    empty database in it) would turn a typo into a new, empty job search. Only the
    default place is created on first use."""
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise DatabaseRefused(f"{path}: the folder {parent} does not exist (check the path)")
    return path


def server_database_url() -> str:
    """The server's database (``followup server``): ``$FOLLOWUP_DATABASE_URL`` only."""
    url = os.environ.get("FOLLOWUP_DATABASE_URL", "").strip()
    if not url:
        raise DatabaseUnreachable(
            "FOLLOWUP_DATABASE_URL is not set: set it to the server's database, "
            "postgresql://USER@HOST:PORT/DBNAME"
        )
    return url


def server_schema(*, create: bool) -> tuple[str, int, int]:
    """Create (``create``) or migrate the server's schema: where, the version before and
    after. PostgreSQL's adapter (and ``psycopg``) load here, for the server only."""
    from followup.adapters.postgres import schema  # noqa: PLC0415

    url = server_database_url()
    done = schema.init(url) if create else schema.migrate(url)
    return done.database, done.before, done.after


def server_accounts() -> AccountDeps:
    """What ``followup server user`` needs: the accounts in the server's database, the
    email checks, argon2id hashes, the system clock."""
    from followup.adapters.passwords import Argon2Passwords  # noqa: PLC0415
    from followup.adapters.postgres.accounts import PostgresAccounts  # noqa: PLC0415
    from followup.services.accounts import AccountDeps  # noqa: PLC0415

    return AccountDeps(
        accounts=PostgresAccounts(server_database_url()),
        details=LibraryContactDetails(),
        passwords=Argon2Passwords(),
        clock=SystemClock(),
    )


def config_dir() -> str:
    if env := os.environ.get("FOLLOWUP_CONFIG_DIR"):
        return env
    from platformdirs import user_config_dir  # noqa: PLC0415

    return user_config_dir(APP_NAME, appauthor=False)


def build(
    db: str | None = None,
    now: datetime | None = None,
    clock: Clock | None = None,
    templates: str | None = None,
) -> Deps:
    """Real adapters around the database at ``db`` (see :func:`database_path`).

    ``now`` fixes the clock (``--now``); a naive one is a wall-clock time in the
    database's time zone (midnight: the start of that day). ``clock`` replaces it (the
    web app's tests). ``templates`` is the config dir whose ``templates/`` folder overrides
    the built-in email templates (default: :func:`config_dir`, looked up when a draft is
    first written).
    """
    store = SqliteStore(database_path(db))
    holidays = HolidaysPackage(SqliteHolidayCache(lambda: store.conn))
    if clock is None:
        clock = FixedClock(now) if now is not None and now.tzinfo else SystemClock()
    deps = Deps(
        store=store,
        clock=clock,
        holidays=holidays,
        details=LibraryContactDetails(),
        drafts=TemplateDrafts(config_dir if templates is None else lambda: templates),
    )
    ensure_current(deps.store, holidays, system_timezone, deps.clock.now())
    if now is not None and now.tzinfo is None:
        with store.reading() as repo:
            tz = repo.load_settings().tz
        from followup.domain.calendar import Calendar  # noqa: PLC0415 - a naive --now only

        local = Calendar(tz).starts(now.date()) if now.time() == time() else None
        deps = replace(deps, clock=FixedClock((local or in_zone(now, tz)).astimezone(tz)))
    return deps


def read_ahead() -> ReadAhead | None:
    """How a command reads a large import file in a second process (``None`` where
    processes cannot be forked): the command line's only, a single-threaded process."""
    from followup.adapters import read_ahead as module  # noqa: PLC0415 - an import only

    return module.ReadAhead if module.available() else None


def mailer(deps: Deps) -> Mailer:
    """The SMTP adapter with the user's settings; the password is looked up when needed."""
    from followup.adapters import secrets  # noqa: PLC0415
    from followup.adapters.smtp import SmtpMailer  # noqa: PLC0415
    from followup.services.mail import mail_settings  # noqa: PLC0415

    s = mail_settings(deps)
    return SmtpMailer(
        s, lambda: secrets.password("smtp", s.smtp_user or "", s.smtp_host or "", config_dir())
    )


def keep_password(kind: str, user: str, host: str, secret: str) -> tuple[str, str] | None:
    """Keep a mail password in the OS keyring. Without a keyring: the environment variable
    and the file that can hold it instead (nothing is written)."""
    from followup.adapters import secrets  # noqa: PLC0415

    if secrets.store(kind, user, host, secret):
        return None
    return secrets.ENVIRONMENT[kind], os.path.join(config_dir(), f"{kind}.password")


def mailbox(deps: Deps) -> Mailbox:
    """The IMAP adapter with the user's settings."""
    from followup.adapters import secrets  # noqa: PLC0415
    from followup.adapters.imap import ImapMailbox  # noqa: PLC0415
    from followup.services.mail import mail_settings  # noqa: PLC0415

    s = mail_settings(deps)
    return ImapMailbox(
        s, lambda: secrets.password("imap", s.imap_user or "", s.imap_host or "", config_dir())
    )


def server_secret_box() -> SecretBox:
    """The server's key (``FOLLOWUP_SECRET_KEY``, older ones in ``FOLLOWUP_OLD_SECRET_KEYS``)
    that seals the seekers' mail passwords; ``cryptography`` loads here, server only."""
    from followup.adapters.secret_box import SecretBox  # noqa: PLC0415

    return SecretBox.from_environment()


def server_deps(
    seeker: int, url: str | None = None, clock: Clock | None = None, *, current: bool = True
) -> Deps:
    """One seeker's use cases on the server's database (what the worker's jobs run).

    A seeker whose search was never planned gets UTC until they choose their zone: the
    server's own zone says nothing about where a person lives. ``current=False`` leaves
    that (and a new planner's re-plan) for later: ``server import`` does it only once its
    file is in, so that a refused file or a dry run writes nothing at all."""
    from followup.adapters.postgres.store import PostgresStore  # noqa: PLC0415

    store = PostgresStore(url or server_database_url(), seeker)
    holidays = HolidaysPackage()
    deps = Deps(
        store=store,
        clock=clock or SystemClock(),
        holidays=holidays,
        details=LibraryContactDetails(),
        drafts=TemplateDrafts(config_dir),
    )
    if current:
        ensure_current(store, holidays, lambda: "UTC", deps.clock.now())
    return deps


def server_mail_secrets(deps: Deps, box: SecretBox) -> PostgresMailSecrets:
    from followup.adapters.postgres.mail_secrets import PostgresMailSecrets  # noqa: PLC0415
    from followup.adapters.postgres.store import PostgresStore  # noqa: PLC0415

    assert isinstance(deps.store, PostgresStore)
    return PostgresMailSecrets(deps.store.url, deps.store.seeker, box)


def server_mail_hosts() -> ServerMailHosts:
    """The server's allow-list of mail hosts (``adapters.mail_hosts``): the
    administrator's FOLLOWUP_MAIL_ALLOWED_HOSTS and FOLLOWUP_MAIL_CA_FILE."""
    from followup.adapters.mail_hosts import ServerMailHosts  # noqa: PLC0415

    return ServerMailHosts.from_environment()


def server_mailer(deps: Deps, box: SecretBox) -> Mailer:
    """A seeker's SMTP server, with the password kept sealed in the database; the host
    checked against the allow-list again as it is connected to."""
    from followup.adapters.smtp import SmtpMailer  # noqa: PLC0415
    from followup.services.mail import mail_settings  # noqa: PLC0415

    s, secrets = mail_settings(deps), server_mail_secrets(deps, box)
    used, connect_to = server_mail_hosts().guarded(s, "mail.smtp_host")
    return SmtpMailer(
        used, lambda: secrets.password("smtp", s.smtp_user or "", s.smtp_host or ""), connect_to
    )


def server_mailbox(deps: Deps, box: SecretBox) -> Mailbox:
    """A seeker's IMAP server, with the password kept sealed in the database; the host
    checked against the allow-list again as it is connected to."""
    from followup.adapters.imap import ImapMailbox  # noqa: PLC0415
    from followup.services.mail import mail_settings  # noqa: PLC0415

    s, secrets = mail_settings(deps), server_mail_secrets(deps, box)
    used, connect_to = server_mail_hosts().guarded(s, "mail.imap_host")
    return ImapMailbox(
        used, lambda: secrets.password("imap", s.imap_user or "", s.imap_host or ""), connect_to
    )


def server_mail(deps: Deps) -> MailDeps:
    """A seeker's mail settings, sealed passwords and digest switch (the Settings page),
    in their store's transactions, checked against the allow-list."""
    from followup.adapters.postgres.mail_account import PostgresMailStore  # noqa: PLC0415
    from followup.adapters.postgres.store import PostgresStore  # noqa: PLC0415
    from followup.services.mail_account import MailDeps  # noqa: PLC0415

    assert isinstance(deps.store, PostgresStore)
    return MailDeps(PostgresMailStore(deps.store, server_secret_box()), server_mail_hosts())


def server_public_url() -> str | None:
    """``$FOLLOWUP_PUBLIC_URL`` (where people reach the web app), if set: the digest
    links to it; without it the digest has no links."""
    return os.environ.get("FOLLOWUP_PUBLIC_URL", "").strip().rstrip("/") or None


def server_seeker(email: str) -> int | None:
    """The id of the active seeker account of ``email``, if any."""
    from followup.adapters.postgres.mail_secrets import seeker_of  # noqa: PLC0415

    return seeker_of(server_database_url(), email)


def server_account(email: str) -> Account | None:
    """The account of ``email`` (any case), if there is one, whatever its role and state."""
    from followup.adapters.postgres.signins import PostgresSignIns  # noqa: PLC0415

    found = PostgresSignIns(server_database_url()).credentials(email.strip().lower())
    return found[0] if found else None


def server_rotate_key() -> int:
    """Re-seal every stored mail password with the current key; how many."""
    from followup.adapters.postgres.mail_secrets import reseal_all  # noqa: PLC0415

    return reseal_all(server_database_url(), server_secret_box())


@contextmanager
def server_seeker_deps(seeker: int, url: str | None = None) -> Iterator[Deps]:
    """:func:`server_deps`, its connection closed at the end (a worker's job)."""
    deps = server_deps(seeker, url)
    try:
        yield deps
    finally:
        deps.store.close()  # type: ignore[attr-defined]


def server_schedule(url: str | None = None) -> PostgresSchedule:
    """Who needs which job, across seekers (the worker's tick)."""
    from followup.adapters.postgres.schedule import PostgresSchedule  # noqa: PLC0415

    return PostgresSchedule(url or server_database_url())


def server_job_lock(seeker: int) -> str:
    """The lock one seeker's jobs share (they run one at a time); deleting the account
    finds its waiting jobs by it."""
    from followup.adapters.postgres.schedule import seeker_lock  # noqa: PLC0415

    return seeker_lock(seeker)


def server_digest_deliveries(seeker: int, url: str | None = None) -> DigestDeliveries:
    from followup.adapters.postgres.schedule import PostgresDigestDeliveries  # noqa: PLC0415

    return PostgresDigestDeliveries(url or server_database_url(), seeker)


#: The least length of ``FOLLOWUP_SECRET_KEY`` (``secrets.token_urlsafe(32)`` makes 43).
MIN_SECRET_KEY = 32


def server_secret_key() -> bytes:
    """``$FOLLOWUP_SECRET_KEY``: signs the web app's CSRF tokens, the same in every worker
    process (so a form made by one is accepted by another) and across restarts."""
    from followup.errors import InvalidInput  # noqa: PLC0415

    key = os.environ.get("FOLLOWUP_SECRET_KEY", "").strip()
    if len(key) < MIN_SECRET_KEY:
        state = "is not set" if not key else f"is shorter than {MIN_SECRET_KEY} characters"
        raise InvalidInput(
            f"FOLLOWUP_SECRET_KEY {state}: set it to a long random secret, e.g. the output of "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'",
            field="FOLLOWUP_SECRET_KEY",
        )
    return key.encode()


def server_signins(pool: object | None = None) -> SignInDeps:
    """Sign-ins, sessions, API tokens and invitations in the server's database; ``pool``:
    the web server's connections (without it each call opens one)."""
    from followup.adapters.passwords import Argon2Passwords  # noqa: PLC0415
    from followup.adapters.postgres.signins import PostgresSignIns  # noqa: PLC0415
    from followup.services.signin import SignInDeps  # noqa: PLC0415

    passwords = Argon2Passwords()
    return SignInDeps(
        signins=PostgresSignIns(server_database_url(), pool),  # type: ignore[arg-type]
        passwords=passwords,
        clock=SystemClock(),
        dummy_hash=passwords.hash(os.urandom(16).hex()),
    )


def server_gate(pool_size: int = 4) -> Gate:
    """What each worker of ``followup server run`` needs: a pool of connections, the
    sign-ins over it, and the services of a seeker made for each request from the pool.

    A seeker's stored plan is brought up to this planner (``ensure_current``) the first
    time this process serves them.
    """
    from followup.adapters.postgres.pool import open_pool  # noqa: PLC0415
    from followup.adapters.postgres.schema import connect, require_current  # noqa: PLC0415
    from followup.adapters.postgres.store import PostgresStore  # noqa: PLC0415
    from followup.adapters.postgres.uploads import PostgresUploads  # noqa: PLC0415
    from followup.entrypoints.web.accounts import Gate  # noqa: PLC0415

    url = server_database_url()
    with connect(url) as conn:  # one line and an exit code when it cannot be used
        require_current(conn, url)
    pool = open_pool(url, pool_size)
    holidays = HolidaysPackage()
    details = LibraryContactDetails()
    drafts = TemplateDrafts(config_dir)
    clock = SystemClock()
    current: set[int] = set()

    def deps_for(seeker: int, changes: object = None) -> Deps:
        deps = Deps(
            store=PostgresStore(url, seeker, pool, changes),
            clock=clock,
            holidays=holidays,
            details=details,
            drafts=drafts,
        )
        if seeker not in current:
            ensure_current(deps.store, holidays, system_timezone, clock.now())
            current.add(seeker)
        return deps

    def uploads_for(seeker: int) -> PostgresUploads:
        return PostgresUploads(url, seeker, pool)

    return Gate(
        signin=server_signins(pool),
        deps_for=deps_for,
        close=pool.close,
        coach=server_coaching(pool, deps_for),
        mail=server_mail,
        uploads_for=uploads_for,
    )


def server_coaching(pool: object, deps_for: Callable[[int], Deps]) -> CoachDeps:
    """Sharing with coaches and the coaches' reads, over the web server's ``pool``."""
    from followup.adapters.postgres.coaching import PostgresCoaching  # noqa: PLC0415
    from followup.services.coaching import CoachDeps  # noqa: PLC0415

    return CoachDeps(
        coaching=PostgresCoaching(server_database_url(), pool),  # type: ignore[arg-type]
        clock=SystemClock(),
        details=LibraryContactDetails(),
        deps_for=deps_for,
    )


#: How ``followup server run`` tells its worker processes where they serve (JSON: host,
#: port, more host names).
SERVER_BIND = "FOLLOWUP_SERVER_BIND"


def server_web_app() -> FastAPI:
    """The app of one worker of ``followup server run`` (uvicorn's factory)."""
    import json  # noqa: PLC0415

    from followup.entrypoints.web.app import create_server_app  # noqa: PLC0415

    host, port, allow_hosts = json.loads(os.environ.get(SERVER_BIND, '["127.0.0.1", 8000, []]'))
    threads = server_threads()
    return create_server_app(
        lambda: server_gate(pool_size=threads or SERVER_THREADS),
        secret_key=server_secret_key(),
        host=host,
        port=port,
        allow_hosts=allow_hosts,
        threads=threads,
        max_body=server_max_upload(),
    )


#: Requests a worker of ``followup server run`` serves at once, each in a thread with a
#: connection of its own (``FOLLOWUP_SERVER_THREADS``; 0: in the event loop, as the local
#: app does, with a pool of this many connections).
SERVER_THREADS = 4


def server_threads() -> int:
    return _whole_from_env("FOLLOWUP_SERVER_THREADS", SERVER_THREADS, 0, 64, "a whole number")


def server_max_upload() -> int:
    """The most bytes one request may send to the server (``FOLLOWUP_MAX_UPLOAD_MB``,
    ``web.body_limit``)."""
    from followup.entrypoints.web.body_limit import DEFAULT_MB  # noqa: PLC0415

    mib = _whole_from_env("FOLLOWUP_MAX_UPLOAD_MB", DEFAULT_MB, 1, 4096, "a whole number of MiB")
    return mib * 1024 * 1024


def _whole_from_env(name: str, default: int, low: int, high: int, what: str) -> int:
    """The whole number in the environment variable ``name`` (``default`` when unset),
    refused in one line naming it unless it is from ``low`` to ``high``."""
    from followup.errors import InvalidInput  # noqa: PLC0415

    value = os.environ.get(name, "").strip() or str(default)
    if not value.isdigit() or not low <= int(value) <= high:
        raise InvalidInput(f"{name} is {value!r}: {what} from {low} to {high}", field=name)
    return int(value)
