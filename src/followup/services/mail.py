"""Email for real: send the drafts through an outbox, notice the replies (issue 4).

Sending: the exact message is stored in the outbox, state ``sending``, and committed
*before* the server is contacted. Then:

- it went out: the outbox says ``sent`` and the touch is recorded with its Message-ID;
- it certainly did not (refused, unreachable): ``failed``; sending again is safe;
- the connection failed after the message was handed over, or the process died: it
  stays ``sending``. followup never sends it again unasked: ``followup outbox`` shows it
  with what to do (look in your Sent folder, then ``outbox sent ID`` or ``outbox retry ID``).

Replies: each folder is read from the UID after the last one seen, unless its
UIDVALIDITY changed (then from the start); a reply is recorded once, by its Message-ID
(or, without one, a hash of its stable headers). Automatic mail is never a company
answer (R17, R18 keep going); a delivery report marks the address it names as failing,
which the plan then treats as no email.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from email.policy import SMTP

from followup.domain.mailbox import (
    IncomingMail,
    MailSettings,
    OutboxEntry,
    OutboxState,
    SentMail,
    check_header,
    match,
)
from followup.domain.model import ActionKind, Channel, Outcome, Purpose
from followup.domain.replies import Kind, Proposal, message_key, propose, read_kind
from followup.domain.when import in_range
from followup.errors import (
    InvalidInput,
    MaybeSent,
    NotFound,
    NotSent,
    Refused,
    Rejected,
    Remedy,
)
from followup.services import drafts
from followup.services.completion import own_contact, withdrawn
from followup.services.messages import new_message, own_address
from followup.services.ports import Mailbox, Mailer, Repository
from followup.services.session import Deps, Session, writing
from followup.services.touches import Logged, TouchInput, record_touch

OPEN_STATES = (OutboxState.SENDING, OutboxState.FAILED)
#: The error of a message the user gave up (``outbox drop``): never sent again unasked.
DROPPED = "dropped by you"
#: How the error of a message the server refused for good starts (``Rejected``): never sent
#: again unasked either, until the user retries it (a corrected address, a new password).
REFUSED_FOR_GOOD = "refused for good: "


def mail_settings(deps: Deps) -> MailSettings:
    with deps.store.reading() as repo:
        return repo.load_mail_settings()


# --- sending -------------------------------------------------------------------------------


#: The sender of a preview made before the user's address is set (``.invalid``: RFC 2606,
#: never a real domain), so that ``send --dry-run`` shows the message before mail is set up.
STAND_IN_SENDER = "you@address-not-set.invalid"


def compose(deps: Deps, action_id: str, now: datetime, *, preview: bool = False) -> OutboxEntry:
    """The exact email an action asks for, ready to go (not stored).

    A ``preview`` (never sent) is made even before the user's address is set, from
    :data:`STAND_IN_SENDER`; anything that goes out needs the real address.
    """
    with deps.store.reading() as repo:
        mail_settings = repo.load_mail_settings()
        name = repo.load_settings().name
    if preview and not mail_settings.address:
        sender = STAND_IN_SENDER
    else:
        sender = own_address(mail_settings)
    action, data = drafts.email_draft(deps, action_id, now)
    # Text stored by an older followup may hold a line break that entry now refuses.
    for value, what in (
        (data.company, "company"),
        (data.position, "position"),
        (data.to_name, "the contact's name"),
        (data.candidate_name, "name"),
    ):
        if value is not None:
            check_header(value, what)
    email = deps.drafts.render(data)
    assert action.application is not None
    if not email.to_email:
        with deps.store.reading() as repo:
            app = repo.get(action.application)
        contact = app.contact(action.contact) if app and action.contact else None
        if contact is not None and contact.email and contact.email_failed_on:
            raise InvalidInput(
                f"mail to {contact.email} bounced on {contact.email_failed_on}",
                field="email",
                remedy=Remedy.EMAIL_OK,
                subject=f"{action.application} {contact.id}",
            )
        raise InvalidInput(
            f"{email.to_name or 'the contact'} has no email address yet", field="email"
        )
    recipient = check_header(email.to_email, "the recipient")
    message_id, message = new_message(
        (name or "", sender), (email.to_name or "", recipient), email.subject, email.body, now
    )
    return OutboxEntry(
        id=0,
        action_id=action.id,
        application=action.application,
        contact=own_contact(action),
        purpose=Purpose.THANK_YOU if action.kind is ActionKind.THANK_YOU_EMAIL else Purpose.STATUS,
        message_id=message_id,
        sender=sender,
        recipient=recipient,
        subject=email.subject,
        message=message.as_bytes(policy=SMTP),
        state=OutboxState.SENDING,
        error=None,
        created_at=now,
        updated_at=now,
    )


@dataclass(frozen=True, slots=True)
class Delivery:
    entry: OutboxEntry
    logged: Logged | None  # the recorded touch, when it went out


def send(deps: Deps, mailer: Mailer, entry: OutboxEntry, now: datetime) -> Delivery:
    """Store, then send, then record; see the module's docstring for every outcome."""
    with deps.store.writing() as repo:
        for earlier in repo.outbox([OutboxState.SENDING]):
            if earlier.action_id == entry.action_id:
                raise Refused(
                    f"a message for {entry.action_id} may already have gone out (outbox "
                    f"{earlier.id}, since {earlier.created_at:%Y-%m-%d %H:%M} UTC)",
                    remedy=Remedy.CHECK_SENT,
                    subject=str(earlier.id),
                )
        entry = replace(entry, id=repo.add_outbox(entry))
    return _deliver(deps, mailer, entry, now)


