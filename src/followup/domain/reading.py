"""What a read of the stored plan computes itself, apart from the planner.

The stored segments keep R20's ``withdraw`` undated (:data:`UNDATED`): :func:`anchored`
dates it on the day the plan is read. R9's ``apply_more`` depends on counts kept beside
the plan and on the day, so it is computed when read (:func:`apply_more`). A read of
today's plan (``followup today``) needs only these, not the rules of
:mod:`followup.domain.planner`, which re-exports them (issue 12: start-up).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from followup.domain import words
from followup.domain.model import Action, ActionKind, Step, apply_more_action_id
from followup.domain.policy import Policy

#: The due date the stored segments give R20's ``withdraw``: it is due on the day it is read.
UNDATED = date.min


def anchored(action: Action, today: date) -> Action:
    """An action as read on ``today``: R20's ``withdraw`` is due on the day it is read."""
    if action.kind is ActionKind.WITHDRAW and action.due != today:
        return replace(action, due=today)
    return action


@dataclass(frozen=True, slots=True)
class Planned:
    """An action and the instants between which it applies (``None``: unbounded)."""

    action: Action
    valid_from: datetime | None
    valid_until: datetime | None

    def applies_at(self, now: datetime) -> bool:
        return (self.valid_from is None or self.valid_from <= now) and (
            self.valid_until is None or now < self.valid_until
        )


def apply_more(
    open_applications: int,
    last_added: date | None,
    policy: Policy,
    today: date,
    *,
    ended: bool = False,
) -> Action | None:
    """R9: keep applying while fewer than enough processes are open, or none is new; R20:
    not once an offer is accepted (``ended``)."""
    if ended:
        return None
    enough = policy.min_active_applications
    counted = f"{open_applications}" if open_applications < enough else f"{enough} or more"
    steps = (
        Step("R9", f"open applications: {counted} (at least {enough} wanted)"),
        Step("R9", "last new application", last_added),
    )
    if open_applications < policy.min_active_applications:
        reason = (
            f"You have {words.plural(open_applications, 'active application')}; keep at least "
            f"{policy.min_active_applications} going, however well one interview went."
        )
    elif last_added is None or (today - last_added).days > policy.max_days_without_new_application:
        since = f" since {words.day(last_added)}" if last_added else " yet"
        reason = (
            f"No new application{since}. Keep the search moving while you wait: "
            "good news from one company is never a reason to stop."
        )
    else:
        return None
    return Action(
        id=apply_more_action_id(today),
        kind=ActionKind.APPLY_MORE,
        due=today,
        rule="R9",
        reason=reason,
        steps=steps,
    )
