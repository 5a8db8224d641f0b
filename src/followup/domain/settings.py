"""The user's settings: time zone, country (for holidays) and the policy.

They live with the records (the interchange file carries them), so the plan depends
only on what is in the database, never on the machine it runs on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo

from followup.domain.policy import Policy

DEFAULT_TIMEZONE = "UTC"


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the search happens (time zone, country) and how the rules are tuned."""

    timezone: str = DEFAULT_TIMEZONE
    #: ISO 3166 code whose public holidays are not business days; ``None``: weekends only.
    country: str | None = None
    policy: Policy = field(default_factory=Policy)
    #: The candidate's name, to sign the email drafts; the planner does not use it.
    name: str | None = None

    @property
    def tz(self) -> tzinfo:
        """The zone every local day is counted in: the one place a name becomes a tzinfo.

        ``ZoneInfo`` caches its instances, so asking again costs a dictionary look-up.
        """
        from zoneinfo import ZoneInfo  # noqa: PLC0415 - not every command needs the zone data

        return ZoneInfo(self.timezone)

    def plans_like(self, other: Settings) -> bool:
        """True when both give the same plan (the name only signs emails)."""
        return (self.timezone, self.country, self.policy) == (
            other.timezone,
            other.country,
            other.policy,
        )
