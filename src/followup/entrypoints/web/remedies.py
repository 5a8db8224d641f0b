"""The web app's wording of what can be done about an error (``Remedy``).

Where a page or a button does it, the message says where; where only the command line
can (the outbox), the command is named, as the Today page does. A remedy with no entry
here needs no advice on a page: the link or the form is right there.
"""

from __future__ import annotations

from followup.errors import FollowupError, Remedy

#: ``{message}`` is the service's message, ``{subject}`` the record the remedy is about.
WORDING = {
    Remedy.CALL_OUTCOME: "{message}: reached, no answer or voicemail",
    Remedy.ADD_CONTACT: "{message} on the application's page (as HR)",
    Remedy.ADD_APPLICATION: "{message} from the Applications page",
    Remedy.SET_ADDRESS: "{message}: followup config set mail.address YOU@EXAMPLE",
    Remedy.EMAIL_OK: "{message}; when it works again, say so on the application's page",
    Remedy.CHECK_SENT: (
        "{message}: look in your Sent folder, then run followup outbox sent {subject} if it "
        "went, or followup outbox retry {subject} if it did not"
    ),
    Remedy.CHECK_SENT_OR_RETRY: (
        "{message}: look in your Sent folder, then run followup outbox sent {subject} if it "
        "went, or followup outbox retry {subject} if it did not"
    ),
    Remedy.RETRY: "{message} (the message is kept: followup outbox retry {subject})",
    Remedy.APPLY_OR_LOWER: (
        "{message}: apply, or lower the number of open applications that is enough (Settings)"
    ),
    Remedy.SNOOZE_INSTEAD: (
        "{message}: snooze the application, record a touch, or change its status"
    ),
    Remedy.MAP_COLUMNS: "{message}: choose the column that gives each in the table below",
}


def worded(error: FollowupError) -> str:
    """The message a page or the API shows for ``error``."""
    template = WORDING.get(error.remedy) if error.remedy is not None else None
    if template is None:
        return str(error)
    return template.format(message=str(error), subject=error.subject)
