"""A write: load records, change them, save them, and re-plan what changed, in one transaction.

Services never call ``put`` without going through a session, so no write can leave the
stored plan behind the records, and none escapes the history: the session remembers each
record as it was before its first change, and at the end writes one history entry with
what changed (``followup undo`` reverts it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from followup.domain.model import Action, Application
from followup.domain.settings import Settings
from followup.errors import NotFound, Remedy
from followup.services.planning import PlanReader, calendar_for, replan_all, replan_companies

if TYPE_CHECKING:  # a read (``followup today``) never describes a change: loaded by a write
    from followup.domain.calendar import Calendar
    from followup.domain.history import Revision
    from followup.services.ports import (
        Clock,
        ContactDetails,
        Drafts,
        HolidaySource,
        Repository,
        Store,
    )


@dataclass(frozen=True, slots=True)
class Deps:
    """What the use cases need, chosen once in ``followup.bootstrap``."""

    store: Store
    clock: Clock
    holidays: HolidaySource
    details: ContactDetails
    drafts: Drafts


#: The fields of an application that no rule of the planner reads (RULES.md plans from
#: the company, position, status, dates, contacts, interviews, touches, snoozes and
#: dismissals; these are the user's own reference): a change to them alone leaves every
#: plan as stored. ``tests/unit/test_planner_properties.py`` checks the planner's output
#: does not change with them.
PLANNER_BLIND = ("link", "source", "notes", "posting")
_BLANK: dict[str, Any] = dict.fromkeys(PLANNER_BLIND)


def moves_plan(before: Application | None, after: Application) -> bool:
    """Whether storing ``after`` where ``before`` was (``None``: absent) can change a
    plan: anything but a change to :data:`PLANNER_BLIND`'s fields."""
    if before is None:
        return True
    return replace(before, **_BLANK) != replace(after, **_BLANK)


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
        #: Each application as it was when this session first saw it (``None``: absent).
        self._originals: dict[str, Application | None] = {}
        #: Each application this session saved (``None``: deleted), for the history.
        self._changed: dict[str, Application | None] = {}
        #: The revisions of what :meth:`flush` let go of.
        self._flushed: list[Revision] = []
        self._settings_before = self.settings
        #: What the history says of this change; by default, the changes in words.
        self.label: str | None = None
        #: Set by an undo: the entry it reverts.
        self.undoes: int | None = None
        #: The history entry this session wrote, once it is committed (``None``: no change).
        self.entry_id: int | None = None
        #: Whether an offer was accepted before this session's first save (R20).
        self._accepted_before: bool | None = None
        #: Fingerprints already made elsewhere (an import's reading process), by id, with
        #: the very application they are of.
        self._fingerprints: dict[str, tuple[Application, str]] = {}

    @property
    def today(self) -> date:
        return self.calendar.local_date(self.now)

    def application(self, app_id: str) -> Application:
        app = self.repo.get(app_id)
        if app is None:
            raise NotFound(f"no application {app_id!r}", remedy=Remedy.LIST)
        self._originals.setdefault(app_id, app)
        return app

    def remember(self, originals: dict[str, Application | None]) -> None:
        """Applications the caller loaded itself (an import): the history needs no re-read."""
        for app_id, app in originals.items():
            self._originals.setdefault(app_id, app)

    def known_fingerprint(self, app: Application, fingerprint: str) -> None:
        """``app``'s fingerprint, made elsewhere: the history uses it if ``app`` itself is
        what this session saves (an import's new application, as the file gave it)."""
        self._fingerprints[app.id] = (app, fingerprint)

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
        """Store ``apps`` whole; the companies of those whose change can move a plan
        (:func:`moves_plan`) are re-planned at the end, the others' plans stay as stored."""
        self._load_originals([a.id for a in apps])
        moved = [a for a in apps if moves_plan(self._stored(a.id), a)]
        if moved:
            if self._accepted_before is None:
                self._accepted_before = self.repo.any_accepted()
            self._companies |= self._stored_companies([a.id for a in moved])
            self._companies.update(a.company_key for a in moved)
        self.repo.put_many(apps)
        self._saved.update((a.id, a) for a in apps)
        self._changed.update((a.id, a) for a in apps)

    def delete(self, app_ids: list[str]) -> None:
        """Delete applications whole; their companies are re-planned at the end."""
        self._load_originals(app_ids)
        if self._accepted_before is None:
            self._accepted_before = self.repo.any_accepted()
        self._companies |= self._stored_companies(app_ids)
        self.repo.delete_many(app_ids)
        for app_id in app_ids:
            self._saved.pop(app_id, None)
            self._changed[app_id] = None

    def _stored(self, app_id: str) -> Application | None:
        """The application as this transaction has it stored now (``None``: absent),
        once :meth:`_load_originals` has seen it."""
        return self._changed[app_id] if app_id in self._changed else self._originals[app_id]

    def _stored_companies(self, app_ids: list[str]) -> set[str]:
        """The company each application has in the database now: known from what this
        session loaded or saved of it (this transaction's own state), else read."""
        found: set[str] = set()
        unknown = []
        for app_id in app_ids:
            if app_id in self._changed:
                current = self._changed[app_id]
            elif app_id in self._originals:
                current = self._originals[app_id]
            else:
                unknown.append(app_id)
                continue
            if current is not None:
                found.add(current.company_key)
        return found | (self.repo.company_keys(unknown) if unknown else set())

    def _load_originals(self, app_ids: list[str]) -> None:
        unseen = [i for i in app_ids if i not in self._originals]
        if unseen:
            found = {a.id: a for a in self.repo.load(unseen)}
            for app_id in unseen:
                self._originals[app_id] = found.get(app_id)

    def revisions(self) -> list[Revision]:
        """What this session changed, record by record (no-op saves left out)."""
        # Loaded by the first change, not by every command: a read never fingerprints.
        from followup.domain.history import SETTINGS, Revision, describe_settings  # noqa: PLC0415
        from followup.formats.history import fingerprint  # noqa: PLC0415

        found = []
        if self.settings != self._settings_before:
            found.append(
                Revision(
                    SETTINGS,
                    self._settings_before,
                    fingerprint(self.settings),
                    describe_settings(self._settings_before, self.settings),
                )
            )
        return found + self._flushed + self._application_revisions()

    def _application_revisions(self) -> list[Revision]:
        from followup.domain.history import Revision, describe  # noqa: PLC0415
        from followup.formats.history import fingerprint  # noqa: PLC0415

        found = []
        known = self._fingerprints
        for app_id, after in self._changed.items():
            before = self._originals.get(app_id)
            if before != after:
                made = known.get(app_id)
                stamp = made[1] if made is not None and made[0] is after else fingerprint(after)
                found.append(
                    Revision(app_id, before, stamp, describe(before, after, self.settings.tz))
                )
        return found

    def flush(self) -> None:
        """Re-plan what was saved so far and note its history, then let the applications go.

        A bulk import calls it after each batch, so that memory holds one batch of
        applications rather than all of them (their revisions stay: an application that
        is new is kept as its id and a fingerprint).
        """
        self._flushed += self._application_revisions()
        self._changed.clear()
        self._originals.clear()
        self._fingerprints.clear()
        self.replan()

    def record_history(self) -> int | None:
        """Write this session's history entry (none when nothing changed); its id."""
        revisions = self.revisions()
        self._changed.clear()
        self._originals.clear()
        self._fingerprints.clear()
        self._flushed = []
        self._settings_before = self.settings
        if not revisions and self.undoes is None:
            return None
        from followup.domain.history import summary  # noqa: PLC0415

        text = self.label or summary(revisions)
        return self.repo.add_history(self.now, text, tuple(revisions), self.undoes)

    def company(self, key: str) -> list[Application]:
        """Every application at a company, as stored now."""
        return self.repo.load(self.repo.company_members([key]).get(key, []))

    def replan(self) -> None:
        # Read once here for R20, and given to the planner (which would read it again).
        accepted = self.repo.any_accepted() if self._accepted_before is not None else None
        if accepted is not None and accepted != self._accepted_before:
            self.everything_changed = True  # R20: an accepted offer changes every plan
        self._accepted_before = None
        if self.everything_changed:
            replan_all(self.repo, self.settings, self.calendar, self.now, self._saved, accepted)
            self.everything_changed = False
        else:
            replan_companies(
                self.repo,
                self.settings,
                self.calendar,
                self._companies,
                self.now,
                self._saved,
                accepted,
            )
        self._companies.clear()
        self._saved.clear()

    def reader(self) -> PlanReader:
        """The plan as stored now (call :meth:`replan` first to include this session's changes)."""
        return PlanReader(self.repo, self.holidays, self.now, self.settings)

    def current_actions(self, app_id: str) -> list[Action]:
        return self.reader().of(app_id)


T = TypeVar("T")

#: The history entry of the latest change committed in this context (:func:`entry_of`).
_committed: ContextVar[int | None] = ContextVar("followup_committed", default=None)


@contextmanager
def writing(deps: Deps, now: datetime | None = None) -> Iterator[Session]:
    """One change: committed whole with its re-plan and its history entry, or not at all."""
    with deps.store.writing() as repo:
        session = Session(repo, deps.holidays, now or deps.clock.now())
        yield session
        session.replan()
        session.entry_id = session.record_history()
    if session.entry_id is not None:
        _committed.set(session.entry_id)


def entry_of(run: Callable[[], T]) -> tuple[T, int | None]:
    """``run()``'s result and the history entry of the last change it committed (``None``:
    it changed nothing). Known from the writes themselves: no read of the history, and no
    other request's entry mistaken for this one's."""
    token = _committed.set(None)
    try:
        result = run()
        return result, _committed.get()
    finally:
        _committed.reset(token)


@contextmanager
def reading(deps: Deps, now: datetime | None = None) -> Iterator[PlanReader]:
    """A consistent read of the records and of the plan at ``now``."""
    with deps.store.reading() as repo:
        yield PlanReader(repo, deps.holidays, now or deps.clock.now())
