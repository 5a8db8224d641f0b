"""The rules a plan reached, named for Hypothesis's statistics (issue 10, item 7).

A property that holds is only as good as the states it was tried on. Each property test of
the planner records, with ``hypothesis.event()``, the rule each action came from (its
``rule``) and the cases inside a rule that take more than one record to reach, so that
``make soak`` (``--hypothesis-show-statistics``) shows how often each rule ran, and
``tests/unit/test_rule_coverage.py`` fails when a change of the strategies stops reaching
one.
"""

from __future__ import annotations

from collections.abc import Iterable

from hypothesis import event

from followup.domain.model import Action, ActionKind, Application, Status

#: Cases within a rule, beyond the rule an action names (RULES.md).
BORROWED_HR = "R10: the HR contact of another application at the company"
SPACED = "R13 step 8: moved after another follow-up at the company"
ESCALATED = "R17: escalated to HR after unanswered attempts"
CLOSED_THANK_YOU = "R5: a thank-you for a process that is over"

_FOLLOW_UPS = (ActionKind.STATUS_CALL, ActionKind.STATUS_EMAIL)


def rules_reached(actions: Iterable[Action], apps: Iterable[Application]) -> set[str]:
    """The rules behind ``actions`` (``R14``), and the cases named above.

    The cases are read from what the planner puts in an action: the spacing step of
    ``explain`` (step 8) and the reason's words on an escalation (R17), since the action
    has no field for them. Should those words change, the coverage test says so.
    """
    status = {app.id: app.effective_status for app in apps}
    found: set[str] = set()
    for action in actions:
        found.add(action.rule)
        if action.contact_application is not None:
            found.add(BORROWED_HR)
        if any(s.rule == "R13" and s.text.startswith("company spacing") for s in action.steps):
            found.add(SPACED)
        if action.kind in _FOLLOW_UPS and "attempts went unanswered" in action.reason:
            found.add(ESCALATED)
        if (
            action.kind is ActionKind.THANK_YOU_EMAIL
            and action.application is not None
            and status[action.application] is not Status.ACTIVE
        ):
            found.add(CLOSED_THANK_YOU)
    return found


def record_rules(actions: Iterable[Action], apps: Iterable[Application]) -> None:
    """One Hypothesis event per rule reached (call it inside a ``@given`` test)."""
    for name in sorted(rules_reached(actions, apps)):
        event(name)
