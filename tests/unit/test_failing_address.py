"""An address that bounced counts as no email (issue 16): R10's target and R11's channel."""

from __future__ import annotations

from followup.domain.model import Action, ActionKind, Application
from followup.domain.planner import plan
from followup.domain.policy import Policy
from tests.builders import application, at, contact, d, hr, interview

NOW = at("2026-03-20")


def status_of(app: Application) -> Action:
    (found,) = [a for a in plan([app], Policy(), NOW) if a.id == f"status:{app.id}"]
    return found


def test_a_failing_address_with_a_phone_known_means_a_call() -> None:
    ana = contact(email_failed_on=d("2026-03-10"))
    s = status_of(application(contacts=(ana,), interviews=(interview("2026-03-02"),)))
    assert (s.kind, s.contact) == (ActionKind.STATUS_CALL, "ana")


def test_a_failing_address_and_no_phone_means_finding_a_contact() -> None:
    ana = contact(phone=None, email_failed_on=d("2026-03-10"))
    s = status_of(application(contacts=(ana,), interviews=(interview("2026-03-02"),)))
    assert s.kind is ActionKind.FIND_CONTACT
    assert not ana.reachable
    assert ana.usable_email is None


def test_the_interviewer_that_bounced_gives_way_to_hr() -> None:
    ana = contact(phone=None, email_failed_on=d("2026-03-10"))
    s = status_of(
        application(contacts=(ana, hr(phone=None)), interviews=(interview("2026-03-02"),))
    )
    assert (s.kind, s.contact) == (ActionKind.STATUS_EMAIL, "hr")


def test_the_same_contact_with_a_working_address_is_emailed() -> None:
    s = status_of(
        application(contacts=(contact(phone=None),), interviews=(interview("2026-03-02"),))
    )
    assert (s.kind, s.contact) == (ActionKind.STATUS_EMAIL, "ana")


def test_the_thank_you_says_the_address_bounced() -> None:
    ana = contact(email_failed_on=d("2026-03-03"))
    actions = plan(
        [application(contacts=(ana,), interviews=(interview("2026-03-02"),))],
        Policy(),
        at("2026-03-02", 15),
    )
    (thanks,) = [a for a in actions if a.kind is ActionKind.THANK_YOU_EMAIL]
    assert "bounced" in thanks.reason
