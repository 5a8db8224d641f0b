"""The spreadsheet import's use case on the fakes: matching, filling, the dry run (issue 13)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from followup.domain.model import Status
from followup.formats.sheets.rows import Options
from followup.formats.stream import Opener
from followup.services import applications, sheets
from followup.services.session import Deps
from tests.fakes import FakeStore, fake_deps

NOW = datetime(2026, 3, 9, 10, tzinfo=UTC)
CSV = Options("csv", {}, {})


def opener(text: str) -> Opener:
    return lambda: io.BytesIO(text.encode())


def stored(deps: Deps) -> dict[str, tuple[str, str, Status, date | None, str | None]]:
    with deps.store.reading() as repo:
        return {
            a.id: (a.company, a.position, a.status, a.applied_on, a.link)
            for a in repo.applications()
        }


def test_a_link_finds_the_application_even_under_another_position() -> None:
    deps = fake_deps(NOW)
    applications.add_application(
        deps, "Acme", "Backend Dev", link="https://acme.example/1", now=NOW
    )
    done = sheets.import_sheet(
        deps,
        opener(
            "Company,Position,Link,Date applied\nACME,Backend Engineer,https://acme.example/1,2026-03-01\n"
        ),
        CSV,
        now=NOW,
    )
    assert (done.counts.created, done.counts.completed) == (0, 1)
    assert stored(deps) == {
        "acme-backend-dev": ("Acme", "Backend Dev", Status.ACTIVE, date(2026, 3, 1),
                             "https://acme.example/1"),
    }  # fmt: skip


def test_the_same_position_applied_on_the_row_day_is_preferred() -> None:
    deps = fake_deps(NOW)
    applications.add_application(deps, "Acme", "Dev", applied_on=date(2025, 1, 5), now=NOW)
    applications.add_application(
        deps, "Acme", "Dev", applied_on=date(2026, 2, 5), duplicate_ok=True, now=NOW
    )
    done = sheets.import_sheet(
        deps, opener("Company,Position,Date applied,Notes\nAcme,dev,2026-02-05,x\n"), CSV, now=NOW
    )
    assert done.counts.completed == 1
    with deps.store.reading() as repo:
        notes = {a.id: a.notes for a in repo.applications()}
    assert notes == {"acme-dev": None, "acme-dev-2": "x"}


def test_new_ids_are_free_within_a_batch_and_in_the_store() -> None:
    deps = fake_deps(NOW)
    applications.add_application(deps, "Acme", "Dev", now=NOW)
    sheets.import_sheet(
        deps,
        opener("Company,Position,Link\nAcme,Dev,https://a.example/1\nAcme,Dev,https://a.example/2\n"
               "Acme!,Dev,https://a.example/3\n"),
        CSV,
        now=NOW,
    )  # fmt: skip
    # the first row completes the application added by hand; the second is another
    # posting (another address) and "Acme!" another company: new, with ids of their own
    assert {i: a[4] for i, a in stored(deps).items()} == {
        "acme-dev": "https://a.example/1",
        "acme-dev-2": "https://a.example/2",
        "acme-dev-3": "https://a.example/3",
    }


def test_the_dry_run_rolls_back_on_any_store() -> None:
    deps = fake_deps(NOW)
    assert isinstance(deps.store, FakeStore)
    commits = deps.store.commits
    found = sheets.preview(deps, opener("Company,Position\nAcme,Dev\nGlobex,Dev\n"), CSV, now=NOW)
    assert found.ok
    assert found.counts.created == 2
    assert [r.company for r in found.first] == ["Acme", "Globex"]
    assert deps.store.commits == commits
    assert stored(deps) == {}
