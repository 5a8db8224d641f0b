"""``plan --json`` written as a stream (issue 12) is the very text of one ``json.dumps``."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from followup.domain.model import Action, ActionKind, Channel
from followup.formats.plan import plan_json_chunks, public
from tests.builders import window

NOW = datetime(2026, 3, 9, 8, tzinfo=UTC)
TODAY = date(2026, 3, 9)


def actions(n: int) -> list[Action]:
    return [
        Action(
            id=f"status:app{i}",
            kind=ActionKind.STATUS_CALL,
            due=TODAY + timedelta(days=i % 5 - 2),
            rule="R11",
            reason=f'Call Zoë {i}: "quoted", 3 < 4 \u2014 and a tab\there.',
            application=f"app{i}",
            company="Ação",
            position="Engineer",
            contact="ana",
            channel=Channel.PHONE,
            window=window() if i % 2 else None,
            script=(f"Ask about {i}",) if i % 3 else (),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize(("n", "batch"), [(0, 500), (1, 500), (7, 3), (9, 3), (600, 500)])
def test_the_stream_is_the_document(n: int, batch: int) -> None:
    found = actions(n)
    document = {
        "now": NOW.isoformat(),
        "today": TODAY.isoformat(),
        "actions": [public(a, TODAY) for a in found],
    }
    chunks = list(plan_json_chunks(NOW, TODAY, iter(found), batch))
    assert "".join(chunks) == json.dumps(document, indent=2, ensure_ascii=False)
    assert len(chunks) == n // batch + 1  # written a batch at a time, never all at once
