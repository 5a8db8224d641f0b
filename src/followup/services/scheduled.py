"""What the server's worker does for one seeker (issue 15, item 6): the morning digest,
once a day, reading the replies, and sending again what could not go out.

The digest's delivery is written before the message is handed over (an outbox of one
message a day): a job run again after a worker died finds it and sends nothing twice.
What that costs: a worker that died while talking to the mail server leaves the day's
digest "unsure" (it may have gone out), and it is not sent again; the next morning's
digest lists every due and overdue action anyway (see :mod:`followup.services.digest`),
so nothing is lost but one reminder, while a person never gets two.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from typing import Protocol

from followup.domain.digest import Delivery, Links
from followup.domain.mailbox import OutboxState
from followup.errors import MaybeSent, NotSent
from followup.services import digest, mail
from followup.services.ports import Mailbox, Mailer
from followup.services.session import Deps


class DigestDeliveries(Protocol):
    """One seeker's digest deliveries, one a local day."""

    def begin(self, day: date, now: datetime) -> Delivery | None:
        """Write ``day`` as being sent, unless it is there: then what it was (None: begun)."""
        ...

    def finish(self, day: date, state: Delivery, now: datetime) -> None: ...

    def forget(self, day: date) -> None:
        """The digest certainly did not go out: a later run may send it."""
        ...


class Outcome(enum.StrEnum):
    SENT = "sent"
    ALREADY = "already sent"
    UNSURE = "may have gone out"
    STALE = "for another day"


def send_digest(
    deps: Deps,
    mailer: Mailer,
    deliveries: DigestDeliveries,
    day: date,
    now: datetime,
    links: Links | None = None,
) -> Outcome:
    """The digest of ``day`` (the seeker's local day), once; ``links``: the web app's
    address for the digest's links (``Links(None)``: none)."""
    with deps.store.reading() as repo:
        today = now.astimezone(repo.load_settings().tz).date()
    if today != day:  # a job late past midnight: that morning's digest is the next one
        return Outcome.STALE
    found = deliveries.begin(day, now)
    if found is Delivery.SENDING:  # an earlier run died handing it over
        deliveries.finish(day, Delivery.UNSURE, now)
        return Outcome.UNSURE
    if found is not None:
        return Outcome.UNSURE if found is Delivery.UNSURE else Outcome.ALREADY
    try:
        digest.send(deps, mailer, now, links)
    except MaybeSent:
        deliveries.finish(day, Delivery.UNSURE, now)
        return Outcome.UNSURE
    except NotSent:
        deliveries.forget(day)
        raise  # the queue tries again later (not after a refusal for good: ``Rejected``)
    deliveries.finish(day, Delivery.SENT, now)
    return Outcome.SENT


def sync_replies(deps: Deps, mailbox: Mailbox, now: datetime) -> int:
    """Read the seeker's folders and record the replies (no decision: proposals wait for
    the seeker to confirm them). A run again after a crash reads from where the last
    committed one stopped, and a reply is recorded once (by its Message-ID)."""
    with deps.store.reading() as repo:
        today = now.astimezone(repo.load_settings().tz).date()
        settings = repo.load_mail_settings()
    if not settings.imap_host or not settings.imap_user:
        return 0  # no mailbox (the job came for the outbox)
    fetched = mail.fetch(deps, mailbox, today)
    return len(mail.record(deps, fetched, [None] * len(fetched.replies), now))


#: A message that could not go out is tried again for this long, then left to the seeker.
RETRY_FOR = timedelta(days=1)
#: ...and not sooner than this after the last try.
RETRY_AFTER = timedelta(minutes=10)


def retry_outbox(deps: Deps, mailer: Mailer, now: datetime) -> list[int]:
    """Send again what certainly did not go out (``failed``), as it was: the ids sent.

    Never a message that may have gone out (``sending``: the seeker checks), one the seeker
    dropped, one the mail server refused for good (``mail.REFUSED_FOR_GOOD``: the seeker
    corrects, then retries), or one whose action another message already answers (sent or
    on its way); each try is written as ``sending`` before the server is contacted
    (``mail.retry``), so a worker dying meanwhile leaves it for the seeker, never sent
    twice."""
    with deps.store.reading() as repo:
        entries = repo.outbox([OutboxState.SENDING, OutboxState.SENT, OutboxState.FAILED])
    answered = {e.action_id for e in entries if e.state is not OutboxState.FAILED}
    sent = []
    for entry in entries:
        if (
            entry.state is not OutboxState.FAILED
            or entry.error == mail.DROPPED
            or (entry.error or "").startswith(mail.REFUSED_FOR_GOOD)
            or entry.action_id in answered
            or now - entry.created_at > RETRY_FOR
            or now - entry.updated_at < RETRY_AFTER
        ):
            continue
        answered.add(entry.action_id)
        try:
            mail.retry(deps, mailer, entry.id, now)
        except NotSent:
            continue  # failed again: the next run tries again
        except MaybeSent:
            continue  # stays "sending": the seeker checks their Sent folder
        sent.append(entry.id)
    return sent
