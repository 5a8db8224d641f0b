"""R20: an accepted offer ends the search: no more apply_more, and a kind withdrawal,
due today, for every other application still active or with an offer."""

from __future__ import annotations

from followup.domain.model import Action, ActionKind, Application, Channel, Decision, Status
from followup.domain.planner import plan
from followup.domain.policy import Policy
from tests.builders import application, at, contact, d, hr, interview, touch

NOW = at("2026-03-20", 15)
ACCEPTED = application("job", company="Initech", status=Status.ACCEPTED)


def actions(apps: list[Application], policy: Policy | None = None) -> list[Action]:
    return plan(apps, policy or Policy(), NOW)


def status(apps: list[Application], app_id: str = "a") -> Action | None:
    found = [a for a in actions(apps) if a.id == f"status:{app_id}"]
    return found[0] if found else None


def test_r20_no_apply_more_once_an_offer_is_accepted() -> None:
    assert any(a.kind is ActionKind.APPLY_MORE for a in actions([application("a")]))
    assert not any(a.kind is ActionKind.APPLY_MORE for a in actions([application("a"), ACCEPTED]))


def test_r20_every_other_open_process_gets_a_withdrawal_due_today() -> None:
    a = application("a", interviews=(interview("2026-03-02"),))
    s = status([a, ACCEPTED])
    assert s is not None
    assert (s.kind, s.due, s.rule) == (ActionKind.WITHDRAW, d("2026-03-20"), "R20")
    assert (s.contact, s.channel) == ("ana", Channel.EMAIL)  # R10: the interviewer, by email
    assert "accepted another offer" in s.reason
    assert any("keep" in line or "touch" in line for line in s.script)
    assert status([ACCEPTED], "job") is None


def test_r20_also_for_an_offer_and_one_before_any_interview() -> None:
    offered = application("a", status=Status.OFFER)
    assert status([offered, ACCEPTED]) is not None
    by_touch = application(
        "a",
        interviews=(interview("2026-03-02"),),
        touches=(touch("2026-03-10", "reached", decision=Decision.OFFER),),
    )
    s = status([by_touch, ACCEPTED])
    assert s is not None
    assert s.kind is ActionKind.WITHDRAW
    early = status([application("a", contacts=(hr(),)), ACCEPTED])
    assert early is not None
    assert (early.kind, early.contact) == (ActionKind.WITHDRAW, "hr")


def test_r20_not_for_closed_processes() -> None:
    for closed in (Status.REJECTED, Status.WITHDRAWN, Status.NO_RESPONSE):
        assert status([application("a", status=closed), ACCEPTED]) is None
    rejected = application(
        "a", touches=(touch("2026-03-10", "replied", decision=Decision.REJECTED),)
    )
    assert status([rejected, ACCEPTED]) is None


def test_r20_the_channel_follows_the_target() -> None:
    phone_only = application(
        "a", contacts=(contact("ana", email=None),), interviews=(interview("2026-03-02"),)
    )
    s = status([phone_only, ACCEPTED])
    assert s is not None
    assert s.channel is Channel.PHONE
    no_direct = application(
        "a",
        contacts=(contact("ana"), hr()),
        interviews=(interview("2026-03-02", direct_contact_ok=False),),
    )
    s = status([no_direct, ACCEPTED])
    assert s is not None
    assert s.contact == "hr"
    nobody = status([application("a", contacts=()), ACCEPTED])
    assert nobody is not None
    assert (nobody.contact, nobody.channel) == (None, None)


def test_r20_replaces_a_give_up_and_keeps_the_thank_you() -> None:
    tried = tuple(touch(day) for day in ("2026-03-09", "2026-03-16", "2026-03-23"))
    a = application("a", interviews=(interview("2026-03-02"),), touches=tried)
    kinds = {x.kind for x in actions([a, ACCEPTED]) if x.application == "a"}
    assert ActionKind.WITHDRAW in kinds
    assert ActionKind.GIVE_UP not in kinds
    assert ActionKind.THANK_YOU_EMAIL in kinds  # R4, R5 stay


def test_r20_is_not_spaced_by_r13() -> None:
    a = application("a", interviews=(interview("2026-03-02"),))
    b = application("b", interviews=(interview("2026-03-02"),))
    both = [x for x in actions([a, b, ACCEPTED]) if x.kind is ActionKind.WITHDRAW]
    assert [x.due for x in both] == [d("2026-03-20"), d("2026-03-20")]
