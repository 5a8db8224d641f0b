"""An interview as JSON: one shape for ``followup interview --json`` and the API.

Keys follow the interchange file (FORMAT.md); ``notes`` and ``cancelled`` appear only
when set, so output written before they existed is unchanged.
"""

from __future__ import annotations

from typing import Any

from followup.domain.model import Interview
from followup.formats.plan import window_to_json


def interview_json(iv: Interview) -> dict[str, Any]:
    """``at`` keeps the offset the interview carries (the API hands it one in UTC)."""
    return {
        "id": iv.id,
        "at": iv.at.isoformat(),
        "interviewers": list(iv.interviewers),
        "contacts_every_applicant": iv.contacts_every_applicant,
        "direct_contact_ok": iv.direct_contact_ok,
        "contact_window": window_to_json(iv.contact_window) if iv.contact_window else None,
        "answer_by": iv.answer_by.isoformat() if iv.answer_by else None,
        **({"notes": iv.notes} if iv.notes is not None else {}),
        **({"cancelled": True} if iv.cancelled else {}),
    }
