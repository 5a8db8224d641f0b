"""Hypothesis strategies for whole job searches, consistent by construction.

Values are kept in canonical form (normalised emails and phones, stripped text) so the
same data can go through the interchange file and come back equal.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from followup.domain.model import (
    Application,
    Channel,
    Contact,
    ContactWindow,
    Decision,
    Interview,
    Outcome,
    Purpose,
    Role,
    Status,
    Touch,
    debrief_action_id,
    prepare_action_id,
    thank_you_action_id,
)
from followup.domain.policy import Policy

BASE = datetime(2026, 3, 2, tzinfo=UTC)
ZONES = ["UTC", "Europe/Lisbon", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]
COMPANIES = ["Acme", "acme ", "Globex", "Initech", "Umbrella Corp"]
PHONES = ["+351 912 345 678", "+44 20 7946 0958", "+1 650-253-0000"]
OFFSETS = [UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-5, minutes=-30))]

names = st.sampled_from(["Ana Sousa", "Rui Lopes", "Zoë Brandão", "O'Neil", "Li Wei"])
moments = st.builds(
    lambda minutes, tz: (BASE + timedelta(minutes=minutes)).astimezone(tz),
    st.integers(min_value=-30 * 24 * 60, max_value=60 * 24 * 60),
    st.sampled_from(OFFSETS),
)
days = st.builds(lambda n: BASE.date() + timedelta(days=n), st.integers(-30, 70))
maybe_bool = st.sampled_from([None, True, False])


@st.composite
def contact_windows(draw: st.DrawFn) -> ContactWindow:
    start = draw(st.integers(7, 16))
    length = draw(st.integers(1, 4))
    return ContactWindow(
        frozenset(draw(st.sets(st.integers(0, 6), max_size=4))),
        time(start),
        time(start + length),
    )


@st.composite
def applications(draw: st.DrawFn, app_id: str = "a0") -> Application:
    n_contacts = draw(st.integers(0, 3))
    contacts = []
    for i in range(n_contacts):
        contacts.append(
            Contact(
                id=f"c{i}",
                name=draw(names),
                role=draw(st.sampled_from(list(Role))),
                email=draw(st.sampled_from([None, f"c{i}@acme.example"])),
                phone=draw(st.sampled_from([None, *PHONES])),
                name_confirmed=draw(st.booleans()),
            )
        )
        if contacts[-1].email and draw(st.integers(0, 4)) == 0:  # a bounce (issue 16)
            contacts[-1] = replace(contacts[-1], email_failed_on=draw(days))
    ids = [c.id for c in contacts]
    interviews = []
    for i in range(draw(st.integers(0, 3))):
        interviews.append(
            Interview(
                id=f"iv{i}",
                at=draw(moments),
                interviewers=tuple(draw(st.lists(st.sampled_from(ids), unique=True, max_size=2)))
                if ids
                else (),
                contacts_every_applicant=draw(maybe_bool),
                direct_contact_ok=draw(maybe_bool),
                contact_window=draw(st.none() | contact_windows()),
                answer_by=draw(st.none() | days),
                notes=draw(st.sampled_from([None, "Asked about on-call.\nTwo people."])),
                cancelled=draw(st.sampled_from([False, False, False, True])),
            )
        )
    touches = []
    for i in range(draw(st.integers(0, 6))):
        # Mostly after an interview, as in life; sometimes anywhere.
        if interviews and draw(st.integers(0, 3)) > 0:
            chosen: Interview = draw(st.sampled_from(interviews))
            later = timedelta(days=draw(st.integers(0, 25)), minutes=draw(st.integers(0, 600)))
            moment = chosen.at + later
        else:
            moment = draw(moments)
        outcome = draw(st.sampled_from(list(Outcome)))
        if outcome in (Outcome.REACHED, Outcome.NO_ANSWER, Outcome.VOICEMAIL):
            channel = Channel.PHONE
        elif outcome is Outcome.SENT:
            channel = Channel.EMAIL
        else:
            channel = draw(st.sampled_from(list(Channel)))
        decision = draw(st.sampled_from([*[None] * 6, Decision.UNDECIDED, *Decision]))
        touches.append(
            Touch(
                id=f"t{i}",
                at=moment,
                channel=channel,
                purpose=draw(st.sampled_from([Purpose.STATUS, Purpose.STATUS, Purpose.THANK_YOU])),
                outcome=outcome,
                contact=draw(st.none() | st.sampled_from(ids)) if ids else None,
                decision=decision,
                decision_by=draw(st.none() | days) if decision is Decision.UNDECIDED else None,
                vacancies=draw(st.sampled_from([None, "Data engineer, Porto"])),
                message_id=draw(st.sampled_from([None, f"<m{i}@mail.example>"])),
                notes=draw(st.sampled_from([None, "She said next week."])),
            )
        )
    dismissible = []
    for iv in interviews:
        dismissible += [prepare_action_id(app_id, iv.id), debrief_action_id(app_id, iv.id)]
        dismissible += [thank_you_action_id(app_id, iv.id, c) for c in iv.interviewers or (None,)]
    return Application(
        id=app_id,
        company=draw(st.sampled_from(COMPANIES)).strip(),
        position=draw(st.sampled_from(["Backend Engineer", "Data Analyst"])),
        status=draw(st.sampled_from([*[Status.ACTIVE] * 4, *Status])),
        applied_on=draw(st.none() | days),
        recorded_on=draw(days),
        posting=draw(st.sampled_from([None, "We are hiring a backend engineer.\n\nApply now."])),
        contacts=tuple(contacts),
        interviews=tuple(interviews),
        touches=tuple(touches),
        snoozed_until=draw(st.none() | days),
        dismissed=frozenset(draw(st.lists(st.sampled_from(dismissible), max_size=2)))
        if dismissible
        else frozenset(),
    )


@st.composite
def job_searches(draw: st.DrawFn, max_size: int = 6) -> list[Application]:
    n = draw(st.integers(0, max_size))
    return [draw(applications(app_id=f"a{i}")) for i in range(n)]


policies = st.builds(
    Policy,
    thank_you_delay_days=st.integers(0, 5),
    first_follow_up_days=st.integers(1, 14),
    min_active_applications=st.integers(0, 8),
    max_days_without_new_application=st.integers(1, 14),
    min_days_between_follow_ups=st.integers(1, 14),
    escalate_after_unanswered=st.integers(1, 4),
    max_unanswered_attempts=st.integers(1, 5),
    application_follow_up_days=st.integers(0, 21),
    max_application_follow_ups=st.integers(1, 3),
    stale_after_days=st.integers(0, 45),
)
zones = st.sampled_from(ZONES).map(ZoneInfo)
instants = st.builds(
    lambda minutes: BASE + timedelta(minutes=minutes), st.integers(-40 * 24 * 60, 120 * 24 * 60)
)


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()
