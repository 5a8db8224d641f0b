"""What to write or say for an action: the email draft's data and the call script."""

from __future__ import annotations

from datetime import datetime

from followup.domain.drafts import Email, EmailDraft
from followup.domain.model import Action, ActionKind, Channel, Status
from followup.errors import Refused, Remedy
from followup.services.completion import find_action
from followup.services.interviews import last_interview
from followup.services.session import Deps

EMAIL_KINDS = {
    ActionKind.THANK_YOU_EMAIL: "thank_you",
    ActionKind.STATUS_EMAIL: "status",
    ActionKind.APPLICATION_FOLLOW_UP: "application",
    ActionKind.WITHDRAW: "withdraw",
}
#: Kinds that are an email only when the planner chose that channel (R18, R20).
_EITHER = (ActionKind.APPLICATION_FOLLOW_UP, ActionKind.WITHDRAW)


def email_draft(deps: Deps, action_id: str, now: datetime) -> tuple[Action, EmailDraft]:
    """The data of the email an action asks for (R4 thank-you, a status email, R18's
    follow-up on an application, R20's withdrawal)."""
    action = find_action(deps, action_id, now)
    kind = EMAIL_KINDS.get(action.kind)
    if action.kind in _EITHER and action.channel is not Channel.EMAIL:
        kind = None
    if kind is None:
        raise Refused(
            f"{action.id} is a {action.kind.value}, not an email",
            remedy=Remedy.SCRIPT if action.channel is Channel.PHONE else None,
        )
    assert action.application is not None
    with deps.store.reading() as repo:
        app = repo.get(action.application)
        settings = repo.load_settings()
        owner = repo.get(action.contact_application) if action.contact_application else app
    assert app is not None
    if action.kind is ActionKind.THANK_YOU_EMAIL:
        interview = app.interview(action.id.split(":")[2])
    elif action.kind is ActionKind.APPLICATION_FOLLOW_UP:
        interview = None
    else:
        interview = last_interview(app, now) if app.interviews else None
    contact = owner.contact(action.contact) if owner is not None else None
    tz_day = None
    if interview is not None:
        tz_day = interview.at.astimezone(settings.tz).date()
    return action, EmailDraft(
        kind=kind,
        to_name=contact.name if contact else None,  # as recorded, spelling confirmed (R2)
        to_email=contact.usable_email if contact else None,  # never one that bounced
        company=app.company,
        position=app.position,
        interview_day=tz_day,
        candidate_name=settings.name,
        applied_on=app.added_on,
        rejected=app.effective_status is Status.REJECTED,
    )


def email(deps: Deps, action_id: str, now: datetime) -> tuple[Action, Email]:
    """The email an action asks for, worded by the templates chosen in ``bootstrap``."""
    action, data = email_draft(deps, action_id, now)
    return action, deps.drafts.render(data)
