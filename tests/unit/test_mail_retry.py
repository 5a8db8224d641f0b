"""The worker's retries of mail jobs (issue 15, item 6): a refusal for now is tried again
(procrastinate's schedule), a refusal for good never (RFC 5321's 5xx, a refused login)."""

from __future__ import annotations

import procrastinate

from followup.entrypoints.worker import MAIL_RETRY
from followup.errors import DatabaseBusy, NotSent, Refused, Rejected


def job(attempts: int) -> procrastinate.jobs.Job:
    return procrastinate.jobs.Job(
        queue="mail", lock=None, queueing_lock=None, task_name="followup.digest", attempts=attempts
    )


def test_a_refusal_for_now_is_tried_again_with_a_growing_wait() -> None:
    waits = []
    for attempts in range(4):
        decision = MAIL_RETRY.get_retry_decision(exception=NotSent("451"), job=job(attempts))
        assert decision is not None
        assert decision.retry_at is not None
        waits.append(decision.retry_at)
    assert waits == sorted(waits)  # 1, 2, 4, 8 minutes later: each after the one before
    assert MAIL_RETRY.get_retry_decision(exception=NotSent("451"), job=job(5)) is None


def test_a_busy_database_is_tried_again() -> None:
    assert MAIL_RETRY.get_retry_decision(exception=DatabaseBusy("x"), job=job(0)) is not None


def test_a_refusal_for_good_and_other_errors_are_not() -> None:
    for error in (Rejected("550 no such user"), Refused("x"), ValueError("x")):
        assert MAIL_RETRY.get_retry_decision(exception=error, job=job(0)) is None
