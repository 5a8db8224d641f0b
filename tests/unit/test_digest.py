"""The digest's memory: what is new, never twice, and nothing lost between two digests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from followup.domain.digest import DAYS, Digest, Links, digest, subject, text
from followup.domain.listed import Scheduled
from followup.domain.model import Action, ActionKind
from followup.services.planning import COMING_DAYS
from tests.builders import at, d

MONDAY = datetime(2026, 3, 9, 8, tzinfo=UTC)


def action(aid: str, due: str, kind: ActionKind = ActionKind.STATUS_EMAIL) -> Action:
    return Action(
        id=aid, kind=kind, due=d(due), rule="R6", reason="Ask how it is going.",
        application=aid.rsplit(":", maxsplit=1)[-1], company="Acme", position="Engineer",
    )  # fmt: skip


def run(actions: list[Action], now: datetime, previous: Digest | None = None) -> Digest:
    today = now.date()
    memory = previous.state(None) if previous else None
    week = [a for a in actions if a.due <= today + timedelta(days=DAYS)]
    return digest(week, [], now, UTC, memory)


def test_the_first_digest_marks_nothing_new() -> None:
    first = run([action("status:a", "2026-03-09")], MONDAY)
    assert first.new == frozenset()
    assert "This is your first digest." in text(first)


def test_twice_the_same_day_marks_nothing_new_the_second_time() -> None:
    plan = [action("status:a", "2026-03-09"), action("status:b", "2026-03-12")]
    first = run(plan, MONDAY)
    again = run(plan, MONDAY.replace(hour=18), first)
    assert again.new == frozenset()
    assert [a.id for a in again.due_today] == ["status:a"]
    assert "Nothing new since the last digest (Mon 9 Mar 2026 08:00)." in text(again)


def test_after_days_away_everything_due_is_still_listed_and_only_news_is_new() -> None:
    first = run([action("status:a", "2026-03-10"), action("status:b", "2026-03-11")], MONDAY)
    later = [
        action("status:a", "2026-03-10"),
        action("status:b", "2026-03-11"),
        action("status:c", "2026-03-12"),  # appeared while the machine slept
        action("status:b2", "2026-03-20"),  # moved: listed with another date is news
    ]
    thursday = run(later, datetime(2026, 3, 12, 8, tzinfo=UTC), first)
    assert [a.id for a in thursday.overdue] == ["status:a", "status:b"]
    assert [a.id for a in thursday.due_today] == ["status:c"]
    assert thursday.new == {"status:c"}
    moved = [action("status:a", "2026-03-13")]
    assert run(moved, datetime(2026, 3, 12, 9, tzinfo=UTC), thursday).new == {"status:a"}


def test_a_clock_moved_back_still_lists_what_is_due_and_marks_by_content() -> None:
    plan = [action("status:a", "2026-03-09"), action("status:b", "2026-03-14")]
    ahead = run(plan, datetime(2026, 3, 14, 8, tzinfo=UTC))
    back = run(plan, MONDAY, ahead)  # the clock went back five days
    assert [a.id for a in back.due_today] == ["status:a"]
    assert [a.id for a in back.coming] == ["status:b"]
    assert back.new == frozenset()  # the digest "of the 14th" listed both (a as overdue)
    assert back.previous is not None
    assert back.previous.made_at > back.now  # said as it is: the last digest is "later"


def test_apply_more_is_a_standing_reminder_never_news() -> None:
    first = run([action("apply_more:2026-03-09", "2026-03-09", ActionKind.APPLY_MORE)], MONDAY)
    tuesday = datetime(2026, 3, 10, 8, tzinfo=UTC)
    more = action("apply_more:2026-03-10", "2026-03-10", ActionKind.APPLY_MORE)
    assert run([more], tuesday, first).new == frozenset()


def test_the_text_marks_news_and_lists_the_interviews() -> None:
    first = run([], MONDAY)
    plan = [action("status:a", "2026-03-05"), action("status:b", "2026-03-09")]
    made = digest(
        plan,
        [Scheduled("x", "Initech", "Frontend", "iv1", at("2026-03-11", 14), ("Ana Sousa",))],
        MONDAY,
        UTC,
        first.state(None),
    )
    body = text(made)
    assert "* Thu 5 Mar 2026 (4 days late)  Email for news: Acme, Engineer  [status:a]" in body
    assert "Wed 11 Mar 2026 14:00  Initech, Frontend, with Ana Sousa" in body
    assert subject(made) == "followup: 1 overdue, 1 today, 2 new (Mon 9 Mar 2026)"
    assert subject(run([], MONDAY)) == "followup: nothing due (Mon 9 Mar 2026)"


def test_what_a_digest_remembers_is_what_it_listed() -> None:
    made = run([action("status:a", "2026-03-09"), action("status:b", "2026-03-30")], MONDAY)
    state = made.state(MONDAY.date())
    assert state.seen == {("status:a", d("2026-03-09"))}  # b was beyond the week: not seen
    assert (state.made_at, state.sent_on) == (MONDAY, MONDAY.date())


def test_a_withdrawal_is_news_once_though_due_every_day() -> None:
    """R20's withdraw is due on the day it is read: tomorrow's date is not news."""
    first = datetime(2026, 3, 20, 8, tzinfo=UTC)
    withdraw = Action("status:a", ActionKind.WITHDRAW, first.date(), "R20", "Tell them.", "a")
    made = digest([withdraw], [], first, UTC, None)
    later = first + timedelta(days=1)
    moved = Action("status:a", ActionKind.WITHDRAW, later.date(), "R20", "Tell them.", "a")
    assert digest([moved], [], later, UTC, made.state(None)).new == frozenset()


def test_the_server_s_digest_links_to_the_web_app_or_says_where_without_links() -> None:
    plan = [
        action("status:acme/dev x", "2026-03-09"),
        action("apply_more:2026-03-09", "2026-03-09", ActionKind.APPLY_MORE),
    ]
    plan[1] = Action(
        id="apply_more:2026-03-09", kind=ActionKind.APPLY_MORE, due=d("2026-03-09"),
        rule="R16", reason="Apply to more jobs.",
    )  # fmt: skip
    made = run(plan, MONDAY)
    linked = text(made, Links("https://followup.example.org"))
    lines = linked.splitlines()
    at_action = next(i for i, line in enumerate(lines) if "[status:acme/dev x]" in line)
    # the application's page, its id quoted; nothing for an action of no application
    assert lines[at_action + 1] == "      https://followup.example.org/applications/acme%2Fdev%20x"
    assert linked.count("https://") == 2
    assert lines[-1] == "Record what you did on your Today page: https://followup.example.org/"
    assert "followup done" not in linked
    bare = text(made, Links(None))
    assert "http" not in bare
    assert bare.splitlines()[-1] == "Record what you did in followup's web app."
    assert text(made).splitlines()[-1].startswith("Record what you did: followup done")


def test_the_coming_week_is_the_one_today_and_week_show() -> None:
    """README: "this week" is the seven days after today, wherever the plan is shown."""
    assert DAYS == COMING_DAYS
    seventh = action("status:a", "2026-03-16")
    made = run([seventh], MONDAY)
    assert made.coming == (seventh,)
    assert f"Coming up (next {COMING_DAYS} days) (1)" in text(made)
