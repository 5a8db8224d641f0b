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
from followup.services.planning import PlanReader, calendar_for, replan_all, replan_companies
from followup.services.ports import Clock, ContactDetails, HolidaySource, Repository, Store


@dataclass(frozen=True, slots=True)
class Deps:
    """What the use cases need, chosen once in ``followup.bootstrap``."""

    store: Store
    clock: Clock
    holidays: HolidaySource
    details: ContactDetails


class Session:
    def __init__(self, repo: Repository, holidays: HolidaySource, now: datetime) -> None:
        self.repo = repo
        self.holidays = holidays
        self.now = now
        self.settings = repo.load_settings()
        self.calendar: Calendar = calendar_for(self.settings, holidays)
        self._companies: set[str] = set()
        self._saved: dict[str, Application] = {}
        #: Set when a change (the settings) moves every application's plan.
        self.everything_changed = False
        #: Whether an offer was accepted before this session's first save (R20).
        self._accepted_before: bool | None = None

    @property
    def today(self) -> date:
        return self.calendar.local_date(self.now)

    def application(self, app_id: str) -> Application:
        app = self.repo.get(app_id)
        if app is None:
            raise NotFound(f"no application {app_id!r} (see: followup list)")
        return app

    def change_settings(self, settings: Settings) -> None:
        """New settings; every application is re-planned at the end if its plan depends on them."""
        if settings == self.settings:
            return
        self.repo.save_settings(settings)
        if not settings.plans_like(self.settings):
            self.everything_changed = True
        self.settings, self.calendar = settings, calendar_for(settings, self.holidays)

    def save(self, app: Application) -> None:
        """Store ``app`` whole; its company (old and new name) is re-planned at the end."""
        self.save_many([app])

    def save_many(self, apps: list[Application]) -> None:
        if self._accepted_before is None:
            self._accepted_before = self.repo.any_accepted()
        self._companies |= self.repo.company_keys([a.id for a in apps])
        self._companies.update(a.company_key for a in apps)
        self.repo.put_many(apps)
        self._saved.update((a.id, a) for a in apps)

    def company(self, key: str) -> list[Application]:
        """Every application at a company, as stored now."""
        return self.repo.load(self.repo.company_members([key]).get(key, []))

    def replan(self) -> None:
        if self._accepted_before is not None and self.repo.any_accepted() != self._accepted_before:
            self.everything_changed = True  # R20: an accepted offer changes every plan
        self._accepted_before = None
        if self.everything_changed:
            replan_all(self.repo, self.settings, self.calendar, self.now, self._saved)
            self.everything_changed = False
        else:
            replan_companies(
                self.repo, self.settings, self.calendar, self._companies, self.now, self._saved
            )
        self._companies.clear()
        self._saved.clear()

    def reader(self) -> PlanReader:
        """The plan as stored now (call :meth:`replan` first to include this session's changes)."""
        return PlanReader(self.repo, self.holidays, self.now)

    def current_actions(self, app_id: str) -> list[Action]:
        return self.reader().of(app_id)


@contextmanager
def writing(deps: Deps, now: datetime | None = None) -> Iterator[Session]:
    with deps.store.writing() as repo:
        session = Session(repo, deps.holidays, now or deps.clock.now())
        yield session
        session.replan()


@contextmanager
def reading(deps: Deps, now: datetime | None = None) -> Iterator[PlanReader]:
    """A consistent read of the records and of the plan at ``now``."""
    with deps.store.reading() as repo:
        yield PlanReader(repo, deps.holidays, now or deps.clock.now())
