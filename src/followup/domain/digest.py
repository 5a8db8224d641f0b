"""The daily digest: the day's plan in a few lines, and what is new since the last one.

A digest never loses anything: what is due or overdue comes from the plan itself, so it
is listed until it is done, however many days passed between two digests (a machine
asleep, a cron job missed). It never doubles anything either: "new" means not listed,
with that due date, by the previous digest, so running it twice in a day marks nothing
new the second time. The memory it keeps is only what the last digest listed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from urllib.parse import quote

from followup.domain import words
from followup.domain.listed import Scheduled
from followup.domain.model import Action, ActionKind

#: "The coming week": the digest looks this many days past today, the seven days after
#: today that Today, Week and ``followup today`` show (services.planning.COMING_DAYS; a
#: test keeps the two equal, so the views never disagree on what is coming).
DAYS = 7


@dataclass(frozen=True, slots=True)
class DigestState:
    """What the last digest listed (``(action id, due)`` pairs), when, and the last day one
    was emailed."""

    made_at: datetime
    seen: frozenset[tuple[str, date]]
    sent_on: date | None = None


@dataclass(frozen=True, slots=True)
class Digest:
    now: datetime
    #: The user's zone: it makes ``today``, and the times the digest shows.
    tz: tzinfo
    today: date
    overdue: tuple[Action, ...]
    due_today: tuple[Action, ...]
    coming: tuple[Action, ...]
    interviews: tuple[Scheduled, ...]
    #: Ids of the actions the previous digest did not list (or listed with another date).
    new: frozenset[str]
    previous: DigestState | None

    @property
    def actions(self) -> tuple[Action, ...]:
        return self.overdue + self.due_today + self.coming

    def state(self, sent_on: date | None) -> DigestState:
        """The memory to keep after this digest was shown (and emailed on ``sent_on``)."""
        return DigestState(self.now, frozenset(_key(a) for a in self.actions), sent_on)


def _key(action: Action) -> tuple[str, date]:
    """What makes an action news: its id and date. R20's ``withdraw`` is due on whatever day
    it is read, so its date is left out: it is news once, not every morning."""
    if action.kind is ActionKind.WITHDRAW:
        return (action.id, date.min)
    return (action.id, action.due)


def digest(
    actions: list[Action],
    interviews: list[Scheduled],
    now: datetime,
    tz: tzinfo,
    previous: DigestState | None,
) -> Digest:
    """The digest of ``actions`` (the plan to ``today + DAYS``). The first digest marks
    nothing as new: there is nothing to compare it with. ``apply_more`` is a standing
    reminder, never news."""
    new: frozenset[str] = frozenset()
    if previous is not None:
        new = frozenset(
            a.id
            for a in actions
            if a.kind is not ActionKind.APPLY_MORE and _key(a) not in previous.seen
        )
    today = now.astimezone(tz).date()
    return Digest(
        now=now,
        tz=tz,
        today=today,
        overdue=tuple(a for a in actions if a.due < today),
        due_today=tuple(a for a in actions if a.due == today),
        coming=tuple(a for a in actions if a.due > today),
        interviews=tuple(interviews),
        new=new,
        previous=previous,
    )


def subject(d: Digest) -> str:
    """``followup: 1 overdue, 2 today (Wed 11 Mar 2026)``."""
    parts = []
    if d.overdue:
        parts.append(f"{len(d.overdue)} overdue")
    if d.due_today:
        parts.append(f"{len(d.due_today)} today")
    if d.new:
        parts.append(f"{len(d.new)} new")
    return f"followup: {', '.join(parts) or 'nothing due'} ({words.day(d.today)})"


@dataclass(frozen=True, slots=True)
class Links:
    """Where the server's web app is (``FOLLOWUP_PUBLIC_URL``, no trailing slash), for a
    digest the server's worker emails; None: not said, so the digest has no links."""

    base: str | None


def text(d: Digest, links: Links | None = None) -> str:
    """The digest as plain text, for a terminal or an email. New actions are marked ``*``.

    ``links``: the server's digest, which links each action to its application and ends
    with the Today page (no links without a base); None: the local one, which points to
    the command line."""
    lines = [f"Your follow-ups for {words.day(d.today)}"]
    if d.previous is None:
        lines.append("This is your first digest.")
    else:
        since = d.previous.made_at.astimezone(d.tz)
        when = f"{words.day(since.date())} {words.clock(since.time())}"
        if d.new:
            lines.append(f"New since the last digest ({when}): {len(d.new)}, marked *.")
        else:
            lines.append(f"Nothing new since the last digest ({when}).")
    sections = [
        ("Overdue", d.overdue),
        ("Today", d.due_today),
        (f"Coming up (next {DAYS} days)", d.coming),
    ]
    for title, actions in sections:
        if actions:
            lines += ["", f"{title} ({len(actions)})"]
            for a in actions:
                lines.append(_line(a, d))
                if links is not None and links.base and a.application:
                    lines.append(f"      {links.base}/applications/{quote(a.application, safe='')}")
    if d.interviews:
        lines += ["", f"Interviews (today and the next {DAYS} days)"]
        for s in d.interviews:
            local = s.at.astimezone(d.tz)
            with_whom = f", with {', '.join(s.interviewers)}" if s.interviewers else ""
            lines.append(
                f"  {words.day(local.date())} {words.clock(local.time())}"
                f"  {s.company}, {s.position}{with_whom}"
            )
    if not d.actions and not d.interviews:
        lines += ["", "Nothing to do today. Keep applying: every application is a new chance."]
    if links is None:
        lines += ["", "Record what you did: followup done ACTION_ID (or open followup serve)."]
    elif links.base:
        lines += ["", f"Record what you did on your Today page: {links.base}/"]
    else:
        lines += ["", "Record what you did in followup's web app."]
    return "\n".join(lines) + "\n"


def _line(action: Action, d: Digest) -> str:
    mark = "*" if action.id in d.new else " "
    when = words.day(action.due)
    if action.due < d.today:
        when += f" ({words.plural((d.today - action.due).days, 'day')} late)"
    title = words.action_title(action)
    if action.window is not None and action.kind is ActionKind.STATUS_CALL:
        title += f", {words.window(action.window)}"
    return f"{mark} {when}  {title}  [{action.id}]"


class Delivery(enum.StrEnum):
    """Where a day's digest by email stands (the server's worker sends it, issue 15)."""

    SENDING = "sending"  # written before the mail server is contacted
    SENT = "sent"
    UNSURE = "unsure"  # a run died, or the connection broke, while handing it over
