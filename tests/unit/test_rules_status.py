"""The status follow-up: R6, R7, R10, R11, R14, R15 and snoozing."""

from __future__ import annotations

from dataclasses import replace

from followup.domain.calendar import Calendar
from followup.domain.model import Action, ActionKind, Application, Decision, Outcome, Role, Status
from followup.domain.planner import plan
from followup.domain.policy import Policy
from tests.builders import application, at, contact, d, hr, interview, thanked, touch, window

POLICY = Policy()
NOW = at("2026-03-20")


def status_of(app: Application, now=NOW, policy=POLICY, calendar=None) -> Action | None:
    found = [a for a in plan([app], policy, now, calendar) if a.id == f"status:{app.id}"]
    return found[0] if found else None


def test_r6_first_follow_up_a_week_after_the_interview() -> None:
    s = status_of(application(interviews=(interview("2026-03-02"),)))
    assert s is not None
    assert s.kind is ActionKind.STATUS_CALL
    assert s.due == d("2026-03-09")
    assert s.rule == "R6"


def test_r6_moves_to_a_business_day() -> None:
    s = status_of(application(interviews=(interview("2026-03-06"),)))  # Friday + 7 = Friday
    assert s is not None
    assert s.due == d("2026-03-13")
    s = status_of(application(interviews=(interview("2026-03-07"),)))  # Saturday + 7
    assert s is not None
    assert s.due == d("2026-03-16")


def test_r6_the_delay_is_a_policy_key() -> None:
    s = status_of(
        application(interviews=(interview("2026-03-02"),)), policy=Policy(first_follow_up_days=5)
    )
    assert s is not None
    assert s.due == d("2026-03-09")  # Saturday 7th -> Monday


def test_no_status_follow_up_without_an_interview_that_took_place() -> None:
    """Only R18's follow-up on the application itself, and none once one is scheduled."""
    before = Policy(application_follow_up_days=0, stale_after_days=0)
    assert status_of(application(), policy=before) is None
    s = status_of(application())
    assert s is not None
    assert s.kind is ActionKind.FIND_CONTACT
    assert s.rule == "R10"
    assert status_of(application(interviews=(interview("2026-03-25"),))) is None


def test_the_last_interview_that_took_place_counts() -> None:
    app = application(
        interviews=(
            interview("2026-03-02"),
            interview("2026-03-10", iid="iv2"),
            interview("2026-04-01", iid="iv3"),
        )
    )
    s = status_of(app)
    assert s is not None
    assert s.due == d("2026-03-17")


def test_r7_no_follow_up_before_the_promised_answer_date() -> None:
    s = status_of(application(interviews=(interview("2026-03-02", answer_by=d("2026-03-12")),)))
    assert s is not None
    assert s.due == d("2026-03-13")
    assert s.rule == "R7"
    assert "12 Mar" in s.reason


def test_r7_the_day_after_the_answer_date_moves_to_a_business_day() -> None:
    s = status_of(application(interviews=(interview("2026-03-02", answer_by=d("2026-03-13")),)))
    assert s is not None
    assert s.due == d("2026-03-16")  # Saturday 14th -> Monday


def test_r7_an_early_answer_date_does_not_bring_the_follow_up_forward() -> None:
    s = status_of(application(interviews=(interview("2026-03-02", answer_by=d("2026-03-04")),)))
    assert s is not None
    assert s.due == d("2026-03-09")
    assert s.rule == "R6"


def test_r14_an_undecided_answer_with_a_date_sets_the_next_follow_up() -> None:
    app = application(
        interviews=(interview("2026-03-02"),),
        touches=(
            touch(
                "2026-03-09",
                Outcome.REACHED,
                decision=Decision.UNDECIDED,
                decision_by=d("2026-03-25"),
            ),
        ),
    )
    s = status_of(app)
    assert s is not None
    assert s.due == d("2026-03-26")
    assert s.rule == "R14"


def test_r14_a_reply_by_email_counts_as_the_company_answer() -> None:
    app = application(
        interviews=(interview("2026-03-02"),),
        touches=(
            touch("2026-03-09", Outcome.SENT),
            touch(
                "2026-03-10",
                Outcome.REPLIED,
                decision=Decision.UNDECIDED,
                decision_by=d("2026-03-27"),
            ),
        ),
    )
    s = status_of(app)
    assert s is not None
    assert s.due == d("2026-03-30")  # Saturday 28th -> Monday


