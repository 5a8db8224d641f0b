"""Synthetic job searches for the benchmark: realistic shapes, any size, deterministic.

Two shapes (:data:`SHAPES`):

- ``history``: most applications are history (closed, thank-yous sent, debriefs
  complete), as in a long search or a career centre's database; the newest few dozen
  are in progress. The number of actions due does not grow with the size, so a read
  that is truly indexed answers in the same time whatever the number of applications.
- ``backlog``: 80% of the applications are active and behind (issue 12): a thank-you
  or a debrief left undone here and there, status follow-ups overdue, about 1.5
  actions due per application. What a bounded list must cope with: the rows due grow
  with the size, and only a page of them can be shown.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from followup.domain.model import (
    Application,
    Channel,
    Contact,
    ContactWindow,
    Decision,
    Interview,
    Outcome,
    Purpose,
    Role,
    Status,
    Touch,
)

NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)
IN_PROGRESS = 40
#: The shapes :func:`applications` makes; ``backlog`` keeps one application in five closed.
SHAPES = ("history", "backlog")
CLOSED = [Status.REJECTED, Status.REJECTED, Status.NO_RESPONSE, Status.WITHDRAWN, Status.OFFER]


def applications(n: int, seed: int = 7, shape: str = "history") -> Iterator[Application]:
    """``n`` applications of ``shape`` (:data:`SHAPES`), oldest first.

    ``history``: the last ``IN_PROGRESS`` are active. ``backlog``: all but every fifth
    (``is_active``), applied for over the last five months.
    """
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}: one of {', '.join(SHAPES)}")
    rnd = random.Random(seed)
    companies = max(1, n // 5)
    span = max(60, min(3 * 365, n // 3))
    for i in range(n):
        # Companies in contiguous runs (about five applications each), so a bulk load can
        # plan one chunk of companies at a time.
        company = i * companies // n
        if shape == "backlog":
            active = is_active(n, i, shape)
            age = rnd.randint(10, 150) if active else rnd.randint(45, span)
            applied = NOW.date() - timedelta(days=age)
            yield (_behind if active else _application)(rnd, i, company, applied, False)
            continue
        recent = is_active(n, i, shape)
        age = rnd.randint(1, 40) if recent else rnd.randint(45, span)
        yield _application(rnd, i, company, NOW.date() - timedelta(days=age), recent)


def is_active(n: int, i: int, shape: str) -> bool:
    """Whether application ``i`` of ``n`` is made active (what the tests count)."""
    return i % 5 != 0 if shape == "backlog" else i >= n - IN_PROGRESS


def _behind(rnd: random.Random, i: int, company: int, applied: date, _: bool) -> Application:
    """An active application whose candidate is behind: its actions mostly overdue."""
    base = _application(rnd, i, company, applied, True)
    phone = base.contacts[0].phone
    interviewer = Contact(
        "int", f"Interviewer {i}", Role.INTERVIEWER, f"int{i}@c{company}.example", phone,
        rnd.random() < 0.6,  # else unconfirmed spelling: a debrief stays due (R2)
    )  # fmt: skip
    interviews: list[Interview] = []
    touches: list[Touch] = []
    day = applied
    for k in range(rnd.choice((0, 1, 1, 2))):
        day = min(day + timedelta(days=rnd.randint(3, 12)), NOW.date() - timedelta(days=1))
        at = datetime.combine(day, time(rnd.randint(9, 17)), UTC)
        window = ContactWindow(frozenset({1, 3}), time(10), time(12))
        interviews.append(Interview(f"iv{k + 1}", at, ("int",), True, True, window))
        if rnd.random() < 0.4:  # the other thank-yous are still to send (R4)
            touches.append(Touch(f"t{len(touches) + 1}", at + timedelta(days=1), Channel.EMAIL,
                                 Purpose.THANK_YOU, Outcome.SENT, "int"))  # fmt: skip
    return Application(
        id=base.id,
        company=base.company,
        position=base.position,
        status=Status.ACTIVE,
        applied_on=applied,
        recorded_on=applied,
        contacts=(interviewer, base.contacts[1]),
        interviews=tuple(interviews),
        touches=_past(touches),
        notes=f"Applied through the careers page; referral asked of a friend at company {company}.",
    )


def _past(touches: list[Touch]) -> tuple[Touch, ...]:
    """The touches made by the benchmark's day: one dated later (a thank-you after an
    interview to come, a rejection 20 days on) is refused by an import, as a user's is."""
    return tuple(t for t in touches if t.at <= NOW)


def _application(
    rnd: random.Random, i: int, company: int, applied: date, recent: bool
) -> Application:
    phone = f"+351 91{rnd.randrange(10)} {rnd.randrange(1000):03d} {rnd.randrange(1000):03d}"
    ana = Contact(
        "int", f"Interviewer {i}", Role.INTERVIEWER, f"int{i}@c{company}.example",
        phone if rnd.random() < 0.7 else None, True,
    )  # fmt: skip
    hr = Contact("hr", f"Recruiter {company}", Role.HR, f"jobs@c{company}.example", None, True)
    interviews: list[Interview] = []
    touches: list[Touch] = []
    day = applied
    for k in range(rnd.choice((0, 1, 1, 1, 2))):
        day = day + timedelta(days=rnd.randint(5, 15))
        at = datetime.combine(day, time(rnd.randint(9, 17)), UTC)
        if at > NOW:
            at = NOW + timedelta(days=rnd.randint(1, 10))
        answer_by = day + timedelta(days=10) if rnd.random() < 0.5 else None
        window = ContactWindow(frozenset({1, 3}), time(10), time(12))
        interviews.append(Interview(f"iv{k + 1}", at, ("int",), True, True, window, answer_by))
        if at < NOW - timedelta(days=3) or not recent:
            touches.append(Touch(f"t{len(touches) + 1}", at + timedelta(days=2), Channel.EMAIL,
                                 Purpose.THANK_YOU, Outcome.SENT, "int"))  # fmt: skip
        for a in range(rnd.randint(0, 2)):
            when = at + timedelta(days=8 + 7 * a)
            if when < NOW:
                touches.append(Touch(f"t{len(touches) + 1}", when, Channel.PHONE, Purpose.STATUS,
                                     rnd.choice((Outcome.NO_ANSWER, Outcome.REACHED)), "int"))  # fmt: skip
    status = Status.ACTIVE
    if not recent:
        status = rnd.choice(CLOSED)
        if status is Status.REJECTED:
            when = datetime.combine(day + timedelta(days=20), time(12), UTC)
            touches.append(Touch(f"t{len(touches) + 1}", when, Channel.EMAIL, Purpose.STATUS,
                                 Outcome.REPLIED, "hr", Decision.REJECTED))  # fmt: skip
    return Application(
        id=f"app{i:07d}",
        company=f"Company {company}",
        position=rnd.choice(("Backend Engineer", "Data Analyst", "QA Engineer", "Designer")),
        status=status,
        applied_on=applied,
        recorded_on=applied,
        contacts=(ana, hr),
        interviews=tuple(interviews),
        touches=_past(touches),
    )
