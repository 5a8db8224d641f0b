"""An email draft as JSON: one shape for ``followup draft --json`` and the API."""

from __future__ import annotations

from typing import Any

from followup.domain.drafts import Email


def draft_json(action_id: str, email: Email) -> dict[str, Any]:
    return {
        "action": action_id,
        "to": {"name": email.to_name, "email": email.to_email},
        "subject": email.subject,
        "body": email.body,
    }
