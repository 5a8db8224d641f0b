"""How the search is going (issue 14): the funnel, the response rate, the follow-up
discipline, where it works, and the pace, computed from the records alone.

Every figure here has a definition a person can check by hand against ``followup show``:
the docstrings below are the definitions (the command's help, the Insights page and the
README say the same in fewer words). A rate is a :class:`Share` that keeps its two counts,
so a rate over nothing is ``None`` ("—"), never a division by zero.

The figures read :class:`Record`, the few columns of an application they need, so that a
search of 100,000 applications is read in one pass without its contacts, notes or plan.
Only the follow-up timing (:mod:`followup.domain.punctuality`) needs whole records.
Pure: ``now``, the calendar and the policy are arguments.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from followup.domain.calendar import Calendar
from followup.domain.model import (
    Channel,
    Decision,
    Interview,
    Outcome,
    Purpose,
    Status,
    Touch,
)
from followup.domain.policy import Policy

WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Record:
    """One application as the figures need it: no contacts, notes, posting or plan.

    ``interviews`` carry their time, interviewers and whether they were cancelled;
    ``touches`` their time, channel, purpose, outcome, contact and decision.
    """

    id: str
    company_key: str
    status: Status
    #: The application day, else the day it was recorded (R9's "added").
    added_on: date | None
    source: str | None = None
    interviews: tuple[Interview, ...] = ()
    touches: tuple[Touch, ...] = ()

    def held(self, now: datetime) -> list[Interview]:
        """The interviews that took place by ``now`` (not cancelled), in time order."""
        return sorted(
            (iv for iv in self.interviews if not iv.cancelled and iv.at <= now),
            key=lambda iv: (iv.at, iv.id),
        )

    def first_answer(self, now: datetime) -> datetime | None:
        """The company's first answer: a ``reached`` status call, a ``replied`` touch, or an
        interview that took place, whichever came first."""
        moments = [t.at for t in self.touches if t.is_company_answer]
        moments += [iv.at for iv in self.held(now)]
        return min(moments, default=None)

    @property
    def has_offer(self) -> bool:
        """Status ``offer`` or ``accepted``, or a touch that recorded the decision ``offer``."""
        return self.status in (Status.OFFER, Status.ACCEPTED) or any(
            t.decision is Decision.OFFER for t in self.touches
        )


@dataclass(frozen=True, slots=True)
class Share:
    """``part`` of ``whole``; the rate is ``None`` when ``whole`` is 0."""

    part: int
    whole: int

    @property
    def rate(self) -> float | None:
        return self.part / self.whole if self.whole else None


@dataclass(frozen=True, slots=True)
class Funnel:
    applications: int
    answered: int
    interviewed: int
    offers: int
    accepted: int


@dataclass(frozen=True, slots=True)
class Source:
    """The applications of one source (``None``: no source recorded)."""

    name: str | None
    applications: int
    answered: int
    interviewed: int

    @property
    def response(self) -> Share:
        return Share(self.answered, self.applications)

    @property
    def interview(self) -> Share:
        return Share(self.interviewed, self.applications)


@dataclass(frozen=True, slots=True)
class ChannelFigures:
    """The status follow-ups made on one channel, how many were answered (RULES.md: a call
    ``reached``, or an email followed by a ``replied`` touch before the next follow-up of the
    application), and how many were followed by an interview of the same application."""

    channel: Channel
    follow_ups: int
    answered: int
    interviews_after: int

    @property
    def response(self) -> Share:
        return Share(self.answered, self.follow_ups)

    @property
    def interview(self) -> Share:
        return Share(self.interviews_after, self.follow_ups)


@dataclass(frozen=True, slots=True)
class Timing:
    """One status follow-up and the day it was due (:mod:`followup.domain.punctuality`)."""

    application: str
    touch: str
    done: date
    #: The due date of the application's status action just before it; ``None``: the plan
    #: had no status action then (e.g. the company had answered but no interview was recorded).
    due: date | None

    @property
    def days_late(self) -> int | None:
        return None if self.due is None else max(0, (self.done - self.due).days)


@dataclass(frozen=True, slots=True)
class FollowUps:
    """Status follow-ups done, and how many of those with a due date were on time."""

    done: int
    #: Days late of each follow-up that had a due date (0: on or before it), sorted.
    lateness: tuple[int, ...]

    @property
    def compared(self) -> int:
        return len(self.lateness)

    @property
    def on_time(self) -> Share:
        return Share(sum(1 for n in self.lateness if n == 0), self.compared)

    @property
    def late(self) -> tuple[int, ...]:
        return tuple(n for n in self.lateness if n > 0)

    @property
    def median_days_late(self) -> float | None:
        return statistics.median(self.late) if self.late else None

    @property
    def max_days_late(self) -> int | None:
        return max(self.late, default=None)


@dataclass(frozen=True, slots=True)
class Week:
    """Applications added in the week starting on ``start`` (a Monday)."""

    start: date
    applications: int


@dataclass(frozen=True, slots=True)
class Pace:
    """Applications added per week, against R9's aim: one new application at least every
    ``max_days_without_new_application`` days, that is 7 / that many a week."""

    every_days: int
    weeks: tuple[Week, ...]

    @property
    def aim(self) -> float:
        return 7 / self.every_days

    def on_aim(self, week: Week) -> bool:
        return week.applications * self.every_days >= 7

    @property
    def weeks_on_aim(self) -> Share:
        return Share(sum(1 for w in self.weeks if self.on_aim(w)), len(self.weeks))

    @property
    def per_week(self) -> float | None:
        if not self.weeks:
            return None
        return sum(w.applications for w in self.weeks) / len(self.weeks)


@dataclass(frozen=True, slots=True)
class Insights:
    #: The period asked for (``None``: open-ended), and the local day it was computed on.
    first: date | None
    last: date | None
    today: date
    funnel: Funnel
    #: Days from the day added to the local day of the first answer, per answered application.
    days_to_answer: tuple[int, ...]
    thank_yous: Share
    follow_ups: FollowUps
    sources: tuple[Source, ...]
    channels: tuple[ChannelFigures, ...]
    pace: Pace

    @property
    def response(self) -> Share:
        return Share(self.funnel.answered, self.funnel.applications)

    @property
    def median_days_to_answer(self) -> float | None:
        return statistics.median(self.days_to_answer) if self.days_to_answer else None

    @property
    def empty(self) -> bool:
        return self.funnel.applications == 0


def in_period(added: date | None, first: date | None, last: date | None) -> bool:
    """The period holds the applications added (applied, else recorded) between ``first``
    and ``last``, both included; with neither, every application, dated or not."""
    if first is None and last is None:
        return True
    if added is None:
        return False
    return (first is None or added >= first) and (last is None or added <= last)


def insights(
    records: Iterable[Record],
    timings: Iterable[Timing],
    policy: Policy,
    calendar: Calendar,
    now: datetime,
    first: date | None = None,
    last: date | None = None,
) -> Insights:
    """The figures of the applications added in the period, and of all that happened to
    them (answers, interviews and follow-ups after the period count too)."""
    apps = [_Seen(r, now) for r in records if in_period(r.added_on, first, last)]
    answered = [r for r in apps if r.first_answer is not None]
    interviewed = [r for r in apps if r.held]
    today = calendar.local_date(now)
    wanted = {r.record.id for r in apps}
    return Insights(
        first=first,
        last=last,
        today=today,
        funnel=Funnel(
            applications=len(apps),
            answered=len(answered),
            interviewed=len(interviewed),
            offers=sum(1 for r in apps if r.record.has_offer),
            accepted=sum(1 for r in apps if r.record.status is Status.ACCEPTED),
        ),
        days_to_answer=_days_to_answer(answered, calendar),
        thank_yous=_thank_yous(interviewed),
        follow_ups=_follow_ups(
            sum(1 for r in apps for t in r.record.touches if t.is_attempt),
            [t for t in timings if t.application in wanted],
        ),
        sources=_sources(apps),
        channels=_channels(apps),
        pace=_pace([r.record for r in apps], policy, first, last, today),
    )


class _Seen:
    """A record with what ``now`` makes of it, worked out once."""

    __slots__ = ("first_answer", "held", "record")

    def __init__(self, record: Record, now: datetime) -> None:
        self.record = record
        self.held = record.held(now)
        self.first_answer = record.first_answer(now)


def _days_to_answer(answered: list[_Seen], calendar: Calendar) -> tuple[int, ...]:
    """Per answered application with a day added: days from it to the first answer's day."""
    found = []
    for r in answered:
        added, moment = r.record.added_on, r.first_answer
        if added is not None and moment is not None:
            found.append((calendar.local_date(moment) - added).days)
    return tuple(sorted(found))


