"""Hypothesis strategies for whole job searches, consistent by construction.

Values are kept in canonical form (normalised emails and phones, stripped text) so the
same data can go through the interchange file and come back equal.

Records drawn field by field rarely meet the states the rules are about: in 500 such
searches R14 never decided a date (issue 10). So most applications are drawn as a *story*
(:func:`stories`): applied, interviewed, thanked, then followed up in order, with answer
dates (R7), undecided answers with a decision date (R14), runs of unanswered attempts
(R17), applications still waiting for an interview (R18, R19), and several applications at
each company (R13 step 8, R10's borrowed HR contact). The rest are drawn freely
(:func:`free_applications`) to keep the odd states too. ``tests/rule_events.py`` counts
the rules reached; ``tests/unit/test_rule_coverage.py`` keeps every one of them reached.
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
offsets = st.sampled_from(OFFSETS)


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
def free_applications(
    draw: st.DrawFn, app_id: str = "a0", company: str | None = None
) -> Application:
    """Any application: every field drawn on its own, in or out of time order."""
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
        company=company if company is not None else draw(st.sampled_from(COMPANIES)).strip(),
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


# --- stories: applications lived in order, toward the states the rules are about --------

#: Statuses of a story: mostly active, since only an active application is followed up.
STORY_STATUSES = [*[Status.ACTIVE] * 20, *(s for s in Status if s is not Status.ACTIVE)]
UNANSWERED = [(Outcome.NO_ANSWER, Channel.PHONE), (Outcome.VOICEMAIL, Channel.PHONE)]
UNANSWERED += [(Outcome.SENT, Channel.EMAIL)]
ANSWERED = [(Outcome.REACHED, Channel.PHONE), (Outcome.REPLIED, Channel.EMAIL)]


def _during_office_hours(draw: st.DrawFn, day: date) -> datetime:
    hour = draw(st.integers(8, 17))
    return datetime.combine(day, time(hour, draw(st.sampled_from([0, 30]))), draw(offsets))


@st.composite
def _story_contacts(draw: st.DrawFn) -> tuple[list[Contact], list[str]]:
    """Up to two interviewers, mostly reachable, and most often a reachable HR contact."""
    contacts = []
    for i in range(draw(st.integers(0, 2))):
        contacts.append(
            Contact(
                id=f"c{i}",
                name=draw(names),
                role=Role.INTERVIEWER,
                email=draw(st.sampled_from([f"c{i}@acme.example"] * 3 + [None])),
                phone=draw(st.sampled_from([None, *PHONES])),
                name_confirmed=draw(st.sampled_from([True, True, False])),
            )
        )
    interviewers = [c.id for c in contacts]
    if draw(st.integers(0, 2)):
        cid = f"c{len(contacts)}"
        email = f"{cid}@acme.example"
        reach = draw(st.sampled_from([(email, None), (None, PHONES[0]), (email, PHONES[1])]))
        contacts.append(Contact(cid, draw(names), Role.HR, *reach, name_confirmed=True))
    return contacts, interviewers


@st.composite
def _attempts(
    draw: st.DrawFn, after: date, contacts: list[str], first: int, answers: bool
) -> list[Touch]:
    """Status attempts in order from ``after``, in one of four shapes: none yet (R6, R7,
    R18), a run of unanswered ones (R17, R19), a few then an undecided answer with a
    decision date, for which the candidate waits (R14), or anything (answers, decisions).
    ``answers``: the company may answer."""
    shapes = ["none", "none", "none", "unanswered", "mixed", *(["awaiting decision"] * 2 * answers)]
    shape = draw(st.sampled_from(shapes))
    outcomes: list[tuple[Outcome, Channel, Decision | None]] = []
    for _ in range(0 if shape == "none" else draw(st.integers(1, 4))):
        answered = answers and shape == "mixed" and draw(st.integers(0, 2)) == 0
        decision = draw(st.sampled_from([None, *Decision])) if answered else None
        outcomes.append((*draw(st.sampled_from(ANSWERED if answered else UNANSWERED)), decision))
    if shape == "awaiting decision":
        outcomes = outcomes[: draw(st.integers(0, 2))]
        outcomes.append((*draw(st.sampled_from(ANSWERED)), Decision.UNDECIDED))
    touches = []
    day = after
    for i, (outcome, channel, decision) in enumerate(outcomes):
        day += timedelta(days=draw(st.integers(2, 12)))
        decision_by = None
        if decision is Decision.UNDECIDED and draw(st.integers(0, 5)):
            decision_by = day + timedelta(days=draw(st.integers(3, 25)))
        touches.append(
            Touch(
                id=f"t{first + i}",
                at=_during_office_hours(draw, day),
                channel=channel,
                purpose=Purpose.STATUS,
                outcome=outcome,
                contact=draw(st.none() | st.sampled_from(contacts)) if contacts else None,
                decision=decision,
                decision_by=decision_by,
            )
        )
    return touches


@st.composite
def _story_interviews(
    draw: st.DrawFn, applied: date, interviewers: list[str]
) -> tuple[list[Interview], date]:
    """One to three interviews after applying, with what was learned at the end of each
    (answer dates for R7, windows for R11); the day of the last one."""
    interviews = []
    day = applied
    for i in range(draw(st.integers(1, 3))):
        day += timedelta(days=draw(st.integers(3, 15)))
        promised = draw(st.integers(2, 21)) if draw(st.integers(0, 2)) else None  # R7
        window = draw(contact_windows()) if draw(st.integers(0, 2)) == 0 else None  # R11
        interviews.append(
            Interview(
                id=f"iv{i}",
                at=_during_office_hours(draw, day),
                interviewers=tuple(draw(st.lists(st.sampled_from(interviewers), unique=True)))
                if interviewers
                else (),
                contacts_every_applicant=draw(maybe_bool),
                direct_contact_ok=draw(st.sampled_from([True, True, None, False])),
                contact_window=window,
                answer_by=None if promised is None else day + timedelta(days=promised),
                cancelled=draw(st.sampled_from([*[False] * 7, True])),
            )
        )
    return interviews, day


@st.composite
def _thank_yous(draw: st.DrawFn, interviews: list[Interview]) -> list[Touch]:
    """A thank-you after an interview to some of its interviewers (R4)."""
    touches: list[Touch] = []
    for iv in interviews:
        for cid in iv.interviewers or (None,):
            if draw(st.booleans()):
                at = iv.at + timedelta(days=draw(st.integers(1, 3)))
                sent = (Channel.EMAIL, Purpose.THANK_YOU, Outcome.SENT, cid)
                touches.append(Touch(f"t{len(touches)}", at, *sent))
    return touches


@st.composite
def stories(draw: st.DrawFn, app_id: str = "a0", company: str | None = None) -> Application:
    """An application lived in order: applied, then either interviewed, thanked (R4) and
    followed up after the promised answer date (R6, R7, R13, R14, R17), or still waiting
    for an interview, followed up or not (R18, R19)."""
    contacts, interviewers = draw(_story_contacts())
    ids = [c.id for c in contacts]
    interviews: list[Interview] = []
    touches: list[Touch] = []
    if draw(st.integers(0, 3)):
        applied = BASE.date() - timedelta(days=draw(st.integers(10, 70)))
        interviews, last = draw(_story_interviews(applied, interviewers))
        touches = draw(_thank_yous(interviews))
        promised = [iv.answer_by for iv in interviews if iv.answer_by is not None]
        touches += draw(_attempts(max([last, *promised]), ids, len(touches), answers=True))
    else:  # waiting for an interview: recent enough that R18 often applies before R19
        applied = BASE.date() + timedelta(days=draw(st.integers(-30, 30)))
        start = applied + timedelta(days=draw(st.integers(0, 20)))
        touches = draw(_attempts(start, ids, 0, answers=draw(st.integers(0, 4)) == 0))
    return Application(
        id=app_id,
        company=company if company is not None else draw(st.sampled_from(COMPANIES)).strip(),
        position=draw(st.sampled_from(["Backend Engineer", "Data Analyst"])),
        status=draw(st.sampled_from(STORY_STATUSES)),
        applied_on=draw(st.sampled_from([applied, applied, applied, None])),
        recorded_on=applied + timedelta(days=draw(st.integers(0, 2))),
        contacts=tuple(contacts),
        interviews=tuple(interviews),
        touches=tuple(touches),
        snoozed_until=draw(st.sampled_from([None] * 5 + [BASE.date() + timedelta(days=9)])),
    )


@st.composite
def applications(draw: st.DrawFn, app_id: str = "a0", company: str | None = None) -> Application:
    """Two applications in three are stories, the third is drawn freely."""
    story = draw(st.sampled_from([True, True, False]))
    return draw((stories if story else free_applications)(app_id, company))


@st.composite
def job_searches(draw: st.DrawFn, max_size: int = 6) -> list[Application]:
    """Up to ``max_size`` applications at one to four companies ("Acme" and "acme" are
    one), so that several applications at one company are common (R10, R13)."""
    n = draw(st.integers(0, max_size))
    pool = draw(st.lists(st.sampled_from(COMPANIES), min_size=1, max_size=5, unique=True))
    return [
        draw(applications(app_id=f"a{i}", company=draw(st.sampled_from(pool)).strip()))
        for i in range(n)
    ]


def _setting(default: int, low: int, high: int) -> st.SearchStrategy[int]:
    """A policy value: the default half of the time, as most users keep it."""
    return st.just(default) | st.integers(low, high)


policies = st.builds(
    Policy,
    thank_you_delay_days=_setting(2, 0, 5),
    first_follow_up_days=_setting(7, 1, 14),
    min_active_applications=_setting(5, 0, 8),
    max_days_without_new_application=_setting(7, 1, 14),
    min_days_between_follow_ups=_setting(7, 1, 14),
    escalate_after_unanswered=_setting(2, 1, 4),
    max_unanswered_attempts=_setting(3, 1, 5),
    application_follow_up_days=_setting(14, 0, 21),
    max_application_follow_ups=_setting(1, 1, 3),
    stale_after_days=_setting(30, 0, 45),
)
zones = st.sampled_from(ZONES).map(ZoneInfo)
#: Any instant from 40 days before ``BASE`` to 120 after, half of them in the month after
#: ``BASE``: when most stories have had their interviews and await a follow-up.
instants = st.builds(
    lambda minutes: BASE + timedelta(minutes=minutes),
    st.integers(-40 * 24 * 60, 120 * 24 * 60) | st.integers(0, 30 * 24 * 60),
)


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()
