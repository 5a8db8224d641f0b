"""The command line's wording of what can be done about an error (``Remedy``).

Services name the remedy; this is where it becomes a command to type. The wording is
what the messages said before the services stopped carrying it, so the command line's
output is unchanged.
"""

from __future__ import annotations

from followup.errors import FollowupError, Remedy

#: ``{message}`` is the service's message, ``{subject}`` the record the remedy is about.
WORDING = {
    Remedy.LIST: "{message} (see: followup list)",
    Remedy.TODAY: "{message} (see: followup today)",
    Remedy.SHOW: "{message} (see: followup show {subject})",
    Remedy.OUTBOX: "{message} (see: followup outbox)",
    Remedy.RECORD_INTERVIEW: "{message} (record one: followup interview {subject})",
    Remedy.SCRIPT: "{message} (a call: see followup script)",
    Remedy.CALL_OUTCOME: "{message}: --outcome reached, no_answer or voicemail",
    Remedy.ADD_CONTACT: (
        "{message}: followup contact add {subject} NAME --role hr --email ... or --phone ..."
    ),
    Remedy.ADD_APPLICATION: "{message} with followup add COMPANY POSITION",
    Remedy.SET_ADDRESS: "{message}: followup config set mail.address YOU@EXAMPLE",
    Remedy.EMAIL_OK: "{message}; when it works again: followup contact edit {subject} --email-ok",
    Remedy.CHECK_SENT: (
        "{message}: check your Sent folder, then followup outbox sent {subject} "
        "or followup outbox retry {subject}"
    ),
    Remedy.CHECK_SENT_OR_RETRY: (
        "{message}: check your Sent folder, then followup outbox sent {subject} (it went) "
        "or followup outbox retry {subject} (it did not)"
    ),
    Remedy.RETRY: "{message} (the message is kept: followup outbox retry {subject})",
    Remedy.DIGEST_SHOWN: "{message} (followup digest shows it)",
    Remedy.APPLY_OR_LOWER: (
        "{message}: apply (followup add COMPANY POSITION), or change how many open "
        "applications are enough (followup config set min_active_applications N)"
    ),
    Remedy.SNOOZE_INSTEAD: (
        "{message}: snooze the application (followup snooze {subject} DATE), record a "
        "touch, or change its status"
    ),
    Remedy.MAP_COLUMNS: "{message}; say which with {subject}",
}


def worded(error: FollowupError) -> str:
    """The one line the command line prints for ``error``."""
    if error.remedy is None:
        return str(error)
    subject = error.subject
    if error.remedy is Remedy.MAP_COLUMNS:  # one --map a field
        subject = " ".join(f"--map {f}=COLUMN" for f in subject.split())
    return WORDING[error.remedy].format(message=str(error), subject=subject)