def thanked_all(record: Record, iv: Interview) -> bool:
    """R4's thank-yous of one interview are all done: a ``thank_you`` touch after it to each
    interviewer (with none recorded, any ``thank_you`` touch after it); ``skipped`` ones do
    not count, since nothing was sent."""
    sent = [
        t
        for t in record.touches
        if t.purpose is Purpose.THANK_YOU and t.outcome is not Outcome.SKIPPED and t.at >= iv.at
    ]
    if not iv.interviewers:
        return bool(sent)
    thanked = {t.contact for t in sent}
    return all(cid in thanked for cid in iv.interviewers)


def _thank_yous(interviewed: list[_Seen]) -> Share:
    """Interviews that took place whose thank-yous are all done, of all that took place."""
    held = [(r.record, iv) for r in interviewed for iv in r.held]
    return Share(sum(1 for r, iv in held if thanked_all(r, iv)), len(held))


def _follow_ups(done: int, timings: list[Timing]) -> FollowUps:
    lateness = sorted(n for t in timings if (n := t.days_late) is not None)
    return FollowUps(done, tuple(lateness))


def _sources(apps: list[_Seen]) -> tuple[Source, ...]:
    """By source, ignoring case and surrounding spaces; named as first written (in the
    order of application ids). The most applications first; no source last."""
    names: dict[str | None, str | None] = {}
    counts: dict[str | None, list[int]] = {}
    for r in sorted(apps, key=lambda r: r.record.id):
        name = (r.record.source or "").strip() or None
        key = name.casefold() if name else None
        names.setdefault(key, name)
        c = counts.setdefault(key, [0, 0, 0])
        c[0] += 1
        c[1] += r.first_answer is not None
        c[2] += bool(r.held)
    found = [Source(names[k], *c) for k, c in counts.items()]
    return tuple(
        sorted(found, key=lambda s: (s.name is None, -s.applications, (s.name or "").casefold()))
    )


