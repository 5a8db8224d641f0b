"""Use cases on in-memory fakes: what each records, warns about, and refuses."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from followup.domain.model import ActionKind, Decision, Outcome, Purpose, Role, Status
from followup.domain.settings import Settings
from followup.errors import Duplicate, InvalidFile, InvalidInput, NotFound, Refused, Remedy
from followup.services import (
    applications,
    completion,
    contacts,
    interchange,
    interviews,
    settings,
    touches,
)
from followup.services.planning import PlanReader
from followup.services.session import Deps
from tests.builders import at, d
from tests.fakes import FakeClock, FakeStore, fake_deps

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


@pytest.fixture
def deps() -> Deps:
    return fake_deps(NOW)


def store(deps: Deps) -> FakeStore:
    assert isinstance(deps.store, FakeStore)
    return deps.store


def interviewed(deps: Deps, when: str = "2026-03-02") -> str:
    """An application with Ana, interviewed at 10:00 on ``when``, everything known."""
    app = applications.add_application(deps, "Acme", "Backend Engineer", applied_on=d("2026-02-20"))
    app_id = app.application.id
    contacts.add_contact(
        deps,
        app_id,
        contacts.ContactInput(
            "Ana Sousa", Role.INTERVIEWER, "ana@acme.example", "+351 912 345 678", True
        ),
    )
    interviews.record_interview(
        deps,
        app_id,
        interviews.InterviewInput(
            at=at(when),
            interviewers=("ana-sousa",),
            contacts_every_applicant=True,
            direct_contact_ok=True,
        ),
    )
    return app_id


def test_add_application_makes_an_id_from_company_and_position(deps: Deps) -> None:
    first = applications.add_application(deps, "Acme Corp.", "Back-end Engineer")
    with pytest.raises(Duplicate, match="acme-corp-back-end-engineer is already") as refused:
        applications.add_application(deps, " ACME CORP. ", "back-end engineer")  # same company key
    assert refused.value.existing == "acme-corp-back-end-engineer"
    assert refused.value.exit_code == 8
    second = applications.add_application(
        deps, "Acme Corp.", "Back-end Engineer", duplicate_ok=True
    )
    assert first.application.id == "acme-corp-back-end-engineer"
    assert second.application.id == "acme-corp-back-end-engineer-2"
    assert first.application.recorded_on == d("2026-03-02")


def test_add_application_refuses_a_taken_id_and_empty_names(deps: Deps) -> None:
    applications.add_application(deps, "Acme", "Dev", app_id="acme")
    with pytest.raises(Refused):
        applications.add_application(deps, "Acme", "Dev", app_id="acme")
    with pytest.raises(InvalidInput, match="company"):
        applications.add_application(deps, "  ", "Dev")
    with pytest.raises(InvalidInput, match="not a valid id"):
        applications.add_application(deps, "Acme", "Dev", app_id="has space")


def test_bad_input_writes_nothing(deps: Deps) -> None:
    app_id = interviewed(deps)
    before = store(deps).commits
    with pytest.raises(InvalidInput):
        contacts.add_contact(
            deps, app_id, contacts.ContactInput("Rui", Role.HR, email="not-an-email")
        )
    with pytest.raises(NotFound):
        interviews.record_interview(
            deps, app_id, interviews.InterviewInput(at=at("2026-03-05"), interviewers=("nobody",))
        )
    with pytest.raises(NotFound):
        touches.log_touch(deps, "missing", touches.TouchInput(Outcome.SENT))
    with pytest.raises(InvalidInput):
        touches.log_touch(
            deps,
            app_id,
            touches.TouchInput(
                Outcome.REACHED,
                channel=None,
                contact="ana-sousa",
                purpose=Purpose.STATUS,
                at=None,
                decision=None,
                decision_by=None,
                vacancies="\x07bell",
            ),
        )
    assert store(deps).commits == before


def test_a_contact_renamed_loses_its_confirmed_spelling(deps: Deps) -> None:
    app_id = interviewed(deps)
    changed, _ = contacts.edit_contact(
        deps, app_id, "ana-sousa", contacts.ContactInput(name="Anna Sousa")
    )
    assert not changed.name_confirmed
    changed, _ = contacts.edit_contact(
        deps, app_id, "ana-sousa", contacts.ContactInput(name_confirmed=True)
    )
    assert changed.name_confirmed
    assert changed.name == "Anna Sousa"


def test_the_debrief_fills_the_r2_r3_answers(deps: Deps) -> None:
    app = applications.add_application(deps, "Acme", "Dev").application
    interviews.record_interview(deps, app.id, interviews.InterviewInput(at=at("2026-03-02", 9)))
    with deps.store.reading() as repo:
        view = PlanReader(repo, deps.holidays, NOW).view(0)
    assert [a.kind for a in view.actions if a.application] == [ActionKind.DEBRIEF]
    iv, saved = interviews.debrief(
        deps,
        app.id,
        None,
        interviews.Debrief(
            contacts_every_applicant=False,
            direct_contact_ok=True,
            answer_by=d("2026-03-12"),
            new_interviewers=(
                contacts.ContactInput("Ana Sousa", email="ana@acme.example", name_confirmed=True),
            ),
        ),
    )
    assert iv.interviewers == ("ana-sousa",)
    assert [a.kind for a in saved.actions] == [ActionKind.THANK_YOU_EMAIL, ActionKind.STATUS_EMAIL]


def test_r13_logging_a_second_follow_up_in_a_week_warns_but_records(deps: Deps) -> None:
    app_id = interviewed(deps)
    other = applications.add_application(deps, "ACME", "Data Engineer").application.id
    first = touches.log_touch(
        deps, app_id, touches.TouchInput(Outcome.NO_ANSWER, at=at("2026-03-09")), at("2026-03-09")
    )
    assert first.warnings == []
    second = touches.log_touch(
        deps, other, touches.TouchInput(Outcome.SENT, at=at("2026-03-12")), at("2026-03-12")
    )
    assert len(second.warnings) == 1
    assert second.warnings[0].startswith("R13")
    assert second.touch in second.application.touches


def test_r7_logging_before_the_answer_date_warns(deps: Deps) -> None:
    app_id = interviewed(deps)
    interviews.debrief(deps, app_id, None, interviews.Debrief(answer_by=d("2026-03-12")))
    logged = touches.log_touch(
        deps, app_id, touches.TouchInput(Outcome.NO_ANSWER, at=at("2026-03-10")), at("2026-03-10")
    )
    assert [w[:3] for w in logged.warnings] == ["R7:"]


def test_a_touch_goes_to_the_person_the_plan_named(deps: Deps) -> None:
    app_id = interviewed(deps)
    logged = touches.log_touch(
        deps, app_id, touches.TouchInput(Outcome.SENT, purpose=Purpose.THANK_YOU)
    )
    assert logged.touch.contact == "ana-sousa"
    assert logged.touch.channel.value == "email"


def test_r15_a_rejection_closes_the_application(deps: Deps) -> None:
    app_id = interviewed(deps)
    logged = touches.log_touch(
        deps,
        app_id,
        touches.TouchInput(Outcome.REACHED, decision=Decision.REJECTED, at=at("2026-03-09")),
        at("2026-03-09"),
    )
    assert logged.application.status is Status.REJECTED
    assert [a.kind for a in logged.actions] == [ActionKind.THANK_YOU_EMAIL]  # R5


def test_r14_a_decision_date_means_undecided(deps: Deps) -> None:
    app_id = interviewed(deps)
    logged = touches.log_touch(
        deps, app_id, touches.TouchInput(Outcome.REACHED, decision_by=d("2026-03-20"))
    )
    assert logged.touch.decision is Decision.UNDECIDED


def test_r16_vacancies_become_applications(deps: Deps) -> None:
    app_id = interviewed(deps)
    logged = touches.log_touch(
        deps,
        app_id,
        touches.TouchInput(Outcome.REACHED, vacancies="Data engineer, Porto; SRE\nQA lead"),
    )
    assert logged.vacancies == ["Data engineer, Porto", "SRE", "QA lead"]
    created = touches.add_vacancies(deps, app_id, logged.vacancies[:2])
    assert [(a.company, a.position) for a in created] == [
        ("Acme", "Data engineer, Porto"),
        ("Acme", "SRE"),
    ]
    assert created[0].source is not None
    assert app_id in created[0].source


def test_done_records_the_matching_touch(deps: Deps) -> None:
    app_id = interviewed(deps)
    thank_you = f"thank_you_email:{app_id}:iv1:ana-sousa"
    done = completion.complete(deps, thank_you, now=datetime(2026, 3, 4, 9, tzinfo=UTC))
    assert done.logged is not None
    assert (done.logged.touch.purpose, done.logged.touch.outcome) == (
        Purpose.THANK_YOU,
        Outcome.SENT,
    )
    assert thank_you not in [a.id for a in done.actions]
    with pytest.raises(NotFound):
        completion.complete(deps, thank_you, now=datetime(2026, 3, 4, 10, tzinfo=UTC))


def test_done_on_a_call_needs_its_outcome_then_plans_the_next_a_week_later(deps: Deps) -> None:
    app_id = interviewed(deps)
    later = datetime(2026, 3, 9, 10, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="how the call went"):
        completion.complete(deps, f"status:{app_id}", now=later)
    done = completion.complete(deps, f"status:{app_id}", outcome=Outcome.NO_ANSWER, now=later)
    (status,) = [a for a in done.actions if a.id == f"status:{app_id}"]
    assert status.due == d("2026-03-16")


def test_give_up_sets_no_response(deps: Deps) -> None:
    app_id = interviewed(deps)
    for day in ("2026-03-09", "2026-03-16", "2026-03-23"):
        touches.log_touch(deps, app_id, touches.TouchInput(Outcome.NO_ANSWER, at=at(day)), at(day))
    done = completion.complete(deps, f"status:{app_id}", now=datetime(2026, 3, 30, 9, tzinfo=UTC))
    assert done.application.status is Status.NO_RESPONSE


def test_find_contact_and_apply_more_are_done_elsewhere(deps: Deps) -> None:
    app_id = interviewed(deps)
    interviews.debrief(deps, app_id, None, interviews.Debrief(direct_contact_ok=False))
    with pytest.raises(Refused, match="record the contact") as caught:
        completion.complete(deps, f"status:{app_id}", now=datetime(2026, 3, 9, 9, tzinfo=UTC))
    assert (caught.value.remedy, caught.value.subject) == (Remedy.ADD_CONTACT, app_id)
    with pytest.raises(Refused, match="by applying") as caught:
        completion.complete(deps, "apply_more:2026-03-02")
    assert caught.value.remedy is Remedy.ADD_APPLICATION


def test_status_actions_cannot_be_dismissed_others_stay_dismissed(deps: Deps) -> None:
    app_id = interviewed(deps)
    later = datetime(2026, 3, 10, tzinfo=UTC)
    with pytest.raises(Refused, match="cannot be dismissed") as caught:
        completion.dismiss(deps, f"status:{app_id}", now=later)
    assert (caught.value.remedy, caught.value.subject) == (Remedy.SNOOZE_INSTEAD, app_id)
    saved = completion.dismiss(deps, f"thank_you_email:{app_id}:iv1:ana-sousa", now=later)
    assert [a.kind for a in saved.actions] == [ActionKind.STATUS_CALL]
    touches.log_touch(deps, app_id, touches.TouchInput(Outcome.NO_ANSWER, at=later), later)
    with deps.store.reading() as repo:
        assert f"thank_you_email:{app_id}:iv1:ana-sousa" not in [
            a.id for a in repo.due(later, d("2027-01-01"))
        ]


def test_import_merges_and_is_idempotent(deps: Deps) -> None:
    doc = {
        "format": "followup/1",
        "settings": {"timezone": "Europe/Lisbon", "policy": {"first_follow_up_days": 5}},
        "applications": [
            {
                "id": "acme",
                "company": "Acme",
                "position": "Dev",
                "contacts": [
                    {"id": "ana", "name": "Ana", "role": "interviewer", "email": "ana@acme.example"}
                ],
                "touches": [
                    {
                        "at": "2026-03-01T10:00:00+00:00",
                        "channel": "email",
                        "purpose": "status",
                        "outcome": "sent",
                    }
                ],
            }
        ],
    }
    first = interchange.import_data(deps, doc)
    assert (first.created, first.updated, first.settings_changed) == (1, 0, True)
    again = interchange.import_data(deps, doc)
    assert (again.created, again.updated, again.unchanged, again.settings_changed) == (
        0,
        0,
        1,
        False,
    )
    with deps.store.reading() as repo:
        app = repo.get("acme")
        assert app is not None
        assert len(app.touches) == 1
        assert repo.load_settings().policy.first_follow_up_days == 5


def test_import_keeps_what_only_the_database_has(deps: Deps) -> None:
    app_id = interviewed(deps)
    touches.log_touch(deps, app_id, touches.TouchInput(Outcome.SENT, purpose=Purpose.THANK_YOU))
    doc = {
        "format": "followup/1",
        "applications": [{"id": app_id, "company": "Acme", "position": "Dev"}],
    }
    result = interchange.import_data(deps, doc)
    assert result.updated == 1
    with deps.store.reading() as repo:
        app = repo.get(app_id)
        assert app is not None
        assert (app.position, len(app.contacts), len(app.touches)) == ("Dev", 1, 1)


def test_a_refused_import_writes_nothing(deps: Deps) -> None:
    interviewed(deps)
    before = store(deps).commits
    bad = {
        "format": "followup/1",
        "applications": [{"id": "x", "company": "A", "position": "B", "status": "dead"}],
    }
    with pytest.raises(InvalidFile, match=r"applications\[0\]\.status"):
        interchange.import_data(deps, bad)
    assert store(deps).commits == before


def test_settings_changes_replan_everything(deps: Deps) -> None:
    app_id = interviewed(deps)
    settings.set_value(deps, "first_follow_up_days", "3")
    with deps.store.reading() as repo:
        assert repo.find_planned(f"status:{app_id}", NOW) is not None
        (status,) = [
            p.action for p in repo.planned(app_id) if p.action.kind is ActionKind.STATUS_CALL
        ]
    assert status.due == d("2026-03-05")
    with pytest.raises(InvalidInput):
        settings.set_value(deps, "first_follow_up_days", "0")
    with pytest.raises(InvalidInput):
        settings.set_value(deps, "timezone", "Mars/Olympus")
    with pytest.raises(InvalidInput, match="unknown setting"):
        settings.set_value(deps, "colour", "blue")


def test_a_new_store_takes_the_default_time_zone() -> None:
    deps = fake_deps(NOW)
    with deps.store.reading() as repo:
        assert repo.load_settings() == Settings(timezone="UTC")
    assert isinstance(deps.clock, FakeClock)


def test_dates_out_of_range_are_refused_before_anything_is_written(deps: Deps) -> None:
    app_id = interviewed(deps)
    before = store(deps).commits
    far = date(9999, 12, 31)
    with pytest.raises(InvalidInput, match="out of range"):
        applications.snooze(deps, app_id, far)
    with pytest.raises(InvalidInput, match="out of range"):
        interviews.debrief(deps, app_id, None, interviews.Debrief(answer_by=far))
    with pytest.raises(InvalidInput, match="out of range"):
        touches.log_touch(deps, app_id, touches.TouchInput(Outcome.REACHED, decision_by=far))
    with pytest.raises(InvalidInput, match="out of range"):
        applications.add_application(deps, "Acme", "Dev", applied_on=date(1066, 10, 14))
    assert store(deps).commits == before
