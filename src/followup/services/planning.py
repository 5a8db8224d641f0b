"""Keeping the stored plan equal to a fresh plan, and reading it.

Every write re-plans the applications it changed and the other applications at the
same company (their status follow-ups share R13's weekly limit), storing each action
with the instants between which it applies (:func:`~followup.domain.planner.plan_over_time`).
Reading today's plan is then an indexed read of the due rows, whatever the size of the
job search. ``followup doctor`` proves the two ways agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from itertools import groupby

from followup.domain.calendar import Calendar
from followup.domain.model import Action, Application
from followup.domain.planner import (
    Planned,
    apply_more,
    last_attempt_days,
    plan,
    plan_over_time,
)
from followup.domain.settings import Settings
from followup.services.ports import HolidaySource, Repository, Store

#: Bump when the planner's output changes for the same records: the store then re-plans
#: every application the next time it is opened.
PLANNER_VERSION = "1"


def zone(name: str) -> tzinfo:
    from zoneinfo import ZoneInfo  # noqa: PLC0415 - not needed by every command

    return ZoneInfo(name)


def calendar_for(settings: Settings, holidays: HolidaySource) -> Calendar:
    return Calendar(zone(settings.timezone), holidays(settings.country))


def replan_companies(
    repo: Repository,
    settings: Settings,
    calendar: Calendar,
    keys: Iterable[str],
    known: dict[str, Application] | None = None,
) -> None:
    """Re-plan every application at these companies.

    ``known`` holds applications the caller already has in memory (just saved), so a
    bulk import does not read back what it wrote.
    """
    known = known or {}
    members = repo.company_members(sorted(set(keys)))
    missing = [i for ids in members.values() for i in ids if i not in known]
    loaded = {a.id: a for a in repo.load(missing)}
    plans = []
    for ids in members.values():
        plans += company_plans(settings, calendar, [known.get(i) or loaded[i] for i in ids])
    repo.replace_plans(plans)


def replan_all(repo: Repository, settings: Settings, calendar: Calendar) -> int:
    """Re-plan every application (after a settings change or a new planner). Returns the count."""
    count = 0
    batch: list[tuple[Application, list[Planned]]] = []
    for _, apps in groupby(repo.applications(), key=lambda a: a.company_key):
        batch += company_plans(settings, calendar, list(apps))
        if len(batch) >= 1000:
            repo.replace_plans(batch)
            count += len(batch)
            batch = []
    repo.replace_plans(batch)
    return count + len(batch)


def company_plans(
    settings: Settings, calendar: Calendar, company: list[Application]
) -> list[tuple[Application, list[Planned]]]:
    """The plans of all applications at one company (they share R13's weekly limit)."""
    last = last_attempt_days(company, calendar)
    return [
        (app, plan_over_time(app, settings.policy, calendar, last.get(app.company_key)))
        for app in company
    ]


def ensure_current(
    store: Store, holidays: HolidaySource, default_timezone: Callable[[], str]
) -> bool:
    """Make the stored plan current: a new database gets its settings, a new planner re-plans.

    A new database takes the machine's time zone once, so that its plan depends only on
    what it holds, never on the machine that opens it later.
    """
    with store.reading() as repo:
        if repo.plan_version() == PLANNER_VERSION:
            return False
    with store.writing() as repo:
        if repo.plan_version() == PLANNER_VERSION:  # another process did it meanwhile
            return False
        if not repo.has_settings():
            repo.save_settings(Settings(timezone=default_timezone()))
        settings = repo.load_settings()
        replan_all(repo, settings, calendar_for(settings, holidays))
        repo.set_plan_version(PLANNER_VERSION)
    return True


@dataclass(frozen=True, slots=True)
class PlanView:
    now: datetime
    today: date
    actions: list[Action]

    @property
    def overdue(self) -> list[Action]:
        return [a for a in self.actions if a.due < self.today]

    @property
    def due_today(self) -> list[Action]:
        return [a for a in self.actions if a.due == self.today]

    @property
    def coming(self) -> list[Action]:
        return [a for a in self.actions if a.due > self.today]


def stored_plan(repo: Repository, now: datetime, horizon: int) -> PlanView:
    """The plan at ``now``, from the stored rows: what ``today`` and ``plan`` print."""
    settings = repo.load_settings()
    today = now.astimezone(zone(settings.timezone)).date()
    actions = repo.due(now, today + timedelta(days=horizon))
    more = apply_more(
        repo.open_count(settings.policy.min_active_applications),
        repo.last_added(),
        settings.policy,
        today,
    )
    if more is not None:
        actions.append(more)
    actions.sort(key=lambda a: a.sort_key)
    return PlanView(now, today, actions)


def fresh_plan(
    apps: Iterable[Application],
    settings: Settings,
    calendar: Calendar,
    now: datetime,
    horizon: int,
) -> PlanView:
    """The same view computed from the records by the pure planner."""
    today = calendar.local_date(now)
    last_day = today + timedelta(days=horizon)
    actions = [a for a in plan(apps, settings.policy, now, calendar) if a.due <= last_day]
    return PlanView(now, today, actions)
