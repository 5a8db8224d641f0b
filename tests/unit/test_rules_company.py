"""R13 (one follow-up a week per company) and R17 (escalate, then give up)."""

from __future__ import annotations

from followup.domain.model import Action, ActionKind, Application, Decision, Outcome
from followup.domain.planner import plan
from followup.domain.policy import Policy
from tests.builders import application, at, d, hr, interview, touch

POLICY = Policy()
NOW = at("2026-04-20")


def status(apps: list[Application], app_id: str, policy: Policy = POLICY) -> Action:
    (found,) = [a for a in plan(apps, policy, NOW) if a.id == f"status:{app_id}"]
    return found


def test_r13_an_attempt_at_another_application_of_the_company_counts() -> None:
    a = application("a", interviews=(interview("2026-03-02"),))
    b = application(
        "b",
        company="  ACME ",
        interviews=(interview("2026-03-02"),),
        touches=(touch("2026-03-10"),),
    )
    assert status([a, b], "a").due == d("2026-03-17")
    assert status([a, b], "a").rule == "R13"


def test_r13_another_company_does_not_count() -> None:
    a = application("a", interviews=(interview("2026-03-02"),))
    b = application(
        "b", company="Globex", interviews=(interview("2026-03-02"),), touches=(touch("2026-03-10"),)
    )
    assert status([a, b], "a").due == d("2026-03-09")


def test_r13_counts_every_attempt_answered_or_not_by_phone_or_email() -> None:
    for outcome in (Outcome.SENT, Outcome.REACHED, Outcome.NO_ANSWER, Outcome.VOICEMAIL):
        app = application(
            interviews=(interview("2026-03-02"),), touches=(touch("2026-03-10", outcome),)
        )
        assert status([app], "acme-backend").due == d("2026-03-17")


def test_r13_replies_and_skipped_are_not_attempts() -> None:
    for outcome in (Outcome.REPLIED, Outcome.SKIPPED):
        app = application(
            interviews=(interview("2026-03-02"),), touches=(touch("2026-03-10", outcome),)
        )
        assert status([app], "acme-backend").due == d("2026-03-09")


def test_r13_never_two_the_same_day_at_one_company() -> None:
    """Step 8 spaces the plan too: same interview time, so application id decides."""
    a = application("a", interviews=(interview("2026-03-02"),))
    b = application("b", interviews=(interview("2026-03-02"),))
    assert status([a, b], "a").due == d("2026-03-09")
    assert status([a, b], "b").due == d("2026-03-16")
    b = application("b", interviews=(interview("2026-03-02"),), touches=(touch("2026-03-09"),))
    assert status([a, b], "a").due == d("2026-03-16")  # the recorded attempt counts for both
    assert status([a, b], "b").due == d("2026-03-23")


def test_r13_the_gap_is_a_policy_key() -> None:
    app = application(interviews=(interview("2026-03-02"),), touches=(touch("2026-03-10"),))
    assert status([app], "acme-backend", Policy(min_days_between_follow_ups=14)).due == d(
        "2026-03-24"
    )


def test_r17_after_two_unanswered_attempts_the_next_goes_to_hr() -> None:
    app = application(
        contacts=(*application().contacts, hr()),
        interviews=(interview("2026-03-02"),),
        touches=(touch("2026-03-09"), touch("2026-03-16", Outcome.VOICEMAIL)),
    )
    s = status([app], "acme-backend")
    assert s.contact == "hr"
    assert s.kind is ActionKind.STATUS_CALL
    assert "HR" in s.reason
    assert s.due == d("2026-03-23")


def test_r17_without_hr_the_interviewer_stays_the_target() -> None:
    app = application(
        interviews=(interview("2026-03-02"),), touches=(touch("2026-03-09"), touch("2026-03-16"))
    )
    assert status([app], "acme-backend").contact == "ana"


def test_r17_after_three_unanswered_attempts_give_up() -> None:
    app = application(
        contacts=(*application().contacts, hr()),
        interviews=(interview("2026-03-02"),),
        touches=(
            touch("2026-03-09"),
            touch("2026-03-16"),
            touch("2026-03-23", Outcome.SENT, contact="hr"),
        ),
    )
    s = status([app], "acme-backend")
    assert s.kind is ActionKind.GIVE_UP
    assert s.id == "status:acme-backend"
    assert s.rule == "R17"
    assert s.due == d("2026-03-30")  # when the next attempt would have been due
    assert "no response" in s.reason


def test_r17_an_answer_resets_the_count() -> None:
    app = application(
        contacts=(*application().contacts, hr()),
        interviews=(interview("2026-03-02"),),
        touches=(
            touch("2026-03-09"),
            touch("2026-03-16"),
            touch("2026-03-23", Outcome.REACHED, decision=Decision.UNDECIDED),
            touch("2026-03-30"),
        ),
    )
    s = status([app], "acme-backend")
    assert s.kind is ActionKind.STATUS_CALL
    assert s.contact == "ana"


def test_r17_a_reply_to_an_email_answers_it() -> None:
    app = application(
        interviews=(interview("2026-03-02"),),
        touches=(
            touch("2026-03-09"),
            touch("2026-03-16", Outcome.SENT),
            touch("2026-03-17", Outcome.REPLIED),
            touch("2026-03-24"),
        ),
    )
    assert status([app], "acme-backend").kind is ActionKind.STATUS_CALL


def test_r17_a_new_interview_starts_the_count_again() -> None:
    app = application(
        interviews=(interview("2026-03-02"), interview("2026-03-30", iid="iv2")),
        touches=(touch("2026-03-09"), touch("2026-03-16"), touch("2026-03-23")),
    )
    s = status([app], "acme-backend")
    assert s.kind is ActionKind.STATUS_CALL
    assert s.due == d("2026-04-06")


def test_r17_thresholds_are_policy_keys() -> None:
    app = application(
        contacts=(*application().contacts, hr()),
        interviews=(interview("2026-03-02"),),
        touches=(touch("2026-03-09"),),
    )
    assert status([app], "acme-backend", Policy(escalate_after_unanswered=1)).contact == "hr"
    assert (
        status([app], "acme-backend", Policy(max_unanswered_attempts=1)).kind is ActionKind.GIVE_UP
    )