def _channels(apps: list[_Seen]) -> tuple[ChannelFigures, ...]:
    counts = {c: [0, 0, 0] for c in (Channel.PHONE, Channel.EMAIL)}
    for r in apps:
        touches = sorted(r.record.touches, key=lambda t: (t.at, t.id))
        attempts = [t for t in touches if t.is_attempt]
        held = r.held
        for i, t in enumerate(attempts):
            until = attempts[i + 1].at if i + 1 < len(attempts) else None
            c = counts[t.channel]
            c[0] += 1
            c[1] += _answered(t, touches, until)
            c[2] += any(iv.at > t.at for iv in held)
    return tuple(ChannelFigures(ch, *c) for ch, c in counts.items())


def _answered(attempt: Touch, touches: list[Touch], until: datetime | None) -> bool:
    """RULES.md, "Words": ``reached``, or an email followed by a ``replied`` touch (before
    the application's next follow-up)."""
    if attempt.outcome is Outcome.REACHED:
        return True
    if attempt.channel is not Channel.EMAIL:
        return False
    return any(
        t.outcome is Outcome.REPLIED and t.at > attempt.at and (until is None or t.at < until)
        for t in touches
    )


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _pace(
    apps: list[Record], policy: Policy, first: date | None, last: date | None, today: date
) -> Pace:
    """Every week (Monday to Sunday) from the period's first day (else the first day an
    application was added) to its last (else today)."""
    days = [r.added_on for r in apps if r.added_on is not None]
    start = first or min(days, default=None)
    end = last or max([today, *days])
    weeks: list[Week] = []
    if start is not None and start <= end:
        per: dict[date, int] = {}
        for day in days:
            per[monday(day)] = per.get(monday(day), 0) + 1
        week = monday(start)
        while week <= end:
            weeks.append(Week(week, per.get(week, 0)))
            week += WEEK
    return Pace(policy.max_days_without_new_application, tuple(weeks))
