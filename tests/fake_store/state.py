"""What the fake store holds, one field per table of the real store (roughly)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from followup.domain.agenda import Feed
from followup.domain.digest import DigestState
from followup.domain.history import Entry
from followup.domain.insights import Timing
from followup.domain.mailbox import MailSettings, OutboxEntry
from followup.domain.model import Application
from followup.domain.planner import Planned
from followup.domain.settings import Settings


@dataclass
class FakeState:
    """Everything the fake store holds; a write transaction works on a deep copy."""

    settings: Settings | None = None
    apps: dict[str, Application] = field(default_factory=dict)
    plans: dict[str, list[Planned]] = field(default_factory=dict)
    exact: dict[str, datetime] = field(default_factory=dict)
    timings: dict[str, list[Timing]] = field(default_factory=dict)
    mail: MailSettings = field(default_factory=MailSettings)
    outbox: dict[int, OutboxEntry] = field(default_factory=dict)
    folders: dict[str, tuple[int, int]] = field(default_factory=dict)
    summary: dict[str, tuple[bool, date | None]] = field(default_factory=dict)
    plan_version: str | None = None
    feed: Feed | None = None
    digest: DigestState | None = None
    history: list[Entry] = field(default_factory=list)
    #: The newest entry id forgotten: ids go on from there (as the real stores' do).
    forgotten: int = 0
