"""Correcting records, on the in-memory fakes: the same checks as creating them (issue 8)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from followup.domain.model import ActionKind, Channel, Decision, Outcome, Role, Status
from followup.errors import Duplicate, InvalidInput, NotFound, Refused
from followup.services import (
    applications,
    companies,
    completion,
    contacts,
    corrections,
    history,
    interviews,
    touches,
)
from followup.services.corrections import KEEP
from followup.services.planning import PlanReader
from followup.services.session import Deps
from tests.builders import at, d
from tests.fakes import fake_deps

NOW = datetime(2026, 3, 9, 12, tzinfo=UTC)


@pytest.fixture
def deps() -> Deps:
    return fake_deps(NOW)


def interviewed(deps: Deps, company: str = "Acme", position: str = "Dev") -> str:
    app_id = applications.add_application(deps, company, position).application.id
    contacts.add_contact(
        deps, app_id, contacts.ContactInput("Ana Sousa", Role.INTERVIEWER, "ana@acme.example")
    )
    interviews.record_interview(
        deps, app_id, interviews.InterviewInput(at=at("2026-03-02"), interviewers=("ana-sousa",))
    )
    return app_id


def kinds(deps: Deps, app_id: str) -> set[ActionKind]:
    with deps.store.reading() as repo:
        return {a.kind for a in PlanReader(repo, deps.holidays, NOW).of(app_id)}


def test_editing_an_application_takes_the_checks_of_adding_one(deps: Deps) -> None:
    app_id = applications.add_application(deps, "Acem", "Dev").application.id
    edit = corrections.ApplicationEdit(company="Acme", posting="We are hiring.\r\nApply now.")
    saved = corrections.edit_application(deps, app_id, edit)
    assert saved.application.company == "Acme"
    assert saved.application.posting == "We are hiring.\nApply now."
    for bad, field in [
        (corrections.ApplicationEdit(company="  "), "company"),
        (corrections.ApplicationEdit(position="x" * 201), "position"),
        (corrections.ApplicationEdit(link="javascript:alert(1)"), "link"),
        (corrections.ApplicationEdit(company="Acme\u2028Evil"), "company"),
        (corrections.ApplicationEdit(applied_on=d("1850-01-01")), "applied_on"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            corrections.edit_application(deps, app_id, bad)
        assert refused.value.field == field
    cleared = corrections.edit_application(
        deps, app_id, corrections.ApplicationEdit(posting=None, notes=KEEP)
    )
    assert cleared.application.posting is None
    with pytest.raises(NotFound):
        corrections.edit_application(deps, "nope", corrections.ApplicationEdit(notes="x"))


def test_an_edit_into_a_duplicate_takes_the_check_of_add(deps: Deps) -> None:
    """The probe of session 9 (finding 12): `add` asks, and an edit to the same company and
    position as another application now does too; its own name is never a duplicate."""
    applications.add_application(deps, "Acme", "Dev")
    ops = applications.add_application(deps, "Acme", "Ops").application.id
    into = corrections.ApplicationEdit(company=" ACME", position="dev")
    with pytest.raises(Duplicate) as refused:
        corrections.edit_application(deps, ops, into)
    assert (refused.value.existing, refused.value.field) == ("acme-dev", "position")
    assert applications.get_application(deps, ops, NOW).application.position == "Ops"
    saved = corrections.edit_application(deps, ops, into, duplicate_ok=True)
    assert saved.application.position == "dev"
    # Kept on purpose: a later correction of anything else, or of its case, does not ask.
    corrections.edit_application(deps, ops, corrections.ApplicationEdit(position="Dev"))


def test_a_contact_named_as_another_of_its_application_is_a_duplicate(deps: Deps) -> None:
    app_id = interviewed(deps)
    again = contacts.ContactInput(" ana  SOUSA ", Role.HR)
    with pytest.raises(Duplicate) as refused:
        contacts.add_contact(deps, app_id, again)
    assert (refused.value.existing, refused.value.field) == ("ana-sousa", "name")
    rui, _ = contacts.add_contact(deps, app_id, contacts.ContactInput("Rui", Role.HR))
    with pytest.raises(Duplicate):
        contacts.edit_contact(deps, app_id, rui.id, contacts.ContactInput(name="Ana Sousa"))
    second, _ = contacts.add_contact(deps, app_id, again, duplicate_ok=True)
    assert second.id == "ana-sousa-2"
    # The same name at another application of the company is another record.
    other = applications.add_application(deps, "Acme", "Ops").application.id
    contacts.add_contact(deps, other, again)


def test_a_touch_corrected_into_r13s_week_warns_and_its_notes_do_not(deps: Deps) -> None:
    dev, ops = interviewed(deps), interviewed(deps, position="Ops")
    touches.log_touch(deps, dev, touches.TouchInput(Outcome.SENT, at=at("2026-03-05")))
    touches.log_touch(deps, ops, touches.TouchInput(Outcome.SENT, at=at("2026-02-20")))
    _, moved = corrections.edit_touch(deps, ops, "t1", corrections.TouchEdit(at=at("2026-03-06")))
    assert [w.split(";")[0] for w in moved.warnings] == [
        "R13: you already followed up with Acme on Thu 5 Mar 2026 (acme-dev)"
    ]
    _, noted = corrections.edit_touch(deps, ops, "t1", corrections.TouchEdit(notes="CV"))
    assert noted.warnings == ()
    _, alone = corrections.edit_touch(deps, dev, "t1", corrections.TouchEdit(at=at("2026-02-10")))
    assert alone.warnings == ()  # a week and more from the other: and never itself


def test_a_too_long_text_names_the_field_and_the_limit(deps: Deps) -> None:
    with pytest.raises(InvalidInput, match=r"company is 5,000 characters long \(at most 200\)"):
        applications.add_application(deps, "x" * 5000, "Dev")


def test_rescheduling_moves_the_plan_and_refuses_a_taken_time(deps: Deps) -> None:
    app_id = interviewed(deps)
    interviews.record_interview(deps, app_id, interviews.InterviewInput(at=at("2026-03-12")))
    with pytest.raises(Refused, match=r"already has interview iv1 at that time; .*reschedule"):
        interviews.record_interview(deps, app_id, interviews.InterviewInput(at=at("2026-03-02")))
    with pytest.raises(Refused, match="already has interview iv1"):
        corrections.edit_interview(
            deps, app_id, "iv2", corrections.InterviewEdit(at=at("2026-03-02"))
        )
    iv, _ = corrections.edit_interview(
        deps, app_id, "iv1", corrections.InterviewEdit(at=NOW + timedelta(days=2))
    )
    assert iv.at == NOW + timedelta(days=2)
    assert ActionKind.THANK_YOU_EMAIL not in kinds(deps, app_id)  # it has not happened yet
    assert ActionKind.PREPARE_INTERVIEW in kinds(deps, app_id)


def test_a_cancelled_interview_plans_nothing_and_stays_recorded(deps: Deps) -> None:
    app_id = interviewed(deps)
    assert ActionKind.THANK_YOU_EMAIL in kinds(deps, app_id)
    corrections.edit_interview(deps, app_id, "iv1", corrections.InterviewEdit(cancelled=True))
    # As if it never took place: no thank-you, debrief or status call; R18 looks for HR.
    assert kinds(deps, app_id) == {ActionKind.FIND_CONTACT}
    with deps.store.reading() as repo:
        app = repo.get(app_id)
    assert app is not None
    assert app.interviews[0].cancelled


def test_deleting_an_interview_takes_its_dismissals_with_it(deps: Deps) -> None:
    app_id = interviewed(deps)
    completion.dismiss(deps, "thank_you_email:acme-dev:iv1:ana-sousa")
    completion.dismiss(deps, "debrief:acme-dev:iv1")
    saved = corrections.delete_interview(deps, app_id, "iv1")
    assert saved.application.interviews == ()
    assert saved.application.dismissed == frozenset()


def test_a_touch_is_corrected_with_the_checks_of_logging_it(deps: Deps) -> None:
    app_id = interviewed(deps)
    logged = touches.log_touch(deps, app_id, touches.TouchInput(Outcome.NO_ANSWER))
    touch_id = logged.touch.id
    with pytest.raises(InvalidInput, match="outcome of an email"):
        corrections.edit_touch(deps, app_id, touch_id, corrections.TouchEdit(outcome=Outcome.SENT))
    edit = corrections.TouchEdit(
        outcome=Outcome.REACHED, decision=Decision.REJECTED, notes="They chose someone else."
    )
    touch, saved = corrections.edit_touch(deps, app_id, touch_id, edit)
    assert touch.outcome is Outcome.REACHED
    assert touch.channel is Channel.PHONE
    assert saved.application.status is Status.REJECTED  # R15, as when it is recorded
    with pytest.raises(NotFound, match="has no touch 't9'"):
        corrections.delete_touch(deps, app_id, "t9")
    assert corrections.delete_touch(deps, app_id, touch_id).application.touches == ()


def test_a_contact_in_use_cannot_be_deleted(deps: Deps) -> None:
    app_id = interviewed(deps)
    touches.log_touch(deps, app_id, touches.TouchInput(Outcome.SENT, contact="ana-sousa"))
    with pytest.raises(
        Refused, match=r"Ana Sousa \(ana-sousa\) is used by interview iv1, touch t1"
    ):
        corrections.delete_contact(deps, app_id, "ana-sousa")
    contacts.add_contact(deps, app_id, contacts.ContactInput("Rui", Role.HR))
    saved = corrections.delete_contact(deps, app_id, "rui")
    assert [c.id for c in saved.application.contacts] == ["ana-sousa"]


def test_a_contact_of_another_application_at_the_company_serves_this_one(deps: Deps) -> None:
    first = interviewed(deps)
    contacts.add_contact(
        deps, first, contacts.ContactInput("Rui Lopes", Role.HR, "rui@acme.example")
    )
    second = applications.add_application(deps, " ACME", "Data Engineer").application.id
    logged = touches.log_touch(deps, second, touches.TouchInput(Outcome.SENT, contact="rui-lopes"))
    assert logged.touch.contact == "rui-lopes"
    assert logged.application.contact("rui-lopes") is not None
    other = applications.add_application(deps, "Globex", "Dev").application.id
    with pytest.raises(NotFound, match="no contact 'rui-lopes'"):
        touches.log_touch(deps, other, touches.TouchInput(Outcome.SENT, contact="rui-lopes"))


def test_a_call_and_its_vacancies_are_one_write(deps: Deps) -> None:
    app_id = interviewed(deps)
    logged = touches.log_touch(
        deps,
        app_id,
        touches.TouchInput(
            Outcome.REACHED, vacancies="Data Engineer", new_applications=("Data Engineer",)
        ),
    )
    assert [a.position for a in logged.created] == ["Data Engineer"]
    entry = history.entries(deps, 1)[0]
    assert {r.key for r in entry.revisions} == {app_id, "acme-data-engineer"}


def test_a_company_is_seen_whole(deps: Deps) -> None:
    first = interviewed(deps)
    touches.log_touch(deps, first, touches.TouchInput(Outcome.NO_ANSWER, at=at("2026-03-09")))
    second = applications.add_application(deps, "acme ", "Data Engineer").application.id
    contacts.add_contact(
        deps, second, contacts.ContactInput("Rui Lopes", Role.HR, "rui@acme.example")
    )
    view = companies.company(deps, "ACME", NOW)
    assert view.key == "acme"
    assert {s.application.id for s in view.applications} == {first, second}
    assert sorted((app, c.id) for app, c in view.contacts) == [
        (second, "rui-lopes"),
        (first, "ana-sousa"),
    ]
    assert view.last_attempt == d("2026-03-09")
    assert view.next_possible == d("2026-03-16")  # R13: a week after the last attempt
    assert companies.company(deps, "acm", NOW).key == "acme"  # a unique part of the name
    assert companies.company(deps, first, NOW).key == "acme"  # or an application's id
    with pytest.raises(NotFound, match="no company 'Initech'"):
        companies.company(deps, "Initech", NOW)


def test_deleting_an_application_deletes_what_it_holds(deps: Deps) -> None:
    app_id = interviewed(deps)
    deleted = corrections.delete_application(deps, app_id)
    assert deleted.contacts
    with deps.store.reading() as repo:
        assert repo.get(app_id) is None
    with pytest.raises(NotFound):
        corrections.delete_application(deps, app_id)