def test_r14_without_a_date_the_next_one_is_a_week_after_the_attempt() -> None:
    app = application(
        interviews=(interview("2026-03-02"),),
        touches=(touch("2026-03-10", Outcome.REACHED, decision=Decision.UNDECIDED),),
    )
    s = status_of(app)
    assert s is not None
    assert s.due == d("2026-03-17")
    assert s.rule == "R13"


def test_r14_only_the_last_company_answer_counts() -> None:
    app = application(
        interviews=(interview("2026-03-02"),),
        touches=(
            touch(
                "2026-03-09",
                Outcome.REACHED,
                decision=Decision.UNDECIDED,
                decision_by=d("2026-04-30"),
            ),
            touch(
                "2026-03-16",
                Outcome.REACHED,
                decision=Decision.UNDECIDED,
                decision_by=d("2026-03-20"),
            ),
        ),
    )
    s = status_of(app)
    assert s is not None
    assert s.due == d("2026-03-23")


def test_r15_a_closed_application_gets_no_status_follow_up() -> None:
    base = application(interviews=(interview(),))
    for status in (
        Status.REJECTED,
        Status.OFFER,
        Status.ACCEPTED,
        Status.WITHDRAWN,
        Status.NO_RESPONSE,
    ):
        assert status_of(replace(base, status=status)) is None


def test_r15_a_decision_touch_closes_it_whatever_the_status_says() -> None:
    for decision in (Decision.REJECTED, Decision.OFFER):
        app = application(
            interviews=(interview(),),
            touches=(touch("2026-03-09", Outcome.REACHED, decision=decision),),
        )
        assert app.status is Status.ACTIVE
        assert status_of(app) is None


def test_r10_the_first_reachable_interviewer_of_the_last_interview() -> None:
    app = application(
        contacts=(contact("ana", email=None, phone=None), contact("bea", phone=None)),
        interviews=(interview(interviewers=("ana", "bea")),),
    )
    s = status_of(app)
    assert s is not None
    assert s.contact == "bea"
    assert s.kind is ActionKind.STATUS_EMAIL


def test_r10_hr_when_direct_contact_is_not_ok() -> None:
    app = application(
        contacts=(contact("ana"), hr()), interviews=(interview(direct_contact_ok=False),)
    )
    s = status_of(app)
    assert s is not None
    assert s.contact == "hr"


def test_r10_hr_when_no_interviewer_can_be_reached() -> None:
    app = application(
        contacts=(contact("ana", email=None, phone=None), hr(phone=None)), interviews=(interview(),)
    )
    s = status_of(app)
    assert s is not None
    assert (s.contact, s.kind) == ("hr", ActionKind.STATUS_EMAIL)


def test_r10_find_contact_when_nobody_can_be_asked() -> None:
    app = application(contacts=(contact("ana"),), interviews=(interview(direct_contact_ok=False),))
    s = status_of(app)
    assert s is not None
    assert s.kind is ActionKind.FIND_CONTACT
    assert s.contact is None
    assert s.rule == "R10"
    assert s.due == d("2026-03-09")
    assert s.id == "status:acme-backend"


def test_r10_an_hr_contact_without_details_cannot_be_asked() -> None:
    app = application(
        contacts=(contact("ana"), hr(email=None, phone=None)),
        interviews=(interview(direct_contact_ok=False),),
    )
    s = status_of(app)
    assert s is not None
    assert s.kind is ActionKind.FIND_CONTACT


def test_r11_a_call_when_the_target_has_a_phone_with_a_script() -> None:
    app = application(interviews=(interview(),))
    s = status_of(app)
    assert s is not None
    assert s.kind is ActionKind.STATUS_CALL
    script = " ".join(s.script)
    assert "Ask for Ana Example" in script
    assert "R14" in script  # the decision date
    assert "R16" in script  # other vacancies
    assert "process" in script


def test_r11_an_email_when_the_target_has_no_phone() -> None:
    app = application(contacts=(contact("ana", phone=None),), interviews=(interview(),))
    s = status_of(app)
    assert s is not None
    assert s.kind is ActionKind.STATUS_EMAIL
    assert s.window is None


def test_r11_a_call_falls_on_the_window_days_and_carries_its_hours() -> None:
    app = application(interviews=(interview("2026-03-02", contact_window=window("tue,thu")),))
    s = status_of(app)
    assert s is not None
    assert s.due == d("2026-03-10")  # Monday 9th -> Tuesday
    assert s.rule == "R11"
    assert s.window is not None
    assert s.window.hours is not None
    assert s.window.hours[0].hour == 10


