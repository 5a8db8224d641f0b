"""Keeping the stored plan equal to a fresh plan, and reading it.

Every write, at its instant W, re-plans the applications it changed and the other
applications at the same company (their status follow-ups share R13's weekly limit).
It stores each action with the instants between which it applies
(:func:`~followup.domain.planner.plan_company_over_time`), from W on, and W as the
application's ``exact_from``; a store that keeps timed follow-ups
(:class:`~followup.services.ports.StoredTimings`, the server's) gets the company's
follow-ups timed again with it. Reading today's plan is then an indexed read of the due
rows, whatever the size of the job search; a read at an instant before some write
(``--now`` in the past) re-plans just those applications (:class:`PlanReader`).
``followup doctor`` proves that the stored plan is what the pure planner computes.

An accepted offer (R20) changes the plan of every application, at every company: a write
that changes whether one is accepted re-plans everything (:class:`~followup.services.
session.Session`).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from followup import __version__
from followup.domain.model import Action, Application
from followup.domain.reading import UNDATED, Planned, anchored, apply_more
from followup.domain.settings import Settings

if TYPE_CHECKING:  # a read of the stored plan (``followup today``) needs neither
    from followup.domain.agenda import Line
    from followup.domain.calendar import Calendar
    from followup.domain.insights import Timing
    from followup.services.ports import HolidaySource, Repository, Store, StoredTimings

#: Bump when the planner's output changes for the same records. The stored plan carries
#: this and the release's version: when either differs, the store forgets its cached
#: holidays and re-plans every application the next time it is opened.
PLANNER_VERSION = f"3+{__version__}"
#: Companies re-planned per round of queries when re-planning everything.
_COMPANIES_PER_ROUND = 500


#: "This week" wherever the plan is shown (Today, the Week page, ``followup today``): the
#: seven days after today. One definition, so two views never disagree on what is coming.
COMING_DAYS = 7

#: The sections of Today (``followup today`` and the web page), in the order shown.
OVERDUE, TODAY, COMING = "overdue", "today", "coming"
SECTIONS = (OVERDUE, TODAY, COMING)
#: Actions shown per section at first (as Taskwarrior's ``task next`` shows a page): the
#: most urgent ones, with how many more there are.
SECTION_PAGE = 10
#: A section's actions are counted no further than this, so that a count costs the same
#: at any size (as R9's count of open applications): past it, "1,000 or more" (``followup
#: today``) or "1,000+" (the web app, whose pages of a section stop there too; ``followup
#: today --all`` lists all). A count steps through the index one due action at a time: at
#: 10,000 it read some 400 pages of a 100,000 backlog, 10 to 60 ms before the first line
#: was out (issue 12), for a figure nobody reads to the unit.
COUNT_CAP = 1_000
#: "No cap": SQLite's LIMIT takes an integer.
_NO_CAP = 2**62


def calendar_for(settings: Settings, holidays: HolidaySource) -> Calendar:
    from followup.domain.calendar import Calendar  # noqa: PLC0415

    return Calendar(settings.tz, holidays(settings.country))


# --- writing the plan ----------------------------------------------------------------------


def replan_companies(
    repo: Repository,
    settings: Settings,
    calendar: Calendar,
    keys: Iterable[str],
    now: datetime,
    known: dict[str, Application] | None = None,
    accepted: bool | None = None,
) -> None:
    """Re-plan every application at these companies, exact from ``now``.

    ``known`` holds applications the caller already has in memory (just saved), so a
    bulk import does not read back what it wrote; ``accepted``: whether an offer is
    accepted (R20), when the caller knows it already.
    """
    known = known or {}
    wanted = sorted(set(keys))
    if not wanted:  # nothing saved since the last re-plan: not even a query
        return
    members = repo.company_members(wanted)
    if not members:
        return
    missing = [i for ids in members.values() for i in ids if i not in known]
    loaded = {a.id: a for a in repo.load(missing)}
    plans = []
    # A store that keeps timings has ``replace_timings`` (the port's one write); asked
    # by name so that a local write imports no ports (tests/e2e/test_cli_process.py).
    keeper = cast("StoredTimings", repo) if hasattr(repo, "replace_timings") else None
    timed: list[Timing] = []
    if accepted is None:
        accepted = repo.any_accepted()
    for ids in members.values():
        company = [known.get(i) or loaded[i] for i in ids]
        plans += company_plans(settings, calendar, company, now, accepted)
        if keeper is not None:
            timed += company_timings(settings, calendar, company)
    repo.replace_plans(plans, now)
    if keeper is not None:
        keeper.replace_timings([i for ids in members.values() for i in ids], timed)


def replan_all(
    repo: Repository,
    settings: Settings,
    calendar: Calendar,
    now: datetime,
    known: dict[str, Application] | None = None,
    accepted: bool | None = None,
) -> None:
    """Re-plan every application (after a settings change or a new planner version)."""
    keys = repo.all_company_keys()
    for start in range(0, len(keys), _COMPANIES_PER_ROUND):
        chunk = keys[start : start + _COMPANIES_PER_ROUND]
        replan_companies(repo, settings, calendar, chunk, now, known, accepted)


def company_plans(
    settings: Settings,
    calendar: Calendar,
    company: list[Application],
    since: datetime | None,
    accepted: bool,
) -> list[tuple[Application, list[Planned]]]:
    """The plans of all applications at one company (they share R13's limit and R10's HR)."""
    from followup.domain.planner import plan_company_over_time  # noqa: PLC0415

    return plan_company_over_time(company, settings.policy, calendar, accepted, since)


def company_timings(
    settings: Settings, calendar: Calendar, company: list[Application]
) -> list[Timing]:
    """The status follow-ups of all applications at one company, each with the day it was
    due (they depend on the company's records and the settings alone: a re-plan of the
    company, or of everything after a settings change, times them again)."""
    from followup.domain.punctuality import timings  # noqa: PLC0415

    return timings(company, settings.policy, calendar, {app.id for app in company})


def ensure_current(
    store: Store,
    holidays: HolidaySource,
    default_timezone: Callable[[], str],
    now: datetime,
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
        holidays.forget()
        settings = repo.load_settings()
        replan_all(repo, settings, calendar_for(settings, holidays), now)
        repo.set_plan_version(PLANNER_VERSION)
    return True


# --- reading the plan ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanView:
    """The whole plan at ``now``, in FORMAT.md's order, split into Today's sections."""

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


def _order(action: Action) -> tuple[date, str, str, str, str]:
    return action.sort_key


def _record_order(record: Record) -> tuple[str, str, str, str, str]:
    """:attr:`Action.sort_key` of a record (ISO days sort as the days do)."""
    return (
        record["due"],
        record["kind"],
        record["application"] or "",
        record["contact"] or "",
        record["id"],
    )


def _anchored_record(record: Record, today: str) -> Record:
    """:func:`~followup.domain.reading.anchored` for a record (``today`` in ISO)."""
    if record["kind"] == "withdraw" and record["due"] != today:
        return {**record, "due": today}
    return record


def _ordered(actions: Iterable[Action]) -> list[Action]:
    return sorted(actions, key=lambda a: a.sort_key)


#: An action as the store keeps it (``formats.plan.to_record``): what a page of cards reads.
Record = dict[str, Any]
T = TypeVar("T", Action, Record)


@dataclass(frozen=True, slots=True)
class Section(Generic[T]):
    """A page of one of Today's sections: its actions from ``offset`` on, and how many the
    section holds in all (:data:`COUNT_CAP` at most). The actions are ``Action`` objects,
    or their records (:meth:`PlanReader.card_section`)."""

    key: str
    actions: list[T]
    total: int
    offset: int
    cap: int | None = COUNT_CAP

    @property
    def more(self) -> int:
        """How many come after this page."""
        return max(0, self.total - self.offset - len(self.actions))

    @property
    def capped(self) -> bool:
        """Whether ``total`` stopped at :data:`COUNT_CAP` (there may be more)."""
        return self.cap is not None and self.total >= self.cap


class PlanReader:
    """The plan at one instant: the stored rows, or a fresh plan where they are not exact.

    On the path of ``followup today`` this costs three indexed queries and imports no
    planner rules (:mod:`followup.domain.reading` is all a read needs; the functions that
    plan import :mod:`followup.domain.planner`); the holidays are needed only to re-plan a
    stale application.
    """

    def __init__(
        self,
        repo: Repository,
        holidays: HolidaySource,
        now: datetime,
        settings: Settings | None = None,
    ) -> None:
        """``settings``: the settings as this transaction has them, when the caller read
        them already (a write's session): not read again."""
        self.repo = repo
        self.holidays = holidays
        self.now = now
        self.settings = repo.load_settings() if settings is None else settings
        self.stale = repo.stale(now)
        self._fresh: dict[str, list[Action]] = {}
        self._more: tuple[Action | None] | None = None
        self._extras_found: list[Action] | None = None
        self._today: date | None = None

    @property
    def today(self) -> date:
        if self._today is None:  # asked a dozen times by a page of Today
            self._today = self.now.astimezone(self.settings.tz).date()
        return self._today

    def view(self, horizon: int) -> PlanView:
        """What ``today`` and ``plan`` print: actions due by ``today + horizon``, and R9."""
        today = self.today
        last_day = today + timedelta(days=horizon)
        actions = [
            anchored(a, today)
            for a in self.repo.due(self.now, last_day)
            if a.application not in self.stale
        ]
        fresh = self._fresh_plans(self.stale)
        actions += [a for app_id in self.stale for a in fresh[app_id] if a.due <= last_day]
        more = self._apply_more()
        if more is not None:
            actions.append(more)
        return PlanView(self.now, today, _ordered(actions))

    def section(
        self,
        key: str,
        limit: int,
        offset: int = 0,
        *,
        horizon: int = COMING_DAYS,
        lines: bool = False,
        cap: int | None = COUNT_CAP,
    ) -> Section[Action]:
        """A page of one section of :meth:`view`, most urgent first, and its count.

        An indexed walk in order (``LIMIT``) and a capped count: the cost is the page's,
        whatever the number of applications. ``lines``: only what a list line shows (no
        script, no steps), read from columns.
        """
        found = list(
            itertools.islice(self._walk(key, horizon, offset + limit, lines), offset, None)
        )
        return Section(key, found, self._count(key, horizon, cap), offset, cap)

    def _count(self, key: str, horizon: int, cap: int | None, extras: int | None = None) -> int:
        """How many actions the section holds (``extras``: how many of them are planned in
        memory, when the caller has them), counting no further than ``cap``."""
        most = _NO_CAP if cap is None else cap
        if extras is None:
            extras = len(self._extras(key, horizon))
        total = extras + sum(
            self.repo.count_due(self.now, first, last, most, self.stale)
            for first, last in self._ranges(key, horizon)
        )
        return min(total, most)

    def card_section(
        self,
        key: str,
        limit: int,
        offset: int = 0,
        *,
        horizon: int = COMING_DAYS,
        cap: int | None = COUNT_CAP,
    ) -> Section[Record]:
        """:meth:`section` with its actions as records, in the same order: what a page of
        action cards reads. The stored rows are decoded and no more (issue 12: building
        an ``Action`` per card was a third of a card's cost); the few actions planned in
        memory (stale applications, R9) are written as records to join them."""
        from followup.formats.plan import to_record  # noqa: PLC0415 - pages only

        today = self.today
        day = today.isoformat()
        runs = [
            (
                _anchored_record(r, day)
                for r in self.repo.due_records(
                    self.now, first, last, limit=offset + limit, skip=self.stale
                )
            )
            for first, last in self._ranges(key, horizon)
        ]
        extras = self._extras(key, horizon)
        merged = heapq.merge(*runs, map(to_record, extras), key=_record_order)
        found = list(itertools.islice(merged, offset, offset + limit))
        return Section(key, found, self._count(key, horizon, cap, len(extras)), offset, cap)

    def card_sections(
        self, limit: int, *, horizon: int = COMING_DAYS, cap: int | None = COUNT_CAP
    ) -> list[Section[Record]]:
        """The first page of each of :data:`SECTIONS` as :meth:`card_section` reads it,
        all read at once (``Repository.due_pages``: the Today page)."""
        from followup.formats.plan import to_record  # noqa: PLC0415 - pages only

        today = self.today
        day = today.isoformat()
        most = _NO_CAP if cap is None else cap
        keyed = [(key, self._ranges(key, horizon)) for key in SECTIONS]
        ranges = [r for _, section_ranges in keyed for r in section_ranges]
        found = iter(self.repo.due_pages(self.now, ranges, limit, most, self.stale))
        sections = []
        for key, section_ranges in keyed:
            read = [next(found) for _ in section_ranges]
            runs = [[_anchored_record(r, day) for r in records] for records, _ in read]
            extras = self._extras(key, horizon)
            if extras or len(runs) != 1:  # else the one run is the page, in order
                merged = heapq.merge(*runs, map(to_record, extras), key=_record_order)
                runs = [list(itertools.islice(merged, limit))]
            total = min(len(extras) + sum(count for _, count in read), most)
            sections.append(Section(key, runs[0], total, 0, cap))
        return sections

    def stream(self, horizon: int, *, lines: bool = False) -> Iterator[Action]:
        """Every action of :meth:`view` in the same order, read as it is consumed: memory
        stays bounded whatever the size of the plan (``plan --json``)."""
        return itertools.chain.from_iterable(
            self._walk(key, horizon, None, lines) for key in SECTIONS
        )

    def unordered(self, horizon: int, *, lines: bool = False) -> Iterator[Action]:
        """The actions of :meth:`stream`, in no particular order: for a caller that puts
        them in its own (the calendar places an overdue action on today). The stored rows
        come in one read, in the store's cheapest order."""
        today = self.today
        last = today + timedelta(days=max(horizon, 0))
        stored = (
            anchored(a, today)
            for a in self.repo.due_in_order(
                self.now, UNDATED, last, skip=self.stale, lines=lines, ordered=False
            )
        )
        extras = [a for key in SECTIONS for a in self._extras(key, horizon)]
        return itertools.chain(stored, extras)

    def unordered_lines(self, horizon: int) -> Iterator[Line]:
        """:meth:`unordered` as the calendar's lines: the stored ones made straight from the
        store's columns, with no ``Action`` (issue 12: a fifth of a backlog's calendar)."""
        from followup.domain.agenda import anchored_line, line  # noqa: PLC0415 - calendar only

        today = self.today
        last = today + timedelta(days=max(horizon, 0))
        stored = self.repo.due_lines(self.now, UNDATED, last, skip=self.stale)
        extras = [line(a) for key in SECTIONS for a in self._extras(key, horizon)]
        return itertools.chain((anchored_line(s, today) for s in stored), extras)

    def walk(self, key: str, horizon: int, *, lines: bool = False) -> Iterator[Action]:
        """All of a section, in order, read as it is consumed."""
        return self._walk(key, horizon, None, lines)

    def _walk(self, key: str, horizon: int, limit: int | None, lines: bool) -> Iterator[Action]:
        """A section in order: the stored rows of each of its due ranges, merged with the
        actions planned in memory (stale applications, R9)."""
        today = self.today
        runs = [
            (
                anchored(a, today)
                for a in self.repo.due_in_order(
                    self.now, first, last, limit=limit, skip=self.stale, lines=lines
                )
            )
            for first, last in self._ranges(key, horizon)
        ]
        merged = heapq.merge(*runs, self._extras(key, horizon), key=_order)
        return itertools.islice(merged, limit)

    def _ranges(self, key: str, horizon: int) -> list[tuple[date, date]]:
        """The stored due dates of a section. R20's ``withdraw`` is stored undated
        (:data:`~followup.domain.planner.UNDATED`) and due on the day it is read: today."""
        today, day = self.today, timedelta(days=1)
        if key == OVERDUE:
            return [(UNDATED + day, today - day)]
        if key == TODAY:
            return [(today, today), (UNDATED, UNDATED)]
        if key == COMING:
            return [(today + day, today + timedelta(days=horizon))] if horizon > 0 else []
        raise ValueError(f"no section {key!r}")

    def _extras(self, key: str, horizon: int) -> list[Action]:
        """The actions of a section that are not stored rows: the stale applications'
        (re-planned here) and R9's, in order."""
        found = self._all_extras()
        if not found:  # most reads: no stale application, R9 not due
            return []
        today = self.today
        if key == OVERDUE:
            wanted = [a for a in found if a.due < today]
        elif key == TODAY:
            wanted = [a for a in found if a.due == today]
        else:
            last = today + timedelta(days=horizon)
            wanted = [a for a in found if today < a.due <= last]
        return _ordered(wanted)

    def _all_extras(self) -> list[Action]:
        """Every action of :meth:`_extras`, in no order: worked out once per read (a page
        of Today asks for each of its three sections)."""
        if self._extras_found is None:
            fresh = self._fresh_plans(self.stale)
            found = [a for app_id in self.stale for a in fresh[app_id]]
            more = self._apply_more()
            if more is not None:
                found.append(more)
            self._extras_found = found
        return self._extras_found

    def _apply_more(self) -> Action | None:
        """R9's reminder to keep applying, when it is due."""
        if self._more is None:
            self._more = (
                apply_more(
                    self.repo.open_count(self.settings.policy.min_active_applications),
                    self.repo.last_added(),
                    self.settings.policy,
                    self.today,
                    ended=self.repo.any_accepted(),
                ),
            )
        return self._more[0]

    def changes_at(self) -> datetime:
        """The first instant after ``now`` at which this plan may read differently, if no
        record changes: a segment boundary, a write's instant, or the next local midnight."""
        tz = self.settings.tz
        midnight = datetime.combine(self.today + timedelta(days=1), time(), tz)
        boundary = self.repo.next_change(self.now)
        return min(midnight, boundary) if boundary is not None else midnight

    def of(self, app_id: str) -> list[Action]:
        """The actions of one application at ``now``, whatever their due date."""
        if app_id in self.stale:
            return _ordered(self._fresh_plans({app_id})[app_id])
        return _ordered(
            anchored(p.action, self.today)
            for p in self.repo.planned(app_id)
            if p.applies_at(self.now)
        )

    def of_many(self, app_ids: list[str]) -> dict[str, list[Action]]:
        """:meth:`of` for many applications, in one query."""
        stored = self.repo.planned_many(i for i in app_ids if i not in self.stale)
        today = self.today
        found = {
            app_id: _ordered(anchored(p.action, today) for p in planned if p.applies_at(self.now))
            for app_id, planned in stored.items()
        }
        stale = {i for i in app_ids if i in self.stale}
        if stale:
            fresh = self._fresh_plans(stale)
            found.update((i, _ordered(fresh[i])) for i in stale)
        return found

    def next_of_many(self, app_ids: list[str]) -> dict[str, Action]:
        """The first action of each application (as ``of_many(...)[id][0]``): the store
        picks it for the applications whose stored plan is exact (issue 12: a list's
        "Next" column no longer decodes every stored segment to keep the first)."""
        found = self.repo.next_actions(
            (i for i in app_ids if i not in self.stale), self.now, self.today
        )
        stale = {i for i in app_ids if i in self.stale}
        if stale:
            fresh = self._fresh_plans(stale)
            found.update((i, _ordered(fresh[i])[0]) for i in stale if fresh.get(i))
        return found

    def find(self, action_id: str) -> Action | None:
        """An action that applies at ``now``, by id (FORMAT.md, "Action ids")."""
        if action_id.startswith("apply_more:"):
            return next((a for a in self.view(0).actions if a.id == action_id), None)
        parts = action_id.split(":")
        if len(parts) > 1 and parts[1] in self.stale:
            return next((a for a in self.of(parts[1]) if a.id == action_id), None)
        found = self.repo.find_planned(action_id, self.now)
        return anchored(found, self.today) if found is not None else None

    def _fresh_plans(self, app_ids: set[str]) -> dict[str, list[Action]]:
        """Re-plan these stale applications at ``now``, with their companies for R13."""
        wanted = app_ids - self._fresh.keys()
        if wanted:
            from followup.domain.planner import plan_company  # noqa: PLC0415

            calendar = calendar_for(self.settings, self.holidays)
            members = self.repo.company_members(self.repo.company_keys(wanted))
            accepted = self.repo.any_accepted()
            for ids in members.values():
                company = self.repo.load(ids)
                if not company:
                    continue
                plans = plan_company(company, self.settings.policy, self.now, calendar, accepted)
                self._fresh.update((i, found) for i, found in plans.items() if i in wanted)
        return self._fresh


def fresh_plan(
    apps: Iterable[Application],
    settings: Settings,
    calendar: Calendar,
    now: datetime,
    horizon: int,
) -> PlanView:
    """The same view computed from all the records by the pure planner."""
    from followup.domain.planner import plan  # noqa: PLC0415

    today = calendar.local_date(now)
    last_day = today + timedelta(days=horizon)
    actions = [a for a in plan(apps, settings.policy, now, calendar) if a.due <= last_day]
    return PlanView(now, today, actions)
