"""``followup server worker``: the server's background jobs, on procrastinate (issue 15).

The jobs wait in PostgreSQL (procrastinate's tables, created by ``followup server init``
with followup's own), so any number of workers may run, on any machines that reach the
database: each job is taken by one worker (``SELECT ... FOR UPDATE SKIP LOCKED``).

- ``followup.tick`` runs once a tick (a minute) whatever the number of workers
  (procrastinate's periodic tasks defer one job per scheduled instant across workers). It
  queues, for each seeker who asked for it and whose local time is past 08:00, that day's
  digest (one job per seeker and day: its queueing lock names both, and a day that had a
  job gets no second one); every ``sync_every`` seconds, reading each seeker's mailbox and
  sending again their messages that could not go out (one waiting job per seeker), and
  deleting the jobs finished more than three days ago. It also hands back the jobs of a
  worker that stopped sending its heartbeat (killed, its machine gone): they run again on
  another worker.
- The jobs of one seeker share a lock (``seeker:ID``): they run one at a time.
- A digest is delivered once (``services.scheduled``): run again, it sends nothing twice.

Job arguments are ids and days only: no password or message ever reaches the queue's
tables or the worker's log.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued

from followup import bootstrap
from followup.domain.digest import Links
from followup.errors import DatabaseBusy, DatabaseUnreachable, NotSent, Rejected
from followup.services import scheduled

#: The local time from which a seeker's digest is sent.
DIGEST_AT = time(8, 0)
logger = logging.getLogger("followup.worker")


@dataclass(frozen=True, slots=True)
class Timing:
    #: Seconds between two ticks (1 to 60).
    tick: int = 60
    #: Seconds between two readings of each mailbox (and retries of the outbox).
    sync_every: int = 900
    #: A worker without a heartbeat for this long is taken for dead: its jobs run again.
    stalled_after: float = 60.0

    @property
    def cron(self) -> str:
        return "* * * * *" if self.tick >= 60 else f"* * * * * */{self.tick}"

    @property
    def heartbeat(self) -> float:
        return self.stalled_after / 4


#: Finished jobs are kept this long (to see what ran; a day's digest job must outlive the
#: day, see ``digests_due``), then deleted at a mailbox reading.
KEEP_JOBS_HOURS = 72


class _MailRetry(procrastinate.RetryStrategy):
    """procrastinate's strategy, except for a refusal for good: the same message to the same
    server would meet the same answer (and a refused login, more refusals)."""

    def get_retry_decision(
        self, *, exception: BaseException, job: procrastinate.jobs.Job
    ) -> procrastinate.RetryDecision | None:
        if isinstance(exception, Rejected):
            return None
        return super().get_retry_decision(exception=exception, job=job)


#: A digest or an outbox retry that certainly did not go out, or met a busy database, is
#: tried again: 5 times, 1, 2, 4, 8 minutes apart; not one the mail server refused for good.
MAIL_RETRY = _MailRetry(
    max_attempts=5,
    wait=60,
    exponential_wait=2,
    retry_exceptions={NotSent, DatabaseBusy, DatabaseUnreachable},
)


def digests_due(url: str, now: datetime) -> list[tuple[int, date]]:
    """``(seeker, local day)`` of each digest to queue at ``now``."""
    schedule = bootstrap.server_schedule(url)
    due: dict[str, tuple[int, date]] = {}
    for reader in schedule.digest_readers():
        try:
            local = now.astimezone(ZoneInfo(reader.timezone))
        except (ZoneInfoNotFoundError, ValueError):
            logger.warning("seeker %s: unknown time zone, no digest", reader.seeker)
            continue
        day = local.date()
        if local.time() >= DIGEST_AT and (reader.last_day is None or reader.last_day < day):
            due[digest_lock(reader.seeker, day)] = (reader.seeker, day)
    already = schedule.queued(due)
    return [v for k, v in due.items() if k not in already]


def digest_lock(seeker: int, day: date) -> str:
    return f"digest:{seeker}:{day.isoformat()}"


def make_app(url: str, timing: Timing) -> procrastinate.App:
    """The queue and followup's jobs on the database at ``url``."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=url))

    @app.task(name="followup.digest", queue="mail", retry=MAIL_RETRY)
    def digest(seeker: int, day: str) -> str:
        with bootstrap.server_seeker_deps(seeker, url) as deps:
            box = bootstrap.server_secret_box()
            return scheduled.send_digest(
                deps,
                bootstrap.server_mailer(deps, box),
                bootstrap.server_digest_deliveries(seeker, url),
                date.fromisoformat(day),
                deps.clock.now(),
                Links(bootstrap.server_public_url()),
            ).value

    @app.task(name="followup.sync", queue="mail")
    def sync(seeker: int) -> str:
        with bootstrap.server_seeker_deps(seeker, url) as deps:
            box = bootstrap.server_secret_box()
            now = deps.clock.now()
            recorded = scheduled.sync_replies(deps, bootstrap.server_mailbox(deps, box), now)
            resent = scheduled.retry_outbox(deps, bootstrap.server_mailer(deps, box), now)
            return f"{recorded} replies recorded, {len(resent)} messages sent again"

    @app.periodic(cron=timing.cron, periodic_id="tick")
    @app.task(name="followup.tick", queue="schedule", queueing_lock="tick")
    async def tick(timestamp: int) -> str:
        now = datetime.fromtimestamp(timestamp, UTC)
        stalled = list(
            await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=timing.stalled_after)
        )
        for job in stalled:
            logger.warning("job %s: its worker stopped; it runs again", job.id)
            await app.job_manager.retry_job(job)
        queued = 0
        for seeker, day in await asyncio.to_thread(digests_due, url, now):
            deferrer = digest.configure(
                queueing_lock=digest_lock(seeker, day), lock=bootstrap.server_job_lock(seeker)
            )
            queued += await _defer(deferrer.defer_async(seeker=seeker, day=day.isoformat()))
        if timestamp % timing.sync_every < timing.tick:
            await app.job_manager.delete_old_jobs(
                nb_hours=KEEP_JOBS_HOURS,
                include_failed=True,
                include_cancelled=True,
                include_aborted=True,
            )
            readers = await asyncio.to_thread(
                bootstrap.server_schedule(url).mail_readers, scheduled.RETRY_FOR
            )
            for seeker in readers:
                deferrer = sync.configure(
                    queueing_lock=f"sync:{seeker}", lock=bootstrap.server_job_lock(seeker)
                )
                queued += await _defer(deferrer.defer_async(seeker=seeker))
        return f"{queued} jobs queued, {len(stalled)} run again"

    return app


async def _defer(deferred: Awaitable[object]) -> int:
    """1 when the job was queued, 0 when the same one waits already."""
    try:
        await deferred
    except AlreadyEnqueued:
        return 0
    return 1


def run(url: str, timing: Timing, concurrency: int = 1) -> None:
    """Run a worker until SIGINT or SIGTERM (it then finishes its jobs and stops)."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = make_app(url, timing)
    if bootstrap.server_public_url() is None:
        logger.warning("FOLLOWUP_PUBLIC_URL is not set: the digests will not link to the web app")

    async def main() -> None:
        async with app.open_async():
            await app.run_worker_async(
                concurrency=concurrency,
                update_heartbeat_interval=timing.heartbeat,
                stalled_worker_timeout=timing.stalled_after,
                fetch_job_polling_interval=min(5.0, float(timing.tick)),
            )

    asyncio.run(main())
