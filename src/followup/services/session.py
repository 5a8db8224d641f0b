"""A write: load records, change them, save them, and re-plan what changed, in one transaction.

Services never call ``put`` without going through a session, so no write can leave the
stored plan behind the records.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from followup.domain.calendar import Calendar
from followup.domain.model import Action, Application
from followup.domain.settings import Settings
from followup.errors import NotFound
from followup.services.planning import calendar_for, replan_companies
from followup.services.ports import Clock, ContactDetails, HolidaySource, Repository, Store


@dataclass(frozen=True, slots=True)
class Deps:
    """What the use cases need, chosen once in ``followup.bootstrap``."""

    store: Store
    clock: Clock
    holidays: HolidaySource
    details: ContactDetails


class Session:
    def __init__(self, repo: Repository, settings: Settings, calendar: Calendar, now: datetime):
        self.repo = repo
        self.settings = settings
        self.calendar = calendar
        self.now = now
        self._companies: set[str] = set()
        self._saved: dict[str, Application] = {}

    @property
    def today(self) -> date:
        return self.calendar.local_date(self.now)

    def application(self, app_id: str) -> Application:
        app = self.repo.get(app_id)
        if app is None:
            raise NotFound(f"no application {app_id!r} (see: followup list)")
        return app

    def save(self, app: Application) -> None:
        """Store ``app`` whole; its company (old and new name) is re-planned at the end."""
        self.save_many([app])

    def save_many(self, apps: list[Application]) -> None:
        self._companies |= self.repo.company_keys([a.id for a in apps])
        self._companies.update(a.company_key for a in apps)
        self.repo.put_many(apps)
        self._saved.update((a.id, a) for a in apps)

    def company(self, key: str) -> list[Application]:
        """Every application at a company, as stored now."""
        return self.repo.load(self.repo.company_members([key]).get(key, []))

    def replan(self) -> None:
        replan_companies(self.repo, self.settings, self.calendar, self._companies, self._saved)
        self._companies.clear()
        self._saved.clear()

    def current_actions(self, app_id: str) -> list[Action]:
        """The application's actions at ``now``, as stored (call after :meth:`replan`)."""
        actions = [p.action for p in self.repo.planned(app_id) if p.applies_at(self.now)]
        return sorted(actions, key=lambda a: a.sort_key)


@contextmanager
def writing(deps: Deps, now: datetime | None = None) -> Iterator[Session]:
    with deps.store.writing() as repo:
        settings = repo.load_settings()
        session = Session(
            repo, settings, calendar_for(settings, deps.holidays), now or deps.clock.now()
        )
        yield session
        session.replan()
