"""The Applications page's lists: each line's next action, exact or re-planned (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from followup.domain.model import Role
from followup.services import applications, contacts, interviews, listing
from followup.services.session import reading
from tests.builders import at, d
from tests.fakes import fake_deps

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


def test_each_line_shows_the_first_action_of_its_application_as_read_now() -> None:
    deps = fake_deps(NOW)
    for n, day in enumerate(("2026-02-20", "2026-02-25", "2026-03-05")):
        app = applications.add_application(
            deps, f"Co {n}", "Engineer", applied_on=d("2026-02-10"), now=NOW
        )
        app_id = app.application.id
        contacts.add_contact(
            deps,
            app_id,
            contacts.ContactInput("Ana", Role.INTERVIEWER, "ana@x.example", None, True),
            now=NOW,
        )
        interviews.record_interview(
            deps,
            app_id,
            interviews.InterviewInput(at=at(day), interviewers=("ana",)),
            now=NOW,
        )
    # Read now, later (the stored plan), and earlier than the writes (re-planned: stale).
    for when in (NOW, NOW + timedelta(days=9), NOW - timedelta(days=20)):
        with reading(deps, when) as plan:
            ids = [a.id for a in plan.repo.applications()]
            first = {i: found[0] for i, found in plan.of_many(ids).items() if found}
            stale = plan.stale
        page = listing.search(deps, now=when)
        assert {r.id: r.next_action for r in page.rows if r.next_action} == first
        assert len(first) == 3
        columns = listing.board(deps, when)
        shown = {r.id: r.next_action for c in columns for r in c.newest if r.next_action}
        assert shown == first
    assert stale  # the last read re-planned the applications written after it
