"""In-memory fakes of the ports, for unit tests of the services (cosmicpython-style).

The fake store keeps the same promises as the SQLite one (the contract tests run both):
a write transaction works on a copy and replaces the state only on success.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Container, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from followup.domain.agenda import Feed
from followup.domain.digest import DigestState
from followup.domain.drafts import Email, EmailDraft
from followup.domain.history import Entry, Revision
from followup.domain.mailbox import MailSettings, OutboxEntry, OutboxState, SentMail
from followup.domain.model import Action, Application, Contact, Listed, Scheduled, Status
from followup.domain.planner import Planned
from followup.domain.settings import Settings
from followup.services.planning import ensure_current
from followup.services.session import Deps


@dataclass
class _State:
    settings: Settings | None = None
    apps: dict[str, Application] = field(default_factory=dict)
    plans: dict[str, list[Planned]] = field(default_factory=dict)
    exact: dict[str, datetime] = field(default_factory=dict)
    mail: MailSettings = field(default_factory=MailSettings)
    outbox: dict[int, OutboxEntry] = field(default_factory=dict)
    folders: dict[str, tuple[int, int]] = field(default_factory=dict)
    summary: dict[str, tuple[bool, date | None]] = field(default_factory=dict)
    plan_version: str | None = None
    feed: Feed | None = None
    digest: DigestState | None = None
    history: list[Entry] = field(default_factory=list)


class FakeRepository:
    def __init__(self, state: _State) -> None:
        self.state = state

    def load_settings(self) -> Settings:
        return self.state.settings or Settings()

    def save_settings(self, settings: Settings) -> None:
        self.state.settings = settings

    def has_settings(self) -> bool:
        return self.state.settings is not None

    def get(self, app_id: str) -> Application | None:
        return self.state.apps.get(app_id)

    def load(self, app_ids: Iterable[str]) -> list[Application]:
        return [self.state.apps[i] for i in app_ids if i in self.state.apps]

    def existing(self, app_ids: Iterable[str]) -> set[str]:
        return {i for i in app_ids if i in self.state.apps}

    def put(self, app: Application) -> None:
        self.state.apps[app.id] = app

    def put_many(self, apps: list[Application]) -> None:
        for app in apps:
            self.put(app)

    def delete_many(self, app_ids: list[str]) -> None:
        for app_id in app_ids:
            for table in (self.state.apps, self.state.plans, self.state.exact, self.state.summary):
                table.pop(app_id, None)
        self.state.outbox = {
            k: e for k, e in self.state.outbox.items() if e.application not in app_ids
        }

    def add_history(
        self,
        at: datetime,
        summary: str,
        revisions: tuple[Revision, ...],
        undoes: int | None = None,
    ) -> int:
        entry_id = len(self.state.history) + 1
        self.state.history.append(Entry(entry_id, at, summary, revisions, undoes))
        if undoes is not None:
            undone = self.state.history[undoes - 1]
            self.state.history[undoes - 1] = replace(undone, undone_by=entry_id)
        return entry_id

    def history(self, limit: int, before: int | None = None) -> list[Entry]:
        older = [e for e in self.state.history if before is None or e.id < before]
        return older[::-1][:limit]

    def history_entry(self, entry_id: int) -> Entry | None:
        return self.state.history[entry_id - 1] if 0 < entry_id <= len(self.state.history) else None

    def last_undoable(self) -> Entry | None:
        return next((e for e in reversed(self.state.history) if e.undoable), None)

    def applications(self, status: Status | None = None) -> Iterator[Application]:
        apps = sorted(self.state.apps.values(), key=lambda a: (a.company_key, a.id))
        return iter([a for a in apps if status is None or a.status is status])

    def company_keys(self, app_ids: Iterable[str]) -> set[str]:
        return {self.state.apps[i].company_key for i in app_ids if i in self.state.apps}

    def all_company_keys(self) -> list[str]:
        return sorted({a.company_key for a in self.state.apps.values()})

    def company_members(self, keys: Iterable[str]) -> dict[str, list[str]]:
        wanted = set(keys)
        members: dict[str, list[str]] = {}
        for app in sorted(self.state.apps.values(), key=lambda a: a.id):
            if app.company_key in wanted:
                members.setdefault(app.company_key, []).append(app.id)
        return members

    def search(
        self, query: str, status: Status | None, sort: str, limit: int, offset: int
    ) -> tuple[list[Listed], int]:
        q = query.strip().casefold()
        found = [
            a
            for a in self.state.apps.values()
            if (not q or q in a.company.casefold() or q in a.position.casefold())
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
        apps = [a for a in self.state.apps.values() if a.status is status]
        apps.sort(key=lambda a: (a.added_on or date.min, a.id), reverse=True)
        return [_listed(a) for a in apps[:limit]]

    def count_by_status(self) -> dict[Status, int]:
        counts: dict[Status, int] = {}
        for a in self.state.apps.values():
            counts[a.status] = counts.get(a.status, 0) + 1
        return counts

    def interviews_between(self, start: datetime, end: datetime) -> list[Scheduled]:
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
            if start <= iv.at < end
        ]
        return sorted(found, key=lambda s: (s.at, s.application, s.interview_id))

    def contacts_of(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Contact]:
        found = {}
        for app_id, cid in pairs:
            app = self.state.apps.get(app_id)
            contact = app.contact(cid) if app else None
            if contact is not None:
                found[(app_id, cid)] = contact
        return found

    def planned_many(self, app_ids: Iterable[str]) -> dict[str, list[Planned]]:
        return {i: list(self.state.plans[i]) for i in app_ids if self.state.plans.get(i)}

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

    def due(self, now: datetime, last_day: date) -> list[Action]:
        return [
            p.action
            for plans in self.state.plans.values()
            for p in plans
            if p.applies_at(now) and p.action.due <= last_day
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

    def any_accepted(self) -> bool:
        return any(a.status is Status.ACCEPTED for a in self.state.apps.values())

    def plan_version(self) -> str | None:
        return self.state.plan_version

    def set_plan_version(self, version: str) -> None:
        self.state.plan_version = version

    def integrity_problems(self) -> list[str]:
        return []

    def load_mail_settings(self) -> MailSettings:
        return self.state.mail

    def save_mail_settings(self, settings: MailSettings) -> None:
        self.state.mail = settings

    def add_outbox(self, entry: OutboxEntry) -> int:
        entry_id = len(self.state.outbox) + 1
        self.state.outbox[entry_id] = replace(entry, id=entry_id)
        return entry_id

    def outbox(self, states: Iterable[OutboxState]) -> list[OutboxEntry]:
        wanted = set(states)
        return [e for _, e in sorted(self.state.outbox.items()) if e.state in wanted]

    def outbox_entry(self, entry_id: int) -> OutboxEntry | None:
        return self.state.outbox.get(entry_id)

    def set_outbox_state(
        self, entry_id: int, state: OutboxState, error: str | None, now: datetime
    ) -> None:
        entry = self.state.outbox[entry_id]
        self.state.outbox[entry_id] = replace(entry, state=state, error=error, updated_at=now)

    def folder_state(self, folder: str) -> tuple[int, int] | None:
        return self.state.folders.get(folder)

    def set_folder_state(self, folder: str, uidvalidity: int, last_uid: int) -> None:
        self.state.folders[folder] = (uidvalidity, last_uid)

    def sent_mail(self, message_ids: Iterable[str]) -> dict[str, SentMail]:
        wanted = set(message_ids)
        return {
            t.message_id: SentMail(a.id, t.contact, t.purpose)
            for a in self.state.apps.values()
            for t in a.touches
            if t.message_id in wanted and t.outcome.value == "sent"
        }

    def known_message_ids(self, message_ids: Iterable[str]) -> set[str]:
        wanted = set(message_ids)
        return {
            t.message_id
            for a in self.state.apps.values()
            for t in a.touches
            if t.message_id is not None and t.message_id in wanted
        }

    def contacts_by_address(self, addresses: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
        wanted = {a.lower() for a in addresses}
        found: dict[str, list[tuple[str, str]]] = {}
        apps = sorted(self.state.apps.values(), key=lambda a: (not a.is_open, a.id))
        for app in apps:
            for c in app.contacts:
                if c.email and c.email.lower() in wanted:
                    found.setdefault(c.email.lower(), []).append((app.id, c.id))
        return found

    def notes_of(self, app_ids: Iterable[str]) -> dict[str, str]:
        apps = [self.state.apps.get(i) for i in app_ids]
        return {a.id: a.notes for a in apps if a is not None and a.notes is not None}

    def feed(self) -> Feed | None:
        return self.state.feed

    def set_feed(self, feed: Feed | None) -> None:
        self.state.feed = feed

    def digest_state(self) -> DigestState | None:
        return self.state.digest

    def save_digest_state(self, state: DigestState) -> None:
        self.state.digest = state

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


def _listed(app: Application) -> Listed:
    return Listed(app.id, app.company, app.position, app.status, app.applied_on)


class FakeStore:
    def __init__(self) -> None:
        self.state = _State()
        self.commits = 0

    @contextmanager
    def reading(self) -> Iterator[FakeRepository]:
        yield FakeRepository(copy.deepcopy(self.state))

    def change_token(self) -> object:
        return self.commits

    @contextmanager
    def writing(self) -> Iterator[FakeRepository]:
        draft = copy.deepcopy(self.state)
        yield FakeRepository(draft)
        self.state = draft
        self.commits += 1


class FakeClock:
    def __init__(self, now: datetime = datetime(2026, 3, 9, 8, tzinfo=UTC)) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


class FakeHolidays:
    """Holidays given as a dict ``country -> dates``."""

    def __init__(self, table: dict[str, set[date]] | None = None) -> None:
        self.table = table or {}

    def __call__(self, country: str | None) -> Container[date]:
        return frozenset(self.table.get(country or "", set()))

    def is_supported(self, country: str) -> bool:
        return country.upper() in self.table or country.upper() in {"PT", "US", "GB"}

    def forget(self) -> None:
        pass


class FakeDetails:
    """Accepts any email with an @ and any phone starting with +."""

    def email(self, value: str) -> str:
        if "@" not in value:
            raise ValueError(f"{value!r} is not a valid email address")
        return value.strip()

    def phone(self, value: str, country: str | None) -> str:
        if not value.strip().startswith("+"):
            raise ValueError(f"{value!r} is not a phone number")
        return value.strip()


class FakeDrafts:
    """The drafts port without Jinja2: the draft's fields, one per line."""

    def render(self, draft: EmailDraft) -> Email:
        body = f"{draft.kind} {draft.company} {draft.position} {draft.interview_day_text}\n"
        return Email(draft.to_name, draft.to_email, f"{draft.kind}: {draft.company}", body)


def fake_deps(now: datetime | None = None, settings: Settings | None = None) -> Deps:
    store = FakeStore()
    deps = Deps(
        store,
        FakeClock(now) if now else FakeClock(),
        FakeHolidays(),
        FakeDetails(),
        FakeDrafts(),
    )
    if settings is not None:
        store.state.settings = settings
    ensure_current(store, deps.holidays, lambda: "UTC", deps.clock.now())
    return deps