def test_r11_the_window_on_a_holiday_moves_to_its_next_day() -> None:
    app = application(interviews=(interview("2026-03-02", contact_window=window("tue,thu")),))
    s = status_of(app, calendar=Calendar(holidays={d("2026-03-10")}))
    assert s is not None
    assert s.due == d("2026-03-12")


def test_r11_a_window_without_hours_is_not_shown_as_hours() -> None:
    w = replace(window("mon"), start=None, end=None)
    s = status_of(application(interviews=(interview(contact_window=w),)))
    assert s is not None
    assert s.window is None
    assert s.due == d("2026-03-09")


def test_snooze_delays_the_follow_up() -> None:
    app = application(interviews=(interview(),), snoozed_until=d("2026-03-18"))
    s = status_of(app)
    assert s is not None
    assert s.due == d("2026-03-18")
    assert "snoozed" in s.reason
    past = replace(app, snoozed_until=d("2026-03-01"))
    s = status_of(past)
    assert s is not None
    assert s.due == d("2026-03-09")


def test_every_step_of_the_computation_is_explained() -> None:
    app = application(
        interviews=(
            interview("2026-03-02", answer_by=d("2026-03-12"), contact_window=window("tue,thu")),
        ),
        touches=(thanked(),),
        snoozed_until=d("2026-03-05"),
    )
    s = status_of(app)
    assert s is not None
    assert [step.rule for step in s.steps] == ["R6", "R7", "snooze", "R11", "R11"]
    assert [step.day for step in s.steps] == [
        d("2026-03-09"),
        d("2026-03-13"),
        d("2026-03-05"),
        d("2026-03-13"),
        d("2026-03-17"),
    ]


def test_a_contact_of_role_other_can_be_an_interviewer() -> None:
    app = application(contacts=(contact("ana", role=Role.OTHER),), interviews=(interview(),))
    s = status_of(app)
    assert s is not None
    assert s.contact == "ana"


def test_a_snoozed_date_is_credited_to_the_placing_rule_not_to_an_earlier_one() -> None:
    """FORMAT.md: ``rule`` is the rule that set the due date. A snooze is no rule; the date
    it sets is placed by step 7 (R11), never by R13 or R14 whose dates came earlier."""
    called = touch("2026-03-10", Outcome.NO_ANSWER)
    undecided = touch(
        "2026-03-10", Outcome.REACHED, decision=Decision.UNDECIDED, decision_by=d("2026-03-20")
    )
    for touches, before in (((), "R6"), ((called,), "R13"), ((undecided,), "R14")):
        app = application(interviews=(interview(),), touches=touches)
        unsnoozed = status_of(app)
        assert unsnoozed is not None
        assert unsnoozed.rule == before
        s = status_of(replace(app, snoozed_until=d("2026-03-25")))
        assert s is not None
        assert (s.due, s.rule) == (d("2026-03-25"), "R11")


def test_a_snooze_the_rules_pass_keeps_their_rule() -> None:
    app = application(interviews=(interview(),), snoozed_until=d("2026-03-05"))
    s = status_of(app)
    assert s is not None
    assert (s.due, s.rule) == (d("2026-03-09"), "R6")


def test_r11_a_window_with_no_business_day_is_said_and_not_carried() -> None:
    """R11 plans a call on a business day that is one of the window's days: a window of
    weekend days has none. The call goes on the first business day, and the plan says why
    instead of labelling a Monday with weekend hours."""
    weekend = window("sat,sun")
    app = application(interviews=(interview("2026-03-02", contact_window=weekend),))
    s = status_of(app)
    assert s is not None
    assert (s.kind, s.due, s.rule) == (ActionKind.STATUS_CALL, d("2026-03-09"), "R6")
    assert s.window is None
    assert any(
        step.rule == "R11" and "no business day" in step.text and step.day == d("2026-03-09")
        for step in s.steps
    )
    assert "Sat, Sun 10:00-12:00" in s.reason
    assert not any(line.startswith("Best time to call") for line in s.script)
    assert any("weekday" in line for line in s.script)


def test_r11_a_window_with_one_business_day_still_places_the_call() -> None:
    mixed = window("fri,sat")
    app = application(interviews=(interview("2026-03-02", contact_window=mixed),))
    s = status_of(app)
    assert s is not None
    assert (s.due, s.rule, s.window) == (d("2026-03-13"), "R11", mixed)
