"""The fake's stored plan: the plans given, with their instants and a summary per application."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from followup.domain.agenda import Line, line
from followup.domain.model import Action, Application
from followup.domain.planner import Planned, anchored
from followup.formats.plan import to_record
from tests.fake_store.state import FakeState


class FakeStoredPlan:
    """Mixed into the fake repository; works on its copy of the state."""

    state: FakeState

    def replace_plans(
        self, plans: list[tuple[Application, list[Planned]]], exact_from: datetime
    ) -> None:
        for app, planned in plans:
            self.state.plans[app.id] = list(planned)
            self.state.summary[app.id] = (app.is_open, app.added_on)
            self.state.exact[app.id] = exact_from

    def stale(self, now: datetime) -> set[str]:
        return {app_id for app_id, since in self.state.exact.items() if since > now}

    def exact_from(self, app_ids: Iterable[str]) -> dict[str, datetime]:
        return {i: self.state.exact[i] for i in app_ids if i in self.state.exact}

    def planned(self, app_id: str) -> list[Planned]:
        return list(self.state.plans.get(app_id, []))

    def planned_many(self, app_ids: Iterable[str]) -> dict[str, list[Planned]]:
        return {i: list(self.state.plans[i]) for i in app_ids if self.state.plans.get(i)}

    def due(self, now: datetime, last_day: date) -> list[Action]:
        return [
            p.action
            for plans in self.state.plans.values()
            for p in plans
            if p.applies_at(now) and p.action.due <= last_day
        ]

    def next_actions(self, app_ids: Iterable[str], now: datetime, today: date) -> dict[str, Action]:
        found = {}
        for app_id in app_ids:
            plans = self.state.plans.get(app_id, [])
            current = [anchored(p.action, today) for p in plans if p.applies_at(now)]
            if current:
                found[app_id] = min(current, key=lambda a: (a.sort_key, a.id))
        return found

    def due_in_order(
        self,
        now: datetime,
        first: date,
        last: date,
        *,
        limit: int | None = None,
        offset: int = 0,
        skip: Collection[str] = (),
        lines: bool = False,
        ordered: bool = True,
    ) -> Iterator[Action]:
        """``ordered=False``: last first, so that a caller relying on an order it did not ask
        for is caught."""
        found = sorted(
            self._due_between(now, first, last, skip), key=lambda a: a.sort_key, reverse=not ordered
        )
        end = None if limit is None else offset + limit
        for action in found[offset:end]:
            yield (
                replace(action, script=(), steps=(), contact_application=None) if lines else action
            )

    def due_lines(
        self, now: datetime, first: date, last: date, *, skip: Collection[str] = ()
    ) -> Iterator[Line]:
        """:meth:`due_in_order`'s lines, as the calendar's tuples."""
        return map(line, self.due_in_order(now, first, last, skip=skip, lines=True, ordered=False))

    def due_records(
        self,
        now: datetime,
        first: date,
        last: date,
        *,
        limit: int | None = None,
        offset: int = 0,
        skip: Collection[str] = (),
    ) -> Iterator[dict[str, Any]]:
        actions = self.due_in_order(now, first, last, limit=limit, offset=offset, skip=skip)
        return (to_record(a) for a in actions)

    def count_due(
        self, now: datetime, first: date, last: date, cap: int, skip: Collection[str] = ()
    ) -> int:
        return min(cap, len(self._due_between(now, first, last, skip)))

    def due_pages(
        self,
        now: datetime,
        ranges: Sequence[tuple[date, date]],
        limit: int,
        cap: int,
        skip: Collection[str] = (),
    ) -> list[tuple[list[dict[str, Any]], int]]:
        return [
            (
                list(self.due_records(now, first, last, limit=limit, skip=skip)),
                self.count_due(now, first, last, cap, skip),
            )
            for first, last in ranges
        ]

    def _due_between(
        self, now: datetime, first: date, last: date, skip: Collection[str]
    ) -> list[Action]:
        return [
            p.action
            for app_id, plans in self.state.plans.items()
            if app_id not in skip
            for p in plans
            if p.applies_at(now) and first <= p.action.due <= last
        ]

    def find_planned(self, action_id: str, now: datetime) -> Action | None:
        for plans in self.state.plans.values():
            for p in plans:
                if p.action.id == action_id and p.applies_at(now):
                    return p.action
        return None

    def open_count(self, cap: int) -> int:
        return min(cap, sum(1 for is_open, _ in self.state.summary.values() if is_open))

    def last_added(self) -> date | None:
        return max((d for _, d in self.state.summary.values() if d is not None), default=None)

    def next_change(self, now: datetime) -> datetime | None:
        times = [
            t
            for plans in self.state.plans.values()
            for p in plans
            for t in (p.valid_from, p.valid_until)
            if t is not None and t > now
        ]
        times += [t for t in self.state.exact.values() if t > now]
        return min(times, default=None)

    def plan_version(self) -> str | None:
        return self.state.plan_version

    def set_plan_version(self, version: str) -> None:
        self.state.plan_version = version

    def integrity_problems(self) -> list[str]:
        return []
