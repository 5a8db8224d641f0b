"""The fake's lists for people, computed from the applications."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from followup.domain.listed import Listed, Scheduled
from followup.domain.model import Application, Contact, Status
from followup.domain.search import matches, pieces
from tests.fake_store.state import FakeState


class FakeListings:
    """Mixed into the fake repository; works on its copy of the state."""

    state: FakeState

    def search(
        self, query: str, status: Status | None, sort: str, limit: int, offset: int
    ) -> tuple[list[Listed], int]:
        found = [
            a
            for a in self.state.apps.values()
            if (not pieces(query) or matches(query, _searched_text(a)))
            and (status is None or a.status is status)
        ]
        keys: dict[str, Callable[[Application], Any]] = {
            "company": lambda a: a.company_key,
            "position": lambda a: a.position,
            "status": lambda a: a.status.value,
            "applied": lambda a: a.added_on or date.min,
        }
        key = keys[sort.lstrip("-")]
        found.sort(key=lambda a: (key(a), a.id), reverse=sort.startswith("-"))
        page = found[offset : offset + limit]
        return [_listed(a) for a in page], len(found)

    def newest(self, status: Status, limit: int) -> list[Listed]:
        apps = sorted((a for a in self.state.apps.values() if a.status is status), key=_id)
        apps.sort(key=lambda a: (_newest_first(a.applied_on), _newest_first(a.recorded_on)))
        return [_listed(a) for a in apps[:limit]]

    def count_by_status(self) -> dict[Status, int]:
        counts: dict[Status, int] = {}
        for a in self.state.apps.values():
            counts[a.status] = counts.get(a.status, 0) + 1
        return counts

    def interviews_between(
        self, start: datetime, end: datetime, *, ordered: bool = True
    ) -> list[Scheduled]:
        """``ordered=False``: newest first, so that a caller relying on an order it did not
        ask for is caught."""
        found = [
            Scheduled(
                a.id,
                a.company,
                a.position,
                iv.id,
                iv.at,
                tuple(c.name for cid in iv.interviewers if (c := a.contact(cid))),
            )
            for a in self.state.apps.values()
            for iv in a.interviews
            if start <= iv.at < end and not iv.cancelled
        ]
        return sorted(
            found, key=lambda s: (s.at, s.application, s.interview_id), reverse=not ordered
        )

    def contacts_of(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Contact]:
        found = {}
        for app_id, cid in pairs:
            app = self.state.apps.get(app_id)
            contact = app.contact(cid) if app else None
            if contact is not None:
                found[(app_id, cid)] = contact
        return found

    def notes_of(self, app_ids: Iterable[str]) -> dict[str, str]:
        apps = [self.state.apps.get(i) for i in app_ids]
        return {a.id: a.notes for a in apps if a is not None and a.notes is not None}


def _searched_text(app: Application) -> str:
    """What the SQLite store's full-text index holds of an application."""
    people = [" ".join(filter(None, (c.name, c.email, c.phone))) for c in app.contacts]
    return "\n".join(filter(None, (app.company, app.position, app.notes, *people, app.posting)))


def _id(app: Application) -> str:
    return app.id


def _newest_first(day: date | None) -> tuple[bool, int]:
    """A sort key: the latest day first, no day last (as SQL's ``DESC`` puts NULLs)."""
    return (day is None, -day.toordinal() if day else 0)


def _listed(app: Application) -> Listed:
    return Listed(app.id, app.company, app.position, app.status, app.applied_on)
