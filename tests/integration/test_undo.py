"""Undo restores the records exactly: any changes, then as many undos, give back every export.

Against a real SQLite file: each change is one history entry; undoing them one by one,
newest first, must give back, after each undo, the full export as it was before that
change (issue 8, "Undo"), and the stored plan must stay equal to a fresh one.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup import bootstrap
from followup.domain.model import Decision, Outcome, Purpose, Role, Status
from followup.domain.settings import Settings
from followup.errors import FollowupError, Refused
from followup.formats import interchange as fmt
from followup.services import (
    applications,
    contacts,
    corrections,
    doctor,
    history,
    interchange,
    interviews,
    touches,
)
from followup.services import settings as settings_service
from followup.services.corrections import KEEP
from followup.services.interchange import import_data
from followup.services.session import Deps
from tests.strategies import BASE, job_searches

picks = st.integers(0, 7)
operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("add"), st.sampled_from(["Acme", "Globex", "acme "]), st.text("ab", max_size=2)
        ),
        st.tuples(
            st.just("edit"), picks, st.sampled_from(["Acme", "Initech", None]), st.text(max_size=5)
        ),
        st.tuples(st.just("delete"), picks),
        st.tuples(st.just("status"), picks, st.sampled_from(list(Status))),
        st.tuples(st.just("contact"), picks, st.sampled_from(["Ana", "Rui"])),
        st.tuples(st.just("delete_contact"), picks),
        st.tuples(st.just("interview"), picks, st.integers(-10, 10)),
        st.tuples(st.just("reschedule"), picks, st.integers(-10, 10)),
        st.tuples(st.just("cancel"), picks),
        st.tuples(st.just("delete_interview"), picks),
        st.tuples(st.just("log"), picks, st.sampled_from(list(Outcome)), st.booleans()),
        st.tuples(st.just("edit_touch"), picks, st.sampled_from([*Decision, None])),
        st.tuples(st.just("delete_touch"), picks),
        st.tuples(st.just("setting"), st.integers(1, 9)),
        st.tuples(st.just("snooze"), picks, st.integers(0, 20)),  # a past day is refused
    ),
    min_size=1,
    max_size=8,
)


def _pick(deps: Deps, n: int) -> Any:
    with deps.store.reading() as repo:
        apps = sorted(repo.applications(), key=lambda a: a.id)
    return apps[n % len(apps)] if apps else None


def apply(deps: Deps, op: tuple[Any, ...], now: datetime) -> None:
    app = _pick(deps, op[1]) if isinstance(op[1], int) and op[0] != "setting" else None
    kind = op[0]
    if kind == "add":
        applications.add_application(deps, op[1], f"Dev {op[2]}", duplicate_ok=True, now=now)
    elif kind == "setting":
        settings_service.set_value(deps, "first_follow_up_days", str(op[1]), now=now)
    elif app is None:
        return
    elif kind == "edit":
        edit = corrections.ApplicationEdit(
            company=op[2] if op[2] is not None else KEEP, notes=op[3] or None
        )
        corrections.edit_application(deps, app.id, edit, now=now)
    elif kind == "delete":
        corrections.delete_application(deps, app.id, now=now)
    elif kind == "status":
        applications.set_status(deps, app.id, op[2], now=now)
    elif kind == "snooze":
        applications.snooze(deps, app.id, now.date() + timedelta(days=op[2]), now=now)
    elif kind == "contact":
        contacts.add_contact(
            deps, app.id, contacts.ContactInput(op[2], Role.HR, email="hr@x.example"), now=now
        )
    elif kind == "delete_contact" and app.contacts:
        corrections.delete_contact(deps, app.id, app.contacts[-1].id, now=now)
    elif kind == "interview":
        interviews.record_interview(
            deps, app.id, interviews.InterviewInput(at=now + timedelta(days=op[2])), now=now
        )
    elif kind in ("reschedule", "cancel", "delete_interview") and app.interviews:
        iv = app.interviews[-1].id
        if kind == "reschedule":
            moved = corrections.InterviewEdit(at=now + timedelta(days=op[2], hours=1))
            corrections.edit_interview(deps, app.id, iv, moved, now=now)
        elif kind == "cancel":
            corrections.edit_interview(
                deps, app.id, iv, corrections.InterviewEdit(cancelled=True), now=now
            )
        else:
            corrections.delete_interview(deps, app.id, iv, now=now)
    elif kind == "log":
        purpose = Purpose.THANK_YOU if op[3] else Purpose.STATUS
        touches.log_touch(deps, app.id, touches.TouchInput(op[2], purpose=purpose, at=now), now=now)
    elif kind == "edit_touch" and app.touches:
        decided = corrections.TouchEdit(decision=op[2])
        corrections.edit_touch(deps, app.id, app.touches[-1].id, decided, now=now)
    elif kind == "delete_touch" and app.touches:
        corrections.delete_touch(deps, app.id, app.touches[-1].id, now=now)


def _newest(deps: Deps) -> int | None:
    newest = history.entries(deps, 1)
    return newest[0].id if newest else None


def export(deps: Deps) -> str:
    return json.dumps(interchange.export_data(deps), sort_keys=True)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(apps=job_searches(max_size=4), ops=operations)
def test_any_changes_then_as_many_undos_restore_every_export(
    tmp_path_factory: pytest.TempPathFactory, apps: list[Any], ops: list[Any]
) -> None:
    deps = bootstrap.build(str(tmp_path_factory.mktemp("undo") / "u.db"), BASE)
    empty = export(bootstrap.build(str(tmp_path_factory.mktemp("e") / "e.db"), BASE))
    # Imported as of a day after every date the drawn searches hold (an import refuses a
    # touch or an applied date in the future); the changes after it happen from BASE on.
    document = json.loads(json.dumps(fmt.write(Settings("Europe/Lisbon", "PT"), apps)))
    import_data(deps, document, now=datetime(2100, 1, 1, tzinfo=UTC))
    # The export before each change that wrote a history entry (the import is one).
    before = [empty]
    for i, op in enumerate(ops):
        now = BASE + timedelta(days=i, hours=9)
        written = _newest(deps)
        current = export(deps)
        try:
            apply(deps, op, now)
        except FollowupError:
            assert export(deps) == current  # refused: nothing written
            continue
        if _newest(deps) != written:
            before.append(current)
        else:
            assert export(deps) == current  # no entry: nothing changed
    for i, expected in enumerate(reversed(before)):
        history.undo(deps, now=BASE + timedelta(days=30, minutes=i))
        assert export(deps) == expected
    with pytest.raises(Refused, match="nothing to undo"):
        history.undo(deps)
    assert doctor.check(deps).ok


def test_an_import_of_several_batches_is_one_change_and_undone_whole(tmp_path: Path) -> None:
    """The import re-plans and lets go of each batch as it goes (bounded memory): the plan
    must still be exact, and the history one entry that an undo reverts whole."""
    deps = bootstrap.build(str(tmp_path / "big.db"), BASE)
    empty = export(deps)
    apps = [
        {"id": f"a{i}", "company": f"Company {i % 700}", "position": f"Dev {i}"}
        for i in range(2 * interchange.BATCH + 500)
    ]
    settings_ = {"timezone": "Europe/Lisbon", "policy": {"first_follow_up_days": 5}}
    document = {"format": "followup/1", "settings": settings_, "applications": apps}
    result = import_data(deps, document)
    assert (result.created, result.settings_changed) == (len(apps), True)
    assert doctor.check(deps).ok
    (entry,) = history.entries(deps, 5)
    assert len(entry.revisions) == len(apps) + 1  # the settings, and each application
    history.undo(deps)
    assert export(deps) == empty
