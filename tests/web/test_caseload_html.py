"""Issue 15: the caseload's rows written by ``web.caseload_html`` are byte for byte what
the caseload template's loop wrote (kept here as ``caseload_reference.html``), for rows of
every shape: nothing overdue, overdue up to and past the count's cap, actions of every
kind with and without a company or a contact, no activity yet, no follow-up compared,
none late, more late than are listed, and texts that need escaping."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
import pytest

from followup.domain.coaching import (
    CaseloadRow,
    Lateness,
    Overdue,
    OverdueAction,
    Seeker,
    late_among,
)
from followup.domain.insights import Timing
from followup.domain.model import ActionKind
from followup.entrypoints.web import rendering
from followup.entrypoints.web.caseload_html import caseload_rows

HERE = Path(__file__).parent
ODD = "<b>&'\"x"
TODAY = date(2026, 11, 25)


def reference(rows: list[CaseloadRow], count_cap: int) -> str:
    """The loop as it was, in the app's own environment (its filters and settings)."""
    env = rendering.templates.env.overlay(loader=jinja2.FileSystemLoader(HERE))
    template: Any = env.get_template("caseload_reference.html")
    return str(template.render(rows=rows, count_cap=count_cap))


def action(n: int, kind: ActionKind, company: str | None, name: str | None) -> OverdueAction:
    return OverdueAction(f"{kind.value}:app{n}", kind, TODAY - timedelta(days=n + 1), company, name)


def timing(n: int, late_by: int) -> Timing:
    done = TODAY - timedelta(days=n)
    return Timing(f"app{n}" if n % 2 else f"app{n}{ODD}", f"t{n}", done, done - timedelta(late_by))


def row(
    n: int,
    count: int,
    first: tuple[OverdueAction, ...] = (),
    last: datetime | None = None,
    lateness: Lateness | None = None,
    email: str | None = None,
) -> CaseloadRow:
    since = TODAY - timedelta(days=30)
    return CaseloadRow(
        Seeker(n, email or f"seeker{n}@example.org", "Europe/Lisbon", 3),
        Overdue(n, TODAY, count, first, last),
        lateness or Lateness(since, 0, ()),
    )


KINDS = list(ActionKind)
ROWS = [
    row(1, 0),
    row(2, 0, last=datetime(2026, 11, 24, 9, 5, tzinfo=UTC)),
    row(
        3,
        2,
        (action(0, KINDS[0], "Acme", "Ana Sousa"), action(1, KINDS[1], None, None)),
        datetime(2026, 11, 1, 23, 59, tzinfo=UTC),
        late_among(TODAY - timedelta(days=30), 4, []),
        email=f"odd{ODD}@example.org",
    ),
    row(
        4,
        999,
        tuple(
            action(n, k, f"Co {ODD}" if n % 2 else "Globex", ODD if n % 3 else None)
            for n, k in enumerate(KINDS[2:5])
        ),
        lateness=late_among(
            TODAY - timedelta(days=30), 7, [timing(n, n % 4 + 1) for n in range(5)]
        ),
    ),
    row(5, 1000, (action(9, KINDS[-1], "Initech", "Bo"),)),
    row(6, 10_000, tuple(action(n, k, "Umbrella", None) for n, k in enumerate(KINDS[5:8]))),
    row(
        7,
        3,
        (action(8, KINDS[8], "Hooli", "Cy"),),
        lateness=late_among(TODAY - timedelta(days=30), 1, [timing(3, 12)]),
    ),
]


@pytest.mark.parametrize("count_cap", [1_000, 10_000])
def test_the_rows_are_the_templates_byte_for_byte(count_cap: int) -> None:
    expected = reference(ROWS, count_cap)
    assert str(caseload_rows(ROWS, count_cap)) == expected
    for one in ROWS:  # and each alone
        assert str(caseload_rows([one], count_cap)) == reference([one], count_cap)
    assert caseload_rows([], count_cap) == ""
    assert ODD not in expected  # every odd text was escaped
    assert "&lt;b&gt;&amp;&#39;&#34;x" in expected
    assert expected.count(" or more") == (2 if count_cap == 1_000 else 1)


def test_every_kind_of_action_is_shown_somewhere() -> None:
    shown = {a.kind for r in ROWS for a in r.overdue.first}
    assert shown == set(ActionKind)