def _deliver(deps: Deps, mailer: Mailer, entry: OutboxEntry, now: datetime) -> Delivery:
    try:
        mailer.send(entry.sender, entry.recipient, entry.message)
    except MaybeSent as e:
        with deps.store.writing() as repo:
            repo.set_outbox_state(entry.id, OutboxState.SENDING, str(e), now)
        raise MaybeSent(
            f"{e}. It may have gone out",
            remedy=Remedy.CHECK_SENT_OR_RETRY,
            subject=str(entry.id),
        ) from None
    except NotSent as e:
        kind = Rejected if isinstance(e, Rejected) else NotSent
        error = f"{REFUSED_FOR_GOOD}{e}" if kind is Rejected else str(e)
        with deps.store.writing() as repo:
            repo.set_outbox_state(entry.id, OutboxState.FAILED, error, now)
        raise kind(f"not sent: {e}", remedy=Remedy.RETRY, subject=str(entry.id)) from None
    return Delivery(replace(entry, state=OutboxState.SENT), _record_sent(deps, entry, now))


def _record_sent(deps: Deps, entry: OutboxEntry, now: datetime) -> Logged:
    with writing(deps, now) as s:
        s.repo.set_outbox_state(entry.id, OutboxState.SENT, None, now)
        planned = s.reader().find(entry.action_id)
        logged = record_touch(
            s,
            s.application(entry.application),
            TouchInput(
                outcome=Outcome.SENT,
                purpose=entry.purpose,
                channel=Channel.EMAIL,
                contact=entry.contact,
                at=now,
                message_id=entry.message_id,
            ),
        )
        if planned is not None and planned.kind is ActionKind.WITHDRAW:  # R20: they are told
            logged = withdrawn(s, logged)
        return logged


def outbox(deps: Deps) -> list[OutboxEntry]:
    """What is not known to have gone out: stuck in ``sending``, or ``failed``."""
    with deps.store.reading() as repo:
        return repo.outbox(OPEN_STATES)


def stuck(deps: Deps) -> list[OutboxEntry]:
    """Messages that may or may not have gone out (``sending``): the user must check."""
    with deps.store.reading() as repo:
        return stuck_in(repo)


def stuck_in(repo: Repository) -> list[OutboxEntry]:
    """:func:`stuck` in the caller's read."""
    return repo.outbox([OutboxState.SENDING])


def _entry(deps: Deps, entry_id: int) -> OutboxEntry:
    with deps.store.reading() as repo:
        entry = repo.outbox_entry(entry_id)
    if entry is None or entry.state is OutboxState.SENT:
        raise NotFound(f"no unsent message {entry_id} in the outbox", remedy=Remedy.OUTBOX)
    return entry


def retry(deps: Deps, mailer: Mailer, entry_id: int, now: datetime) -> Delivery:
    """Send a stored message again, as it was (same Message-ID): the user asked for it."""
    entry = _entry(deps, entry_id)
    with deps.store.writing() as repo:
        repo.set_outbox_state(entry.id, OutboxState.SENDING, None, now)
    return _deliver(deps, mailer, entry, now)


def mark_sent(deps: Deps, entry_id: int, now: datetime) -> Delivery:
    """The user found it in their Sent folder: record it as sent."""
    entry = _entry(deps, entry_id)
    return Delivery(replace(entry, state=OutboxState.SENT), _record_sent(deps, entry, now))


def drop(deps: Deps, entry_id: int, now: datetime) -> None:
    """Give up a stored message (the action stays planned; a new send composes afresh)."""
    entry = _entry(deps, entry_id)
    with deps.store.writing() as repo:
        repo.set_outbox_state(entry.id, OutboxState.FAILED, DROPPED, now)


# --- replies -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reply:
    folder: str
    mail: IncomingMail
    answers: SentMail | None  # None: no follow-up of yours found for it
    proposal: Proposal | None


@dataclass(frozen=True, slots=True)
class Notice:
    """Automatic mail about one of your applications: shown, never recorded as an answer."""

    folder: str
    mail: IncomingMail
    answers: SentMail
    why: str


@dataclass(frozen=True, slots=True)
class Bounce:
    """A delivery report: the contacts whose address it says fails."""

    folder: str
    mail: IncomingMail
    contacts: list[tuple[str, str, str]]  # (application, contact, address)


@dataclass(frozen=True, slots=True)
class Fetched:
    replies: list[Reply]
    #: Where each folder was read up to: saved when the replies are recorded.
    folders: dict[str, tuple[int, int]]
    notices: list[Notice] = field(default_factory=list)
    bounces: list[Bounce] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # folders the server does not have


