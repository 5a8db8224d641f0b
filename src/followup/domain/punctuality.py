"""When each status follow-up was due, and when it was done (issue 14, "discipline").

followup keeps every follow-up the candidate made, not the plans it showed before. The
due date of a follow-up is found again by computing the application's status action as
its records stood just before it (RULES.md, "Computing the next status follow-up" steps
1 to 7, or "Before any interview"): a status call or email, R18's follow-up on an
application, a ``find_contact`` or a ``give_up`` was due on some day, and the follow-up
was on time when done on or before that day.

"As the records stood" means: the touches before the follow-up, the interviews held by
then, the company's last follow-up before it (R13, any application there), the
application taken as still ``active`` (a status is usually set after the follow-ups that
led to it), without a snooze (followup does not keep when it was set), with its contacts
as they are now (nor does it keep when they were added), and with today's settings.

Step 8 (spacing the follow-ups of several applications at one company) is left out: it
needs the plans of the company's other applications as they stood, each timed again,
which would cost as much again per follow-up. It only ever moves a date later, so a
follow-up that step 8 delayed shows as late by the days it was moved; only a company
with several applications followed up at once can meet it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Container
from dataclasses import replace
from datetime import datetime

from followup.domain.calendar import Calendar
from followup.domain.follow_up import (
    Company,
    before_interview,
    company_context,
    status_follow_up,
)
from followup.domain.insights import Timing
from followup.domain.model import Application, Status
from followup.domain.policy import Policy


def timings(
    company: list[Application], policy: Policy, calendar: Calendar, wanted: Container[str]
) -> list[Timing]:
    """The status follow-ups of the applications in ``wanted`` among ``company`` (all the
    applications at one company), each with the day it was due."""
    attempts = sorted(t.at for app in company for t in app.touches if t.is_attempt)
    hr = company_context(company, None).hr
    found = []
    for app in company:
        if app.id not in wanted:
            continue
        for touch in sorted(app.touches, key=lambda t: (t.at, t.id)):
            if not touch.is_attempt:
                continue
            before = bisect_left(attempts, touch.at)
            latest = calendar.local_date(attempts[before - 1]) if before else None
            then = _as_of(app, touch.at)
            context = Company(latest, hr)
            done = calendar.local_date(touch.at)
            held = sorted(then.held_interviews, key=lambda iv: (iv.at, iv.id))
            if held:
                action = status_follow_up(then, held[-1], policy, calendar, context)
            else:
                action = before_interview(then, policy, calendar, context, done)
            found.append(Timing(app.id, touch.id, done, action.due if action else None))
    return found


def _as_of(app: Application, moment: datetime) -> Application:
    """The application as it stood just before ``moment`` (see the module's docstring)."""
    return replace(
        app,
        status=Status.ACTIVE,
        snoozed_until=None,
        interviews=tuple(iv for iv in app.interviews if iv.at <= moment),
        touches=tuple(t for t in app.touches if t.at < moment),
    )
