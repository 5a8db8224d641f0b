"""The contract of :class:`~followup.services.ports.StoredPlan`: rows read by instant and day."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from followup.domain.agenda import line
from followup.domain.mailbox import MailSettings
from followup.domain.model import Application, Status
from followup.domain.planner import Planned, anchored, plan_company_over_time
from followup.domain.policy import Policy
from followup.domain.settings import Settings
from followup.formats.plan import to_record
from followup.services.ports import Store
from tests.builders import LISBON, UTC_CAL, application, at, d, interview, thanked, window
from tests.integration.contract.support import EPOCH, by_id, plans_of


def test_the_stored_plan_is_read_by_instant_and_due_date(store: Store) -> None:
    app = application(interviews=(interview("2026-03-10"),))
    planned = plans_of(app)
    with store.writing() as repo:
        repo.put(app)
        repo.replace_plans([(app, planned)], EPOCH)
    before, after = at("2026-03-05"), at("2026-03-20")
    with store.reading() as repo:
        assert by_id(repo.planned(app.id)) == by_id(planned)
        assert [a.kind.value for a in repo.due(before, d("2026-03-09"))] == ["prepare_interview"]
        assert repo.due(before, d("2026-03-08")) == []
        assert sorted(a.kind.value for a in repo.due(after, d("2026-03-20"))) == [
            "status_call",
            "thank_you_email",
        ]
        assert repo.find_planned("prepare_interview:acme-backend:iv1", before) is not None
        assert repo.find_planned("prepare_interview:acme-backend:iv1", after) is None
        assert repo.find_planned("status:acme-backend", after) is not None
        assert repo.find_planned("status:nobody", after) is None


def test_the_plans_of_many_applications(store: Store) -> None:
    busy = application("busy", interviews=(interview("2026-03-10"),))
    idle = application("idle", status=Status.REJECTED)
    with store.writing() as repo:
        repo.put_many([busy, idle])
        repo.replace_plans([(busy, plans_of(busy)), (idle, [])], EPOCH)
    with store.reading() as repo:
        found = repo.planned_many(["busy", "idle", "zzz"])
        assert list(found) == ["busy"]
        assert by_id(found["busy"]) == by_id(plans_of(busy))
        assert repo.planned_many([]) == {}


def test_replacing_a_plan_drops_the_old_rows(store: Store) -> None:
    app = application(interviews=(interview("2026-03-10"),))
    with store.writing() as repo:
        repo.put(app)
        repo.replace_plans([(app, plans_of(app))], EPOCH)
        repo.replace_plans([(app, [])], EPOCH)
    with store.reading() as repo:
        assert repo.planned(app.id) == []
        assert repo.due(at("2026-03-20"), d("2027-01-01")) == []


def test_open_count_and_last_added_follow_the_plans(store: Store) -> None:
    apps = [application(f"a{i}", applied_on=d(f"2026-03-0{i + 1}")) for i in range(4)]
    apps.append(application("closed", status=Status.REJECTED, applied_on=d("2026-03-09")))
    with store.writing() as repo:
        assert (repo.open_count(10), repo.last_added()) == (0, None)
        repo.put_many(apps)
        repo.replace_plans([(a, []) for a in apps], EPOCH)
    with store.reading() as repo:
        assert repo.open_count(10) == 4
        assert repo.open_count(2) == 2
        assert repo.last_added() == d("2026-03-09")


def test_the_facts_of_r9_read_together_or_alone(store: Store) -> None:
    """Issue 12: a read may take R9's facts (and the settings) in one statement and answer
    the later questions from it; the answers are those asked alone, in any order, and a
    later read sees what was written since."""
    apps = [application("a", applied_on=d("2026-03-01")), application("b")]
    mail = MailSettings(address="maria@example.org", smtp_host="smtp.example.org")
    with store.writing() as repo:
        repo.put_many(apps)
        repo.replace_plans([(a, []) for a in apps], EPOCH)
        repo.save_mail_settings(mail)
    alone = []
    for ask in (lambda r: r.open_count(10), lambda r: r.last_added(), lambda r: r.any_accepted()):
        with store.reading() as repo:
            alone.append(ask(repo))
    with store.reading() as repo:
        together = [repo.open_count(10), repo.last_added(), repo.any_accepted()]
        assert repo.open_count(1) == 1
        assert repo.load_settings() == Settings()
        assert repo.load_mail_settings() == mail
    assert together == alone == [2, d("2026-03-01"), False]
    accepted = application("c", status=Status.ACCEPTED, applied_on=d("2026-03-20"))
    with store.writing() as repo:
        repo.put(accepted)
        repo.replace_plans([(accepted, [])], EPOCH)
        repo.save_mail_settings(MailSettings(address="other@example.org"))
        assert [repo.open_count(10), repo.last_added(), repo.any_accepted()] == [
            2,
            d("2026-03-20"),
            True,
        ]
    with store.reading() as repo:
        assert [repo.open_count(10), repo.last_added(), repo.any_accepted()] == [
            2,
            d("2026-03-20"),
            True,
        ]
        assert repo.load_mail_settings() == MailSettings(address="other@example.org")


def test_stale_applications_were_written_after_the_instant(store: Store) -> None:
    apps = [application("a"), application("b")]
    with store.writing() as repo:
        repo.put_many(apps)
        repo.replace_plans([(apps[0], [])], at("2026-03-01"))
        repo.replace_plans([(apps[1], [])], at("2026-03-10"))
    with store.reading() as repo:
        assert repo.stale(at("2026-03-05")) == {"b"}
        assert repo.stale(at("2026-03-10")) == set()
        assert repo.exact_from(["a", "b", "zzz"]) == {"a": at("2026-03-01"), "b": at("2026-03-10")}


def test_the_next_change_is_the_first_boundary_after_now(store: Store) -> None:
    """Rows start and end applying at instants, and a plan is exact only from its own."""
    app = application(interviews=(interview("2026-03-10"),))
    first, second, *_ = plans_of(app)
    rows = [
        Planned(first.action, None, at("2026-03-10")),
        Planned(second.action, at("2026-03-05"), None),
    ]
    with store.writing() as repo:
        assert repo.next_change(EPOCH) is None
        repo.put(app)
        repo.replace_plans([(app, rows)], at("2026-03-03"))
    with store.reading() as repo:
        assert repo.next_change(at("2026-03-01")) == at("2026-03-03")
        assert repo.next_change(at("2026-03-03")) == at("2026-03-05")
        assert repo.next_change(at("2026-03-05", tz=LISBON)) == at("2026-03-10")
        assert repo.next_change(at("2026-03-10")) is None


def test_plan_version(store: Store) -> None:
    with store.writing() as repo:
        assert repo.plan_version() is None
        repo.set_plan_version("7")
    with store.writing() as repo:
        assert repo.plan_version() == "7"
        repo.set_plan_version("8")
    with store.reading() as repo:
        assert repo.plan_version() == "8"
        assert repo.integrity_problems() == []


def test_instants_compare_across_offsets(store: Store) -> None:
    """Rows store UTC: an instant given with an offset is found at the same moment."""
    lisbon_summer = datetime(2026, 7, 1, 10, tzinfo=UTC).astimezone(LISBON)
    app = application(interviews=(interview(lisbon_summer + timedelta(hours=1)),))
    with store.writing() as repo:
        repo.put(app)
        repo.replace_plans([(app, plans_of(app))], EPOCH)
    with store.reading() as repo:
        assert repo.find_planned("prepare_interview:acme-backend:iv1", lisbon_summer) is not None


def test_the_next_action_of_each_application_is_the_first_that_applies(store: Store) -> None:
    """Issue 12: the store picks it (the Applications page's "Next" column), as the
    FORMAT.md order would over the actions that apply, R20's withdraw read as due today."""
    busy = application("busy", interviews=(interview("2026-03-10"),))
    two = application(
        "two",
        interviews=(interview("2026-03-02"), interview("2026-03-12", "iv2")),
        touches=(thanked("2026-03-03"),),
    )
    idle = application("idle", status=Status.REJECTED)
    leaving = application(
        "leaving", interviews=(interview("2026-03-03"),), touches=(thanked("2026-03-04"),)
    )
    ((_, withdrawn),) = plan_company_over_time([leaving], Policy(), UTC_CAL, accepted=True)
    plans = {a.id: plans_of(a) for a in (busy, two, idle)} | {"leaving": withdrawn}
    with store.writing() as repo:
        repo.put_many([busy, two, idle, leaving])
        repo.replace_plans([(a, plans[a.id]) for a in (busy, two, idle, leaving)], EPOCH)
    kinds = set()
    for now in (at("2026-03-05"), at("2026-03-11"), at("2026-03-13", 18), at("2026-06-01")):
        today = now.date()
        expected = {}
        for app_id, planned in plans.items():
            current = [anchored(p.action, today) for p in planned if p.applies_at(now)]
            if current:
                expected[app_id] = min(current, key=lambda a: (a.sort_key, a.id))
        with store.reading() as repo:
            found = repo.next_actions(["busy", "two", "idle", "leaving", "nobody"], now, today)
            assert repo.next_actions([], now, today) == {}
        assert found == expected
        kinds |= {a.kind.value for a in found.values()}
    assert {"withdraw", "prepare_interview", "status_call"} <= kinds


def _busy_search() -> list[Application]:
    """Three applications with actions on several days, one call with a contact window,
    and two thank-yous to one person on one day (equal keys but for the id)."""
    twice = (interview(at("2026-03-10", 9)), interview(at("2026-03-10", 15), "iv2"))
    return [
        application("a", interviews=(interview("2026-03-10", contact_window=window()),)),
        application("b", company="Globex", interviews=twice),
        application("c", company="Initech", interviews=(interview("2026-03-12"),)),
    ]


def test_due_actions_are_read_in_order_a_page_at_a_time(store: Store) -> None:
    """Issue 12: Today shows a page of each section, most urgent first, and counts the rest."""
    apps = _busy_search()
    with store.writing() as repo:
        repo.put_many(apps)
        repo.replace_plans([(app, plans_of(app)) for app in apps], EPOCH)
    now, first, last = at("2026-03-13"), d("2026-03-01"), d("2026-04-30")
    with store.reading() as repo:
        everything = sorted(repo.due(now, last), key=lambda a: a.sort_key)
        assert len(everything) >= 5
        assert list(repo.due_in_order(now, first, last)) == everything
        assert list(repo.due_in_order(now, first, last, limit=2, offset=1)) == everything[1:3]
        assert list(repo.due_in_order(now, first, last, offset=len(everything))) == []
        assert repo.count_due(now, first, last, 100) == len(everything)
        assert repo.count_due(now, first, last, 3) == 3
        # Both ends of the range are included, and nothing else.
        day = everything[1].due
        on_day = [a for a in everything if a.due == day]
        assert list(repo.due_in_order(now, day, day)) == on_day
        assert repo.count_due(now, day, day, 100) == len(on_day)
        # Applications re-planned in memory are left out.
        others = [a for a in everything if a.application != "b"]
        assert list(repo.due_in_order(now, first, last, skip={"b"})) == others
        assert repo.count_due(now, first, last, 100, skip={"b", "zzz"}) == len(others)
        # A list line: the action but its script, steps and borrowed contact.
        lines = list(repo.due_in_order(now, first, last, lines=True))
        assert lines == [
            replace(a, script=(), steps=(), contact_application=None) for a in everything
        ]
        assert any(a.window is not None for a in lines)
        # A page of cards: the same rows as the store keeps them (no Action built).
        records = [to_record(a) for a in everything]
        assert list(repo.due_records(now, first, last)) == records
        assert list(repo.due_records(now, first, last, limit=2, offset=1)) == records[1:3]
        assert list(repo.due_records(now, first, last, skip={"b"})) == [
            r for r in records if r["application"] != "b"
        ]
        assert list(repo.due_records(now, day, day)) == [to_record(a) for a in on_day]
        # Rows apply by instant: before the interviews, only the preparations.
        early = list(repo.due_in_order(at("2026-03-05"), first, last))
        assert [r["id"] for r in repo.due_records(at("2026-03-05"), first, last)] == [
            a.id for a in early
        ]
        assert {a.kind.value for a in early} == {"prepare_interview"}
        assert repo.count_due(at("2026-03-05"), first, last, 100) == len(early)


def test_the_calendar_reads_the_due_actions_in_any_order(store: Store) -> None:
    """Issue 12: the calendar sorts the actions its own way, so the store reads them in the
    order it reads fastest: whole, or as lines (tuples of the list columns, no Action)."""
    apps = _busy_search()
    with store.writing() as repo:
        repo.put_many(apps)
        repo.replace_plans([(app, plans_of(app)) for app in apps], EPOCH)
    now, first, last = at("2026-03-13"), d("2026-03-01"), d("2026-04-30")
    with store.reading() as repo:
        everything = sorted(repo.due(now, last), key=lambda a: (a.sort_key, a.id))
        assert len(everything) >= 5
        whole = list(repo.due_in_order(now, first, last, ordered=False))
        assert sorted(whole, key=lambda a: (a.sort_key, a.id)) == everything
        found = sorted(repo.due_lines(now, first, last), key=lambda s: s.id)
        assert found == sorted(map(line, everything), key=lambda s: s.id)
        assert any(s.window is not None for s in found)
        assert {s.id for s in repo.due_lines(now, first, last, skip={"b"})} == {
            a.id for a in everything if a.application != "b"
        }
        early = {s.kind.value for s in repo.due_lines(at("2026-03-05"), first, last)}
        assert early == {"prepare_interview"}


def test_the_pages_of_many_ranges_are_read_at_once(store: Store) -> None:
    """Issue 12: ``due_pages`` reads each range's first page and its count as
    ``due_records`` and ``count_due`` do one range at a time (Today's sections at once)."""
    apps = _busy_search()
    with store.writing() as repo:
        repo.put_many(apps)
        repo.replace_plans([(app, plans_of(app)) for app in apps], EPOCH)
    now, first, last = at("2026-03-13"), d("2026-03-01"), d("2026-04-30")
    with store.reading() as repo:
        days = sorted({a.due for a in repo.due(now, last)})
        assert len(days) >= 3
        ranges = [
            (first, last),
            (days[0], days[0]),
            (d("2025-01-01"), d("2025-01-02")),  # nothing due then
            (days[1], days[-1]),
            (first, last),  # a range may come twice
        ]
        for limit, cap, skip in [(100, 100, set()), (2, 3, set()), (1, 100, {"b", "zzz"})]:
            one_at_a_time = [
                (
                    list(repo.due_records(now, a, b, limit=limit, skip=skip)),
                    repo.count_due(now, a, b, cap, skip),
                )
                for a, b in ranges
            ]
            assert repo.due_pages(now, ranges, limit, cap, skip) == one_at_a_time
        assert repo.due_pages(now, [], 10, 100) == []
        whole = repo.due_pages(now, [(first, last)], 100, 100)
        assert whole[0][1] == len(whole[0][0]) >= 5  # the counts are those of the rows
