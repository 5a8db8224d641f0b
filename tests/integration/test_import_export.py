"""The interchange file through a real database: round trip, idempotence, refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from followup import bootstrap
from followup.domain.model import Application
from followup.domain.settings import Settings
from followup.errors import InvalidFile
from followup.formats import interchange as fmt
from followup.services.interchange import export_data, import_data
from followup.services.session import Deps
from tests.strategies import job_searches, policies

SAMPLE: dict[str, Any] = {
    "format": "followup/1",
    "settings": {"timezone": "Europe/Lisbon", "country": "PT", "policy": {"first_follow_up_days": 7}},
    "applications": [
        {
            "id": "acme-backend",
            "company": "Acme",
            "position": "Backend Engineer",
            "status": "active",
            "applied_on": "2026-03-01",
            "contacts": [
                {"id": "ana", "name": "Ana Sousa", "role": "interviewer", "email": "ana@acme.example",
                 "phone": "+351 912 345 678", "name_confirmed": True},
                {"id": "hr", "name": "Rui Lopes", "role": "hr", "email": "jobs@acme.example", "phone": None,
                 "name_confirmed": False},
            ],
            "interviews": [
                {"id": "iv1", "at": "2026-03-02T10:00:00+00:00", "interviewers": ["ana"],
                 "contacts_every_applicant": True, "direct_contact_ok": True,
                 "contact_window": {"days": ["tue", "thu"], "start": "10:00", "end": "12:00"},
                 "answer_by": "2026-03-12"}
            ],
            "touches": [
                {"at": "2026-03-04T09:12:00+00:00", "contact": "ana", "channel": "email",
                 "purpose": "thank_you", "outcome": "sent"},
                {"at": "2026-03-13T10:30:00+00:00", "contact": "ana", "channel": "phone",
                 "purpose": "status", "outcome": "reached",
                 "decision": "undecided", "decision_by": "2026-03-20", "vacancies": "Data engineer, Porto"},
            ],
            "snoozed_until": None,
            "dismissed": ["debrief:acme-backend:iv1"],
        }
    ],
}  # fmt: skip


@pytest.fixture
def deps(tmp_path: Path) -> Deps:
    return bootstrap.build(str(tmp_path / "f.db"))


def snapshot(deps: Deps) -> tuple[dict[str, Any], list[Any]]:
    """Everything a user could observe: the records and the stored plan."""
    with deps.store.reading() as repo:
        plans = sorted(
            (p.action.id, str(p.valid_from), str(p.valid_until), p.action.due)
            for app in repo.applications()
            for p in repo.planned(app.id)
        )
    return export_data(deps), plans


def test_the_format_md_example_imports(deps: Deps) -> None:
    result = import_data(deps, SAMPLE)
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    exported = export_data(deps)
    app = exported["applications"][0]
    assert app["touches"][1]["vacancies"] == "Data engineer, Porto"
    assert exported["settings"]["country"] == "PT"


def test_importing_twice_changes_nothing(deps: Deps) -> None:
    import_data(deps, SAMPLE)
    before = snapshot(deps)
    result = import_data(deps, SAMPLE)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert snapshot(deps) == before


def test_an_export_imports_into_a_new_database_identically(deps: Deps, tmp_path: Path) -> None:
    import_data(deps, SAMPLE)
    exported = export_data(deps)
    other = bootstrap.build(str(tmp_path / "other.db"))
    import_data(other, json.loads(json.dumps(exported)))
    assert export_data(other) == exported
    assert snapshot(other)[1] == snapshot(deps)[1]


def canonical(apps: list[Application], settings_: Settings) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        json.dumps(fmt.write(settings_, sorted(apps, key=lambda a: a.id)))
    )
    return document


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(apps=job_searches(max_size=4), policy=policies)
def test_round_trip(
    tmp_path_factory: pytest.TempPathFactory, apps: list[Application], policy: Any
) -> None:
    deps = bootstrap.build(str(tmp_path_factory.mktemp("rt") / "rt.db"))
    document = canonical(apps, Settings("Europe/Lisbon", "PT", policy, "Maria"))
    import_data(deps, document)
    assert export_data(deps) == document
    import_data(deps, document)
    assert export_data(deps) == document


BAD_FILES: list[tuple[str, Any, str]] = [
    ("not an object", [], "file: not an object"),
    ("wrong format", {"format": "other/2", "applications": []}, "format: unsupported format"),
    ("no applications", {"format": "followup/1"}, "applications: missing"),
    ("unknown field", {"format": "followup/1", "applications": [], "extra": 1}, "extra: unknown field"),
    ("bad zone", {"format": "followup/1", "settings": {"timezone": "Mars/Base"}, "applications": []},
     "settings.timezone: unknown time zone"),
    ("bad country", {"format": "followup/1", "settings": {"country": "XX"}, "applications": []},
     "settings.country: no holiday calendar"),
    ("bad policy", {"format": "followup/1", "settings": {"policy": {"first_follow_up_days": 0}},
                    "applications": []}, "settings.policy.first_follow_up_days: must be between 1 and 3650"),
    ("missing company", {"format": "followup/1", "applications": [{"id": "a", "position": "p"}]},
     "applications[0].company: missing"),
    ("bad id", {"format": "followup/1", "applications": [{"id": "a b", "company": "c", "position": "p"}]},
     "applications[0].id: 'a b' is not a valid id"),
    ("duplicate app", {"format": "followup/1", "applications": [{"id": "a", "company": "c", "position": "p"},
                                                                {"id": "a", "company": "c", "position": "p"}]},
     "applications[1].id: duplicate application id"),
    ("bad status", {"format": "followup/1", "applications": [{"id": "a", "company": "c", "position": "p",
                                                              "status": "ghosted"}]},
     "applications[0].status: 'ghosted' is not one of"),
    ("impossible date", {"format": "followup/1", "applications": [{"id": "a", "company": "c", "position": "p",
                                                                   "applied_on": "2026-02-30"}]},
     "applications[0].applied_on: not a date"),
    ("far date", {"format": "followup/1", "applications": [{"id": "a", "company": "c", "position": "p",
        "interviews": [{"id": "i", "at": "2026-03-02T10:00:00Z", "answer_by": "9999-12-31"}]}]},
     "applications[0].interviews[0].answer_by: '9999-12-31' is out of range"),
    ("far moment", {"format": "followup/1", "applications": [{"id": "a", "company": "c", "position": "p",
        "touches": [{"at": "0001-01-01T00:00:00+05:00", "channel": "email", "purpose": "status",
                     "outcome": "sent"}]}]},
     "applications[0].touches[0].at: '0001-01-01T00:00:00+05:00' is out of range"),
    ("bad email", {"format": "followup/1", "applications": [{"id": "a", "company": "c", "position": "p",
        "contacts": [{"id": "x", "name": "X", "role": "hr", "email": "x@"}]}]},
     "applications[0].contacts[0].email: 'x@' is not a valid email"),
    ("bad phone", {"format": "followup/1", "applications": [{"id": "a", "company": "c", "position": "p",
        "contacts": [{"id": "x", "name": "X", "role": "hr", "phone": "12"}]}]},
     "applications[0].contacts[0].phone:"),
    ("naive time", {"format": "followup/1", "applications": [{"id": "a", "company": "c", "position": "p",
        "interviews": [{"id": "i", "at": "2026-03-02T10:00:00"}]}]},
     "applications[0].interviews[0].at: '2026-03-02T10:00:00' needs a UTC offset"),
    ("not a time", {"format": "followup/1", "applications": [{"id": "a", "company": "c", "position": "p",
        "interviews": [{"id": "i", "at": "soon"}]}]},
     "applications[0].interviews[0].at: not a date-time"),
    ("interviewer not a contact", {"format": "followup/1", "applications": [{"id": "a", "company": "c",
        "position": "p", "interviews": [{"id": "i", "at": "2026-03-02T10:00:00Z", "interviewers": ["ghost"]}]}]},
     "applications[0].interviews[0].interviewers[0]: interviewer 'ghost' is not a contact"),
    ("bad window", {"format": "followup/1", "applications": [{"id": "a", "company": "c", "position": "p",
        "interviews": [{"id": "i", "at": "2026-03-02T10:00:00Z",
                        "contact_window": {"days": ["tue"], "start": "12:00", "end": "10:00"}}]}]},
     "applications[0].interviews[0].contact_window.end: must be after start"),
    ("call sent", {"format": "followup/1", "applications": [{"id": "a", "company": "c", "position": "p",
        "touches": [{"at": "2026-03-02T10:00:00Z", "channel": "phone", "purpose": "status", "outcome": "sent"}]}]},
     "applications[0].touches[0].outcome: 'sent' is the outcome of an email"),
    ("touch contact", {"format": "followup/1", "applications": [{"id": "a", "company": "c", "position": "p",
        "touches": [{"at": "2026-03-02T10:00:00Z", "channel": "email", "purpose": "status", "outcome": "sent",
                     "contact": "ghost"}]}]},
     "applications[0].touches[0].contact: 'ghost' is not a contact"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "document", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_file_is_refused_whole_naming_the_place(
    deps: Deps, name: str, document: Any, message: str
) -> None:
    import_data(deps, SAMPLE)
    before = snapshot(deps)
    partly_valid = document
    if isinstance(document, dict) and document.get("applications"):
        partly_valid = {
            **document,
            "applications": [*SAMPLE["applications"], *document["applications"]],
        }
        message = message.replace("applications[0]", "applications[1]").replace(
            "applications[1].id: duplicate", "applications[2].id: duplicate"
        )
    with pytest.raises(InvalidFile) as error:
        import_data(deps, partly_valid)
    assert str(error.value).startswith(message), str(error.value)
    assert "\n" not in str(error.value)
    assert snapshot(deps) == before