def fetch(deps: Deps, mailbox: Mailbox, today: date) -> Fetched:
    """Read each folder from where it was left (a new one from ``mail.since``, else from
    the oldest open application); sort the new messages into replies, automatic mail and
    delivery reports. A folder the server does not have is skipped and named."""
    settings = mail_settings(deps)
    incoming: list[tuple[str, IncomingMail]] = []
    folders: dict[str, tuple[int, int]] = {}
    missing: list[str] = []
    try:
        for folder in settings.folder_list:
            with deps.store.reading() as repo:
                state = repo.folder_state(folder)
            validity = mailbox.open(folder)
            if validity is None:
                missing.append(folder)
                continue
            since = state[1] if state is not None and state[0] == validity else 0
            mails = mailbox.since(since, None if since else _start_day(deps, settings))
            incoming += [(folder, _dated(m)) for m in mails]
            folders[folder] = (validity, max([since, *(m.uid for m in mails)]))
    finally:
        mailbox.close()
    own = frozenset(
        a.lower() for a in (settings.address, settings.smtp_user, settings.imap_user) if a
    )
    keys = {id(m): message_key(m) for _, m in incoming}
    with deps.store.reading() as repo:
        known = repo.known_message_ids(set(keys.values()))
        sent = repo.sent_mail({i for _, m in incoming for i in m.in_reply_to})
        addresses = {m.sender for _, m in incoming if m.sender}
        addresses |= {a for _, m in incoming for a in m.bounced}
        by_address = repo.contacts_by_address(addresses)
    fetched = Fetched([], folders, missing=missing)
    seen = set(known)
    for folder, mail in incoming:
        key = keys[id(mail)]
        if key in seen:
            continue  # recorded before (a reset mailbox, a second folder, our own copy)
        seen.add(key)
        reading = read_kind(mail, own)
        if reading.kind is Kind.OWN:
            continue
        if reading.kind is Kind.BOUNCE:
            failing = [
                (app, contact, address)
                for address in mail.bounced
                for app, contact in by_address.get(address, [])
            ]
            if failing:
                fetched.bounces.append(Bounce(folder, mail, failing))
            continue
        answers = match(mail, sent, by_address)
        if answers is None:
            continue
        if reading.kind is Kind.AUTOMATIC:
            fetched.notices.append(Notice(folder, mail, answers, reading.why))
        else:
            keyed = replace(mail, message_id=key)
            fetched.replies.append(Reply(folder, keyed, answers, propose(keyed, today)))
    return fetched


def _start_day(deps: Deps, settings: MailSettings) -> date | None:
    """Where a folder read for the first time starts: ``mail.since``, else the day the
    oldest open application was applied for (or recorded)."""
    if settings.since is not None:
        return settings.since
    with deps.store.reading() as repo:
        days: list[date] = [
            d for a in repo.applications() if a.is_open and (d := a.applied_on or a.recorded_on)
        ]
    return min(days, default=None)


def _dated(mail: IncomingMail) -> IncomingMail:
    """A Date header out of any sensible range is ignored (the reply is dated when read)."""
    if mail.at is not None and not in_range(mail.at.date()):
        return replace(mail, at=None)
    return mail


def record(
    deps: Deps, fetched: Fetched, decisions: list[Proposal | None], now: datetime
) -> list[Logged]:
    """Record the replies (with the decisions the user confirmed), mark the addresses that
    bounced, and note where each folder was read up to, in one transaction: a crash
    records all of it or none."""
    logged = []
    with writing(deps, now) as s:
        for bounce in fetched.bounces:
            _mark_failing(s, bounce, now)
        for reply, proposal in zip(fetched.replies, decisions, strict=True):
            assert reply.answers is not None
            decision = proposal.decision if proposal else None
            logged.append(
                record_touch(
                    s,
                    s.application(reply.answers.application),
                    TouchInput(
                        outcome=Outcome.REPLIED,
                        purpose=reply.answers.purpose,
                        channel=Channel.EMAIL,
                        contact=reply.answers.contact,
                        at=min(reply.mail.at or now, now),
                        decision=decision,
                        decision_by=proposal.decision_by if proposal and decision else None,
                        message_id=reply.mail.message_id,
                    ),
                )
            )
        for folder, (validity, last_uid) in fetched.folders.items():
            s.repo.set_folder_state(folder, validity, last_uid)
    return logged


def _mark_failing(s: Session, bounce: Bounce, now: datetime) -> None:
    day = s.calendar.local_date(min(bounce.mail.at or now, now))
    for app_id, contact_id, address in bounce.contacts:
        app = s.repo.get(app_id)
        contact = app.contact(contact_id) if app else None
        if app is None or contact is None or (contact.email or "").lower() != address:
            continue
        if contact.email_failed_on is None:
            failing = replace(contact, email_failed_on=day)
            s.save(
                replace(
                    app, contacts=tuple(failing if c.id == contact_id else c for c in app.contacts)
                )
            )
