"""Use cases on a planned action: complete it (logging the touch it was), dismiss it, find it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from followup.domain.model import (
    DISMISSIBLE_KINDS,
    Action,
    ActionKind,
    Application,
    Channel,
    Decision,
    Outcome,
    Purpose,
    Status,
    status_action_id,
)
from followup.errors import InvalidInput, NotFound, Refused, Remedy
from followup.services.records import Saved
from followup.services.session import Deps, Session, reading, writing
from followup.services.touches import Logged, TouchInput, record_touch

# --- actions ------------------------------------------------------------------------------


def _planned(s: Session, action_id: str) -> Action:
    action = s.reader().find(action_id)
    if action is None:
        raise NotFound(f"no action {action_id!r} is planned now", remedy=Remedy.TODAY)
    return action


@dataclass(frozen=True, slots=True)
class Completed:
    action: Action
    message: str
    application: Application
    actions: list[Action]
    logged: Logged | None = None
    #: The status before, so output says "is now ..." only when it changed.
    was: Status | None = None

    @property
    def status_changed(self) -> bool:
        return self.was is not None and self.was is not self.application.status


def complete(
    deps: Deps,
    action_id: str,
    *,
    outcome: Outcome | None = None,
    decision: Decision | None = None,
    decision_by: date | None = None,
    vacancies: str | None = None,
    at: datetime | None = None,
    notes: str | None = None,
    new_applications: tuple[str, ...] = (),
    now: datetime | None = None,
) -> Completed:
    """``done``: record what doing the action means (a touch, a status, a dismissal)."""
    with writing(deps, now) as s:
        action = _planned(s, action_id)
        if action.application is None:  # apply_more
            raise Refused(
                "apply_more is done by applying: record each new application",
                remedy=Remedy.ADD_APPLICATION,
            )
        app = s.application(action.application)
        kind = action.kind
        if kind in (ActionKind.PREPARE_INTERVIEW, ActionKind.DEBRIEF):
            updated = replace(app, dismissed=app.dismissed | {action.id})
            s.save(updated)
            s.replan()
            return Completed(action, "Marked done.", updated, s.current_actions(app.id))
        if kind is ActionKind.GIVE_UP:
            updated = replace(app, status=Status.NO_RESPONSE)
            s.save(updated)
            s.replan()
            return Completed(
                action,
                f"{app.company} is marked as no response. That was the right call: "
                f"your time is better spent on new applications (R9, {action.rule}).",
                updated,
                s.current_actions(app.id),
                was=app.status,
            )
        if kind is ActionKind.WITHDRAW and action.channel is None:  # nobody to tell on record
            updated = replace(app, status=Status.WITHDRAWN)
            s.save(updated)
            s.replan()
            return Completed(action, withdrawn_message(updated), updated, [], was=app.status)
        if kind is ActionKind.FIND_CONTACT:
            raise Refused("record the contact you found", remedy=Remedy.ADD_CONTACT, subject=app.id)
        if action.channel is Channel.PHONE:
            if outcome is None and kind is ActionKind.WITHDRAW:
                outcome = Outcome.REACHED  # done means they were told
            if outcome is None:
                raise InvalidInput(
                    "say how the call went", field="outcome", remedy=Remedy.CALL_OUTCOME
                )
            if outcome not in (Outcome.REACHED, Outcome.NO_ANSWER, Outcome.VOICEMAIL):
                raise InvalidInput(f"{outcome.value!r} is not how a call goes", field="outcome")
        elif outcome not in (None, Outcome.SENT, Outcome.SKIPPED):
            raise InvalidInput(f"{action.kind.value} is an email: its outcome is sent or skipped")
        purpose = Purpose.THANK_YOU if kind is ActionKind.THANK_YOU_EMAIL else Purpose.STATUS
        logged = record_touch(
            s,
            app,
            TouchInput(
                outcome=outcome or Outcome.SENT,
                purpose=purpose,
                channel=action.channel,
                contact=action.contact,
                contact_application=action.contact_application,
                at=at,
                decision=decision,
                decision_by=decision_by,
                vacancies=vacancies,
                notes=notes,
                new_applications=new_applications,
            ),
        )
        if kind is ActionKind.WITHDRAW and logged.touch.outcome in (Outcome.SENT, Outcome.REACHED):
            logged = withdrawn(s, logged)
            return Completed(
                action,
                withdrawn_message(logged.application),
                logged.application,
                [],
                logged,
                was=app.status,
            )
        return Completed(
            action, "Recorded.", logged.application, logged.actions, logged, was=app.status
        )


def own_contact(action: Action) -> str | None:
    """The contact a touch can name: R10 may target another application's HR contact,
    which is not one of this application's (the touch then names nobody)."""
    return action.contact if action.contact_application is None else None


def withdrawn(s: Session, logged: Logged) -> Logged:
    """R20: they were told, so the application is ``withdrawn``."""
    updated = replace(logged.application, status=Status.WITHDRAWN)
    s.save(updated)
    s.replan()
    return replace(logged, application=updated, actions=s.current_actions(updated.id))


def withdrawn_message(app: Application) -> str:
    return (
        f"{app.company}, {app.position}: withdrawn. Leaving on good terms keeps that door "
        "open (R20)."
    )


def dismiss(deps: Deps, action_id: str, now: datetime | None = None) -> Saved:
    with writing(deps, now) as s:
        action = _planned(s, action_id)
        if action.application is None:  # apply_more
            raise Refused("apply_more cannot be dismissed", remedy=Remedy.APPLY_OR_LOWER)
        if action.kind not in DISMISSIBLE_KINDS:
            raise Refused(
                f"{action.kind.value} cannot be dismissed",
                remedy=Remedy.SNOOZE_INSTEAD,
                subject=action.application or "",
            )
        assert action.application is not None
        app = s.application(action.application)
        updated = replace(app, dismissed=app.dismissed | {action.id})
        s.save(updated)
        s.replan()
        return Saved(updated, s.current_actions(app.id), s.today)


def find_action(deps: Deps, action_id: str, now: datetime) -> Action:
    """An action planned at ``now`` (any due date), with its computation steps."""
    with reading(deps, now) as plan:
        action = plan.find(action_id)
        if action is None:
            raise NotFound(f"no action {action_id!r} is planned now", remedy=Remedy.TODAY)
        return action


def status_action(deps: Deps, app_id: str, now: datetime) -> Action:
    """The application's next status follow-up (for ``call``)."""
    with reading(deps, now) as plan:
        if plan.repo.get(app_id) is None:
            raise NotFound(f"no application {app_id!r}", remedy=Remedy.LIST)
        action = plan.find(status_action_id(app_id))
    if action is None:
        raise Refused(
            f"{app_id} has no status follow-up planned now", remedy=Remedy.SHOW, subject=app_id
        )
    return action
