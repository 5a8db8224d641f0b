"""How actions and touches read for a person, in the command line and the web app alike."""

from __future__ import annotations

from followup.domain.model import (
    ActionKind,
    Application,
    Channel,
    Outcome,
    Purpose,
    Touch,
)

KIND_LABELS = {
    ActionKind.PREPARE_INTERVIEW: "Prepare the interview",
    ActionKind.DEBRIEF: "Record what you learned",
    ActionKind.THANK_YOU_EMAIL: "Send a thank-you email",
    ActionKind.STATUS_CALL: "Call for news",
    ActionKind.STATUS_EMAIL: "Email for news",
    ActionKind.FIND_CONTACT: "Find the HR contact",
    ActionKind.GIVE_UP: "Let this one go",
    ActionKind.APPLY_MORE: "Apply to more jobs",
}


def describe(app: Application, touch: Touch) -> str:
    """``status call to Ana Sousa: no answer``, ``status email from Rui Lopes: replied``."""
    what = "call" if touch.channel is Channel.PHONE else "email"
    purpose = "thank-you" if touch.purpose is Purpose.THANK_YOU else "status"
    contact = app.contact(touch.contact)
    who = ""
    if contact is not None:
        who = f" from {contact.name}" if touch.outcome is Outcome.REPLIED else f" to {contact.name}"
    return f"{purpose} {what}{who}: {touch.outcome.value.replace('_', ' ')}"
