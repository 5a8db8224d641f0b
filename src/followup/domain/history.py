"""The history of changes: what one command, form or API call changed, so it can be undone.

Every write is one entry. For each record it changed (an application, or the settings) an
entry keeps the record as it was before and a fingerprint of it after: undoing restores
the "before" side, and only while every "after" still matches what is stored, so an undo
never overwrites a change it does not know about. :func:`describe` says in words what
changed, field by field, for ``followup history`` and the web app's confirmations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from followup.domain import words
from followup.domain.model import Application, Contact, ContactWindow, Interview, Touch
from followup.domain.settings import Settings

#: The key of the settings' revision in an entry (application ids never contain a colon).
SETTINGS = ":settings"


@dataclass(frozen=True, slots=True)
class Revision:
    """One record's change within an entry.

    ``key`` is an application id, or :data:`SETTINGS`. ``before`` is the record as it was
    (``None``: it did not exist); ``after`` the fingerprint of what the change stored
    (``None``: it deleted the record).
    """

    key: str
    before: Application | Settings | None
    after: str | None
    what: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    at: datetime
    summary: str
    revisions: tuple[Revision, ...]
    #: The entry this one undid, when it is an undo.
    undoes: int | None = None
    #: The undo that reverted this entry, if any.
    undone_by: int | None = None

    @property
    def undoable(self) -> bool:
        return self.undoes is None and self.undone_by is None


def summary(revisions: list[Revision], limit: int = 3) -> str:
    """One line for a list: the first changes in words, and how many more."""
    parts = [part for r in revisions for part in r.what]
    if not parts:
        return "no change"
    text = "; ".join(parts[:limit])
    if len(parts) > limit:
        text += f" (and {words.plural(len(parts) - limit, 'more change')})"
    return text


# --- what changed, in words ------------------------------------------------------------------


def describe(
    before: Application | None, after: Application | None, tz: tzinfo | None = None
) -> tuple[str, ...]:
    """What happened to one application, one phrase per change; a moment (an interview's,
    a touch's) in the user's zone ``tz`` when given, as every other screen shows it."""
    if before is None and after is None:
        return ()
    if before is None:
        assert after is not None
        return (f"added {after.id} ({after.company}, {after.position})",)
    if after is None:
        return (f"deleted {before.id} ({before.company}, {before.position})",)
    changes = [
        f"{field} {_show(old, tz)} -> {_show(new, tz)}"
        for field in _APPLICATION_FIELDS
        if (old := getattr(before, field)) != (new := getattr(after, field))
    ]
    changes += _children("contact", before.contacts, after.contacts, _contact_changes, tz)
    changes += _children("interview", before.interviews, after.interviews, _interview_changes, tz)
    changes += _children("touch", before.touches, after.touches, _touch_changes, tz)
    for action_id in sorted(after.dismissed - before.dismissed):
        changes.append(f"dismissed {action_id}")
    for action_id in sorted(before.dismissed - after.dismissed):
        changes.append(f"restored {action_id}")
    return tuple(f"{after.id}: {c}" for c in changes)


def describe_settings(before: Settings, after: Settings) -> tuple[str, ...]:
    changes = [
        f"{field} {_show(old)} -> {_show(new)}"
        for field in ("timezone", "country", "name")
        if (old := getattr(before, field)) != (new := getattr(after, field))
    ]
    old_policy, new_policy = before.policy.as_dict(), after.policy.as_dict()
    changes += [
        f"{key} {old_policy.get(key)} -> {value}"
        for key, value in new_policy.items()
        if old_policy.get(key) != value
    ]
    return tuple(f"settings: {c}" for c in changes)


_APPLICATION_FIELDS = (
    "company",
    "position",
    "status",
    "applied_on",
    "link",
    "source",
    "notes",
    "posting",
    "snoozed_until",
)


def _show(value: Any, tz: tzinfo | None = None) -> str:
    """A value in a change line: dates as the app writes them, long text cut short."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        if tz is None:
            return value.isoformat(timespec="minutes")
        local = value.astimezone(tz)
        return f"{words.day(local.date())} {words.clock(local.time())}"
    if isinstance(value, date):
        return words.day(value)
    if isinstance(value, ContactWindow):
        return words.window(value)
    if isinstance(value, tuple):
        return ", ".join(map(str, value)) or "(none)"
    text = str(value).replace("\n", " ")
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _children(
    what: str,
    before: tuple[Any, ...],
    after: tuple[Any, ...],
    detail: Callable[[Any, Any, tzinfo | None], list[str]],
    tz: tzinfo | None,
) -> list[str]:
    old = {x.id: x for x in before}
    new = {x.id: x for x in after}
    changes = [f"{what} {x.id} added" for x in after if x.id not in old]
    changes += [f"{what} {x.id} deleted" for x in before if x.id not in new]
    for x in after:
        if x.id in old and old[x.id] != x:
            changes.append(f"{what} {x.id} " + ", ".join(detail(old[x.id], x, tz)))
    return changes


def _fields(old: Any, new: Any, fields: tuple[str, ...], tz: tzinfo | None) -> list[str]:
    return [
        f"{f} {_show(a, tz)} -> {_show(b, tz)}"
        for f in fields
        if (a := getattr(old, f)) != (b := getattr(new, f))
    ] or ["changed"]


def _contact_changes(old: Contact, new: Contact, tz: tzinfo | None) -> list[str]:
    return _fields(
        old, new, ("name", "role", "email", "phone", "name_confirmed", "email_failed_on"), tz
    )


def _interview_changes(old: Interview, new: Interview, tz: tzinfo | None) -> list[str]:
    if new.cancelled and not old.cancelled:
        return ["cancelled"]
    return _fields(
        old,
        new,
        (
            "at",
            "interviewers",
            "contacts_every_applicant",
            "direct_contact_ok",
            "contact_window",
            "answer_by",
            "notes",
            "cancelled",
        ),
        tz,
    )


def _touch_changes(old: Touch, new: Touch, tz: tzinfo | None) -> list[str]:
    return _fields(
        old,
        new,
        ("at", "channel", "purpose", "outcome", "contact", "decision", "decision_by", "vacancies",
         "notes"),
        tz,
    )  # fmt: skip
