"""The interchange file, ``followup/1`` (FORMAT.md): reading with exact error places, writing.

Reading (:mod:`followup.formats.reader`) validates everything before anything is
written: the first problem is raised as :class:`~followup.errors.InvalidFile` naming its
place, as in ``applications[2].interviews[0].at: not a date-time``.

Optional fields added to FORMAT.md's ``followup/1`` (allowed: "only by adding optional
fields"), so that an export loses nothing the command line records: ``link``,
``source``, ``notes`` and ``recorded_on`` on applications, ``id`` on touches, and
``name`` (the candidate's, to sign drafts) in the settings, ``message_id`` on touches
(an email followup sent, or a reply it read), and, written only when set, ``posting`` (the
job ad's text) on applications, ``notes`` and ``cancelled`` on interviews and ``notes`` on
touches.

:func:`application_to_json` and :func:`application_from_json` are also the lossless record
of an application that the history keeps (``followup undo`` restores from it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from followup.domain.model import (
    Application,
    Channel,
    Contact,
    Decision,
    Interview,
    Outcome,
    Purpose,
    Role,
    Status,
    Touch,
)
from followup.domain.settings import Settings
from followup.formats.plan import window_from_json, window_to_json

FORMAT = "followup/1"
#: Ids become parts of action ids and URLs: printable, no spaces, no colons.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$")
ID_RULE = "letters, digits and . _ @ + - (up to 100, starting with a letter or digit)"


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        """Pickled as the one :data:`MISSING` (settings read in another process)."""
        return "MISSING"


MISSING: Any = _Missing()
E = TypeVar("E")


@dataclass(frozen=True, slots=True)
class SettingsPatch:
    """The settings a file gives; what it leaves out stays as it is."""

    timezone: str | None = None
    country: str | None = MISSING
    policy: dict[str, int] = field(default_factory=dict)
    name: str | None = MISSING

    def apply(self, settings: Settings) -> Settings:
        return Settings(
            timezone=self.timezone or settings.timezone,
            country=settings.country if self.country is MISSING else self.country,
            policy=settings.policy.with_values(self.policy),
            name=settings.name if self.name is MISSING else self.name,
        )


@dataclass(frozen=True, slots=True)
class Document:
    settings: SettingsPatch
    applications: list[Application]
    #: Per application, the ids given here to touches that had none in the file: such a
    #: touch is the same record as a stored one with the same time, channel, purpose,
    #: outcome and contact (so importing a file twice changes nothing).
    generated_touch_ids: dict[str, frozenset[str]] = field(default_factory=dict)


#: Validators the reader needs from outside: each returns the normalised value or raises
#: ``ValueError`` with a reason (email, phone with the default region, country, zone).
@dataclass(frozen=True, slots=True)
class Checks:
    email: Callable[[str], str]
    phone: Callable[[str, str | None], str]
    country: Callable[[str], bool]
    timezone: Callable[[str], bool]
    default_country: str | None = None
    #: The clock and the zone the user's days are counted in (the file's own, when it
    #: gives one): an applied date after today, or a touch after now, is refused as
    #: ``add`` and ``log`` refuse them. ``None``: not checked.
    now: datetime | None = None
    timezone_name: str | None = None


def write(settings: Settings, applications: list[Application]) -> dict[str, Any]:
    """The document of an export: settings in full, every application in full."""
    return {
        "format": FORMAT,
        "settings": {
            "timezone": settings.timezone,
            "country": settings.country,
            "policy": settings.policy.as_dict(),
            "name": settings.name,
        },
        "applications": [application_to_json(app) for app in applications],
    }


def application_to_json(app: Application) -> dict[str, Any]:
    return {
        "id": app.id,
        "company": app.company,
        "position": app.position,
        "status": app.status.value,
        "applied_on": _iso(app.applied_on),
        "recorded_on": _iso(app.recorded_on),
        "link": app.link,
        "source": app.source,
        "notes": app.notes,
        **({"posting": app.posting} if app.posting is not None else {}),
        "contacts": [
            {
                "id": c.id,
                "name": c.name,
                "role": c.role.value,
                "email": c.email,
                "phone": c.phone,
                "name_confirmed": c.name_confirmed,
                # Optional, only when set: an address that bounced (issue 16).
                **({"email_failed_on": _iso(c.email_failed_on)} if c.email_failed_on else {}),
            }
            for c in app.contacts
        ],
        "interviews": [
            {
                "id": iv.id,
                "at": iv.at.isoformat(),
                "interviewers": list(iv.interviewers),
                "contacts_every_applicant": iv.contacts_every_applicant,
                "direct_contact_ok": iv.direct_contact_ok,
                "contact_window": (
                    window_to_json(iv.contact_window) if iv.contact_window is not None else None
                ),
                "answer_by": _iso(iv.answer_by),
                **({"notes": iv.notes} if iv.notes is not None else {}),
                **({"cancelled": True} if iv.cancelled else {}),
            }
            for iv in app.interviews
        ],
        "touches": [
            {
                "id": t.id,
                "at": t.at.isoformat(),
                "contact": t.contact,
                "channel": t.channel.value,
                "purpose": t.purpose.value,
                "outcome": t.outcome.value,
                "decision": t.decision.value if t.decision else None,
                "decision_by": _iso(t.decision_by),
                "vacancies": t.vacancies,
                "message_id": t.message_id,
                **({"notes": t.notes} if t.notes is not None else {}),
            }
            for t in app.touches
        ],
        "snoozed_until": _iso(app.snoozed_until),
        "dismissed": sorted(app.dismissed),
    }


def application_from_json(obj: dict[str, Any]) -> Application:
    """The application :func:`application_to_json` wrote, exactly (no checks: it is ours)."""
    return Application(
        id=obj["id"],
        company=obj["company"],
        position=obj["position"],
        status=Status(obj["status"]),
        applied_on=_day(obj["applied_on"]),
        recorded_on=_day(obj["recorded_on"]),
        link=obj["link"],
        source=obj["source"],
        notes=obj["notes"],
        posting=obj.get("posting"),
        contacts=tuple(
            Contact(
                id=c["id"],
                name=c["name"],
                role=Role(c["role"]),
                email=c["email"],
                phone=c["phone"],
                name_confirmed=c["name_confirmed"],
                email_failed_on=_day(c.get("email_failed_on")),
            )
            for c in obj["contacts"]
        ),
        interviews=tuple(
            Interview(
                id=iv["id"],
                at=datetime.fromisoformat(iv["at"]),
                interviewers=tuple(iv["interviewers"]),
                contacts_every_applicant=iv["contacts_every_applicant"],
                direct_contact_ok=iv["direct_contact_ok"],
                contact_window=(
                    window_from_json(iv["contact_window"]) if iv["contact_window"] else None
                ),
                answer_by=_day(iv["answer_by"]),
                notes=iv.get("notes"),
                cancelled=iv.get("cancelled", False),
            )
            for iv in obj["interviews"]
        ),
        touches=tuple(
            Touch(
                id=t["id"],
                at=datetime.fromisoformat(t["at"]),
                channel=Channel(t["channel"]),
                purpose=Purpose(t["purpose"]),
                outcome=Outcome(t["outcome"]),
                contact=t["contact"],
                decision=Decision(t["decision"]) if t["decision"] else None,
                decision_by=_day(t["decision_by"]),
                vacancies=t["vacancies"],
                message_id=t["message_id"],
                notes=t.get("notes"),
            )
            for t in obj["touches"]
        ),
        snoozed_until=_day(obj["snoozed_until"]),
        dismissed=frozenset(obj["dismissed"]),
    )


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
