"""The daily digest: made, shown, remembered, and emailed to the user when asked.

What a digest remembers is written in the same transaction that read the plan, so two
digests never both call the same action new. When one is emailed, the memory is written
only once the server took the message: a failed send leaves the next digest to say it
all again. If the connection fails while the message was being handed over (it may have
gone out), the memory is written as if it had: a digest seen twice is a nuisance, while
the due and overdue actions are listed by every digest anyway, so nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from followup.domain import digest as digests
from followup.domain.digest import DAYS, Digest, Links
from followup.errors import MaybeSent, Remedy
from followup.services.planning import PlanReader
from followup.services.ports import Mailer, Repository
from followup.services.session import Deps


def _make(repo: Repository, deps: Deps, now: datetime) -> Digest:
    plan = PlanReader(repo, deps.holidays, now)
    tz = plan.settings.tz
    view = plan.view(DAYS)
    start = datetime.combine(view.today, time(), tz)
    interviews = repo.interviews_between(start, start + timedelta(days=DAYS + 1))
    return digests.digest(view.actions, interviews, now, tz, repo.digest_state())


def make(deps: Deps, now: datetime, *, remember: bool = True) -> Digest:
    """Today's digest; unless ``remember`` is False, the next one counts from it."""
    if not remember:
        with deps.store.reading() as repo:
            return _make(repo, deps, now)
    with deps.store.writing() as repo:
        made = _make(repo, deps, now)
        previous_sent = made.previous.sent_on if made.previous else None
        repo.save_digest_state(made.state(previous_sent))
    return made


@dataclass(frozen=True, slots=True)
class Sent:
    digest: Digest
    #: False when today's digest was already emailed and nothing is new since.
    sent: bool
    recipient: str


def send(deps: Deps, mailer: Mailer, now: datetime, links: Links | None = None) -> Sent:
    """Email today's digest to the user's own address, at most once a day unless something
    is new; remembered once the server has it. ``links``: the server's web app (see
    :func:`followup.domain.digest.text`)."""
    from email.policy import SMTP  # noqa: PLC0415 - the email package only when sending

    from followup.services.messages import new_message, own_address  # noqa: PLC0415

    with deps.store.reading() as repo:
        address = own_address(repo.load_mail_settings())
        name = repo.load_settings().name
        made = _make(repo, deps, now)
    if made.previous is not None and made.previous.sent_on == made.today and not made.new:
        return Sent(made, False, address)
    body = digests.text(made, links)
    _, message = new_message(
        (name or "followup", address), ("", address), digests.subject(made), body, now
    )
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to it
    try:
        mailer.send(address, address, message.as_bytes(policy=SMTP))
    except MaybeSent as e:
        _remember(deps, made)
        raise MaybeSent(
            f"{e}: the digest may have gone out, and counts as sent",
            remedy=Remedy.DIGEST_SHOWN,
        ) from None
    _remember(deps, made)
    return Sent(made, True, address)


def _remember(deps: Deps, made: Digest) -> None:
    with deps.store.writing() as repo:
        repo.save_digest_state(made.state(made.today))
