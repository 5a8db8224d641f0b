"""Where an email stands in the outbox: its own small module, so that ``followup today``
can look for the emails whose fate is unknown without loading the rest of the mail code."""

from __future__ import annotations

import enum


class OutboxState(enum.StrEnum):
    SENDING = "sending"  # stored, being sent, or its fate unknown: never resent unasked
    SENT = "sent"
    FAILED = "failed"  # certainly not sent: may be sent again
