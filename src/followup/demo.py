"""A realistic sample job search, dated relative to now.

Whatever the day, its plan has something overdue (a thank-you not yet sent), something
due today (apply for more: only four processes are open, R9) and something coming up
(the preparation of an interview in three days).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo
from typing import Any


def sample(now: datetime, tz: tzinfo) -> dict[str, Any]:
    """A followup/1 document (FORMAT.md) for a job search in progress at ``now``."""
    today = now.astimezone(tz).date()

    def at(days: int, hour: int = 10) -> str:
        return datetime.combine(today + timedelta(days=days), time(hour), tz).isoformat()

    def day(days: int) -> str:
        return (today + timedelta(days=days)).isoformat()

    weekdays = {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "10:00", "end": "12:00"}
    return {
        "format": "followup/1",
        "applications": [
            {
                "id": "acme-backend",
                "company": "Acme",
                "position": "Backend Engineer",
                "applied_on": day(-24),
                "source": "company website",
                "contacts": [
                    _contact(
                        "ana",
                        "Ana Sousa",
                        "interviewer",
                        "ana.sousa@acme.example",
                        "+351 912 345 678",
                    ),
                    _contact("rui", "Rui Lopes", "hr", "jobs@acme.example", None),
                ],
                "interviews": [
                    {
                        "id": "iv1",
                        "at": at(-10),
                        "interviewers": ["ana"],
                        "contacts_every_applicant": True,
                        "direct_contact_ok": True,
                        "contact_window": weekdays,
                        "answer_by": day(-1),
                    }
                ],
                "touches": [_touch(at(-8, 9), "ana", "email", "thank_you", "sent")],
            },
            {
                "id": "globex-data",
                "company": "Globex",
                "position": "Data Analyst",
                "applied_on": day(-20),
                "source": "job board",
                "contacts": [
                    _contact(
                        "bruno",
                        "Bruno Marques",
                        "interviewer",
                        "bruno.marques@globex.example",
                        None,
                    )
                ],
                "interviews": [
                    {
                        "id": "iv1",
                        "at": at(-6, 15),
                        "interviewers": ["bruno"],
                        "contacts_every_applicant": False,
                        "direct_contact_ok": True,
                    }
                ],
            },
            {
                "id": "initech-frontend",
                "company": "Initech",
                "position": "Frontend Developer",
                "applied_on": day(-12),
                "contacts": [_contact("carla", "Carla Dias", "hr", "talent@initech.example", None)],
                "interviews": [{"id": "iv1", "at": at(3, 14), "interviewers": []}],
            },
            {
                "id": "umbrella-qa",
                "company": "Umbrella",
                "position": "QA Engineer",
                "applied_on": day(-40),
                "contacts": [
                    _contact("diogo", "Diogo Reis", "interviewer", None, "+351 213 456 789"),
                    _contact(
                        "hr", "Eva Matos", "hr", "people@umbrella.example", "+351 217 654 321"
                    ),
                ],
                "interviews": [
                    {
                        "id": "iv1",
                        "at": at(-28),
                        "interviewers": ["diogo"],
                        "contacts_every_applicant": True,
                        "direct_contact_ok": True,
                    }
                ],
                "touches": [
                    _touch(at(-26, 9), "diogo", "email", "thank_you", "sent"),
                    _touch(at(-18, 11), "diogo", "phone", "status", "no_answer"),
                    _touch(at(-8, 11), "diogo", "phone", "status", "voicemail"),
                ],
            },
            {
                "id": "hooli-platform",
                "company": "Hooli",
                "position": "Platform Engineer",
                "status": "rejected",
                "applied_on": day(-35),
                "contacts": [
                    _contact("filipa", "Filipa Costa", "interviewer", "filipa@hooli.example", None)
                ],
                "interviews": [
                    {
                        "id": "iv1",
                        "at": at(-25),
                        "interviewers": ["filipa"],
                        "contacts_every_applicant": True,
                        "direct_contact_ok": True,
                    }
                ],
                "touches": [
                    _touch(at(-23, 9), "filipa", "email", "thank_you", "sent"),
                    _touch(
                        at(-15, 16), "filipa", "email", "status", "replied", decision="rejected"
                    ),
                ],
            },
        ],
    }


def _contact(
    cid: str, name: str, role: str, email: str | None, phone: str | None
) -> dict[str, Any]:
    return {
        "id": cid,
        "name": name,
        "role": role,
        "email": email,
        "phone": phone,
        "name_confirmed": True,
    }


def _touch(
    at: str, contact: str, channel: str, purpose: str, outcome: str, decision: str | None = None
) -> dict[str, Any]:
    touch = {
        "at": at,
        "contact": contact,
        "channel": channel,
        "purpose": purpose,
        "outcome": outcome,
    }
    if decision:
        touch["decision"] = decision
    return touch
