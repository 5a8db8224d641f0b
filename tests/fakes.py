"""In-memory fakes of the ports, for unit tests of the services (cosmicpython-style).

The fake store keeps the same promises as the SQLite one (the contract tests of
``tests/integration/contract/`` run both): a write transaction works on a copy and
replaces the state only on success. Its repository is split by concept in
``tests/fake_store/``, as the port is.
"""

from __future__ import annotations

import copy
from collections.abc import Container, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from followup.domain.drafts import Email, EmailDraft
from followup.domain.settings import Settings
from followup.services.planning import ensure_current
from followup.services.session import Deps
from tests.fake_store.repository import FakeRepository
from tests.fake_store.state import FakeState


class FakeStore:
    def __init__(self) -> None:
        self.state = FakeState()
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
